import type { RatingCodes } from './rating-codes.js';

/**
 * How block-SGD records are laid out. A record starts with the int32 word
 * `localUser | localItem << ubits | code << (ubits + ibits)`. With `stride` 4 that word is the
 * whole record and the rating is `codes.values[code]`; with `stride` 8 (ratings with too many
 * distinct values for the bits left over) `ubits = ibits = 16`, the code is 0 and the float32
 * rating follows in the second word.
 */
export interface SgdRecordFormat {
  readonly stride: 4 | 8;
  readonly ubits: number;
  readonly ibits: number;
  /** The rating dictionary of 4-byte records; `null` for 8-byte records. */
  readonly codes: RatingCodes | null;
}

/**
 * Buckets interactions into the `grid × grid` blocks of LIBMF-style block SGD and sorts each
 * block as LIBMF does. User `u` is in block row `⌊u / usersPerBlock⌋` with local index
 * `u mod usersPerBlock`, items likewise in block columns; block `b = row·grid + col` gets records
 * `offsets[b] … offsets[b+1]−1`. Within a block the records are ordered by the streamed side's
 * local index (`byUser`: the user, else the item), ties in input order, so an epoch walks each
 * streamed row's ratings together while the other side's rows of the block stay in cache (LIBMF
 * sorts its blocks the same way; it breaks ties by the other index).
 *
 * Kernel: writes `offsets` (length `grid² + 1`) and the records into `words` (an int32 view of
 * `stride·n` bytes; 8-byte records keep the rating's bit pattern in the second word). Allocates
 * one `grid²` counter array, one histogram and one scratch copy of the largest block; no checks.
 *
 * @example
 * buildSgdBlocks(U, I, R, 7667, 1500, 18, true, format, offsets, words);
 */
export function buildSgdBlocks(
  userIds: Int32Array,
  itemIds: Int32Array,
  ratings: Float32Array,
  usersPerBlock: number,
  itemsPerBlock: number,
  grid: number,
  byUser: boolean,
  format: SgdRecordFormat,
  offsets: Int32Array,
  words: Int32Array,
): void {
  const n = userIds.length;
  const numBlocks = grid * grid;
  // Block row / column of every user / item once, instead of two divisions per rating per pass.
  const rowOf = new Int32Array(usersPerBlock * grid);
  for (let u = 0; u < rowOf.length; u++) rowOf[u] = Math.floor(u / usersPerBlock);
  const colOf = new Int32Array(itemsPerBlock * grid);
  for (let i = 0; i < colOf.length; i++) colOf[i] = Math.floor(i / itemsPerBlock);
  const fill = new Int32Array(numBlocks);
  for (let t = 0; t < n; t++) fill[rowOf[userIds[t]] * grid + colOf[itemIds[t]]]++;
  offsets[0] = 0;
  let largest = 0;
  for (let b = 0; b < numBlocks; b++) {
    offsets[b + 1] = offsets[b] + fill[b];
    if (fill[b] > largest) largest = fill[b];
    fill[b] = offsets[b];
  }
  const { stride, ubits, ibits, codes } = format;
  const wide = stride === 8;
  const ratingBits = new Int32Array(ratings.buffer, ratings.byteOffset, ratings.length);
  const codeShift = ubits + ibits;
  // The dictionary's hash table, looked up inline (see rating-codes.ts).
  const keys = codes?.keys ?? new Int32Array(1);
  const used = codes?.used ?? new Uint8Array(1);
  const slotCodes = codes?.codes ?? new Int32Array(1);
  const mask = keys.length - 1;
  const hashShift = 32 - Math.log2(keys.length);
  for (let t = 0; t < n; t++) {
    const u = userIds[t];
    const i = itemIds[t];
    const row = rowOf[u];
    const col = colOf[i];
    const at = fill[row * grid + col]++;
    const key = (u - row * usersPerBlock) | ((i - col * itemsPerBlock) << ubits);
    const bits = ratingBits[t];
    if (wide) {
      words[2 * at] = key;
      words[2 * at + 1] = bits;
    } else {
      let slot = (Math.imul(bits, 0x9e3779b1) >>> hashShift) & mask;
      while (used[slot] === 1 && keys[slot] !== bits) slot = (slot + 1) & mask;
      words[at] = key | (slotCodes[slot] << codeShift);
    }
  }
  // Per block, a stable counting sort by the primary index (into scratch, then copied back).
  const per = wide ? 2 : 1;
  const hist = new Int32Array((byUser ? usersPerBlock : itemsPerBlock) + 1);
  const scratch = new Int32Array(largest * per);
  const umask = (1 << ubits) - 1;
  const imask = (1 << ibits) - 1;
  const shift = byUser ? 0 : ubits;
  const keyMask = byUser ? umask : imask;
  for (let b = 0; b < numBlocks; b++) {
    const base = offsets[b] * per;
    const count = offsets[b + 1] - offsets[b];
    if (count < 2) continue;
    hist.fill(0);
    for (let t = 0; t < count; t++) hist[((words[base + t * per] >>> shift) & keyMask) + 1]++;
    for (let k = 1; k < hist.length; k++) hist[k] += hist[k - 1];
    for (let t = 0; t < count; t++) {
      const w = words[base + t * per];
      const to = hist[(w >>> shift) & keyMask]++ * per;
      scratch[to] = w;
      if (wide) scratch[to + 1] = words[base + t * per + 1];
    }
    words.set(scratch.subarray(0, count * per), base);
  }
}
