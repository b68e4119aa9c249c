/** A column whose part orthogonal to the earlier columns is below this share of its norm counts as dependent. */
export const DEPENDENT_COLUMN = 1e-10;

/**
 * Orthonormalises the columns of the row-major `numRows × numCols` matrix `a` in place: the
 * `Q` of a thin QR factorisation (`R` is not kept). Classical Gram–Schmidt with
 * re-orthogonalisation ("twice is enough", Giraud et al. 2005): each column is projected off the
 * earlier ones, and the projection is repeated (at most three passes) while it removes more
 * than 1 − 1/√2 of the column's norm, so the columns are orthonormal to rounding even when
 * the input is ill-conditioned, as a power-iteration sketch is. A column that is (numerically)
 * a combination of the earlier ones — its remainder below {@link DEPENDENT_COLUMN} of its
 * norm — and a zero column become zero columns: the non-zero columns are orthonormal and span
 * the column space of the input.
 *
 * The inner loops run along rows (the earlier columns of one row are contiguous), so a tall
 * row-major matrix is read sequentially: about `4 · numRows · numCols²` flops for two passes.
 *
 * Kernel: no checks, no allocation.
 *
 * @param a - Row-major `numRows × numCols`; overwritten by `Q`.
 * @param dots - Scratch, at least `numCols` long.
 * @returns The number of non-zero (orthonormal) columns: the numerical rank.
 * @example
 * const a = Float64Array.of(3, 1, 4, 2); // [[3, 1], [4, 2]]
 * orthonormalizeColumns(a, 2, 2, new Float64Array(2)); // 2; a = [[0.6, -0.8], [0.8, 0.6]]
 */
export function orthonormalizeColumns(a: Float64Array, numRows: number, numCols: number, dots: Float64Array): number {
  const l = numCols;
  let rank = 0;
  for (let j = 0; j < l; j++) {
    const norm0 = columnNorm(a, numRows, l, j);
    let norm = norm0;
    if (norm0 > 0 && j > 0) {
      for (let pass = 0; pass < 3; pass++) {
        for (let i = 0; i < j; i++) dots[i] = 0;
        for (let r = 0, o = 0; r < numRows; r++, o += l) {
          const x = a[o + j];
          if (x !== 0) for (let i = 0; i < j; i++) dots[i] += a[o + i] * x;
        }
        for (let r = 0, o = 0; r < numRows; r++, o += l) {
          let s = 0;
          for (let i = 0; i < j; i++) s += a[o + i] * dots[i];
          a[o + j] -= s;
        }
        const before = norm;
        norm = columnNorm(a, numRows, l, j);
        if (norm >= before * Math.SQRT1_2) break;
      }
    }
    const scale = norm0 > 0 && norm > DEPENDENT_COLUMN * norm0 ? 1 / norm : 0;
    for (let r = 0, o = j; r < numRows; r++, o += l) a[o] *= scale;
    if (scale > 0) rank++;
  }
  return rank;
}

function columnNorm(a: Float64Array, numRows: number, l: number, j: number): number {
  let s = 0;
  for (let r = 0, o = j; r < numRows; r++, o += l) s += a[o] * a[o];
  return Math.sqrt(s);
}
