/**
 * The weighted loss ALS minimises, as implicit reports it:
 * `(Σᵤᵢ cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + Σᵤ (reg + λᵤ) ‖xᵤ‖² + Σᵢ (reg + λᵢ) ‖yᵢ‖²) / (Σ c + numRows·numCols − nnz)`,
 * where unobserved pairs have `c = 1, p = 0` and observed ones `p = 1`, and `λᵤ = rowReg[u]`,
 * `λᵢ = colReg[i]` are per-row ridge terms (frequency-scaled regularisation; 0 when null).
 * Computed in O(nnz · dim + numRows · dim²) using `YᵀY`, without visiting every pair.
 *
 * Kernel: no checks, no allocation.
 *
 * @param gram - `YᵀY` without the ridge term, row-major `dim × dim`.
 * @param scratch - At least `dim` float64 values.
 * @param rowReg - `numRows` ridge terms of the rows of `X`, or null for none.
 * @param colReg - `numCols` ridge terms of the rows of `Y`, or null for none.
 * @returns The loss.
 * @example
 * const loss = alsLoss(ui.indptr, ui.indices, conf, P, Q, nu, ni, 64, 0.01, gram, scratch);
 */
export function alsLoss(
  indptr: Int32Array,
  indices: Int32Array,
  confidence: Float32Array,
  X: Float32Array,
  Y: Float32Array,
  numRows: number,
  numCols: number,
  dim: number,
  reg: number,
  gram: Float64Array,
  scratch: Float64Array,
  rowReg: Float64Array | null = null,
  colReg: Float64Array | null = null,
): number {
  let loss = 0;
  let totalConfidence = 0;
  let xNorm = 0;
  let yNorm = 0;
  let perRow = 0;
  const gx = scratch.subarray(0, dim);
  for (let u = 0; u < numRows; u++) {
    const xo = u * dim;
    // Σ over all items of (x·y)² = xᵀ (YᵀY) x.
    let all = 0;
    for (let a = 0; a < dim; a++) {
      let s = 0;
      const row = a * dim;
      for (let b = 0; b < dim; b++) s += gram[row + b] * X[xo + b];
      gx[a] = s;
      all += s * X[xo + a];
      xNorm += X[xo + a] * X[xo + a];
    }
    loss += all;
    if (rowReg !== null) {
      let n2 = 0;
      for (let f = 0; f < dim; f++) n2 += X[xo + f] * X[xo + f];
      perRow += rowReg[u] * n2;
    }
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const yo = indices[q] * dim;
      const c = confidence[q];
      let pred = 0;
      for (let f = 0; f < dim; f++) pred += X[xo + f] * Y[yo + f];
      // Replace the unobserved term pred² by c (1 − pred)².
      loss += c * (1 - pred) * (1 - pred) - pred * pred;
      totalConfidence += c;
    }
  }
  for (let k = 0; k < numCols * dim; k++) yNorm += Y[k] * Y[k];
  loss += reg * (xNorm + yNorm);
  if (colReg !== null) {
    for (let i = 0; i < numCols; i++) {
      let n2 = 0;
      for (let f = i * dim; f < (i + 1) * dim; f++) n2 += Y[f] * Y[f];
      perRow += colReg[i] * n2;
    }
  }
  if (rowReg !== null || colReg !== null) loss += perRow;
  return loss / (totalConfidence + numRows * numCols - indptr[numRows]);
}
