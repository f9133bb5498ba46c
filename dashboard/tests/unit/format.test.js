import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gnk, int, pct, perbill, duration, short } from '../../src/lib/format.js';

test('GNK amounts have 9 decimals and thousands separators', () => {
  assert.equal(gnk(1_500_000_000n), '1.5 GNK');
  assert.equal(gnk(1_000_000n * 1_000_000_000n, 2), '1,000,000 GNK');
  assert.equal(gnk(123_456_789n, 4), '0.1234 GNK');
  assert.equal(gnk(1n, 4), '0 GNK');
  assert.equal(gnk(1n, 9, false), '0.000000001');
  assert.equal(gnk(-2_250_000_000n), '-2.25 GNK');
});

test('integers, percentages and perbills', () => {
  assert.equal(int(0n), '0');
  assert.equal(int(1234567n), '1,234,567');
  assert.equal(pct(1n, 3n), '33.3%');
  assert.equal(pct(2n, 3n, 0), '67%');
  assert.equal(pct(5n, 0n), '—');
  assert.equal(perbill(500_000_000n), '50.0%');
  assert.equal(perbill(1_000_000_000n, 0), '100%');
});

test('durations and short addresses', () => {
  assert.equal(duration(42_000), '42 s');
  assert.equal(duration(185_000), '3 min 05 s');
  assert.equal(duration(3_720_000), '1 h 02 min');
  assert.equal(short('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'), '5Grw…utQY');
});
