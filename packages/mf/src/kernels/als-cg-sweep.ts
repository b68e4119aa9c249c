/**
 * One ALS half-sweep with the conjugate-gradient solver of implicit (Takács et al.): for each
 * row `u` of `X`, runs `cgSteps` CG iterations, warm-started from the current `X[u]`, on
 * `(YᵀY + reg I + λᵤ I + Σᵢ (cᵤᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵤᵢ yᵢ`, where `i` runs over row `u` of the
 * CSR matrix (`indptr`, `indices`) and `cᵤᵢ = confidence[p]` (Hu, Koren & Volinsky). `YᵀY + reg I`
 * is given precomputed (see `gramMatrix`), the `Σ (c − 1) y yᵀ` term is applied as
 * matrix-vector products, never formed, and `λᵤ = rowReg[u]` is the row's own ridge term
 * (frequency-scaled regularisation, Rendle et al. 2022), 0 for every row when `rowReg` is null.
 * Each CG step costs O(dim² + nᵤ · dim): one product with the dense `YᵀY` and two passes over
 * the row's entries.
 *
 * A row without entries gets its exact solution, 0, directly. Entries with confidence exactly 1
 * add nothing to the `Σ (c − 1) y yᵀ` term and are skipped there (and need no dot product in the
 * residual), which gives the same result with less work.
 *
 * Kernel: updates `X` in place, no checks, no allocation (scratch is caller-provided).
 *
 * @param yty - `YᵀY + reg I`, row-major `dim × dim`.
 * @param scratch - At least `4 × dim` float64 values.
 * @param rowReg - `numRows` per-row ridge terms `λᵤ` added to the diagonal, or null for none.
 * @example
 * alsCgSweep(userItems.indptr, userItems.indices, conf, Q, P, numUsers, 64, yty, 3, scratch);
 */
export function alsCgSweep(
  indptr: Int32Array,
  indices: Int32Array,
  confidence: Float32Array,
  Y: Float32Array,
  X: Float32Array,
  numRows: number,
  dim: number,
  yty: Float64Array,
  cgSteps: number,
  scratch: Float64Array,
  rowReg: Float64Array | null = null,
): void {
  const x = scratch.subarray(0, dim);
  const r = scratch.subarray(dim, 2 * dim);
  const p = scratch.subarray(2 * dim, 3 * dim);
  const ap = scratch.subarray(3 * dim, 4 * dim);
  for (let u = 0; u < numRows; u++) {
    const xo = u * dim;
    if (indptr[u] === indptr[u + 1]) {
      // No entries: b = 0, so the exact solution is 0 (CG would only creep towards it).
      X.fill(0, xo, xo + dim);
      continue;
    }
    for (let f = 0; f < dim; f++) x[f] = X[xo + f];
    const lambda = rowReg === null ? 0 : rowReg[u];
    // r = b − A x
    matVec(yty, dim, x, r);
    if (lambda !== 0) for (let f = 0; f < dim; f++) r[f] += lambda * x[f];
    for (let f = 0; f < dim; f++) r[f] = -r[f];
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const yo = indices[q] * dim;
      const c = confidence[q];
      let w = c;
      if (c !== 1) {
        let dot = 0;
        for (let f = 0; f < dim; f++) dot += Y[yo + f] * x[f];
        w = c - (c - 1) * dot;
      }
      for (let f = 0; f < dim; f++) r[f] += w * Y[yo + f];
    }
    let rsOld = 0;
    for (let f = 0; f < dim; f++) {
      p[f] = r[f];
      rsOld += r[f] * r[f];
    }
    if (rsOld < 1e-20) continue;
    for (let it = 0; it < cgSteps; it++) {
      // ap = A p
      matVec(yty, dim, p, ap);
      if (lambda !== 0) for (let f = 0; f < dim; f++) ap[f] += lambda * p[f];
      for (let q = indptr[u]; q < indptr[u + 1]; q++) {
        const c1 = confidence[q] - 1;
        if (c1 === 0) continue;
        const yo = indices[q] * dim;
        let dot = 0;
        for (let f = 0; f < dim; f++) dot += Y[yo + f] * p[f];
        const w = c1 * dot;
        for (let f = 0; f < dim; f++) ap[f] += w * Y[yo + f];
      }
      let pAp = 0;
      for (let f = 0; f < dim; f++) pAp += p[f] * ap[f];
      const alpha = rsOld / pAp;
      let rsNew = 0;
      for (let f = 0; f < dim; f++) {
        x[f] += alpha * p[f];
        r[f] -= alpha * ap[f];
        rsNew += r[f] * r[f];
      }
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      for (let f = 0; f < dim; f++) p[f] = r[f] + beta * p[f];
      rsOld = rsNew;
    }
    for (let f = 0; f < dim; f++) X[xo + f] = x[f];
  }
}

/** `out = M v` for a row-major `dim × dim` matrix, with four partial sums per row. */
function matVec(m: Float64Array, dim: number, v: Float64Array, out: Float64Array): void {
  const dim4 = dim & ~3;
  for (let a = 0; a < dim; a++) {
    const row = a * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let b = 0;
    for (; b < dim4; b += 4) {
      s0 += m[row + b] * v[b];
      s1 += m[row + b + 1] * v[b + 1];
      s2 += m[row + b + 2] * v[b + 2];
      s3 += m[row + b + 3] * v[b + 3];
    }
    for (; b < dim; b++) s0 += m[row + b] * v[b];
    out[a] = s0 + s1 + s2 + s3;
  }
}
