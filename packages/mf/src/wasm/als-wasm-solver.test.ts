import { createRng, buildCsr, transposeCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { alsCgSweep } from '../kernels/als-cg-sweep.js';
import { gramMatrix } from '../kernels/gram-matrix.js';
import { AlsWasmSolver } from './als-wasm-solver.js';

/** A random implicit matrix (some users and items without entries) and small random factors. */
function problem(dim: number, alpha: number, nu = 40, ni = 25) {
  const rng = createRng(7);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < nu - 2; u++) for (let i = 0; i < ni - 1; i++) if (rng.nextFloat() < 0.3) (rows.push(u), cols.push(i));
  const ui = buildCsr(Int32Array.from(rows), Int32Array.from(cols), null, nu, ni, { duplicates: 'sum' });
  for (let p = 0; p < ui.values.length; p++) ui.values[p] = 1 + (p % 3 === 0 ? 0 : alpha * rng.nextFloat());
  const iu = transposeCsr(ui);
  const X = Float32Array.from({ length: nu * dim }, () => rng.nextFloat() * 0.1);
  const Y = Float32Array.from({ length: ni * dim }, () => rng.nextFloat() * 0.1);
  return { ui, iu, X, Y, nu, ni };
}

describe('AlsWasmSolver (wasm SIMD) against the plain kernels', () => {
  it.each([
    [8, 2],
    [12, 5],
    [4, 0],
    [8, 3, 20, 50], // fewer users than items: the user half-sweep takes the scatter path
  ])('one epoch at dim %i, alpha %i matches gramMatrix + alsCgSweep to float32 precision', (dim, alpha, users?: number, items?: number) => {
    const { ui, iu, X, Y, nu, ni } = problem(dim, alpha, users, items);
    const solver = AlsWasmSolver.create(ui, iu, dim);
    expect(solver).not.toBeNull();
    const reg = 0.5;
    // Reference: float64 plain loops.
    const Xr = X.slice();
    const Yr = Y.slice();
    const yty = new Float64Array(dim * dim);
    const scratch = new Float64Array(4 * dim);
    gramMatrix(Yr, ni, dim, reg, yty);
    const { X: Xw, Y: Yw } = solver!.tables(); // the solver's own tables, updated in place
    Xw.set(X);
    Yw.set(Y);
    expect(solver!.itemGram(reg)).toEqual(yty); // same float64 accumulation order: exact
    alsCgSweep(ui.indptr, ui.indices, ui.values, Yr, Xr, nu, dim, yty, 3, scratch);
    gramMatrix(Xr, nu, dim, reg, yty);
    alsCgSweep(iu.indptr, iu.indices, iu.values, Xr, Yr, ni, dim, yty, 3, scratch);
    solver!.epoch(reg, 3);
    let moved = 0;
    for (let n = 0; n < Xr.length; n++) {
      expect(Math.abs(Xw[n] - Xr[n])).toBeLessThan(1e-4 * (1 + Math.abs(Xr[n])));
      moved = Math.max(moved, Math.abs(Xr[n] - X[n]));
    }
    for (let n = 0; n < Yr.length; n++) expect(Math.abs(Yw[n] - Yr[n])).toBeLessThan(1e-4 * (1 + Math.abs(Yr[n])));
    expect(moved).toBeGreaterThan(1e-2); // the sweep did change the factors
    // Users without entries get exactly 0.
    for (let f = 0; f < dim; f++) expect(Xw[(nu - 1) * dim + f]).toBe(0);
  });

  it('declines factors that are not a multiple of 4', () => {
    const { ui, iu } = problem(8, 1);
    expect(AlsWasmSolver.create(ui, iu, 6)).toBeNull();
  });
  it('runs the half-sweeps on worker threads with the same result, and stops them', async () => {
    for (const [users, items] of [[700, 300], [300, 700]]) {
      const { ui, iu, X, Y } = problem(8, 2, users, items);
      const one = AlsWasmSolver.create(ui, iu, 8)!;
      const two = AlsWasmSolver.create(ui, iu, 8, 2)!;
      const { X: x1, Y: y1 } = one.tables();
      const { X: x2, Y: y2 } = two.tables();
      for (const t of [x1, x2]) t.set(X);
      for (const t of [y1, y2]) t.set(Y);
      for (let e = 0; e < 2; e++) {
        one.epoch(0.5, 3);
        two.epoch(0.5, 3);
      }
      expect(two.numWorkers).toBe(1);
      expect(x2).toEqual(x1);
      expect(y2).toEqual(y1);
      expect(x1).not.toEqual(X);
      expect(await two.stop()).toHaveLength(1);
      expect(two.numWorkers).toBe(0);
    }
  });
});
