import { describe, expect, it } from 'vitest';
import { Rng } from '@quiver/base';
import { sortByRowCol } from './sort-by-row-col.js';

describe('sortByRowCol', () => {
  it('orders positions by (row, col, position) like a stable comparison sort', () => {
    const rng = new Rng(5);
    const n = 500;
    const numRows = 13;
    const numCols = 7;
    const rows = new Int32Array(n);
    const cols = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      rows[k] = rng.nextInt(numRows);
      cols[k] = rng.nextInt(numCols);
    }
    const indptr = new Int32Array(numRows + 1);
    const order = new Int32Array(n);
    sortByRowCol(rows, cols, numRows, numCols, indptr, order, new Int32Array(n), new Int32Array(Math.max(numRows, numCols) + 1));
    const ref = Array.from({ length: n }, (_, k) => k).sort((a, b) => rows[a] - rows[b] || cols[a] - cols[b] || a - b);
    expect(Array.from(order)).toEqual(ref);
    for (let r = 0; r < numRows; r++) expect(indptr[r + 1] - indptr[r]).toBe(rows.filter((x) => x === r).length);
    expect(indptr[numRows]).toBe(n);
  });
});
