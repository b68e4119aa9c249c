/**
 * Copies rows of a table into `out`: `out[k] = table[rows[k]]`, each row `dim` values.
 * Same as `torch.nn.functional.embedding` forward (`index_select` along dim 0).
 *
 * @param table - Row-major, `numRows × dim`.
 * @param rows - Row index per output row; must be in range (checked by the caller).
 * @param out - Row-major, `rows.length × dim`; overwritten.
 */
export function gatherRows(table: Float32Array, dim: number, rows: Int32Array, out: Float32Array): void {
  const n = rows.length;
  // A plain loop: `out.set(table.subarray(...))` would allocate a view object per row.
  for (let k = 0; k < n; k++) {
    const src = rows[k] * dim;
    const dst = k * dim;
    for (let j = 0; j < dim; j++) out[dst + j] = table[src + j];
  }
}
