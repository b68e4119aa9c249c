/**
 * Bytes of the cache-resident side's factor rows in one block: about 3/8 of the 1 MiB per-core
 * L2 of this machine class, leaving room for the streamed side's rows and the records (measured:
 * 345–432 KB blocks were fastest on ML-20M shape at k = 64; see the package README).
 */
const RESIDENT_BYTES = 384 * 1024;

/**
 * The grid size of block SGD for a data shape. Each block's records are sorted by the side with
 * more rows (streamed in order); the other side's rows of a block (`min(numUsers, numItems)·dim·4
 * / grid` bytes) should fit in about 384 KiB of cache. At least 4 blocks per side, and never more
 * than 65,535 rows per block (8-byte records hold 16-bit local indices).
 * Depends only on the shape, never on the thread count, so results do not depend on `threads`.
 *
 * @returns The number of blocks per side.
 * @example
 * chooseGrid(138_000, 27_000, 64); // 18
 */
export function chooseGrid(numUsers: number, numItems: number, dim: number): number {
  const bySize = Math.ceil((Math.min(numUsers, numItems) * Math.max(dim, 1) * 4) / RESIDENT_BYTES);
  const byIndex = Math.ceil(Math.max(numUsers, numItems) / 65_535);
  return Math.max(4, bySize, byIndex);
}
