import { checkRankingArgs } from './check-ranking.js';
import { countHits } from './precision-at-k.js';

/**
 * Recall@K of one ranked list: relevant ids among the first `k` entries of `ranked`, divided
 * by the number of relevant ids. An empty relevant set gives 0 (such users are left out by
 * {@link evaluateRanking}).
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates.
 * @param k - Cut-off, a positive integer.
 * @returns A value in [0, 1].
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted or k is not a positive integer.
 * @example
 * recallAtK(new Int32Array([5, 1, 7]), new Int32Array([1, 2, 7, 9]), 3); // 0.5
 */
export function recallAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkRankingArgs('recallAtK', ranked, relevant, k);
  return relevant.length === 0 ? 0 : countHits(ranked, relevant, k) / relevant.length;
}
