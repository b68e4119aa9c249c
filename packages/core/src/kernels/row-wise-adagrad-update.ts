/**
 * Row-wise Adagrad, in place: one accumulator per row, fed the mean of the row's squared
 * gradient. Same math as FBGEMM's `rowwise_adagrad` (TorchRec `EXACT_ROWWISE_ADAGRAD`, L2
 * weight decay mode):
 *
 * ```
 * g = (maximize ? -grad_r : grad_r) + weightDecay * p_r       (a row of dim values)
 * rowSum[r] += mean(g * g)
 * p_r -= clr / (sqrt(rowSum[r]) + eps) * g
 * ```
 *
 * With `rows` null the gradient is dense: entry `k` is row `k` (`count` = numRows). Otherwise
 * `rows` lists the rows of a coalesced (unique) sparse gradient and only those rows are read or
 * written: O(count × dim). No checks, no allocation.
 *
 * @param param - Row-major `numRows × dim` table; updated in place.
 * @param rows - Unique row indices, length `count`, or null for a dense gradient.
 * @param values - Row-major `count × dim` gradient values.
 * @param rowSum - One accumulator per row, length `numRows`; updated in place.
 * @returns Nothing: `param` and `rowSum` are the outputs.
 * @example
 * rowWiseAdagradUpdate(table, 16, rows, values, rows.length, rowSum, 0.01, 0, 1e-10, false);
 */
export function rowWiseAdagradUpdate(
  param: Float32Array,
  dim: number,
  rows: Int32Array | null,
  values: Float32Array,
  count: number,
  rowSum: Float32Array,
  clr: number,
  weightDecay: number,
  eps: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  for (let k = 0; k < count; k++) {
    const r = rows === null ? k : rows[k];
    const dst = r * dim;
    const src = k * dim;
    let sq = 0;
    for (let j = 0; j < dim; j++) {
      const g = sign * values[src + j] + weightDecay * param[dst + j];
      sq += g * g;
    }
    rowSum[r] += sq / dim;
    const mult = clr / (Math.sqrt(rowSum[r]) + eps);
    for (let j = 0; j < dim; j++) {
      const p = param[dst + j];
      param[dst + j] = p - mult * (sign * values[src + j] + weightDecay * p);
    }
  }
}
