import type { Rng } from '@quiver/base';

/**
 * Bootstrap kernel: fills `out[s]`, for every `s < out.length`, with the mean of `n =
 * values.length` values drawn from `values` with replacement, drawing the indices in order with
 * `rng.nextInt(n)` (sample 0's n draws first, then sample 1's, …). No checks, no allocation:
 * `values` must be non-empty.
 * @example
 * bootstrapMeans(Float64Array.of(1, 2, 3), createRng(7), new Float64Array(1000));
 */
export function bootstrapMeans(values: Float64Array, rng: Rng, out: Float64Array): void {
  const n = values.length;
  for (let s = 0; s < out.length; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.nextInt(n)];
    out[s] = sum / n;
  }
}
