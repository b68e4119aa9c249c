import { buildCsr, createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { alsCgSweep } from './als-cg-sweep.js';
import { alsCholeskySweep, alsSolveRow } from './als-cholesky-sweep.js';
import { alsLoss } from './als-loss.js';
import { alsRowReg } from './als-row-reg.js';
import { gramMatrix } from './gram-matrix.js';
import { gaussSolve } from '../../test/dense-reference.js';


/**
 * The dense closed form of one row: `(YᵀY + (reg + λ) I + Σ (c − 1) y yᵀ) x = Σ c y`, built entry by
 * entry from the definition (every column of Y in YᵀY, the row's entries in the sums).
 */
function denseRowSolve(Y: Float32Array, numCols: number, dim: number, cols: number[], conf: number[], reg: number, lambda: number): number[] {
  const A = new Array<number>(dim * dim).fill(0);
  const b = new Array<number>(dim).fill(0);
  for (let i = 0; i < numCols; i++) for (let a = 0; a < dim; a++) for (let c = 0; c < dim; c++) A[a * dim + c] += Y[i * dim + a] * Y[i * dim + c];
  for (let a = 0; a < dim; a++) A[a * dim + a] += reg + lambda;
  cols.forEach((i, n) => {
    for (let a = 0; a < dim; a++) {
      b[a] += conf[n] * Y[i * dim + a];
      for (let c = 0; c < dim; c++) A[a * dim + c] += (conf[n] - 1) * Y[i * dim + a] * Y[i * dim + c];
    }
  });
  return gaussSolve(A, b, dim);
}

/** A random confidence matrix (some rows empty) with random factors and per-row ridge terms. */
function problem(dim: number) {
  const rng = createRng(5);
  const numRows = 18;
  const numCols = 25;
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < numRows - 2; u++) for (let i = 0; i < numCols; i++) if (rng.nextFloat() < 0.25) (rows.push(u), cols.push(i));
  const m = buildCsr(Int32Array.from(rows), Int32Array.from(cols), null, numRows, numCols, { duplicates: 'sum' });
  const conf = m.values.map((_, p) => (p % 4 === 0 ? 1 : 1 + 4 * rng.nextFloat()));
  const Y = Float32Array.from({ length: numCols * dim }, () => 0.4 * rng.normal());
  const rowReg = Float64Array.from({ length: numRows }, () => 0.1 + 5 * rng.nextFloat());
  return { m, conf, Y, rowReg, numRows, numCols };
}

describe('alsRowReg', () => {
  it('is scale · (numCols + Σ (c − 1))^exponent per row (hand-checked)', () => {
    // Rows: {c 3, c 1.5}, {}, {c 2}; 5 columns. Weights 5 + 2 + 0.5 = 7.5, 5, 6.
    const indptr = Int32Array.of(0, 2, 2, 3);
    const conf = Float32Array.of(3, 1.5, 2);
    const out = new Float64Array(3);
    alsRowReg(indptr, conf, 3, 5, 0.5, 1, out);
    expect([...out]).toEqual([3.75, 2.5, 3]);
    alsRowReg(indptr, conf, 3, 5, 0.5, 2, out);
    expect([...out]).toEqual([28.125, 12.5, 18]);
    alsRowReg(indptr, conf, 3, 5, 0.5, 0, out);
    expect([...out]).toEqual([0.5, 0.5, 0.5]);
  });

  it("is Rendle et al.'s (nᵤ + α₀ N)^ν up to the factor α₀^ν for binary data with c = 1 + 1/α₀", () => {
    const a0 = 0.25;
    const indptr = Int32Array.of(0, 3, 4);
    const conf = new Float32Array(4).fill(1 + 1 / a0);
    const out = new Float64Array(2);
    alsRowReg(indptr, conf, 2, 10, 1, 0.5, out);
    expect(out[0]).toBeCloseTo(Math.sqrt((3 + a0 * 10) / a0), 12);
    expect(out[1]).toBeCloseTo(Math.sqrt((1 + a0 * 10) / a0), 12);
  });
});

describe('per-row ridge terms in the ALS solvers, against the dense closed form', () => {
  const dim = 6;
  const reg = 0.3;

  it('alsCholeskySweep and alsSolveRow solve (YᵀY + (reg + λᵤ) I + Σ (c − 1) y yᵀ) x = Σ c y per row', () => {
    const { m, conf, Y, rowReg, numRows, numCols } = problem(dim);
    const yty = new Float64Array(dim * dim);
    gramMatrix(Y, numCols, dim, reg, yty);
    const X = new Float32Array(numRows * dim).fill(0.7);
    alsCholeskySweep(m.indptr, m.indices, conf, Y, X, numRows, dim, yty, new Float64Array(dim * dim + dim), rowReg);
    const a = new Float64Array(dim * dim);
    const b = new Float64Array(dim);
    for (let u = 0; u < numRows; u++) {
      const cols = [...m.indices.subarray(m.indptr[u], m.indptr[u + 1])];
      const c = [...conf.subarray(m.indptr[u], m.indptr[u + 1])];
      const ref = cols.length === 0 ? new Array<number>(dim).fill(0) : denseRowSolve(Y, numCols, dim, cols, c, reg, rowReg[u]);
      for (let f = 0; f < dim; f++) expect(X[u * dim + f]).toBeCloseTo(ref[f], 5);
      if (cols.length === 0) continue;
      alsSolveRow(m.indptr[u], m.indptr[u + 1], m.indices, conf, Y, dim, yty, a, b, rowReg[u]);
      for (let f = 0; f < dim; f++) expect(b[f]).toBeCloseTo(ref[f], 10);
    }
  });

  it('alsCgSweep with as many steps as factors reaches the same solution from any start', () => {
    const { m, conf, Y, rowReg, numRows, numCols } = problem(dim);
    const yty = new Float64Array(dim * dim);
    gramMatrix(Y, numCols, dim, reg, yty);
    const X = Float32Array.from({ length: numRows * dim }, (_, n) => Math.sin(n));
    alsCgSweep(m.indptr, m.indices, conf, Y, X, numRows, dim, yty, 2 * dim, new Float64Array(4 * dim), rowReg);
    for (let u = 0; u < numRows; u++) {
      const cols = [...m.indices.subarray(m.indptr[u], m.indptr[u + 1])];
      const c = [...conf.subarray(m.indptr[u], m.indptr[u + 1])];
      const ref = cols.length === 0 ? new Array<number>(dim).fill(0) : denseRowSolve(Y, numCols, dim, cols, c, reg, rowReg[u]);
      for (let f = 0; f < dim; f++) expect(X[u * dim + f]).toBeCloseTo(ref[f], 5);
    }
  });

  it('a null rowReg and all-zero terms give bit-identical sweeps', () => {
    const { m, conf, Y, numRows, numCols } = problem(dim);
    const yty = new Float64Array(dim * dim);
    gramMatrix(Y, numCols, dim, reg, yty);
    const zeros = new Float64Array(numRows);
    for (const sweep of ['cg', 'cholesky']) {
      const a = new Float32Array(numRows * dim).fill(0.1);
      const b = a.slice();
      if (sweep === 'cg') {
        alsCgSweep(m.indptr, m.indices, conf, Y, a, numRows, dim, yty, 3, new Float64Array(4 * dim));
        alsCgSweep(m.indptr, m.indices, conf, Y, b, numRows, dim, yty, 3, new Float64Array(4 * dim), zeros);
      } else {
        alsCholeskySweep(m.indptr, m.indices, conf, Y, a, numRows, dim, yty, new Float64Array(dim * dim + dim));
        alsCholeskySweep(m.indptr, m.indices, conf, Y, b, numRows, dim, yty, new Float64Array(dim * dim + dim), zeros);
      }
      expect(b).toEqual(a);
    }
  });
});

describe('alsLoss with per-row ridge terms', () => {
  it('matches the brute-force weighted loss over every pair', () => {
    const rng = createRng(9);
    const dim = 3;
    const nu = 4;
    const ni = 5;
    const m = buildCsr(Int32Array.of(0, 0, 1, 3, 3, 3), Int32Array.of(1, 4, 0, 0, 2, 3), null, nu, ni, { duplicates: 'sum' });
    const conf = Float32Array.of(2, 3, 4, 1.5, 2.5, 6);
    const X = Float32Array.from({ length: nu * dim }, () => rng.normal());
    const Y = Float32Array.from({ length: ni * dim }, () => rng.normal());
    const reg = 0.2;
    const rowReg = Float64Array.of(1.5, 0.25, 3, 0.75);
    const colReg = Float64Array.of(0.5, 2, 0.125, 1, 4);
    let brute = 0;
    let totalConf = 0;
    for (let u = 0; u < nu; u++) for (let i = 0; i < ni; i++) {
      let pred = 0;
      for (let f = 0; f < dim; f++) pred += X[u * dim + f] * Y[i * dim + f];
      let c = 1;
      let p = 0;
      for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) if (m.indices[q] === i) (c = conf[q], p = 1, (totalConf += c));
      brute += c * (p - pred) ** 2;
    }
    for (let u = 0; u < nu; u++) for (let f = 0; f < dim; f++) brute += (reg + rowReg[u]) * X[u * dim + f] ** 2;
    for (let i = 0; i < ni; i++) for (let f = 0; f < dim; f++) brute += (reg + colReg[i]) * Y[i * dim + f] ** 2;
    brute /= totalConf + nu * ni - 6;
    const gram = new Float64Array(dim * dim);
    gramMatrix(Y, ni, dim, 0, gram);
    expect(alsLoss(m.indptr, m.indices, conf, X, Y, nu, ni, dim, reg, gram, new Float64Array(dim), rowReg, colReg)).toBeCloseTo(brute, 10);
  });
});
