import { describe, expect, it } from 'vitest';
import { plantedData, itemsOf } from '../test/fixtures.js';
import { BiasedMF } from './biased-mf.js';
import { Baseline } from './baseline.js';

const data = plantedData();

describe('BiasedMF', () => {
  it('rejects bad options with the option name and value', () => {
    expect(() => new BiasedMF({ factors: 0 })).toThrow(/BiasedMF: factors must be a positive integer, got 0/);
    expect(() => new BiasedMF({ lr: -1 })).toThrow(/BiasedMF: lr must be in \(0, Infinity\), got -1/);
    expect(() => new BiasedMF({ reg: -0.1 })).toThrow(/BiasedMF: reg must be in \[0, Infinity\), got -0.1/);
    expect(() => new BiasedMF({ solver: 'als' as never })).toThrow(/solver.kind must be one of 'sgd', 'minibatch', got "als"/);
    expect(() => new BiasedMF({ solver: { kind: 'minibatch', optimizer: 'adam' as never } })).toThrow(/solver.optimizer must be one of 'sgd', 'adagrad', 'sparse-adam', got "adam"/);
    expect(() => new BiasedMF({ factor: 3 } as never)).toThrow(/unknown option "factor"/);
  });

  it('builds its seen-items index from the training data on first use (not during fit)', () => {
    const data = plantedData();
    const m = new BiasedMF({ factors: 4, epochs: 1, solver: { kind: 'sgd', schedule: 'blocks' } });
    m.fit(data);
    const seen = m.seenItems()!;
    for (let u = 0; u < data.numUsers; u++) {
      const expected = [...itemsOf(data, u).items].sort((a, b) => a - b);
      expect([...seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1])]).toEqual(expected);
      const rec = m.recommend(u, 4, { filterSeen: true }).ids;
      for (const i of rec) expect(expected).not.toContain(i);
    }
  });

  it('needs ratings', () => {
    expect(() => new BiasedMF().fit({ ...data, ratings: null })).toThrow(/data.ratings must be a Float32Array for an explicit-feedback model, got null/);
  });

  it('fits the training ratings (training RMSE far below the rating spread)', () => {
    const m = new BiasedMF({ factors: 4, epochs: 200, lr: 0.02, reg: 0.01 });
    const losses: number[] = [];
    m.fit(data, { onEpochEnd: (_e, { loss }) => void losses.push(loss) });
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 10);
    const p = m.predict(data.userIds, data.itemIds);
    let se = 0;
    for (let n = 0; n < p.length; n++) se += (p[n] - data.ratings![n]) ** 2;
    expect(Math.sqrt(se / p.length)).toBeLessThan(0.3);
    // Clipped to the training range [1, 5].
    const all = m.predict(new Int32Array(120).map((_, n) => n % 12), new Int32Array(120).map((_, n) => n % 10));
    for (const v of all) expect(v >= 1 && v <= 5).toBe(true);
  });

  it('minibatch SGD with batch size 1 follows the fast per-rating path', () => {
    const fast = new BiasedMF({ factors: 3, epochs: 3, lr: 0.01, seed: 4 });
    const slow = new BiasedMF({ factors: 3, epochs: 3, lr: 0.01, seed: 4, solver: { kind: 'minibatch', optimizer: 'sgd', batchSize: 1 } });
    fast.fit(data);
    slow.fit(data);
    const a = fast.getState();
    const b = slow.getState();
    for (const k of Object.keys(a)) {
      a[k].data.forEach((v, n) => expect(b[k].data[n]).toBeCloseTo(v, 5));
    }
  });

  for (const optimizer of ['adagrad', 'sparse-adam'] as const) {
    it(`minibatch with ${optimizer} lowers the training error`, () => {
      const m = new BiasedMF({ factors: 3, epochs: 30, lr: 0.05, solver: { kind: 'minibatch', optimizer, batchSize: 16 } });
      const losses: number[] = [];
      m.fit(data, { onEpochEnd: (_e, { loss }) => void losses.push(loss) });
      expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    });
  }

  it('folds in a training user close to their learned vector', () => {
    const m = new BiasedMF({ factors: 3, epochs: 400, lr: 0.01, reg: 0.05, regBias: 0.05 });
    m.fit(data);
    const { userFactors } = m.factorsCopy();
    const bias = m.getState().user_bias.data;
    for (const u of [0, 7]) {
      const { items, ratings } = itemsOf(data, u);
      const v = m.foldIn(items, ratings);
      const learned = [...userFactors.subarray(3 * u, 3 * u + 3), bias[u]];
      const dist = Math.sqrt(learned.reduce((s, x, f) => s + (x - v[f]) ** 2, 0));
      const norm = Math.sqrt(learned.reduce((s, x) => s + x * x, 0));
      expect(dist / norm).toBeLessThan(0.15);
      // Predictions for the folded-in user track the learned user's.
      const pn = m.predictNew(v, items);
      const pl = m.predict(new Int32Array(items.length).fill(u), items);
      pn.forEach((x, n) => expect(Math.abs(x - pl[n])).toBeLessThan(0.2));
    }
  });

  it('the fold-in vector is the MAP point: SGD balance plus the prior fitted to the trained users (zero gradient)', () => {
    const m = new BiasedMF({ factors: 2, epochs: 5, reg: 0.1, regBias: 0.03 });
    m.fit(data);
    const items = Int32Array.of(0, 3, 7);
    const ratings = Float32Array.of(5, 4, 1);
    const s = m.getState();
    const Q = s['item_embedding.weight'].data;
    const P = s['user_embedding.weight'].data;
    const bu = s.user_bias.data;
    const bi = s.item_bias.data;
    const mu = s.global_mean.data[0];
    const noise = s.rating_noise.data[0];
    expect(noise).toBeGreaterThan(0); // the last epoch's training MSE
    const meanSq = (a: Float32Array): number => a.reduce((acc, x) => acc + x * x, 0) / a.length;
    const gradient = (v: Float32Array, priorP: number, priorB: number): number[] => {
      const g = [-priorP * v[0], -priorP * v[1], -priorB * v[2]];
      items.forEach((i, t) => {
        const e = ratings[t] - (mu + bi[i] + v[2] + v[0] * Q[2 * i] + v[1] * Q[2 * i + 1]);
        g[0] += e * Q[2 * i] - 0.1 * v[0];
        g[1] += e * Q[2 * i + 1] - 0.1 * v[1];
        g[2] += e - 0.03 * v[2];
      });
      return g;
    };
    const v = m.foldIn(items, ratings);
    for (const x of gradient(v, noise / meanSq(P), noise / meanSq(bu))) expect(Math.abs(x)).toBeLessThan(1e-4);
    // A state saved before rating_noise existed loads, and fold-in is then the plain SGD balance.
    const old = m.getState();
    delete (old as Record<string, unknown>).rating_noise;
    const loaded = new BiasedMF({ factors: 2, reg: 0.1, regBias: 0.03 });
    loaded.setState(old);
    expect(loaded.getState().rating_noise.data[0]).toBe(0);
    const plain = loaded.foldIn(items, ratings);
    for (const x of gradient(plain, 0, 0)) expect(Math.abs(x)).toBeLessThan(1e-4);
    expect(Array.from(loaded.predict(Int32Array.of(1, 4), Int32Array.of(2, 5)))).toEqual(Array.from(m.predict(Int32Array.of(1, 4), Int32Array.of(2, 5))));
  });
});

describe('Baseline', () => {
  it('learns the hand-computable biases of a separable log', () => {
    // r = 3 + a_u + b_i exactly; with no regularisation SGD recovers the additive structure.
    const a = [0.5, -0.5, 0];
    const b = [1, -1, 0.25, 0];
    const u: number[] = [];
    const i: number[] = [];
    const r: number[] = [];
    for (let x = 0; x < 3; x++) for (let y = 0; y < 4; y++) { u.push(x); i.push(y); r.push(3 + a[x] + b[y]); }
    const d = { userIds: Int32Array.from(u), itemIds: Int32Array.from(i), ratings: Float32Array.from(r), numUsers: 3, numItems: 4 };
    const m = new Baseline({ epochs: 400, lr: 0.05, reg: 0 });
    m.fit(d);
    const p = m.predict(d.userIds, d.itemIds);
    p.forEach((v, n) => expect(v).toBeCloseTo(r[n], 3));
    expect(m.getState().global_mean.data[0]).toBeCloseTo(3 + 0 + 0.0625, 5);
  });

  it('rejects bad options', () => {
    expect(() => new Baseline({ reg: -1 })).toThrow(/Baseline: reg must be in \[0, Infinity\), got -1/);
    expect(() => new Baseline({ factors: 3 } as never)).toThrow(/unknown option "factors"/);
  });
});
