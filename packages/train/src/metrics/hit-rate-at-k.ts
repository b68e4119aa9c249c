import { checkRankingArgs } from './check-ranking.js';
import { countHits } from './precision-at-k.js';

/**
 * Hit rate at K of one ranked list: 1 when at least one of the first `k` entries is relevant,
 * else 0 (its mean over users is HitRate@K).
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates.
 * @param k - Cut-off, a positive integer.
 * @returns 0 or 1.
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted or k is not a positive integer.
 * @example
 * hitRateAtK(new Int32Array([5, 1, 7]), new Int32Array([7]), 2); // 0
 */
export function hitRateAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkRankingArgs('hitRateAtK', ranked, relevant, k);
  return countHits(ranked, relevant, k) > 0 ? 1 : 0;
}
