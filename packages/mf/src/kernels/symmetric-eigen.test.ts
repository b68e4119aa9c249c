import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';

function randomSymmetric(seed: number, n: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

describe('symmetricEigen', () => {
  it('gives the hand-computed decomposition of [[2, 1], [1, 2]]', () => {
    const values = new Float64Array(2);
    const vectors = new Float64Array(4);
    symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, values, vectors);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 14); // (1, 1)/√2 up to sign
    expect(vectors[1] * vectors[3]).toBeCloseTo(-0.5, 14); // (1, −1)/√2 up to sign
  });

  it('finds the known spectrum of the second-difference matrix: 2 − 2cos(kπ/(n+1))', () => {
    const n = 30;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const values = new Float64Array(n);
    symmetricEigen(a, n, values, new Float64Array(n * n));
    for (let k = 1; k <= n; k++) expect(values[k - 1]).toBeCloseTo(2 - 2 * Math.cos(((n + 1 - k) * Math.PI) / (n + 1)), 13);
  });

  it('satisfies A V = V Λ with orthonormal V and descending Λ on random matrices', () => {
    for (const n of [1, 5, 40]) {
      const a = randomSymmetric(n, n);
      const values = new Float64Array(n);
      const v = new Float64Array(n * n);
      symmetricEigen(a.slice(), n, values, v);
      for (let c = 1; c < n; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
      for (let c = 0; c < n; c++) {
        for (let r = 0; r < n; r++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += a[r * n + k] * v[k * n + c];
          expect(av).toBeCloseTo(values[c] * v[r * n + c], 11);
        }
        for (let d = 0; d < n; d++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += v[k * n + c] * v[k * n + d];
          expect(s).toBeCloseTo(c === d ? 1 : 0, 12);
        }
      }
      // Trace is preserved.
      let tr = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i];
      expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(tr, 11);
    }
  });

  it('resolves tiny eigenvalues of a positive semi-definite Gram matrix to relative accuracy', () => {
    // G = Wᵀ diag(d) W with orthogonal W (a Householder reflection) and d spanning 12 decades.
    const n = 6;
    const d = [1, 1e-2, 1e-4, 1e-6, 1e-9, 1e-12];
    const rng = createRng(5);
    const h = Float64Array.from({ length: n }, () => rng.normal());
    const hh = h.reduce((s, x) => s + x * x, 0);
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i * n + j] = (i === j ? 1 : 0) - (2 * h[i] * h[j]) / hh;
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) g[i * n + j] += w[k * n + i] * d[k] * w[k * n + j];
    const values = new Float64Array(n);
    symmetricEigen(g, n, values, new Float64Array(n * n));
    for (let k = 0; k < 4; k++) expect(Math.abs(values[k] - d[k]) / d[k]).toBeLessThan(1e-8);
    // The smallest are below the rounding of the assembled matrix (1e-16 · ‖G‖): absolute accuracy only.
    for (let k = 4; k < n; k++) expect(Math.abs(values[k] - d[k])).toBeLessThan(1e-14);
  });
});
