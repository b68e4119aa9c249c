import { sortedContains } from '../kernels/sorted-contains.js';
import { checkRankingArgs } from './check-ranking.js';

/**
 * Precision@K of one ranked list: the number of relevant ids among the first `k` entries of
 * `ranked`, divided by `k` (always `k`, even when the list is shorter or fewer than `k` items
 * are relevant). Negative ids in `ranked` are padding and never count as hits.
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates (a CSR row).
 * @param k - Cut-off, a positive integer.
 * @returns A value in [0, 1].
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted or k is not a positive integer.
 * @example
 * precisionAtK(new Int32Array([5, 1, 7]), new Int32Array([1, 2]), 2); // 0.5
 */
export function precisionAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkRankingArgs('precisionAtK', ranked, relevant, k);
  return countHits(ranked, relevant, k) / k;
}

/**
 * @internal Relevant ids among the first `k` entries of `ranked`.
 * @example
 * countHits(Int32Array.of(5, 1, 7), Int32Array.of(1, 7), 2); // 1
 */
export function countHits(ranked: Int32Array, relevant: Int32Array, k: number): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (sortedContains(relevant, 0, relevant.length, ranked[i])) hits++;
  return hits;
}
