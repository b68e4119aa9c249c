/**
 * Dense SGD step over `n` values, in place on `param` (and `momentumBuffer`). Same math as
 * `torch.optim.SGD` (single-tensor path):
 *
 * ```
 * d = (maximize ? -g : g) + weightDecay * p
 * if momentumBuffer: b = firstStep ? d : momentum * b + (1 - dampening) * d
 *                    d = nesterov ? d + momentum * b : b
 * p = p - lr * d
 * ```
 *
 * Pass `momentumBuffer = null` for plain SGD (momentum 0). `firstStep` is true on the call that
 * creates the buffer (torch clones `d` into it instead of mixing). No checks, no allocation.
 *
 * @param param - Parameter values, length `n`; updated in place.
 * @param grad - Dense gradient, length `n`; read only.
 * @param momentumBuffer - Momentum buffer, length `n`, or null; updated in place.
 * @returns Nothing: `param` (and `momentumBuffer`) are the outputs.
 * @example
 * sgdUpdateDense(w, g, null, w.length, 0.1, 0, 0, 0, false, false, false); // w -= 0.1 * g
 */
export function sgdUpdateDense(
  param: Float32Array,
  grad: Float32Array,
  momentumBuffer: Float32Array | null,
  n: number,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: boolean,
  maximize: boolean,
  firstStep: boolean,
): void {
  const sign = maximize ? -1 : 1;
  if (momentumBuffer === null) {
    for (let i = 0; i < n; i++) {
      const p = param[i];
      param[i] = p - lr * (sign * grad[i] + weightDecay * p);
    }
    return;
  }
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const p = param[i];
    const d = sign * grad[i] + weightDecay * p;
    momentumBuffer[i] = firstStep ? d : momentum * momentumBuffer[i] + keep * d;
    const b = momentumBuffer[i];
    param[i] = p - lr * (nesterov ? d + momentum * b : b);
  }
}

/**
 * Plain SGD (no momentum) on the rows of a row-sparse gradient, in place:
 * `param[rows[k]] -= lr * ((maximize ? -1 : 1) * values[k] + weightDecay * param[rows[k]])`.
 *
 * Rows may repeat when `weightDecay` is 0 (each entry is scatter-added, as
 * `param.add_(sparse_grad, alpha=-lr)` does in torch). With `weightDecay` != 0 the rows must be
 * unique (coalesced) or the decay would be applied once per duplicate. Only the listed rows are
 * touched: O(nnz × dim).
 *
 * @param param - Row-major `numRows × dim` table; updated in place.
 * @param dim - Values per row.
 * @param rows - Row index of each gradient entry, length `nnz`.
 * @param values - Row-major `nnz × dim` gradient values.
 * @returns Nothing: `param` is the output.
 * @example
 * sgdUpdateRows(table, 4, new Int32Array([2, 2]), g, 0.1, 0, false); // row 2 gets both entries
 */
export function sgdUpdateRows(
  param: Float32Array,
  dim: number,
  rows: Int32Array,
  values: Float32Array,
  lr: number,
  weightDecay: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const nnz = rows.length;
  for (let k = 0; k < nnz; k++) {
    const dst = rows[k] * dim;
    const src = k * dim;
    for (let j = 0; j < dim; j++) {
      const p = param[dst + j];
      param[dst + j] = p - lr * (sign * values[src + j] + weightDecay * p);
    }
  }
}

/**
 * SGD with momentum for a row-sparse gradient, in place. Gives the same result as
 * `torch.optim.SGD(momentum>0)` with a sparse gradient, where the momentum buffer is a sparse
 * tensor that keeps every row ever touched: the buffer of **every** row decays by `momentum`
 * and every row with a non-zero buffer moves, so this pass is O(numRows × dim), not O(nnz).
 *
 * ```
 * d_r = sign * g_r + weightDecay * p_r          (listed rows only; zero elsewhere)
 * b = firstStep ? d : momentum * b + (1 - dampening) * d      (all rows)
 * p = p - lr * (nesterov ? d + momentum * b : b)               (all rows)
 * ```
 *
 * `rows` must be unique (coalesced). `momentumBuffer` is dense (`numRows × dim`) and must be all
 * zeros when `firstStep` is true.
 *
 * @param total - `numRows × dim`, the length of `param` and `momentumBuffer`.
 * @returns Nothing: `param` and `momentumBuffer` are the outputs.
 * @example
 * sgdMomentumUpdateRows(table, dim, table.length, rows, values, buf, 0.1, 0.9, 0, 0, false, false, true);
 */
export function sgdMomentumUpdateRows(
  param: Float32Array,
  dim: number,
  total: number,
  rows: Int32Array,
  values: Float32Array,
  momentumBuffer: Float32Array,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: boolean,
  maximize: boolean,
  firstStep: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const keep = firstStep ? 1 : 1 - dampening;
  if (!firstStep) for (let i = 0; i < total; i++) momentumBuffer[i] *= momentum;
  const nnz = rows.length;
  for (let k = 0; k < nnz; k++) {
    const dst = rows[k] * dim;
    const src = k * dim;
    for (let j = 0; j < dim; j++) {
      const p = param[dst + j];
      const d = sign * values[src + j] + weightDecay * p;
      momentumBuffer[dst + j] += keep * d;
      // Nesterov adds d itself on top of momentum * b; b's part is applied in the pass below.
      if (nesterov) param[dst + j] = p - lr * d;
    }
  }
  const scale = nesterov ? lr * momentum : lr;
  for (let i = 0; i < total; i++) param[i] -= scale * momentumBuffer[i];
}
