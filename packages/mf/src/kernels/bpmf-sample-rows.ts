import type { Rng } from '@quiver/base';
import { backSubstituteTransposed, choleskyLower, forwardSubstitute } from './bpmf-triangular.js';

/**
 * BPMF's conditional draw of every row of one side given the other (Salakhutdinov & Mnih 2008,
 * eq. 12), with optional bias dimensions. A row's vector is `x = [w (factors), b]` (`dim =
 * factors + 1` with `bias`, else `dim = factors` and no `b`); the other side's rows `z = [v, c]`
 * likewise, and a rating is modelled as `r ~ N(mu + ⟨w, v⟩ + b + c, 1/alpha)`. With the row's
 * ratings `(j, r)`, the features `φ = [v_j, 1]` and targets `y = r − mu − c_j`, the row is drawn from
 *
 *   `x ~ N(P⁻¹ h, P⁻¹)`,  `P = Λ + alpha Σ φφᵀ`,  `h = Λμ + alpha Σ φ y`,
 *
 * as `P = L Lᵀ`, `x = L⁻ᵀ(L⁻¹h + ε)`, `ε ~ N(0, I)` (`dim` normals per row, rows in order). A
 * row without ratings is drawn from the prior `N(μ, Λ⁻¹)`.
 *
 * Layout: the row's ratings are a CSR (`indptr` over `numRows` rows, `indices` into the other
 * side, `values` the ratings); `other` and `out` are row-major with `dim` columns.
 * Kernel: no checks, no allocation, sums in float64; `out` is overwritten row by row.
 * @param scratch - At least `dim² + 6·dim + 4` doubles.
 * @returns False when a system was not positive definite (only with non-finite inputs).
 * @example
 * bpmfSampleRows(rng, numUsers, ui.indptr, ui.indices, ui.values, V, 33, true, mu, 2, muU, lambdaU, U, scratch);
 */
export function bpmfSampleRows(
  rng: Rng,
  numRows: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  other: Float32Array,
  dim: number,
  bias: boolean,
  globalMean: number,
  alpha: number,
  hyperMean: Float64Array,
  hyperPrecision: Float64Array,
  out: Float32Array,
  scratch: Float64Array,
): boolean {
  const d2 = dim * dim;
  const a = scratch.subarray(0, d2);
  const h = scratch.subarray(d2, d2 + dim);
  const prior = scratch.subarray(d2 + dim, d2 + 2 * dim);
  // Four feature vectors side by side: ratings are taken four at a time (one pass over P's
  // lower triangle per four; a missing fourth is a zero vector with target 0).
  const phi = scratch.subarray(d2 + 2 * dim, d2 + 6 * dim);
  const y = scratch.subarray(d2 + 6 * dim, d2 + 6 * dim + 4);
  const k = bias ? dim - 1 : dim;
  for (let f = 0; f < dim; f++) {
    let s = 0;
    for (let g = 0; g < dim; g++) s += hyperPrecision[f * dim + g] * hyperMean[g];
    prior[f] = s;
  }
  let ok = true;
  for (let r = 0; r < numRows; r++) {
    // a ← Σ φφᵀ (lower triangle), h ← Σ φ y; then P = Λ + alpha·a, h ← Λμ + alpha·h.
    a.fill(0);
    h.fill(0);
    const start = indptr[r];
    const end = indptr[r + 1];
    for (let p = start; p < end; p += 4) {
      for (let q = 0; q < 4; q++) {
        const o = q * dim;
        if (p + q < end) {
          const z = indices[p + q] * dim;
          for (let f = 0; f < k; f++) phi[o + f] = other[z + f];
          if (bias) phi[o + k] = 1;
          y[q] = values[p + q] - globalMean - (bias ? other[z + k] : 0);
        } else {
          for (let f = 0; f < dim; f++) phi[o + f] = 0;
          y[q] = 0;
        }
      }
      const d1 = dim;
      const d2x = 2 * dim;
      const d3 = 3 * dim;
      for (let f = 0; f < dim; f++) {
        const u0 = phi[f];
        const u1 = phi[d1 + f];
        const u2 = phi[d2x + f];
        const u3 = phi[d3 + f];
        h[f] += u0 * y[0] + u1 * y[1] + u2 * y[2] + u3 * y[3];
        const row = f * dim;
        for (let g = 0; g <= f; g++) a[row + g] += u0 * phi[g] + u1 * phi[d1 + g] + u2 * phi[d2x + g] + u3 * phi[d3 + g];
      }
    }
    for (let f = 0; f < dim; f++) {
      const row = f * dim;
      for (let g = 0; g <= f; g++) a[row + g] = hyperPrecision[row + g] + alpha * a[row + g];
      h[f] = prior[f] + alpha * h[f];
    }
    if (!choleskyLower(a, dim)) {
      ok = false;
      continue;
    }
    forwardSubstitute(a, dim, h);
    for (let f = 0; f < dim; f++) h[f] += rng.normal();
    backSubstituteTransposed(a, dim, h);
    const o = r * dim;
    for (let f = 0; f < dim; f++) out[o + f] = h[f];
  }
  return ok;
}

/**
 * The summed squared error `Σ (r − mu − ⟨w_u, v_i⟩ − b_u − c_i)²` of the ratings in a CSR over
 * `rows` (`indptr`, `indices` into `cols`, `values`), for row-major `dim`-column tables laid out
 * as in {@link bpmfSampleRows}. Kernel: no checks, no allocation.
 * @example
 * const sse = bpmfSquaredError(ui.indptr, ui.indices, ui.values, U, V, 33, true, mu);
 */
export function bpmfSquaredError(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  rows: Float32Array,
  cols: Float32Array,
  dim: number,
  bias: boolean,
  globalMean: number,
): number {
  const k = bias ? dim - 1 : dim;
  const numRows = indptr.length - 1;
  let sse = 0;
  for (let r = 0; r < numRows; r++) {
    const ro = r * dim;
    const rb = bias ? rows[ro + k] : 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const co = indices[p] * dim;
      let s = globalMean + rb + (bias ? cols[co + k] : 0);
      for (let f = 0; f < k; f++) s += rows[ro + f] * cols[co + f];
      const e = values[p] - s;
      sse += e * e;
    }
  }
  return sse;
}
