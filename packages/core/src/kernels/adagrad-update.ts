/**
 * Dense Adagrad step over `n` values, in place. Same math as `torch.optim.Adagrad`:
 *
 * ```
 * g = (maximize ? -grad : grad) + weightDecay * p
 * sum += g * g
 * p -= clr * g / (sqrt(sum) + eps)
 * ```
 *
 * `clr` is the decayed rate `lr / (1 + (step - 1) * lrDecay)`, computed by the caller.
 *
 * @param param - Parameter values, length `n`; updated in place.
 * @param grad - Dense gradient, length `n`.
 * @param sum - Accumulated squared gradients, length `n`; updated in place.
 * @returns Nothing: `param` and `sum` are the outputs.
 * @example
 * adagradUpdateDense(w, g, sum, w.length, 0.01, 0, 1e-10, false);
 */
export function adagradUpdateDense(
  param: Float32Array,
  grad: Float32Array,
  sum: Float32Array,
  n: number,
  clr: number,
  weightDecay: number,
  eps: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const p = param[i];
    const g = sign * grad[i] + weightDecay * p;
    sum[i] += g * g;
    param[i] = p - (clr * g) / (Math.sqrt(sum[i]) + eps);
  }
}

/**
 * Adagrad on the rows of a coalesced row-sparse gradient, in place; only the listed rows of
 * `param` and `sum` are read or written (O(nnz × dim)). Same as torch's sparse Adagrad branch
 * (`sum.add_(g²)`, `p.add_(g / (sqrt(sum.sparse_mask(g)) + eps), alpha=-clr)`).
 *
 * `rows` must be unique: the update is non-linear in the gradient.
 *
 * @param param - Row-major `numRows × dim` table; updated in place.
 * @param sum - Row-major `numRows × dim` accumulator; updated in place.
 * @returns Nothing: `param` and `sum` are the outputs.
 * @example
 * adagradUpdateRows(table, 8, new Int32Array([3, 7]), g, sum, 0.01, 1e-10, false);
 */
export function adagradUpdateRows(
  param: Float32Array,
  dim: number,
  rows: Int32Array,
  values: Float32Array,
  sum: Float32Array,
  clr: number,
  eps: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const nnz = rows.length;
  for (let k = 0; k < nnz; k++) {
    const dst = rows[k] * dim;
    const src = k * dim;
    for (let j = 0; j < dim; j++) {
      const g = sign * values[src + j];
      sum[dst + j] += g * g;
      param[dst + j] -= (clr * g) / (Math.sqrt(sum[dst + j]) + eps);
    }
  }
}
