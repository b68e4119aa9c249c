import { choleskySolve } from './cholesky.js';

/**
 * One exact ALS half-sweep: for each row `u` of `X`, solves
 * `(YᵀY + reg I + λᵤ I + Σᵢ (cᵤᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵤᵢ yᵢ` by Cholesky factorisation (`i` over
 * row `u` of the CSR matrix, `cᵤᵢ = confidence[p]`), the closed form of Hu, Koren & Volinsky;
 * `λᵤ = rowReg[u]` is the row's own ridge term (0 when `rowReg` is null). O(nᵤ dim² + dim³) per row.
 *
 * Kernel: overwrites `X` in place, no checks, no allocation.
 *
 * @param yty - `YᵀY + reg I`, row-major `dim × dim`.
 * @param scratch - At least `dim² + dim` float64 values.
 * @param rowReg - `numRows` per-row ridge terms `λᵤ` added to the diagonal, or null for none.
 * @example
 * alsCholeskySweep(userItems.indptr, userItems.indices, conf, Q, P, numUsers, 64, yty, scratch);
 */
export function alsCholeskySweep(
  indptr: Int32Array,
  indices: Int32Array,
  confidence: Float32Array,
  Y: Float32Array,
  X: Float32Array,
  numRows: number,
  dim: number,
  yty: Float64Array,
  scratch: Float64Array,
  rowReg: Float64Array | null = null,
): void {
  const a = scratch.subarray(0, dim * dim);
  const b = scratch.subarray(dim * dim, dim * dim + dim);
  for (let u = 0; u < numRows; u++) {
    if (indptr[u] === indptr[u + 1]) {
      X.fill(0, u * dim, (u + 1) * dim); // b = 0: the solution is 0
      continue;
    }
    alsSolveRow(indptr[u], indptr[u + 1], indices, confidence, Y, dim, yty, a, b, rowReg === null ? 0 : rowReg[u]);
    const xo = u * dim;
    for (let f = 0; f < dim; f++) X[xo + f] = b[f];
  }
}

/**
 * Builds and solves the ALS system of one row whose entries are `indices[start..end)` with
 * confidences `confidence[start..end)`, `(yty + lambda I + Σ (c − 1) y yᵀ) x = Σ c y`; the
 * solution is left in `b`. Kernel.
 * @param lambda - The row's own ridge term, added to the diagonal of `yty`.
 * @example
 * alsSolveRow(0, items.length, items, conf, Q, 64, yty, a, b);
 */
export function alsSolveRow(
  start: number,
  end: number,
  indices: Int32Array,
  confidence: Float32Array,
  Y: Float32Array,
  dim: number,
  yty: Float64Array,
  a: Float64Array,
  b: Float64Array,
  lambda = 0,
): void {
  a.set(yty.subarray(0, dim * dim));
  if (lambda !== 0) for (let i = 0; i < dim; i++) a[i * dim + i] += lambda;
  b.fill(0, 0, dim);
  for (let q = start; q < end; q++) {
    const yo = indices[q] * dim;
    const c = confidence[q];
    const c1 = c - 1;
    for (let i = 0; i < dim; i++) {
      const yi = Y[yo + i];
      b[i] += c * yi;
      if (c1 === 0) continue;
      const w = c1 * yi;
      const row = i * dim;
      for (let j = 0; j <= i; j++) a[row + j] += w * Y[yo + j];
    }
  }
  // choleskySolve reads the lower triangle only.
  choleskySolve(a, dim, b);
}
