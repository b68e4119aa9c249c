import { Tensor } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { Baseline } from './baseline.js';
import { WEIGHT_NAMES } from './factor-model.js';
import { SVDpp, SVDPP_WEIGHT_NAMES } from './svdpp.js';
import { plantedRatings, rmseOf } from '../test/fixtures.js';

const { train, test } = plantedRatings(50, 40, 0.5, 3, { rank: 2, biasStd: 0.4, scale: 0.8, mean: 3.3, clip: true });

describe('SVDpp', () => {
  const model = new SVDpp({ factors: 4, epochs: 80, lr: 0.02, reg: 0.02 });
  const losses: number[] = [];
  model.fit(train, { onEpochEnd: (_e, { loss }) => void losses.push(loss) });

  it('lowers the training loss and beats the biases-only baseline on held-out ratings', () => {
    expect(losses.length).toBe(80);
    expect(losses[79]).toBeLessThan(0.5 * losses[0]);
    for (let e = 10; e < 80; e += 10) expect(losses[e]).toBeLessThan(losses[e - 10]);
    const base = new Baseline({ epochs: 40, lr: 0.02 });
    base.fit(train);
    const ours = rmseOf(model.predict(test.userIds, test.itemIds), test.ratings!);
    expect(ours).toBeLessThan(0.7 * rmseOf(base.predict(test.userIds, test.itemIds), test.ratings!));
  });

  it('predicts mu + b_u + b_i + ⟨q_i, p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j⟩ from its weights, N(u) the training items', () => {
    const s = model.getState();
    const k = 4;
    const P = s[SVDPP_WEIGHT_NAMES.explicitUserFactors].data;
    const Y = s[SVDPP_WEIGHT_NAMES.implicitItemFactors].data;
    const Q = s[WEIGHT_NAMES.itemFactors].data;
    const bu = s[WEIGHT_NAMES.userBias].data;
    const bi = s[WEIGHT_NAMES.itemBias].data;
    const mu = s[WEIGHT_NAMES.globalMean].data[0];
    const [lo, hi] = s[WEIGHT_NAMES.ratingRange].data;
    const users = Int32Array.from({ length: 50 * 40 }, (_, n) => Math.floor(n / 40));
    const items = Int32Array.from({ length: 50 * 40 }, (_, n) => n % 40);
    const got = model.predict(users, items);
    for (let n = 0; n < users.length; n++) {
      const u = users[n];
      const i = items[n];
      const rated: number[] = [];
      for (let t = 0; t < train.userIds.length; t++) if (train.userIds[t] === u) rated.push(train.itemIds[t]);
      let dot = 0;
      for (let f = 0; f < k; f++) {
        let z = P[u * k + f];
        for (const j of rated) z += Y[j * k + f] / Math.sqrt(rated.length);
        dot += Q[i * k + f] * z;
      }
      expect(got[n]).toBeCloseTo(Math.min(hi, Math.max(lo, mu + bu[u] + bi[i] + dot)), 4);
    }
  });

  it('setState restores predictions exactly, recomputing the effective user vectors from p, y and the history', () => {
    const users = Int32Array.from({ length: 50 }, (_, u) => u);
    const items = Int32Array.from({ length: 50 }, (_, u) => (u * 7) % 40);
    const before = model.predict(users, items);
    const state = model.getState();
    // The effective vectors are derived: a state with them zeroed loads to the same model.
    state[WEIGHT_NAMES.userFactors] = new Tensor(new Float32Array(50 * 4), [50, 4]);
    const fresh = new SVDpp({ factors: 4 });
    fresh.setState(state);
    expect([...fresh.predict(users, items)]).toEqual([...before]);
    expect([...fresh.getState()[WEIGHT_NAMES.userFactors].data]).toEqual([...model.getState()[WEIGHT_NAMES.userFactors].data]);
    expect([...fresh.recommend(3, 5, { filterSeen: false }).ids]).toEqual([...model.recommend(3, 5, { filterSeen: false }).ids]);
  });

  it('setState refuses a history that disagrees with the counts or holds bad item ids', () => {
    const good = model.getState();
    const history = good[SVDPP_WEIGHT_NAMES.userHistory];
    const short = { ...good, [SVDPP_WEIGHT_NAMES.userHistory]: new Tensor(history.data.slice(1), [history.data.length - 1]) };
    expect(() => new SVDpp({ factors: 4 }).setState(short)).toThrow(/user_history must hold sum\(user_activity\) = \d+ item ids, got \d+/);
    const bad = history.data.slice();
    bad[2] = 40;
    expect(() => new SVDpp({ factors: 4 }).setState({ ...good, [SVDPP_WEIGHT_NAMES.userHistory]: new Tensor(bad, history.shape) })).toThrow(/user_history must hold item ids in \[0, 40\), got 40 at position 2/);
    const activity = good[SVDPP_WEIGHT_NAMES.userActivity].data.slice();
    activity[0] = 1.5;
    expect(() => new SVDpp({ factors: 4 }).setState({ ...good, [SVDPP_WEIGHT_NAMES.userActivity]: new Tensor(activity, [50]) })).toThrow(/user_activity must hold non-negative integer counts, got 1.5 for user 0/);
    const { [SVDPP_WEIGHT_NAMES.implicitItemFactors]: _y, ...noY } = good;
    expect(() => new SVDpp({ factors: 4 }).setState(noY)).toThrow(/state must contain tensor "implicit_item_embedding.weight"/);
  });

  it('folds in a new user: the implicit part from their items, p and b_u from the ridge solve with the items fixed', () => {
    const s = model.getState();
    const k = 4;
    const P = s[SVDPP_WEIGHT_NAMES.explicitUserFactors].data;
    const Y = s[SVDPP_WEIGHT_NAMES.implicitItemFactors].data;
    const Q = s[WEIGHT_NAMES.itemFactors].data;
    const bu = s[WEIGHT_NAMES.userBias].data;
    const bi = s[WEIGHT_NAMES.itemBias].data;
    const mu = s[WEIGHT_NAMES.globalMean].data[0];
    const noise = s[WEIGHT_NAMES.ratingNoise].data[0];
    const items = Int32Array.of(3, 17, 8, 30, 22);
    const ratings = Float32Array.of(4.5, 2, 3.5, 5, 1.5);
    const v = model.foldIn(items, ratings);
    expect(v.length).toBe(k + 1);
    const n = items.length;
    const imp = Array.from({ length: k }, (_, f) => [...items].reduce((acc, j) => acc + Y[j * k + f], 0) / Math.sqrt(n));
    const p = Array.from({ length: k }, (_, f) => v[f] - imp[f]);
    const b = v[k];
    // The objective's prior strengths: n·reg plus noise / (mean square of the trained p and b_u).
    const factorVar = P.reduce((acc, x) => acc + x * x, 0) / P.length;
    const biasVar = bu.reduce((acc, x) => acc + x * x, 0) / bu.length;
    const lp = n * 0.02 + noise / factorVar;
    const lb = n * model.config.regBias + noise / biasVar;
    // The gradient of Σ e² + lp‖p‖² + lb b² is zero at the solution.
    const gp = p.map((x) => lp * x);
    let gb = lb * b;
    for (let t = 0; t < n; t++) {
      const i = items[t];
      let dot = 0;
      for (let f = 0; f < k; f++) dot += Q[i * k + f] * (p[f] + imp[f]);
      const e = ratings[t] - (mu + bi[i] + b + dot);
      for (let f = 0; f < k; f++) gp[f] -= e * Q[i * k + f];
      gb -= e;
    }
    for (const g of [...gp, gb]) expect(Math.abs(g)).toBeLessThan(1e-4);
    // predictNew scores the vector as a known user's effective vector.
    const pred = model.predictNew(v, Int32Array.of(0, 5));
    [0, 5].forEach((i, t) => {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += Q[i * k + f] * v[f];
      expect(pred[t]).toBeCloseTo(mu + bi[i] + b + dot, 4);
    });
  });

  it('is deterministic and the same through initialize + fitEpoch as through fit', () => {
    const a = new SVDpp({ factors: 3, epochs: 3 });
    a.fit(train, { seed: 9 });
    const b = new SVDpp({ factors: 3 });
    b.initialize(train, { seed: 9 });
    for (let e = 0; e < 3; e++) b.fitEpoch(train, e);
    const sa = a.getState();
    const sb = b.getState();
    for (const name of Object.keys(sa)) expect([...sb[name].data]).toEqual([...sa[name].data]);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => new SVDpp({ factor: 3 } as never)).toThrow(TypeError);
    expect(() => new SVDpp({ factor: 3 } as never)).toThrow(/unknown option "factor"/);
    expect(() => new SVDpp({ factors: 0 })).toThrow(/SVDpp: factors must be a positive integer, got 0/);
    expect(() => new SVDpp({ lr: 0 })).toThrow(RangeError);
    expect(() => new SVDpp({ lr: 0 })).toThrow(/SVDpp: lr must be in \(0, Infinity\)/);
    expect(() => new SVDpp({ reg: -0.1 })).toThrow(/SVDpp: reg must be in \[0, Infinity\)/);
    expect(() => new SVDpp({ regImplicit: -1 })).toThrow(/regImplicit must be in \[0, Infinity\)/);
    expect(() => new SVDpp({ regImplicit: 'x' } as never)).toThrow(TypeError);
    expect(() => new SVDpp({ epochs: 1.5 })).toThrow(/epochs must be a non-negative integer, got 1.5/);
    expect(new SVDpp({ reg: 0.03 }).config.regImplicit).toBe(0.02);
    expect(new SVDpp({ lr: 0.002 }).config.lrBias).toBe(0.0015);
  });

  it('refuses implicit data', () => {
    expect(() => new SVDpp().fit({ ...train, ratings: null })).toThrow(/ratings/);
  });
});
