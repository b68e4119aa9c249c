import { checkFloatArray } from '../check.js';
import { positivesAbove } from '../kernels/auc-pairs.js';

/**
 * Area under the ROC curve of one user's scores: the fraction of (positive, negative) pairs in
 * which the positive scores higher, a tie counting one half (the Mann-Whitney U statistic
 * divided by `P · N`). Computed from ranks in O((P + N) log P): the positives are sorted once
 * and each negative is located by binary search, never by comparing every pair.
 * @param positiveScores - Scores of the relevant items.
 * @param negativeScores - Scores of every other candidate item (for {@link evaluateRanking}:
 *   all items that are neither in the user's training set nor relevant).
 * @returns A value in [0, 1]; 0.5 is a random ranking. NaN when either side is empty.
 * @throws {TypeError} when an argument is not a Float32Array / Float64Array.
 * @example
 * auc(new Float32Array([0.9, 0.4]), new Float32Array([0.5, 0.1])); // 0.75
 */
export function auc(positiveScores: Float32Array | Float64Array, negativeScores: Float32Array | Float64Array): number {
  checkFloatArray('auc', 'positiveScores', positiveScores);
  checkFloatArray('auc', 'negativeScores', negativeScores);
  const numPos = positiveScores.length;
  const numNeg = negativeScores.length;
  if (numPos === 0 || numNeg === 0) return NaN;
  const sorted = Float64Array.from(positiveScores).sort();
  let credit = 0;
  for (let j = 0; j < numNeg; j++) credit += positivesAbove(sorted, numPos, negativeScores[j]);
  return credit / (numPos * numNeg);
}
