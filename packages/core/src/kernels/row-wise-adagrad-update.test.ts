import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { rowWiseAdagradUpdate } from './row-wise-adagrad-update.js';

const rng = createRng(13);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

/** Slow reference on nested arrays: FBGEMM rowwise_adagrad with L2 weight decay. */
function refRowWise(w: number[][], grads: Map<number, number[]>, acc: number[], clr: number, wd: number, eps: number): void {
  for (const [r, gr] of [...grads.entries()].sort((a, b) => a[0] - b[0])) {
    const g = gr.map((x, j) => x + wd * w[r][j]);
    acc[r] += g.reduce((s, x) => s + x * x, 0) / g.length;
    const mult = clr / (Math.sqrt(acc[r]) + eps);
    w[r] = w[r].map((x, j) => x - mult * g[j]);
  }
}

describe('rowWiseAdagradUpdate', () => {
  it('sparse rows match the reference and untouched rows keep weights and accumulator', () => {
    const dim = 4;
    const numRows = 6;
    const p = randn(numRows * dim);
    const acc = new Float32Array(numRows).fill(0.01);
    const w = Array.from({ length: numRows }, (_, r) => Array.from(p.subarray(r * dim, (r + 1) * dim)));
    const refAcc = Array.from(acc);
    for (let t = 1; t <= 3; t++) {
      const rows = Int32Array.from(t === 2 ? [0, 5] : [2, 3, 5]);
      const values = randn(rows.length * dim);
      const m = new Map<number, number[]>();
      rows.forEach((r, k) => m.set(r, Array.from(values.subarray(k * dim, (k + 1) * dim))));
      rowWiseAdagradUpdate(p, dim, rows, values, rows.length, acc, 0.1, 0.01, 1e-10, false);
      refRowWise(w, m, refAcc, 0.1, 0.01, 1e-10);
    }
    expectAllClose(p, w.flat());
    expectAllClose(acc, refAcc);
    expect(acc[1]).toBeCloseTo(0.01, 7);
    expect(acc[4]).toBeCloseTo(0.01, 7);
  });

  it('dense gradient (rows null) updates every row; hand-computed row', () => {
    const p = Float32Array.from([1, 1, 0, 0]);
    const acc = new Float32Array(2);
    // row 0: g = [3, 4] -> mean g² = 12.5, mult = 1 / sqrt(12.5)
    rowWiseAdagradUpdate(p, 2, null, Float32Array.from([3, 4, 0, 0]), 2, acc, 1, 0, 1e-10, false);
    const m = 1 / Math.sqrt(12.5);
    expectAllClose(p, [1 - 3 * m, 1 - 4 * m, 0, 0]);
    expectAllClose(acc, [12.5, 0]);
  });
});
