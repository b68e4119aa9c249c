/**
 * Scores every item for one user vector: `out[i] = constant + itemBias[i] + ⟨user, itemFactors[i]⟩`.
 * Kernel: no checks, no allocation.
 *
 * @param itemFactors - Row-major `numItems × dim`.
 * @param dim - Factors per row (0 is allowed: biases only).
 * @param user - Holds the user's `dim` factors from `userOffset`.
 * @param userOffset - Offset of the user's factors in `user`.
 * @param itemBias - One bias per item, or null.
 * @param constant - Added to every score (global mean + user bias).
 * @param out - Receives `numItems` scores (its length sets `numItems`).
 * @example
 * scoreItems(Q, 2, P, 2 * u, bi, mu + bu[u], out);
 */
export function scoreItems(
  itemFactors: Float32Array,
  dim: number,
  user: Float32Array,
  userOffset: number,
  itemBias: Float32Array | null,
  constant: number,
  out: Float32Array,
): void {
  const numItems = out.length;
  for (let i = 0; i < numItems; i++) {
    const q = i * dim;
    let s = constant;
    for (let f = 0; f < dim; f++) s += user[userOffset + f] * itemFactors[q + f];
    out[i] = itemBias === null ? s : s + itemBias[i];
  }
}

/**
 * Euclidean norm of each row: `out[r] = ‖table[r]‖₂`. Kernel.
 * @param table - Row-major `out.length × dim`.
 * @example
 * rowNorms(Q, 8, norms);
 */
export function rowNorms(table: Float32Array, dim: number, out: Float32Array): void {
  for (let r = 0; r < out.length; r++) {
    let s = 0;
    const o = r * dim;
    for (let f = 0; f < dim; f++) s += table[o + f] * table[o + f];
    out[r] = Math.sqrt(s);
  }
}

/**
 * Cosine similarity of row `query` with every row: `out[r] = ⟨t[q], t[r]⟩ / (‖t[q]‖ ‖t[r]‖)`, and
 * 0 when either norm is 0. Kernel.
 * @param table - Row-major `out.length × dim`.
 * @param norms - Row norms from {@link rowNorms}.
 * @example
 * cosineScores(Q, 8, norms, 3, out);
 */
export function cosineScores(table: Float32Array, dim: number, norms: Float32Array, query: number, out: Float32Array): void {
  const qo = query * dim;
  const qn = norms[query];
  for (let r = 0; r < out.length; r++) {
    const den = qn * norms[r];
    if (den === 0) {
      out[r] = 0;
      continue;
    }
    const o = r * dim;
    let s = 0;
    for (let f = 0; f < dim; f++) s += table[qo + f] * table[o + f];
    out[r] = s / den;
  }
}
