// pallet-referenda's threshold curves, evaluated as the runtime does (`Curve::threshold` in
// substrate/frame/referenda/src/types.rs), in Perbill (parts per 10^9) with integer arithmetic.
// `x` is the fraction of the decision period that has passed, also in Perbill.

export const ONE = 1_000_000_000n;

const min = (a, b) => (a < b ? a : b);
const max = (a, b) => (a > b ? a : b);

/**
 * The threshold (Perbill, BigInt) of `curve` at `x` (Perbill, BigInt). `curve` is a plain object
 * as polkadot-js' `toJSON()` gives it, e.g. `{ linearDecreasing: { length, floor, ceil } }`.
 * Supported: LinearDecreasing, SteppedDecreasing, Reciprocal (FixedI64 factor/offsets, 10^9 scale).
 */
export function threshold(curve, x) {
  x = BigInt(x);
  const [kind, c] = Object.entries(curve)[0];
  switch (kind.toLowerCase()) {
    case 'lineardecreasing': {
      const length = BigInt(c.length);
      const floor = BigInt(c.floor);
      const ceil = BigInt(c.ceil);
      const progress = length === 0n ? ONE : min((min(x, length) * ONE) / length, ONE);
      return ceil - ((ceil - floor) * progress) / ONE;
    }
    case 'steppeddecreasing': {
      const begin = BigInt(c.begin);
      const end = BigInt(c.end);
      const step = BigInt(c.step);
      const period = BigInt(c.period);
      const steps = period === 0n ? 0n : x / period;
      return max(begin - min(step * steps, begin), end);
    }
    case 'reciprocal': {
      // factor / (x + x_offset) + y_offset, all FixedI64 (10^9 scale), clamped to [0, 1].
      const factor = BigInt(c.factor);
      const xOffset = BigInt(c.xOffset ?? c.x_offset);
      const yOffset = BigInt(c.yOffset ?? c.y_offset);
      const denom = x + xOffset;
      const y = denom === 0n ? ONE : (factor * ONE) / denom + yOffset;
      return min(max(y, 0n), ONE);
    }
    default:
      throw new Error(`unknown referenda curve ${kind}`);
  }
}

/** `count + 1` points `[xPercent, thresholdPercent]` across the decision period, for charts. */
export function samples(curve, count = 50) {
  const out = [];
  for (let i = 0; i <= count; i++) {
    const x = (ONE * BigInt(i)) / BigInt(count);
    out.push([(i * 100) / count, Number(threshold(curve, x)) / 1e7]);
  }
  return out;
}
