/**
 * Sparse × dense product `out = M · D`: `M` is a `numRows × numCols` CSR matrix and `D` a
 * row-major `numCols × width` dense matrix; `out` (row-major `numRows × width`) is overwritten.
 * Each stored entry adds a scaled row of `D` into its output row, so both dense matrices are read
 * and written along contiguous rows. The item × user transpose of a CSR matrix (`transposeCsr`)
 * gives `Mᵀ · D` with the same kernel.
 *
 * Kernel: no checks, no allocation.
 *
 * @param values - The value of each stored entry (aligned with `indices`).
 * @param dense - Row-major `numCols × width`.
 * @param out - Row-major `numRows × width`; overwritten.
 * @example
 * // M = [[1, 0], [2, 3]] as CSR, D = [[1, 1], [0, 1]]
 * const out = new Float64Array(4);
 * csrTimesDense(Int32Array.of(0, 1, 3), Int32Array.of(0, 0, 1), Float32Array.of(1, 2, 3), 2, Float64Array.of(1, 1, 0, 1), 2, out);
 * // out = [1, 1, 2, 5]
 */
export function csrTimesDense(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array | Float64Array,
  numRows: number,
  dense: Float64Array,
  width: number,
  out: Float64Array,
): void {
  out.fill(0, 0, numRows * width);
  for (let r = 0; r < numRows; r++) {
    const o = r * width;
    for (let p = indptr[r], end = indptr[r + 1]; p < end; p++) {
      const v = values[p];
      const d = indices[p] * width;
      for (let f = 0; f < width; f++) out[o + f] += v * dense[d + f];
    }
  }
}
