import { checkPositiveInt, checkInt32Array, quiverError } from '@quiver/base';
import { checkFloatArray, checkSortedSet } from '../check.js';

/**
 * Checks the `(ranked, relevant, k)` arguments shared by the per-user ranking metrics.
 * @example
 * checkRankingArgs('precisionAtK', ranked, relevant, 10);
 */
export function checkRankingArgs(where: string, ranked: unknown, relevant: unknown, k: unknown): void {
  checkInt32Array(where, 'ranked', ranked);
  checkSortedSet(where, 'relevant', relevant);
  checkPositiveInt(where, 'k', k);
}

/**
 * Checks the `(predicted, actual)` arguments of the rating metrics.
 * @example
 * checkRatingArgs('rmse', predicted, actual);
 */
export function checkRatingArgs(where: string, predicted: unknown, actual: unknown): void {
  checkFloatArray(where, 'predicted', predicted);
  checkFloatArray(where, 'actual', actual);
  const p = predicted as Float32Array;
  const a = actual as Float32Array;
  if (p.length !== a.length) throw quiverError('RangeError', { where, what: `predicted must have the length of actual (${a.length})`, got: String(p.length) });
  if (a.length === 0) throw quiverError('RangeError', { where, what: 'actual must hold at least 1 value', got: '0' });
}
