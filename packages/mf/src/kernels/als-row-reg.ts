/**
 * Frequency-scaled ridge terms of ALS (Rendle, Krichene, Zhang & Koren 2022): for each row `u`
 * of a CSR confidence matrix, `out[u] = scale · wᵤ^exponent` with
 * `wᵤ = numCols + Σᵢ (cᵤᵢ − 1)`, the row's total weight in the loss (every one of the `numCols`
 * pairs weighs 1, an observed one `cᵤᵢ = confidence[p]`). With `cᵤᵢ = 1 + 1/α₀` for binary
 * data this is `(nᵤ + α₀ · numCols) / α₀`, Rendle's `|Iᵤ| + α₀|I|` up to the factor `α₀`.
 *
 * Kernel: no checks, no allocation; the terms depend on the data only, so ALS computes them once.
 *
 * @param out - Receives `numRows` ridge terms.
 * @example
 * alsRowReg(ui.indptr, conf, numUsers, numItems, 0.001, 1, userReg);
 */
export function alsRowReg(
  indptr: Int32Array,
  confidence: Float32Array,
  numRows: number,
  numCols: number,
  scale: number,
  exponent: number,
  out: Float64Array,
): void {
  for (let u = 0; u < numRows; u++) {
    let w = numCols;
    for (let q = indptr[u]; q < indptr[u + 1]; q++) w += confidence[q] - 1;
    out[u] = scale * Math.pow(w, exponent);
  }
}
