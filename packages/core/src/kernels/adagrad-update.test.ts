import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { adagradUpdateDense, adagradUpdateRows } from './adagrad-update.js';

const rng = createRng(11);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

/** Slow reference on number arrays: torch's dense Adagrad step restricted to `mask`ed elements. */
function refAdagrad(p: number[], g: number[], sum: number[], clr: number, wd: number, eps: number, mask?: boolean[]): void {
  for (let i = 0; i < p.length; i++) {
    if (mask && !mask[i]) continue;
    const gi = g[i] + wd * p[i];
    sum[i] += gi * gi;
    p[i] -= (clr * gi) / (Math.sqrt(sum[i]) + eps);
  }
}

describe('adagradUpdateDense', () => {
  it('matches the reference over several steps', () => {
    const n = 13;
    const p = randn(n);
    const sum = new Float32Array(n).fill(0.1);
    const ref = Array.from(p);
    const refSum = Array.from(sum);
    for (let t = 1; t <= 4; t++) {
      const g = randn(n);
      const clr = 0.1 / (1 + (t - 1) * 0.01);
      adagradUpdateDense(p, g, sum, n, clr, 0.02, 1e-10, false);
      refAdagrad(ref, Array.from(g), refSum, clr, 0.02, 1e-10);
    }
    expectAllClose(p, ref);
    expectAllClose(sum, refSum);
  });

  it('hand-computed first step: p -= lr * g / |g| when the accumulator starts at 0', () => {
    const p = Float32Array.from([1, 1]);
    const sum = new Float32Array(2);
    adagradUpdateDense(p, Float32Array.from([2, -0.5]), sum, 2, 0.1, 0, 0, false);
    expectAllClose(p, [0.9, 1.1]);
    expectAllClose(sum, [4, 0.25]);
  });
});

describe('adagradUpdateRows', () => {
  it('updates listed rows like the dense step and leaves other rows and sums alone', () => {
    const dim = 3;
    const numRows = 5;
    const p = randn(numRows * dim);
    const sum = new Float32Array(numRows * dim).fill(0.5);
    const ref = Array.from(p);
    const refSum = Array.from(sum);
    const rows = Int32Array.from([1, 4]);
    const values = randn(rows.length * dim);
    const g = new Array<number>(numRows * dim).fill(0);
    const mask = new Array<boolean>(numRows * dim).fill(false);
    for (let k = 0; k < rows.length; k++) for (let j = 0; j < dim; j++) {
      g[rows[k] * dim + j] = values[k * dim + j];
      mask[rows[k] * dim + j] = true;
    }
    adagradUpdateRows(p, dim, rows, values, sum, 0.3, 1e-10, false);
    refAdagrad(ref, g, refSum, 0.3, 0, 1e-10, mask);
    expectAllClose(p, ref);
    expectAllClose(sum, refSum);
    expect(Array.from(sum.subarray(0, dim))).toEqual([0.5, 0.5, 0.5]);
  });
});
