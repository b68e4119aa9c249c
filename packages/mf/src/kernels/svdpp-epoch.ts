/**
 * SVD++ (Koren 2008, "Factorization meets the neighborhood"; Surprise's `SVDpp`) scores
 *
 *   `r̂ᵤᵢ = mu + bᵤ + bᵢ + ⟨qᵢ, zᵤ⟩`,  `zᵤ = pᵤ + |N(u)|^-½ Σ_{j∈N(u)} yⱼ`,
 *
 * where `N(u)` is the list of items the user rated in training (implicit feedback). Each rating
 * `(u, i, r)` carries the loss
 *
 *   `½e² + ½reg(‖pᵤ‖² + ‖qᵢ‖²) + ½regBias(bᵤ² + bᵢ²) + ½regImplicit Σ_{j∈N(u)} ‖yⱼ‖²`,  `e = r − r̂ᵤᵢ`
 *
 * (Surprise's), so one user's ratings carry `n = |N(u)|` copies of the `yⱼ` term.
 *
 * Layout: ratings are grouped by user (`indptr` over users, `items` / `ratings` in that order);
 * tables are row-major `rows × dim`. Kernels: no checks, no allocation, tables updated in place.
 */

/**
 * One epoch of SVD++ SGD in the per-user ("fast SVD++", LIBMF-style) schedule: users in the
 * order of `users`; for each user the implicit part `s Σⱼ yⱼ` (`s = n^-½`) is summed once, then
 * the user's ratings take per-rating SGD steps on `bᵤ, bᵢ, pᵤ, qᵢ` (from the values before the
 * step, with `zᵤ` from the current `pᵤ` and the fixed implicit part), while the `yⱼ` gradient
 * `−s Σᵢ e qᵢ` is accumulated; at the end of the user every `yⱼ, j ∈ N(u)` is updated once:
 * `yⱼ ← (1 − lr·regImplicit)ⁿ yⱼ + lr·s Σᵢ e qᵢ` (the decay of the user's n per-rating
 * regularisation steps). Each rating costs O(dim) instead of Surprise's O(n·dim).
 *
 * @param scratch - At least `2 · dim` doubles (the implicit part and the accumulated gradient).
 * @param stats - Receives `[sum of e², number of ratings]` (each error measured before its step).
 * @example
 * svdppEpoch(order, indptr, items, ratings, mu, P, Q, Y, bu, bi, 64, 0.007, 0.007, 0.02, 0.02, 0.02, scratch, stats);
 */
export function svdppEpoch(
  users: Int32Array,
  indptr: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  globalMean: number,
  userFactors: Float32Array,
  itemFactors: Float32Array,
  implicitFactors: Float32Array,
  userBias: Float32Array,
  itemBias: Float32Array,
  dim: number,
  lr: number,
  lrBias: number,
  reg: number,
  regBias: number,
  regImplicit: number,
  scratch: Float64Array,
  stats: Float64Array,
): void {
  const P = userFactors;
  const Q = itemFactors;
  const Y = implicitFactors;
  let sse = 0;
  let count = 0;
  for (let t = 0; t < users.length; t++) {
    const u = users[t];
    const start = indptr[u];
    const end = indptr[u + 1];
    const n = end - start;
    if (n === 0) continue;
    const s = 1 / Math.sqrt(n);
    // scratch[0..dim): the implicit part s Σ y_j; scratch[dim..2dim): Σ e q_i.
    for (let f = 0; f < 2 * dim; f++) scratch[f] = 0;
    for (let p = start; p < end; p++) {
      const yo = items[p] * dim;
      for (let f = 0; f < dim; f++) scratch[f] += Y[yo + f];
    }
    for (let f = 0; f < dim; f++) scratch[f] *= s;
    const po = u * dim;
    for (let p = start; p < end; p++) {
      const i = items[p];
      const qo = i * dim;
      let dot = 0;
      for (let f = 0; f < dim; f++) dot += Q[qo + f] * (P[po + f] + scratch[f]);
      const e = ratings[p] - (globalMean + userBias[u] + itemBias[i] + dot);
      sse += e * e;
      userBias[u] += lrBias * (e - regBias * userBias[u]);
      itemBias[i] += lrBias * (e - regBias * itemBias[i]);
      for (let f = 0; f < dim; f++) {
        const pf = P[po + f];
        const qf = Q[qo + f];
        P[po + f] = pf + lr * (e * qf - reg * pf);
        Q[qo + f] = qf + lr * (e * (pf + scratch[f]) - reg * qf);
        scratch[dim + f] += e * qf;
      }
    }
    count += n;
    const decay = (1 - lr * regImplicit) ** n;
    const g = lr * s;
    for (let p = start; p < end; p++) {
      const yo = items[p] * dim;
      for (let f = 0; f < dim; f++) Y[yo + f] = decay * Y[yo + f] + g * scratch[dim + f];
    }
  }
  stats[0] = sse;
  stats[1] = count;
}

/**
 * The effective user vectors `zᵤ = pᵤ + |N(u)|^-½ Σ_{j∈N(u)} yⱼ` of every user into `out`
 * (row-major `numUsers × dim`, `numUsers = indptr.length − 1`); a user without ratings gets `pᵤ`.
 * Summed in float64, rounded once.
 * @param scratch - At least `dim` doubles.
 * @example
 * svdppUserVectors(indptr, items, P, Y, 64, Z, scratch); // Z scores as a biased MF's user table
 */
export function svdppUserVectors(
  indptr: Int32Array,
  items: Int32Array,
  userFactors: Float32Array,
  implicitFactors: Float32Array,
  dim: number,
  out: Float32Array,
  scratch: Float64Array,
): void {
  const numUsers = indptr.length - 1;
  for (let u = 0; u < numUsers; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    for (let f = 0; f < dim; f++) scratch[f] = 0;
    for (let p = start; p < end; p++) {
      const yo = items[p] * dim;
      for (let f = 0; f < dim; f++) scratch[f] += implicitFactors[yo + f];
    }
    const s = end > start ? 1 / Math.sqrt(end - start) : 0;
    const o = u * dim;
    for (let f = 0; f < dim; f++) out[o + f] = userFactors[o + f] + s * scratch[f];
  }
}
