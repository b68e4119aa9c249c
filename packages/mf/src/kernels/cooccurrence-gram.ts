/**
 * The lower triangle (diagonal included) of the item × item co-occurrence matrix `G = XᵀX` of a
 * binary user × item matrix `X` given as CSR rows (`indptr`, `indices`, each row's ids distinct
 * and ascending, as `buildCsr` with `duplicates: 'sum'` makes them), added into the row-major
 * `n × n` array `out`: `G[a][b]` is the number of users with both `a` and `b` (`G[a][a]` the
 * item's number of users). Each user costs `|items|² / 2`. The upper triangle is not written.
 *
 * Kernel: no checks, no allocation.
 * @example
 * const g = new Float64Array(n * n);
 * cooccurrenceGram(userItems.indptr, userItems.indices, numUsers, n, g); // then easeWeights(g, n, lambda)
 */
export function cooccurrenceGram(indptr: Int32Array, indices: Int32Array, numRows: number, n: number, out: Float64Array): void {
  for (let u = 0; u < numRows; u++) {
    const start = indptr[u];
    const end = indptr[u + 1];
    for (let p = start; p < end; p++) {
      const a = indices[p];
      const row = a * n;
      for (let q = start; q <= p; q++) out[row + indices[q]] += 1;
    }
  }
}
