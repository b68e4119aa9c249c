import { checkInt32Array } from '@quiver/base';
import { checkSortedSet } from '../check.js';
import { sortedContains } from '../kernels/sorted-contains.js';

/**
 * Reciprocal rank of one ranked list: `1 / (position of the first relevant id, 1-based)`, or 0
 * when no entry of `ranked` is relevant (its mean over users is MRR). Pass the first K
 * entries for MRR@K.
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates.
 * @returns A value in [0, 1].
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted.
 * @example
 * mrr(new Int32Array([5, 1, 7]), new Int32Array([7])); // 1 / 3
 */
export function mrr(ranked: Int32Array, relevant: Int32Array): number {
  checkInt32Array('mrr', 'ranked', ranked);
  checkSortedSet('mrr', 'relevant', relevant);
  for (let i = 0; i < ranked.length; i++) if (sortedContains(relevant, 0, relevant.length, ranked[i])) return 1 / (i + 1);
  return 0;
}
