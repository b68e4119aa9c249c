/**
 * Kernel: the Euclidean norm of each row of a row-major `numItems × dim` matrix, into `out`
 * (length numItems), accumulated in double precision. No checks, no allocation.
 * @example
 * itemNorms(Float32Array.of(3, 4, 0, 0), 2, out); // out = [5, 0]
 */
export function itemNorms(vectors: Float32Array, dim: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    const base = i * dim;
    for (let c = 0; c < dim; c++) s += vectors[base + c] * vectors[base + c];
    out[i] = Math.sqrt(s);
  }
}

/**
 * Intra-list diversity kernel over item embeddings: the mean, over the unordered pairs of
 * non-padding entries of the list `ids[offset..offset+k)`, of `1 − cos(v_i, v_j)`, with
 * `cos = v_i · v_j / (|v_i| |v_j|)` and a zero vector similar to nothing (cos 0).
 * `vectors` is row-major `numItems × dim`; `norms` holds each row's norm (`itemNorms`).
 * Ids < 0 are padding. No checks, no allocation.
 * @returns The mean distance, in [0, 2]; NaN when the list has fewer than 2 items.
 * @example
 * cosineListDiversity(Int32Array.of(0, 1), 0, 2, Float32Array.of(1, 0, 0, 1), 2, Float64Array.of(1, 1)); // 1
 */
export function cosineListDiversity(ids: Int32Array, offset: number, k: number, vectors: Float32Array, dim: number, norms: Float64Array): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < k; a++) {
    const i = ids[offset + a];
    if (i < 0) continue;
    for (let b = a + 1; b < k; b++) {
      const j = ids[offset + b];
      if (j < 0) continue;
      const denominator = norms[i] * norms[j];
      let sim = 0;
      if (denominator > 0) {
        let dot = 0;
        const bi = i * dim;
        const bj = j * dim;
        for (let c = 0; c < dim; c++) dot += vectors[bi + c] * vectors[bj + c];
        sim = dot / denominator;
      }
      sum += 1 - sim;
      pairs++;
    }
  }
  return pairs === 0 ? NaN : sum / pairs;
}

/**
 * Intra-list diversity kernel over item feature sets (a CSR: item `i`'s features are
 * `indices[indptr[i]..indptr[i+1])`, sorted ascending without duplicates): the mean, over the
 * unordered pairs of non-padding entries of `ids[offset..offset+k)`, of `1 − J(i, j)` with the
 * Jaccard similarity `J = |F_i ∩ F_j| / |F_i ∪ F_j|`, and `J = 0` when both sets are empty.
 * Ids < 0 are padding. No checks, no allocation (the intersection is a merge of sorted rows).
 * @returns The mean distance, in [0, 1]; NaN when the list has fewer than 2 items.
 * @example
 * // item 0 = {1, 2}, item 1 = {2, 3}: J = 1/3, distance 2/3
 * jaccardListDiversity(Int32Array.of(0, 1), 0, 2, Int32Array.of(0, 2, 4), Int32Array.of(1, 2, 2, 3)); // 0.666…
 */
export function jaccardListDiversity(ids: Int32Array, offset: number, k: number, indptr: Int32Array, indices: Int32Array): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < k; a++) {
    const i = ids[offset + a];
    if (i < 0) continue;
    for (let b = a + 1; b < k; b++) {
      const j = ids[offset + b];
      if (j < 0) continue;
      let p = indptr[i];
      const pEnd = indptr[i + 1];
      let q = indptr[j];
      const qEnd = indptr[j + 1];
      const union0 = pEnd - p + (qEnd - q);
      let inter = 0;
      while (p < pEnd && q < qEnd) {
        const x = indices[p];
        const y = indices[q];
        if (x === y) {
          inter++;
          p++;
          q++;
        } else if (x < y) p++;
        else q++;
      }
      const union = union0 - inter;
      sum += union === 0 ? 1 : 1 - inter / union;
      pairs++;
    }
  }
  return pairs === 0 ? NaN : sum / pairs;
}
