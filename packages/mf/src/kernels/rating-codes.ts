/**
 * A dictionary of the distinct rating values, so a block-SGD record can carry a small integer
 * code instead of a float32 rating (MovieLens has 10 values: 0.5, 1, …, 5).
 *
 * Values are keyed by their float32 bit pattern (so `-0` and `0` are distinct codes that decode
 * to themselves exactly); codes are assigned in ascending value order, so the dictionary depends
 * only on the set of values, not on their order in the data.
 */
export interface RatingCodes {
  /** The distinct values in ascending order: code `c` decodes to `values[c]`. */
  readonly values: Float32Array;
  /** Open-addressing table of bit patterns (size a power of two; `used[s]` marks a filled slot). */
  readonly keys: Int32Array;
  readonly used: Uint8Array;
  /** The code of the value in slot `s`. */
  readonly codes: Int32Array;
}

const slotOf = (bits: number, mask: number, shift: number): number => (Math.imul(bits, 0x9e3779b1) >>> shift) & mask;

/**
 * The dictionary of `ratings`, or `null` when they hold more than `maxCodes` distinct values.
 *
 * Kernel: one pass over `ratings` (no per-rating allocation); tables of `2·min(maxCodes, n)` slots.
 *
 * @returns The codes, or `null`.
 * @example
 * const rc = buildRatingCodes(Float32Array.of(4, 3.5, 4, 1), 16)!;
 * rc.values; // Float32Array [1, 3.5, 4]
 * ratingCode(rc, new Int32Array(Float32Array.of(4).buffer)[0]); // 2
 */
export function buildRatingCodes(ratings: Float32Array, maxCodes: number): RatingCodes | null {
  const bits = new Int32Array(ratings.buffer, ratings.byteOffset, ratings.length);
  const cap = Math.min(maxCodes, ratings.length);
  let size = 2;
  while (size < 2 * cap) size *= 2;
  const shift = 32 - Math.log2(size);
  const mask = size - 1;
  const keys = new Int32Array(size);
  const used = new Uint8Array(size);
  const codes = new Int32Array(size);
  const found = new Int32Array(cap);
  let count = 0;
  for (let t = 0; t < bits.length; t++) {
    const b = bits[t];
    let s = slotOf(b, mask, shift);
    while (used[s] === 1 && keys[s] !== b) s = (s + 1) & mask;
    if (used[s] === 1) continue;
    if (count === maxCodes) return null; // (count < cap always holds when maxCodes > length)
    used[s] = 1;
    keys[s] = b;
    found[count++] = b;
  }
  const values = new Float32Array(new Int32Array(found.subarray(0, count)).buffer).sort();
  const valueBits = new Int32Array(values.buffer);
  for (let c = 0; c < count; c++) codes[findSlot(keys, used, mask, shift, valueBits[c])] = c;
  return { values, keys, used, codes };
}

function findSlot(keys: Int32Array, used: Uint8Array, mask: number, shift: number, b: number): number {
  let s = slotOf(b, mask, shift);
  while (used[s] === 1 && keys[s] !== b) s = (s + 1) & mask;
  return s;
}

/**
 * The code of the value with float32 bit pattern `bits` (which must be in the dictionary).
 * @returns The code.
 * @example
 * ratingCode(rc, bitsOfRating);
 */
export function ratingCode(rc: RatingCodes, bits: number): number {
  const mask = rc.keys.length - 1;
  return rc.codes[findSlot(rc.keys, rc.used, mask, 32 - Math.log2(rc.keys.length), bits)];
}
