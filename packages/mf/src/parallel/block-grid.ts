/** Bytes of factor rows one block should span: half of this machine class's 2 MiB L2. */
const BLOCK_ROW_BYTES = 1 << 20;

/**
 * The grid size of block SGD for a data shape: enough blocks per side that one block's user and
 * item factor rows (`(numUsers + numItems)·dim·4 / grid` bytes) fit in about 1 MiB of cache, at
 * least 4, and never more than 65,536 rows per block (records hold 16-bit local indices).
 * Depends only on the shape, never on the thread count, so results do not depend on `threads`.
 *
 * @returns The number of blocks per side.
 * @example
 * chooseGrid(138_000, 27_000, 64); // 41
 */
export function chooseGrid(numUsers: number, numItems: number, dim: number): number {
  const bySize = Math.ceil(((numUsers + numItems) * Math.max(dim, 1) * 4) / BLOCK_ROW_BYTES);
  const byIndex = Math.ceil(Math.max(numUsers, numItems) / 65_535);
  return Math.max(4, bySize, byIndex);
}
