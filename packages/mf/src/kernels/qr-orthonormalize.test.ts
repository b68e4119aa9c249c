import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { orthonormalizeColumns } from './qr-orthonormalize.js';

/** Column c of a row-major m × n matrix. */
const col = (a: Float64Array, m: number, n: number, c: number) => Float64Array.from({ length: m }, (_, r) => a[r * n + c]);
const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i], 0);

/** max |QᵀQ − I| over the non-zero columns, and whether the zero columns are exactly zero. */
function orthogonalityError(q: Float64Array, m: number, n: number): number {
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const qa = col(q, m, n, a);
      const qb = col(q, m, n, b);
      const zero = dot(qa, qa) === 0 || dot(qb, qb) === 0;
      const want = a === b && !zero ? 1 : 0;
      worst = Math.max(worst, Math.abs(dot(qa, qb) - want));
    }
  }
  return worst;
}

/** Whether every column of `a` lies in the span of the columns of `q` (residual of the projection). */
function spanResidual(a: Float64Array, q: Float64Array, m: number, n: number): number {
  let worst = 0;
  for (let c = 0; c < n; c++) {
    const x = col(a, m, n, c);
    const r = x.slice();
    for (let k = 0; k < n; k++) {
      const qk = col(q, m, n, k);
      const p = dot(qk, x);
      for (let i = 0; i < m; i++) r[i] -= p * qk[i];
    }
    worst = Math.max(worst, Math.sqrt(dot(r, r)) / Math.max(1e-300, Math.sqrt(dot(x, x))));
  }
  return worst;
}

describe('orthonormalizeColumns', () => {
  it('gives the hand-computed Q of a 2 × 2 example', () => {
    const a = Float64Array.of(3, 1, 4, 2);
    expect(orthonormalizeColumns(a, 2, 2, new Float64Array(2))).toBe(2);
    const want = [0.6, -0.8, 0.8, 0.6];
    for (let i = 0; i < 4; i++) expect(a[i]).toBeCloseTo(want[i], 14);
  });

  it('orthonormalises random tall matrices and keeps their column space (R = QᵀA upper triangular)', () => {
    const rng = createRng(1);
    for (const [m, n] of [[50, 7], [300, 30], [8, 8]]) {
      const a = Float64Array.from({ length: m * n }, () => rng.normal());
      const q = a.slice();
      expect(orthonormalizeColumns(q, m, n, new Float64Array(n))).toBe(n);
      expect(orthogonalityError(q, m, n)).toBeLessThan(1e-13);
      expect(spanResidual(a, q, m, n)).toBeLessThan(1e-12);
      // Gram–Schmidt order: column c of A only uses Q's columns 0..c.
      for (let c = 0; c < n; c++) for (let k = c + 1; k < n; k++) expect(Math.abs(dot(col(q, m, n, k), col(a, m, n, c)))).toBeLessThan(1e-11);
    }
  });

  it('stays orthonormal on an ill-conditioned matrix (a power-iteration-like sketch)', () => {
    // Columns x^0, x^1, … x^11 at 200 points in [0, 1]: condition number around 1e9.
    const m = 200;
    const n = 12;
    const a = new Float64Array(m * n);
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) a[r * n + c] = (r / (m - 1)) ** c;
    const q = a.slice();
    expect(orthonormalizeColumns(q, m, n, new Float64Array(n))).toBe(n);
    expect(orthogonalityError(q, m, n)).toBeLessThan(1e-13);
    expect(spanResidual(a, q, m, n)).toBeLessThan(1e-9);
  });

  it('turns dependent and zero columns into zero columns and returns the rank', () => {
    const rng = createRng(2);
    const m = 40;
    const n = 6;
    const a = new Float64Array(m * n);
    for (let r = 0; r < m; r++) {
      const x = rng.normal();
      const y = rng.normal();
      const z = rng.normal();
      // columns: x, y, x + 2y, 0, z, 3x − z
      a.set([x, y, x + 2 * y, 0, z, 3 * x - z], r * n);
    }
    const q = a.slice();
    expect(orthonormalizeColumns(q, m, n, new Float64Array(n))).toBe(3);
    for (const c of [2, 3, 5]) expect([...col(q, m, n, c)].every((v) => v === 0)).toBe(true);
    expect(orthogonalityError(q, m, n)).toBeLessThan(1e-13);
    expect(spanResidual(a, q, m, n)).toBeLessThan(1e-12);
  });
});
