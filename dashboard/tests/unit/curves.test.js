import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threshold, samples, ONE } from '../../src/lib/curves.js';

const P = (percent) => (BigInt(percent * 10) * ONE) / 1000n;

test('a linear curve falls from ceil to floor over its length and stays there', () => {
  // The `parameters` track's support: 33% -> 10% over the whole decision period.
  const curve = { linearDecreasing: { length: Number(ONE), floor: Number(P(10)), ceil: Number(P(33)) } };
  assert.equal(threshold(curve, 0n), P(33));
  assert.equal(threshold(curve, ONE / 2n), P(21.5));
  assert.equal(threshold(curve, ONE), P(10));
  // Half-length curves reach the floor half way.
  const half = { LinearDecreasing: { length: Number(ONE / 2n), floor: 0, ceil: Number(ONE) } };
  assert.equal(threshold(half, ONE / 4n), ONE / 2n);
  assert.equal(threshold(half, (ONE * 3n) / 4n), 0n);
});

test('a stepped curve drops by step each period, never below end', () => {
  const curve = { steppedDecreasing: { begin: Number(P(80)), end: Number(P(50)), step: Number(P(10)), period: Number(ONE / 10n) } };
  assert.equal(threshold(curve, 0n), P(80));
  assert.equal(threshold(curve, ONE / 10n - 1n), P(80));
  assert.equal(threshold(curve, ONE / 10n), P(70));
  assert.equal(threshold(curve, ONE), P(50));
});

test('a reciprocal curve is factor / (x + x_offset) + y_offset, clamped to [0, 1]', () => {
  // factor 0.1, x_offset 0.1, y_offset 0: 1 at x=0, 0.5 at x=0.1, 1/11 at x=1.
  const curve = { reciprocal: { factor: Number(ONE / 10n), xOffset: Number(ONE / 10n), yOffset: 0 } };
  assert.equal(threshold(curve, 0n), ONE);
  assert.equal(threshold(curve, ONE / 10n), ONE / 2n);
  assert.equal(threshold(curve, ONE), ONE / 11n);
  const negative = { reciprocal: { factor: Number(ONE / 10n), xOffset: Number(ONE / 10n), yOffset: -Number(ONE) } };
  assert.equal(threshold(negative, ONE), 0n);
});

test('chart samples span the decision period in percent', () => {
  const curve = { linearDecreasing: { length: Number(ONE), floor: 0, ceil: Number(ONE) } };
  const points = samples(curve, 4);
  assert.deepEqual(points, [[0, 100], [25, 75], [50, 50], [75, 25], [100, 0]]);
  assert.throws(() => threshold({ sigmoid: {} }, 0n), /unknown referenda curve/);
});
