// Number formatting shared by every page. Chain integers arrive as BigInt (balances are u128 in
// base units, weights u128); nothing here goes through floats except the last display step.

/** Base units per GNK: GNK has 9 decimals (`gonka_primitives::GNK`). */
export const GNK = 1_000_000_000n;

/** Thousands-separated integer, e.g. `1234567n` -> `"1,234,567"`. */
export function int(n) {
  const s = BigInt(n).toString();
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return neg ? `-${grouped}` : grouped;
}

/**
 * A GNK amount from base units, with up to `decimals` fraction digits (trailing zeros cut):
 * `gnk(1_500_000_000n)` -> `"1.5 GNK"`.
 */
export function gnk(base, decimals = 4, unit = true) {
  const b = BigInt(base);
  const neg = b < 0n;
  const abs = neg ? -b : b;
  const whole = abs / GNK;
  let frac = (abs % GNK).toString().padStart(9, '0').slice(0, decimals).replace(/0+$/, '');
  const text = `${neg ? '-' : ''}${int(whole)}${frac ? `.${frac}` : ''}`;
  return unit ? `${text} GNK` : text;
}

/** `part / whole` as a percentage string with `digits` decimals (`"—"` when whole is 0). */
export function pct(part, whole, digits = 1) {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return '—';
  const scale = 10n ** BigInt(digits);
  const x = (p * 100n * scale + w / 2n) / w;
  const s = x.toString().padStart(digits + 1, '0');
  return digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}%` : `${s}%`;
}

/** A Perbill (parts per 10^9) as a percentage string. */
export function perbill(parts, digits = 1) {
  return pct(BigInt(parts), 1_000_000_000n, digits);
}

/** A duration in milliseconds as `"1 h 02 min"`, `"3 min 05 s"` or `"42 s"`. */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

/** An SS58 address shortened for tables: `5Grw…utQY`. */
export function short(address) {
  const a = String(address);
  return a.length > 12 ? `${a.slice(0, 4)}…${a.slice(-4)}` : a;
}

/** BigInt to a JS number for charts (loses precision past 2^53, which charts do not show). */
export function num(n) {
  return Number(BigInt(n));
}
