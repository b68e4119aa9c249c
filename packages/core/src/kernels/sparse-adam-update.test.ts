import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { sparseAdamUpdateRows } from './sparse-adam-update.js';

const rng = createRng(19);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

describe('sparseAdamUpdateRows', () => {
  it('matches a per-row lazy reference; rows never listed keep zero moments and their weights', () => {
    const dim = 3;
    const numRows = 7;
    const p = randn(numRows * dim);
    const p0 = p.slice();
    const m = new Float32Array(numRows * dim);
    const v = new Float32Array(numRows * dim);
    const ref = Array.from(p);
    const rm = new Array<number>(numRows * dim).fill(0);
    const rv = new Array<number>(numRows * dim).fill(0);
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.99, 1e-8];
    const steps = [[0, 2], [2, 5], [0, 2, 5]];
    steps.forEach((rs, i) => {
      const t = i + 1;
      const rows = Int32Array.from(rs);
      const values = randn(rows.length * dim);
      sparseAdamUpdateRows(p, dim, rows, values, m, v, lr, b1, b2, eps, t, false);
      // reference: classic lazy Adam per present row, torch's eps placement
      for (let k = 0; k < rs.length; k++) for (let j = 0; j < dim; j++) {
        const idx = rs[k] * dim + j;
        const g = values[k * dim + j];
        rm[idx] = b1 * rm[idx] + (1 - b1) * g;
        rv[idx] = b2 * rv[idx] + (1 - b2) * g * g;
        ref[idx] -= ((lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (rm[idx] / (Math.sqrt(rv[idx]) + eps));
      }
    });
    expectAllClose(p, ref);
    expectAllClose(m, rm);
    expectAllClose(v, rv);
    for (const r of [1, 3, 4, 6]) {
      for (let j = 0; j < dim; j++) {
        expect(m[r * dim + j]).toBe(0);
        expect(p[r * dim + j]).toBe(p0[r * dim + j]);
      }
    }
  });
});
