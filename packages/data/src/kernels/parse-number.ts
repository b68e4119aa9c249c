/** POW10[k] = 10^k for k in [0, 22] (all exact in float64). */
export const POW10 = new Float64Array(23);
for (let k = 0; k < 23; k++) POW10[k] = 10 ** k;

/**
 * Parses an integer written in ASCII bytes buf[s..e) (optional '-', up to 15 digits, spaces
 * around it allowed). Returns NaN when the bytes are not such an integer.
 */
export function parseIntBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  let neg = false;
  if (s < e && buf[s] === 45) {
    neg = true;
    s++;
  }
  if (s >= e || e - s > 15) return NaN;
  let v = 0;
  for (let p = s; p < e; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/**
 * Parses a decimal number in ASCII bytes buf[s..e): `[+-]digits[.digits][e[+-]digits]`,
 * spaces around it allowed. Returns NaN for anything else (including `NaN`, `inf`, empty).
 * Up to 15 significant digits without exponent are parsed here and correctly rounded (one
 * exact division); longer numbers and exponents go through `Number()`.
 */
export function parseDecimalBytes(buf: Uint8Array, s: number, e: number): number {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  if (s >= e) return NaN;
  let p = s;
  let neg = false;
  const c0 = buf[p];
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    p++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  for (; p < e; p++) {
    const c = buf[p];
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mant = mant * 10 + d;
      digits++;
      if (seenDot) frac++;
    } else if (c === 46 && !seenDot) {
      seenDot = true;
    } else break;
  }
  if (digits === 0) return NaN;
  if (p === e && digits <= 15) {
    const v = frac === 0 ? mant : mant / POW10[frac];
    return neg ? -v : v;
  }
  return parseSlow(buf, s, e);
}

function parseSlow(buf: Uint8Array, s: number, e: number): number {
  let str = '';
  for (let p = s; p < e; p++) str += String.fromCharCode(buf[p]);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(str)) return NaN;
  return Number(str);
}

/**
 * Parses an integer id of any length in ASCII bytes buf[s..e) (optional '-', spaces around it,
 * leading zeros allowed as in parseIntBytes) exactly: a number when the value is a safe
 * integer (|v| <= 2^53 - 1), else a bigint, so each integer has one representation and ids
 * beyond 2^53 are never rounded. Returns null when the bytes are not such an integer.
 * The slow path behind parseIntBytes (15 digits): it allocates a string and a bigint.
 */
export function parseIntIdBytes(buf: Uint8Array, s: number, e: number): number | bigint | null {
  while (s < e && buf[s] === 32) s++;
  while (e > s && buf[e - 1] === 32) e--;
  let p = s;
  if (p < e && buf[p] === 45) p++;
  if (p >= e) return null;
  let str = '';
  for (let q = s; q < e; q++) {
    const c = buf[q];
    if (q >= p && (c < 48 || c > 57)) return null;
    str += String.fromCharCode(c);
  }
  const v = BigInt(str);
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
