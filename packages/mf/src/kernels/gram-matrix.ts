/**
 * `out = Yᵀ Y + reg · I` for a row-major `numRows × dim` table `Y` (ALS precomputes it once per
 * half-sweep). Accumulates in float64. Kernel: no checks, no allocation.
 *
 * @param out - Receives the symmetric `dim × dim` matrix, row-major.
 * @example
 * gramMatrix(itemFactors, numItems, 64, 0.01, yty);
 */
export function gramMatrix(table: Float32Array, numRows: number, dim: number, reg: number, out: Float64Array): void {
  out.fill(0, 0, dim * dim);
  for (let r = 0; r < numRows; r++) {
    const o = r * dim;
    for (let a = 0; a < dim; a++) {
      const va = table[o + a];
      if (va === 0) continue;
      const row = a * dim;
      for (let b = a; b < dim; b++) out[row + b] += va * table[o + b];
    }
  }
  for (let a = 0; a < dim; a++) {
    out[a * dim + a] += reg;
    for (let b = a + 1; b < dim; b++) out[b * dim + a] = out[a * dim + b];
  }
}
