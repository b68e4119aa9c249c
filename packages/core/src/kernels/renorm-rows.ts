/**
 * Rescales, in place, each listed row whose `normType`-norm exceeds `maxNorm` to norm
 * `maxNorm`: `row *= maxNorm / (norm + 1e-7)`. Same as `torch.embedding_renorm_`.
 * `rows` should be unique (a repeated row would be rescaled once per occurrence only if
 * still over the limit, which it is not after the first).
 *
 * @param table - Row-major, `numRows × dim`; modified in place.
 * @param normType - p of the p-norm; `Infinity` gives the max-abs norm.
 */
export function renormRows(
  table: Float32Array,
  dim: number,
  rows: Int32Array,
  maxNorm: number,
  normType: number,
): void {
  for (let k = 0; k < rows.length; k++) {
    const off = rows[k] * dim;
    let norm = 0;
    if (normType === 2) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += table[off + j] * table[off + j];
      norm = Math.sqrt(s);
    } else if (normType === 1) {
      for (let j = 0; j < dim; j++) norm += Math.abs(table[off + j]);
    } else if (normType === Infinity) {
      for (let j = 0; j < dim; j++) norm = Math.max(norm, Math.abs(table[off + j]));
    } else {
      let s = 0;
      for (let j = 0; j < dim; j++) s += Math.pow(Math.abs(table[off + j]), normType);
      norm = Math.pow(s, 1 / normType);
    }
    if (norm > maxNorm) {
      const scale = maxNorm / (norm + 1e-7);
      for (let j = 0; j < dim; j++) table[off + j] *= scale;
    }
  }
}
