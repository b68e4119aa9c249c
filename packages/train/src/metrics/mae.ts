import { checkRatingArgs } from './check-ranking.js';

/**
 * Mean absolute error, `mean(|predicted - actual|)`, accumulated in float64.
 * @returns The MAE (same unit as the ratings).
 * @throws {TypeError} when an argument is not a Float32Array / Float64Array.
 * @throws {RangeError} when lengths differ or the arrays are empty.
 * @example
 * mae(new Float32Array([3, 5]), new Float32Array([4, 4])); // 1
 */
export function mae(predicted: Float32Array | Float64Array, actual: Float32Array | Float64Array): number {
  checkRatingArgs('mae', predicted, actual);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(predicted[i] - actual[i]);
  return s / actual.length;
}
