import { sortedContains } from '../kernels/sorted-contains.js';
import { checkRankingArgs } from './check-ranking.js';
import { quiverError } from '@quiver/base';

/**
 * Average precision at K of one ranked list (MAP@K is its mean over users):
 * `Σ_{i<k, ranked[i] relevant} precision@(i+1) / min(k, |relevant|)`. This is the
 * normalisation of implicit's `mean_average_precision_at_k` and of most recsys libraries, so a
 * perfect top-k scores 1 even when more than k items are relevant. An empty relevant set gives 0.
 * @param ranked - Item ids, best first.
 * @param relevant - The relevant item ids, sorted ascending without duplicates.
 * @param k - Cut-off, a positive integer.
 * @returns A value in [0, 1].
 * @throws {TypeError} when ranked / relevant are not Int32Arrays.
 * @throws {RangeError} when relevant is not sorted or k is not a positive integer.
 * @example
 * // hits at ranks 1 and 3 of 3, two relevant: (1/1 + 2/3) / 2
 * averagePrecisionAtK(new Int32Array([1, 5, 2]), new Int32Array([1, 2]), 3); // 0.8333...
 */
export function averagePrecisionAtK(ranked: Int32Array, relevant: Int32Array, k: number): number {
  checkRankingArgs('averagePrecisionAtK', ranked, relevant, k);
  if (relevant.length === 0) return 0;
  const n = Math.min(k, ranked.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (sortedContains(relevant, 0, relevant.length, ranked[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / Math.min(k, relevant.length);
}

/**
 * MAP@K: the mean of {@link averagePrecisionAtK} over several users' lists.
 * @param rankedLists - One ranked list per user.
 * @param relevantSets - One sorted relevant set per user (same length as rankedLists).
 * @param k - Cut-off, a positive integer.
 * @returns A value in [0, 1]; 0 when there is no user.
 * @throws {RangeError} when the two lists differ in length, or as {@link averagePrecisionAtK}.
 * @example
 * mapAtK([new Int32Array([1, 5])], [new Int32Array([1])], 2); // 1
 */
export function mapAtK(rankedLists: readonly Int32Array[], relevantSets: readonly Int32Array[], k: number): number {
  if (!Array.isArray(rankedLists) || !Array.isArray(relevantSets)) {
    throw quiverError('TypeError', { where: 'mapAtK', what: 'rankedLists and relevantSets must be arrays of Int32Array', got: `${typeof rankedLists} and ${typeof relevantSets}` });
  }
  if (rankedLists.length !== relevantSets.length) {
    throw quiverError('RangeError', { where: 'mapAtK', what: `relevantSets must have the length of rankedLists (${rankedLists.length})`, got: String(relevantSets.length) });
  }
  if (rankedLists.length === 0) return 0;
  let s = 0;
  for (let u = 0; u < rankedLists.length; u++) s += averagePrecisionAtK(rankedLists[u], relevantSets[u], k);
  return s / rankedLists.length;
}
