/**
 * Lazy Adam on the rows of a coalesced row-sparse gradient, in place. Same math as
 * `torch.optim.SparseAdam` (`torch.optim._functional.sparse_adam`): only the listed rows of the
 * moments and the parameter are read or written (O(nnz × dim)), and the bias correction uses
 * the parameter's single step count `step` (not a per-row count):
 *
 * ```
 * m_r += (1 - beta1) * (g_r - m_r)
 * v_r += (1 - beta2) * (g_r² - v_r)
 * p_r -= lr * sqrt(1 - beta2^step) / (1 - beta1^step) * m_r / (sqrt(v_r) + eps)
 * ```
 *
 * Note `eps` is added to `sqrt(v)` before the bias correction, as torch does. `rows` must be
 * unique: the update is non-linear in the gradient.
 *
 * @param param - Row-major `numRows × dim` table; updated in place.
 * @param expAvg - Row-major `numRows × dim` first moment; updated in place.
 * @param expAvgSq - Row-major `numRows × dim` second moment; updated in place.
 * @returns Nothing: `param` and the moments are the outputs.
 * @example
 * sparseAdamUpdateRows(table, 8, rows, values, m, v, 1e-3, 0.9, 0.999, 1e-8, 1, false);
 */
export function sparseAdamUpdateRows(
  param: Float32Array,
  dim: number,
  rows: Int32Array,
  values: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  step: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const stepSize = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const nnz = rows.length;
  for (let k = 0; k < nnz; k++) {
    const dst = rows[k] * dim;
    const src = k * dim;
    for (let j = 0; j < dim; j++) {
      const g = sign * values[src + j];
      const m = expAvg[dst + j];
      const v = expAvgSq[dst + j];
      expAvg[dst + j] = m + c1 * (g - m);
      expAvgSq[dst + j] = v + c2 * (g * g - v);
      param[dst + j] -= (stepSize * expAvg[dst + j]) / (Math.sqrt(expAvgSq[dst + j]) + eps);
    }
  }
}
