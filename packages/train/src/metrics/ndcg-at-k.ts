import { sortedContains } from '../kernels/sorted-contains.js';
import { checkRankingArgs } from './check-ranking.js';

/**
 * NDCG@K of one ranked list with binary relevance: `DCG / IDCG` where
 * `DCG = Σ_{i<k} rel(ranked[i]) / log2(i + 2)` and IDCG is the DCG of a list that puts
 * `min(k, |relevant|)` relevant items first. An empty relevant set gives 0.
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates.
 * @param k - Cut-off, a positive integer.
 * @returns A value in [0, 1].
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted or k is not a positive integer.
 * @example
 * // one relevant item, ranked second: (1 / log2(3)) / 1
 * ndcgAtK(new Int32Array([5, 1, 7]), new Int32Array([1]), 3); // 0.6309...
 */
export function ndcgAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkRankingArgs('ndcgAtK', ranked, relevant, k);
  if (relevant.length === 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (sortedContains(relevant, 0, relevant.length, ranked[i])) dcg += 1 / Math.log2(i + 2);
  return dcg / idealDcg(Math.min(k, relevant.length));
}

/**
 * @internal `Σ_{i<n} 1 / log2(i + 2)`: the DCG of `n` hits in the first `n` positions.
 * @example
 * idealDcg(2); // 1 + 1 / log2(3)
 */
export function idealDcg(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += 1 / Math.log2(i + 2);
  return s;
}
