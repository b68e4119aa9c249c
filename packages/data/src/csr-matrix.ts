import { gatherFloat32, gatherInt32 } from './kernels/gather.js';
import { sortByRowCol } from './kernels/sort-by-row-col.js';

/**
 * A compressed sparse row matrix: row r holds `indices[indptr[r]..indptr[r+1])` with
 * `values` at the same positions (or `null` for an all-ones / implicit matrix). Column
 * indices are sorted ascending within each row. For a CSC view (item -> users) read "row"
 * as item and "column" as user.
 */
export interface CsrMatrix {
  /** Row offsets, length numRows + 1. */
  readonly indptr: Int32Array;
  /** Column index of each stored entry, sorted within each row; length nnz. */
  readonly indices: Int32Array;
  /** Value of each stored entry (aligned with indices), or null when the data has no values. */
  readonly values: Float32Array | null;
  /** Number of rows. */
  readonly numRows: number;
  /** Number of columns. */
  readonly numCols: number;
}

/** A CSR matrix plus, for each stored entry, the input position it came from. */
export interface CsrWithOrder extends CsrMatrix {
  /** order[k] is the input position of entry k. */
  readonly order: Int32Array;
}

/**
 * Builds a CSR matrix from coordinate columns in O(n + numRows + numCols) (two stable counting
 * sorts). Copies; the inputs are not modified. Indices are assumed in range (the caller checks).
 */
export function buildCsr(
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array | null,
  numRows: number,
  numCols: number,
): CsrWithOrder {
  const n = rows.length;
  const indptr = new Int32Array(numRows + 1);
  const order = new Int32Array(n);
  const tmp = new Int32Array(n);
  const counts = new Int32Array(Math.max(numRows, numCols) + 1);
  sortByRowCol(rows, cols, numRows, numCols, indptr, order, tmp, counts);
  // Reuse tmp as the indices buffer.
  const indices = tmp;
  gatherInt32(cols, order, 0, n, indices);
  let vals: Float32Array | null = null;
  if (values !== null) {
    vals = new Float32Array(n);
    gatherFloat32(values, order, 0, n, vals);
  }
  return { indptr, indices, values: vals, numRows, numCols, order };
}

/**
 * True when `col` is stored in row `row` (binary search over the sorted row); O(log degree).
 * Row and column are unchecked (a hot-path helper for samplers and seen-item filters).
 * @example
 * const csr = data.toCsr();
 * csrHas(csr, user, item); // has the user interacted with the item?
 */
export function csrHas(csr: CsrMatrix, row: number, col: number): boolean {
  let lo = csr.indptr[row];
  let hi = csr.indptr[row + 1] - 1;
  const ind = csr.indices;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ind[mid];
    if (v === col) return true;
    if (v < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
