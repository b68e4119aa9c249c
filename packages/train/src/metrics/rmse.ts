import { checkRatingArgs } from './check-ranking.js';

/**
 * Root mean squared error, `sqrt(mean((predicted - actual)²))`, accumulated in float64.
 * @returns The RMSE (same unit as the ratings).
 * @throws {TypeError} when an argument is not a Float32Array / Float64Array.
 * @throws {RangeError} when lengths differ or the arrays are empty.
 * @example
 * rmse(new Float32Array([3, 4]), new Float32Array([4, 4])); // Math.sqrt(0.5)
 */
export function rmse(predicted: Float32Array | Float64Array, actual: Float32Array | Float64Array): number {
  checkRatingArgs('rmse', predicted, actual);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = predicted[i] - actual[i];
    s += d * d;
  }
  return Math.sqrt(s / actual.length);
}
