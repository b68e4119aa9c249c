import { buildCsr, createRng, transposeCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { slimColumn, slimScratch } from './slim-elastic-net.js';

/** A binary user × item matrix as dense rows and as the CSR pair the kernel takes. */
function matrix(dense: number[][]) {
  const m = dense.length;
  const n = dense[0].length;
  const u: number[] = [];
  const i: number[] = [];
  for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) if (dense[a][b] !== 0) (u.push(a), i.push(b));
  const ui = buildCsr(Int32Array.from(u), Int32Array.from(i), null, m, n, { duplicates: 'sum' });
  const iu = transposeCsr(ui);
  return { m, n, dense, ui, iu };
}

function randomBinary(seed: number, m: number, n: number, density: number): number[][] {
  const rng = createRng(seed);
  // Items in two loose groups, so that some items never co-occur.
  return Array.from({ length: m }, (_, a) => Array.from({ length: n }, (_, b) => (rng.nextFloat() < (a % 2 === b % 2 ? density : density / 6) ? 1 : 0)));
}

/** The kernel's solution for column `target` as a dense vector. */
function solve(x: ReturnType<typeof matrix>, target: number, l1: number, l2: number, positive: boolean, tol = 1e-12, maxIterations = 100000) {
  const s = slimScratch(x.m, x.n);
  const ids = new Int32Array(x.n);
  const w = new Float32Array(x.n);
  const count = slimColumn(x.iu.indptr, x.iu.indices, x.ui.indptr, x.ui.indices, target, l1, l2, positive, maxIterations, tol, s, ids, w, 0);
  const out = new Float64Array(x.n);
  for (let t = 0; t < count; t++) out[ids[t]] = w[t];
  return { w: out, count, ids, s };
}

/**
 * Slow reference on the dense matrix over every item j ≠ target: FISTA (accelerated proximal
 * gradient) on ½‖x_i − Xw‖² + ½ l2‖w‖² with the prox of l1‖w‖₁ (+ the projection on w ≥ 0).
 */
function fista(x: ReturnType<typeof matrix>, target: number, l1: number, l2: number, positive: boolean): Float64Array {
  const { m, n, dense } = x;
  // Lipschitz constant: ‖X‖_F² + l2 bounds λ_max(XᵀX) + l2.
  let lip = l2;
  for (let a = 0; a < m; a++) for (let b = 0; b < n; b++) lip += dense[a][b] ** 2;
  const step = 1 / lip;
  let w = new Float64Array(n);
  let y = new Float64Array(n);
  let t = 1;
  for (let it = 0; it < 200000; it++) {
    const r = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = dense[a][target];
      for (let b = 0; b < n; b++) s -= dense[a][b] * y[b];
      r[a] = s;
    }
    const next = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      if (b === target) continue;
      let g = l2 * y[b];
      for (let a = 0; a < m; a++) g -= dense[a][b] * r[a];
      const z = y[b] - step * g;
      const shrunk = Math.sign(z) * Math.max(0, Math.abs(z) - step * l1);
      next[b] = positive ? Math.max(0, shrunk) : shrunk;
    }
    const t2 = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    let change = 0;
    for (let b = 0; b < n; b++) {
      y[b] = next[b] + ((t - 1) / t2) * (next[b] - w[b]);
      change = Math.max(change, Math.abs(next[b] - w[b]));
    }
    w = next;
    t = t2;
    if (change < 1e-13 && it > 100) break;
  }
  return w;
}

/** −X_jᵀ (x_i − X w) for every j: the gradient of the squared-error part. */
function gradient(x: ReturnType<typeof matrix>, target: number, w: Float64Array): Float64Array {
  const { m, n, dense } = x;
  const g = new Float64Array(n);
  for (let a = 0; a < m; a++) {
    let r = dense[a][target];
    for (let b = 0; b < n; b++) r -= dense[a][b] * w[b];
    for (let b = 0; b < n; b++) g[b] -= dense[a][b] * r;
  }
  return g;
}

describe('slimColumn', () => {
  it('gives the hand-computed least-squares weights: a non-co-occurring item enters only without positivity', () => {
    // Users × items: i = item 0 has users {0, 1}; item 1 has {0, 1, 2}; item 2 has {2} (never with item 0).
    const x = matrix([
      [1, 1, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    // Unconstrained, no penalty: x_0 = X_1 − X_2 exactly, so w = (0, 1, −1).
    const free = solve(x, 0, 0, 0, false);
    expect(free.w[1]).toBeCloseTo(1, 6);
    expect(free.w[2]).toBeCloseTo(-1, 6);
    // Non-negative: w_1 = (x_1 · x_0)/‖x_1‖² = 2/3 and item 2 stays 0 (its gradient 2/3 ≥ 0).
    const pos = solve(x, 0, 0, 0, true);
    expect(pos.w[1]).toBeCloseTo(2 / 3, 6);
    expect(pos.w[2]).toBe(0);
    expect(pos.count).toBe(1);
    // With l1 = 0.5 and l2 = 1: w_1 = (2 − 0.5)/(3 + 1) = 0.375.
    expect(solve(x, 0, 0.5, 1, true).w[1]).toBeCloseTo(0.375, 6);
    // An l1 above every correlation (x_1 · x_0 = 2) zeroes the column.
    expect(solve(x, 0, 2, 1, true).count).toBe(0);
  });

  it('matches a dense FISTA reference over all items and meets the ElasticNet KKT conditions', () => {
    const x = matrix(randomBinary(1, 40, 18, 0.35));
    for (const positive of [true, false]) {
      for (const [l1, l2] of [[0.5, 2], [2, 0.5], [0, 5], [4, 10]]) {
        for (const target of [0, 3, 10, 17]) {
          const { w } = solve(x, target, l1, l2, positive);
          const ref = fista(x, target, l1, l2, positive);
          for (let j = 0; j < x.n; j++) expect(Math.abs(w[j] - ref[j])).toBeLessThan(2e-6);
          expect(w[target]).toBe(0);
          const g = gradient(x, target, w);
          for (let j = 0; j < x.n; j++) {
            if (j === target) continue;
            if (w[j] > 0) expect(g[j] + l2 * w[j] + l1).toBeCloseTo(0, 5);
            else if (w[j] < 0) expect(g[j] + l2 * w[j] - l1).toBeCloseTo(0, 5);
            else if (positive) expect(g[j] + l1).toBeGreaterThanOrEqual(-1e-5);
            else expect(Math.abs(g[j])).toBeLessThanOrEqual(l1 + 1e-5);
            if (positive) expect(w[j]).toBeGreaterThanOrEqual(0);
          }
        }
      }
    }
  });

  it('needs items outside the co-occurring ones without positivity, and finds them', () => {
    const x = matrix(randomBinary(2, 30, 16, 0.3));
    let outside = 0;
    for (let target = 0; target < x.n; target++) {
      const co = new Set<number>();
      for (let a = 0; a < x.m; a++) if (x.dense[a][target]) for (let b = 0; b < x.n; b++) if (x.dense[a][b]) co.add(b);
      const { w } = solve(x, target, 0.2, 1, false);
      const ref = fista(x, target, 0.2, 1, false);
      for (let j = 0; j < x.n; j++) {
        expect(Math.abs(w[j] - ref[j])).toBeLessThan(2e-6);
        if (!co.has(j) && ref[j] !== 0) outside++;
      }
      // With positivity only co-occurring items are non-zero.
      const pos = solve(x, target, 0.2, 1, true).w;
      for (let j = 0; j < x.n; j++) if (!co.has(j)) expect(pos[j]).toBe(0);
    }
    expect(outside).toBeGreaterThan(0);
  });

  it('stops at the tolerance and at maxIterations, and leaves its scratch clean for the next column', () => {
    const x = matrix(randomBinary(3, 40, 18, 0.35));
    const ref = fista(x, 4, 0.5, 1, true);
    const loose = solve(x, 4, 0.5, 1, true, 1e-2).w;
    const one = solve(x, 4, 0.5, 1, true, 0, 1).w;
    let errLoose = 0;
    let errOne = 0;
    for (let j = 0; j < x.n; j++) {
      errLoose = Math.max(errLoose, Math.abs(loose[j] - ref[j]));
      errOne = Math.max(errOne, Math.abs(one[j] - ref[j]));
    }
    expect(errLoose).toBeLessThan(0.05);
    expect(errOne).toBeGreaterThan(1e-6); // one full sweep (plus its active-set sweeps) is not converged
    // One scratch, several columns in a row (and one column twice): each as if alone.
    const s = slimScratch(x.m, x.n);
    const ids = new Int32Array(x.n);
    const w = new Float32Array(x.n);
    for (const target of [4, 7, 4, 0]) {
      const c = slimColumn(x.iu.indptr, x.iu.indices, x.ui.indptr, x.ui.indices, target, 0.5, 1, false, 1000, 1e-10, s, ids, w, 0);
      const alone = solve(x, target, 0.5, 1, false, 1e-10, 1000);
      expect([...ids.subarray(0, c)]).toEqual([...alone.ids.subarray(0, alone.count)]);
      expect(s.residual.every((v) => v === 0)).toBe(true);
      expect(s.weights.every((v) => v === 0)).toBe(true);
    }
  });

  it('writes from outOffset and returns nothing for an item without users', () => {
    const x = matrix([
      [1, 1, 0],
      [1, 1, 0],
    ]);
    const s = slimScratch(2, 3);
    const ids = new Int32Array(6).fill(-5);
    const w = new Float32Array(6);
    expect(slimColumn(x.iu.indptr, x.iu.indices, x.ui.indptr, x.ui.indices, 0, 0, 1, true, 100, 1e-8, s, ids, w, 3)).toBe(1);
    expect([...ids]).toEqual([-5, -5, -5, 1, -5, -5]);
    expect(w[3]).toBeCloseTo(2 / 3, 6); // (x_1 · x_0)/(‖x_1‖² + l2) = 2/3
    expect(slimColumn(x.iu.indptr, x.iu.indices, x.ui.indptr, x.ui.indices, 2, 0, 1, true, 100, 1e-8, s, ids, w, 0)).toBe(0);
  });
});
