import { csrTimesDense } from './csr-times-dense.js';
import { orthonormalizeColumns } from './qr-orthonormalize.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Eigenvalues of `B Bᵀ` below this share of the largest give singular value 0 (their vectors are rounding noise). */
export const NEGLIGIBLE_EIGENVALUE = 1e-13;

/**
 * The leading singular values and right singular vectors of a sparse `numRows × numCols`
 * matrix `X` by randomized subspace iteration (Halko, Martinsson & Tropp 2011, Algorithms 4.4
 * and 5.1):
 *
 * 1. `Y = X Ω` for the caller's `numCols × width` test matrix `Ω` (Gaussian for the usual
 *    guarantees; `width` = rank + oversamples), `Q = orth(Y)`;
 * 2. `powerIterations` times: `Q = orth(X orth(Xᵀ Q))` (re-orthonormalised between the
 *    products, so the small singular directions are not lost to rounding);
 * 3. `Bᵀ = Xᵀ Q` (`numCols × width`), the small symmetric eigen-problem `B Bᵀ = Û Λ Ûᵀ` (Jacobi),
 *    `σ = √λ` and `V = Bᵀ Û Σ⁻¹`.
 *
 * `X` is given twice, as CSR (`rowPtr` …) and as its transpose (`colPtr` …, from `transposeCsr`),
 * so that both products read contiguous rows. The singular values come out largest first;
 * `outV` (row-major `numCols × rank`) holds the matching orthonormal right singular vectors
 * as columns. Components the sketch cannot hold (`rank > width`) and those whose eigenvalue is
 * below {@link NEGLIGIBLE_EIGENVALUE} of the largest (rank-deficient `X`) get σ = 0 and a zero
 * column. Everything is computed in float64.
 *
 * Kernel: no checks; allocates its work matrices (`numRows × width`, `numCols × width` and
 * `width × width` float64) once per call, nothing inside the loops.
 *
 * @param sketch - Row-major `numCols × width`: the test matrix Ω; overwritten (used as scratch).
 * @param width - Columns of the sketch; at most `min(numRows, numCols)` is useful.
 * @param outValues - Receives the `rank` largest singular values, descending.
 * @param outV - Row-major `numCols × rank`; receives the right singular vectors as columns.
 * @example
 * const omega = new Float64Array(numItems * 20).map(() => rng.normal());
 * randomizedSvd(x.indptr, x.indices, x.values, xt.indptr, xt.indices, xt.values, numUsers, numItems, omega, 20, 2, 10, sigma, v);
 */
export function randomizedSvd(
  rowPtr: Int32Array,
  rowCols: Int32Array,
  rowVals: Float32Array | Float64Array,
  colPtr: Int32Array,
  colRows: Int32Array,
  colVals: Float32Array | Float64Array,
  numRows: number,
  numCols: number,
  sketch: Float64Array,
  width: number,
  powerIterations: number,
  rank: number,
  outValues: Float64Array,
  outV: Float64Array,
): void {
  const l = width;
  const y = new Float64Array(numRows * l);
  const dots = new Float64Array(l);
  // Y = X Ω, Q = orth(Y).
  csrTimesDense(rowPtr, rowCols, rowVals, numRows, sketch, l, y);
  orthonormalizeColumns(y, numRows, l, dots);
  const z = sketch; // numCols × l: Ω is no longer needed
  for (let q = 0; q < powerIterations; q++) {
    csrTimesDense(colPtr, colRows, colVals, numCols, y, l, z);
    orthonormalizeColumns(z, numCols, l, dots);
    csrTimesDense(rowPtr, rowCols, rowVals, numRows, z, l, y);
    orthonormalizeColumns(y, numRows, l, dots);
  }
  // Bᵀ = Xᵀ Q and the Gram matrix B Bᵀ = (Bᵀ)ᵀ Bᵀ.
  csrTimesDense(colPtr, colRows, colVals, numCols, y, l, z);
  const gram = new Float64Array(l * l);
  for (let r = 0, o = 0; r < numCols; r++, o += l) {
    for (let a = 0; a < l; a++) {
      const za = z[o + a];
      if (za === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += za * z[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  const lambda = new Float64Array(l);
  const u = new Float64Array(l * l);
  symmetricEigen(gram, l, lambda, u);
  // V = Bᵀ Û Σ⁻¹, column by column (the first `rank` only).
  outV.fill(0, 0, numCols * rank);
  outValues.fill(0, 0, rank);
  const cutoff = Math.max(lambda[0], 0) * NEGLIGIBLE_EIGENVALUE;
  const kept = Math.min(rank, l);
  for (let c = 0; c < kept; c++) {
    if (!(lambda[c] > cutoff)) break;
    const sigma = Math.sqrt(lambda[c]);
    outValues[c] = sigma;
    for (let a = 0; a < l; a++) dots[a] = u[a * l + c] / sigma;
    for (let r = 0, o = 0; r < numCols; r++, o += l) {
      let s = 0;
      for (let a = 0; a < l; a++) s += z[o + a] * dots[a];
      outV[r * rank + c] = s;
    }
  }
}
