import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { SLIM } from './slim.js';

/** A random implicit log: two loose item groups, popularity rising with the id, some repeats. */
function randomLog(seed: number, numUsers: number, numItems: number, density: number): InteractionData {
  const rng = createRng(seed);
  const u: number[] = [];
  const i: number[] = [];
  for (let user = 0; user < numUsers; user++) {
    for (let item = 0; item < numItems; item++) {
      const p = (user % 2 === item % 2 ? density : density / 5) * (0.5 + item / numItems);
      if (rng.nextFloat() < p) {
        u.push(user);
        i.push(item);
        if (rng.nextFloat() < 0.1) (u.push(user), i.push(item));
      }
    }
  }
  return { userIds: Int32Array.from(u), itemIds: Int32Array.from(i), ratings: null, numUsers, numItems };
}

/**
 * Slow dense reference of W: for each column, cyclic coordinate descent over every other item
 * on the dense binary matrix (the residual recomputed from scratch for every coordinate), run
 * far past convergence.
 */
function denseSlim(d: InteractionData, l1: number, l2: number, positive: boolean): Float64Array {
  const m = d.numUsers;
  const n = d.numItems;
  const x = new Float64Array(m * n);
  for (let t = 0; t < d.userIds.length; t++) x[d.userIds[t] * n + d.itemIds[t]] = 1;
  const w = new Float64Array(n * n); // W[j, i] at j * n + i
  for (let i = 0; i < n; i++) {
    const col = new Float64Array(n);
    for (let sweep = 0; sweep < 400; sweep++) {
      let change = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let rho = 0;
        let sq = 0;
        for (let u = 0; u < m; u++) {
          let pred = 0;
          for (let k = 0; k < n; k++) if (k !== j) pred += x[u * n + k] * col[k];
          rho += x[u * n + j] * (x[u * n + i] - pred);
          sq += x[u * n + j] ** 2;
        }
        let next = Math.sign(rho) * Math.max(0, Math.abs(rho) - l1) / (sq + l2);
        if (positive) next = Math.max(0, next);
        if (sq + l2 === 0) next = 0;
        change = Math.max(change, Math.abs(next - col[j]));
        col[j] = next;
      }
      if (change < 1e-12) break;
    }
    for (let j = 0; j < n; j++) w[j * n + i] = col[j];
  }
  return w;
}

describe('SLIM', () => {
  const small = randomLog(1, 30, 14, 0.4);

  it('scores Σ_{j ∈ history} W[j, i] with W from a dense coordinate-descent reference', () => {
    for (const positive of [true, false]) {
      const [l1, l2] = [0.5, 2];
      const model = new SLIM({ l1, l2, positive, tolerance: 1e-10, maxIterations: 10000, neighbors: 14 });
      model.fit(small);
      const w = denseSlim(small, l1, l2, positive);
      const n = small.numItems;
      for (let u = 0; u < small.numUsers; u++) {
        const hist = new Set<number>();
        for (let t = 0; t < small.userIds.length; t++) if (small.userIds[t] === u) hist.add(small.itemIds[t]);
        const scores = model.scoreAllItems(u);
        for (let i = 0; i < n; i++) {
          let want = 0;
          for (const j of hist) want += w[j * n + i];
          expect(Math.abs(scores[i] - want)).toBeLessThan(1e-5);
        }
      }
      // similarItems of j ranks its row W[j, :].
      const j = 3;
      const sim = model.similarItems(j, 3);
      const row = Array.from({ length: n }, (_, i) => [i, w[j * n + i]] as const).filter(([i]) => i !== j);
      row.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      if (positive) expect([...sim.ids]).toEqual(row.slice(0, 3).map(([i]) => i));
    }
  });

  it('keeps each row’s `neighbors` largest weights (by magnitude), best first', () => {
    const [l1, l2] = [0.1, 1];
    const n = small.numItems;
    const w = denseSlim(small, l1, l2, false);
    const k = 3;
    const model = new SLIM({ l1, l2, positive: false, neighbors: k, tolerance: 1e-10, maxIterations: 10000 });
    model.fit(small);
    const state = model.getState();
    const ids = state.neighbor_ids.data;
    const weights = state.neighbor_weights.data;
    for (let j = 0; j < n; j++) {
      const row = Array.from({ length: n }, (_, i) => [i, w[j * n + i]] as const).filter(([, v]) => v !== 0);
      row.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0]);
      for (let t = 0; t < k; t++) {
        if (t < row.length) {
          expect(ids[j * k + t]).toBe(row[t][0]);
          expect(weights[j * k + t]).toBeCloseTo(row[t][1], 5);
        } else {
          expect(ids[j * k + t]).toBe(-1);
          expect(weights[j * k + t]).toBe(0);
        }
      }
    }
    // Some negative weights were kept.
    expect([...weights].some((v) => v < 0)).toBe(true);
  });

  it('gives bit-identical weights on 1, 2 and 3 threads', () => {
    const big = randomLog(2, 120, 150, 0.15); // 150 items: 5 chunks of 32
    const states = [1, 2, 3].map((threads) => {
      const model = new SLIM({ l1: 0.5, l2: 5, threads });
      model.fit(big);
      return model.getState();
    });
    for (const s of states.slice(1)) {
      for (const name of Object.keys(states[0])) expect(Buffer.from(s[name].data.buffer).equals(Buffer.from(states[0][name].data.buffer))).toBe(true);
    }
    expect(states[0].neighbor_ids.data.some((v) => v >= 0)).toBe(true);
    const unconstrained = [1, 2].map((threads) => {
      const model = new SLIM({ l1: 0.5, l2: 5, positive: false, threads });
      model.fit(big);
      return model.getState().neighbor_weights.data;
    });
    expect(Buffer.from(unconstrained[0].buffer).equals(Buffer.from(unconstrained[1].buffer))).toBe(true);
  });

  it('checks its options and round-trips getConfig', () => {
    expect(() => new SLIM({ alpha: 1 } as never)).toThrow(/SLIM: unknown option "alpha"/);
    expect(() => new SLIM({ l1: -1 })).toThrow(/SLIM: l1 must be in \[0, Infinity\), got -1/);
    expect(() => new SLIM({ l2: NaN })).toThrow(RangeError);
    expect(() => new SLIM({ positive: 'yes' } as never)).toThrow(TypeError);
    expect(() => new SLIM({ maxIterations: 0 })).toThrow(/maxIterations must be a positive integer, got 0/);
    expect(() => new SLIM({ tolerance: -1e-3 })).toThrow(/tolerance must be in/);
    expect(() => new SLIM({ neighbors: 2.5 })).toThrow(/neighbors must be a positive integer, got 2.5/);
    expect(() => new SLIM({ threads: 17 })).toThrow(/threads must be in \[1, 16\], got 17/);
    const model = new SLIM({ l1: 2, threads: 2 });
    expect(model.getConfig()).toEqual({ l1: 2, l2: 200, positive: true, maxIterations: 100, tolerance: 1e-3, neighbors: 100, threads: 2 });
    expect(new SLIM(model.getConfig() as never).config).toEqual(model.config);
  });
});
