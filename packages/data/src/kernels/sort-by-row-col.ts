/**
 * Stable two-pass counting sort of positions by (row, col): writes into `outIndptr`
 * (length numRows + 1) the row offsets and into `outOrder` (length n) the positions 0..n-1
 * ordered by row, then column, then position. `tmp` is scratch of length n; `counts` is
 * scratch of length max(numRows, numCols) + 1. O(n + numRows + numCols), no allocation.
 *
 * Rows and columns must be in range (unchecked).
 */
export function sortByRowCol(
  rows: Int32Array,
  cols: Int32Array,
  numRows: number,
  numCols: number,
  outIndptr: Int32Array,
  outOrder: Int32Array,
  tmp: Int32Array,
  counts: Int32Array,
): void {
  const n = rows.length;
  // Pass 1: stable sort of positions by column into tmp.
  counts.fill(0, 0, numCols + 1);
  for (let k = 0; k < n; k++) counts[cols[k] + 1]++;
  for (let c = 0; c < numCols; c++) counts[c + 1] += counts[c];
  for (let k = 0; k < n; k++) tmp[counts[cols[k]]++] = k;
  // Pass 2: stable sort of tmp by row into outOrder (keeps column order within a row).
  outIndptr.fill(0, 0, numRows + 1);
  for (let k = 0; k < n; k++) outIndptr[rows[k] + 1]++;
  for (let r = 0; r < numRows; r++) outIndptr[r + 1] += outIndptr[r];
  counts.set(outIndptr.subarray(0, numRows));
  for (let k = 0; k < n; k++) {
    const p = tmp[k];
    outOrder[counts[rows[p]]++] = p;
  }
}
