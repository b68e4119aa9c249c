/**
 * Buckets interactions into the `grid × grid` blocks of LIBMF-style block SGD (a counting
 * sort, stable: each block keeps the input order). User `u` sits at position `userPos[u]` of the
 * permuted user order, in block row `⌊userPos[u] / usersPerBlock⌋` with local index
 * `userPos[u] mod usersPerBlock` (< 65,536); items likewise in block columns. Block
 * `b = row·grid + col` gets records `offsets[b] … offsets[b+1]−1`, each written as the int32
 * word `rec[2t] = localUser | localItem << 16` and the float32 rating `recF[2t+1]`.
 *
 * Kernel: writes `offsets` (length `grid² + 1`), `rec` and `recF` (views of the same
 * `8·n` bytes); allocates one `grid²` counter array, no checks.
 *
 * @example
 * buildSgdBlocks(U, I, R, userPos, itemPos, 4000, 800, 40, offsets, rec, recF);
 */
export function buildSgdBlocks(
  userIds: Int32Array,
  itemIds: Int32Array,
  ratings: Float32Array,
  userPos: Int32Array,
  itemPos: Int32Array,
  usersPerBlock: number,
  itemsPerBlock: number,
  grid: number,
  offsets: Int32Array,
  rec: Int32Array,
  recF: Float32Array,
): void {
  const n = userIds.length;
  const numBlocks = grid * grid;
  const fill = new Int32Array(numBlocks);
  for (let t = 0; t < n; t++) {
    const row = Math.floor(userPos[userIds[t]] / usersPerBlock);
    const col = Math.floor(itemPos[itemIds[t]] / itemsPerBlock);
    fill[row * grid + col]++;
  }
  offsets[0] = 0;
  for (let b = 0; b < numBlocks; b++) {
    offsets[b + 1] = offsets[b] + fill[b];
    fill[b] = offsets[b];
  }
  for (let t = 0; t < n; t++) {
    const up = userPos[userIds[t]];
    const ip = itemPos[itemIds[t]];
    const row = Math.floor(up / usersPerBlock);
    const col = Math.floor(ip / itemsPerBlock);
    const at = fill[row * grid + col]++;
    rec[at << 1] = (up - row * usersPerBlock) | ((ip - col * itemsPerBlock) << 16);
    recF[(at << 1) + 1] = ratings[t];
  }
}
