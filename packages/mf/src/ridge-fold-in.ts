import { choleskySolve } from './kernels/cholesky.js';

/**
 * Fold-in for the explicit models: the user vector `[p, b]` minimising
 * `Σᵢ (rᵢ − mu − bᵢ − b − p·qᵢ)² + n (reg ‖p‖² + regBias b²)`, the point where the per-rating SGD
 * updates of training balance out for that user (n = number of ratings). Solved exactly by
 * Cholesky on the `(dim + 1) × (dim + 1)` normal equations.
 *
 * @returns A new vector of `dim + 1` values (factors, then the user bias).
 * @example
 * const v = ridgeFoldIn(items, ratings, Q, bi, mu, 64, 0.08, 0.02);
 */
export function ridgeFoldIn(
  items: Int32Array,
  ratings: Float32Array,
  itemFactors: Float32Array,
  itemBias: Float32Array,
  globalMean: number,
  dim: number,
  reg: number,
  regBias: number,
): Float32Array {
  const m = dim + 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  const n = items.length;
  for (let t = 0; t < n; t++) {
    const qo = items[t] * dim;
    const target = ratings[t] - globalMean - itemBias[items[t]];
    for (let r = 0; r < m; r++) {
      const zr = r < dim ? itemFactors[qo + r] : 1;
      b[r] += target * zr;
      for (let c = 0; c <= r; c++) a[r * m + c] += zr * (c < dim ? itemFactors[qo + c] : 1);
    }
  }
  for (let r = 0; r < dim; r++) a[r * m + r] += n * reg;
  // A tiny floor keeps the system positive definite when reg or regBias is 0.
  a[dim * m + dim] += n * regBias + 1e-9;
  for (let r = 0; r < dim; r++) a[r * m + r] += 1e-9;
  choleskySolve(a, m, b);
  return Float32Array.from(b);
}
