import { createRng, buildCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { alsCgSweep } from './als-cg-sweep.js';
import { alsCholeskySweep } from './als-cholesky-sweep.js';
import { alsLoss } from './als-loss.js';
import { gramMatrix } from './gram-matrix.js';

describe('gramMatrix', () => {
  it('computes YᵀY + reg I (hand-checked)', () => {
    const out = new Float64Array(4);
    gramMatrix(Float32Array.of(1, 2, 3, 4), 2, 2, 0.5, out);
    expect([...out]).toEqual([10.5, 14, 14, 20.5]);
  });
});

describe('ALS solvers', () => {
  it('Cholesky gives the hand-checked closed form on a 1-factor case', () => {
    // Y = [1, 2], reg 0.5, user likes item 0 with confidence 3:
    // A = 1 + 4 + 0.5 + (3 − 1)·1 = 7.5, b = 3·1 = 3  →  x = 0.4
    const yty = new Float64Array(1);
    gramMatrix(Float32Array.of(1, 2), 2, 1, 0.5, yty);
    const X = new Float32Array(1);
    alsCholeskySweep(Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(3), Float32Array.of(1, 2), X, 1, 1, yty, new Float64Array(2));
    expect(X[0]).toBeCloseTo(0.4, 6);
  });

  it('Cholesky gives the hand-checked closed form on a 2-factor case', () => {
    // Y = [[1, 0], [1, 1]], reg 1; user likes item 1 with confidence 2.
    // YᵀY + I = [[3, 1], [1, 2]]; + (2−1)·[1,1][1,1]ᵀ = [[4, 2], [2, 3]]; b = 2·[1, 1] = [2, 2].
    // x = [[4,2],[2,3]]⁻¹ [2, 2] = [0.25, 0.5]
    const Y = Float32Array.of(1, 0, 1, 1);
    const yty = new Float64Array(4);
    gramMatrix(Y, 2, 2, 1, yty);
    const X = new Float32Array(2);
    alsCholeskySweep(Int32Array.of(0, 1), Int32Array.of(1), Float32Array.of(2), Y, X, 1, 2, yty, new Float64Array(6));
    expect(X[0]).toBeCloseTo(0.25, 6);
    expect(X[1]).toBeCloseTo(0.5, 6);
  });

  it('CG with as many steps as factors agrees with the exact solve; 3 warm-started steps get close', () => {
    const rng = createRng(2);
    const dim = 6;
    const numRows = 20;
    const numCols = 30;
    const rows: number[] = [];
    const cols: number[] = [];
    for (let u = 0; u < numRows; u++) for (let i = 0; i < numCols; i++) if (rng.nextFloat() < 0.2) { rows.push(u); cols.push(i); }
    const m = buildCsr(Int32Array.from(rows), Int32Array.from(cols), null, numRows, numCols, { duplicates: 'sum' });
    const conf = m.values.map(() => 1 + 5 * rng.nextFloat());
    const Y = Float32Array.from({ length: numCols * dim }, () => 0.3 * rng.normal());
    const yty = new Float64Array(dim * dim);
    gramMatrix(Y, numCols, dim, 0.1, yty);
    const exact = new Float32Array(numRows * dim);
    alsCholeskySweep(m.indptr, m.indices, conf, Y, exact, numRows, dim, yty, new Float64Array(dim * dim + dim));
    const cg = new Float32Array(numRows * dim);
    alsCgSweep(m.indptr, m.indices, conf, Y, cg, numRows, dim, yty, dim, new Float64Array(4 * dim));
    for (let n = 0; n < exact.length; n++) expect(cg[n]).toBeCloseTo(exact[n], 3);
    // Warm start: 3 steps from a perturbed solution land closer than where they started.
    const warm = exact.map((v) => v + 0.05 * rng.normal());
    const dist = (a: Float32Array) => Math.sqrt(a.reduce((s, v, n) => s + (v - exact[n]) ** 2, 0));
    const before = dist(warm);
    alsCgSweep(m.indptr, m.indices, conf, Y, warm, numRows, dim, yty, 3, new Float64Array(4 * dim));
    expect(dist(warm)).toBeLessThan(before / 10);
  });
});

describe('alsLoss', () => {
  it('matches the brute-force weighted loss over every pair', () => {
    const rng = createRng(8);
    const dim = 3;
    const nu = 4;
    const ni = 5;
    const m = buildCsr(Int32Array.of(0, 0, 1, 3, 3, 3), Int32Array.of(1, 4, 0, 0, 2, 3), null, nu, ni, { duplicates: 'sum' });
    const conf = Float32Array.of(2, 3, 4, 1.5, 2.5, 6);
    const X = Float32Array.from({ length: nu * dim }, () => rng.normal());
    const Y = Float32Array.from({ length: ni * dim }, () => rng.normal());
    const reg = 0.2;
    let brute = 0;
    let totalConf = 0;
    for (let u = 0; u < nu; u++) for (let i = 0; i < ni; i++) {
      let pred = 0;
      for (let f = 0; f < dim; f++) pred += X[u * dim + f] * Y[i * dim + f];
      let c = 1;
      let p = 0;
      for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) if (m.indices[q] === i) { c = conf[q]; p = 1; totalConf += c; }
      brute += c * (p - pred) ** 2;
    }
    brute += reg * (X.reduce((s, v) => s + v * v, 0) + Y.reduce((s, v) => s + v * v, 0));
    brute /= totalConf + nu * ni - 6;
    const gram = new Float64Array(dim * dim);
    gramMatrix(Y, ni, dim, 0, gram);
    expect(alsLoss(m.indptr, m.indices, conf, X, Y, nu, ni, dim, reg, gram, new Float64Array(dim))).toBeCloseTo(brute, 5);
  });
});

describe('ALS sweeps on rows without entries', () => {
  it('set them to 0, the exact solution (both solvers)', () => {
    const Y = Float32Array.of(1, 0, 1, 1);
    const yty = new Float64Array(4);
    gramMatrix(Y, 2, 2, 1, yty);
    for (const solve of ['cg', 'cholesky']) {
      const X = Float32Array.of(0.3, -0.2, 0.5, 0.5);
      const indptr = Int32Array.of(0, 0, 1); // row 0 empty, row 1 has item 1
      if (solve === 'cg') alsCgSweep(indptr, Int32Array.of(1), Float32Array.of(2), Y, X, 2, 2, yty, 2, new Float64Array(8));
      else alsCholeskySweep(indptr, Int32Array.of(1), Float32Array.of(2), Y, X, 2, 2, yty, new Float64Array(6));
      expect([X[0], X[1]]).toEqual([0, 0]);
      expect(X[2]).toBeCloseTo(0.25, 5);
      expect(X[3]).toBeCloseTo(0.5, 5);
    }
  });
});
