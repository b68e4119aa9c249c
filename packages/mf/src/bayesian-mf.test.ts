import { Tensor } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { denseInverse, matVec } from '../test/dense-reference.js';
import { BayesianMF, BAYESIAN_MF_WEIGHT_NAMES } from './bayesian-mf.js';
import { WEIGHT_NAMES } from './factor-model.js';
import { plantedRatings, rmseOf } from '../test/fixtures.js';

const { train, test } = plantedRatings(60, 45, 0.6, 7, { rank: 3, biasStd: 0.5, scale: 0.6, mean: 3, clip: false });

describe('BayesianMF', () => {
  it('recovers held-out ratings of planted low-rank data to near the noise level', () => {
    const m = new BayesianMF({ factors: 3, epochs: 60, burnIn: 20 });
    m.fit(train);
    const spread = rmseOf(new Float32Array(test.ratings!.length).fill(3), test.ratings!);
    const ours = rmseOf(m.predict(test.userIds, test.itemIds), test.ratings!);
    expect(spread).toBeGreaterThan(1);
    expect(ours).toBeLessThan(0.25);
    // alpha is sampled: its posterior mean is near 1 / noise variance of the fit (noise sd 0.1 → 100).
    const alpha = m.getState()[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision].data[0];
    expect(alpha).toBeGreaterThan(30);
    expect(alpha).toBeLessThan(200);
  });

  it('serves the running means of the kept samples (after burnIn, every thin-th sweep), and the current sample before', () => {
    const k = 2;
    const m = new BayesianMF({ factors: k, burnIn: 3, thin: 2 });
    m.initialize(train, { seed: 5 });
    const chains: Float32Array[][] = [];
    for (let e = 0; e < 9; e++) {
      m.fitEpoch(train, e);
      const o = m.getTrainingState().optimizer;
      chains.push([o['chain.users'] as Float32Array, o['chain.items'] as Float32Array]);
      const s = m.getState();
      // Kept sweeps (0-based) 3, 5, 7; before sweep 3 the served model is the current sample.
      const kept = e < 3 ? [e] : [3, 5, 7].filter((x) => x <= e);
      const check = (side: 0 | 1, factors: string, bias: string, rows: number) => {
        for (let r = 0; r < rows; r++) {
          for (let f = 0; f <= k; f++) {
            const want = kept.reduce((acc, x) => acc + chains[x][side][r * (k + 1) + f], 0) / kept.length;
            const got = f < k ? s[factors].data[r * k + f] : s[bias].data[r];
            expect(got).toBeCloseTo(want, 5);
          }
        }
      };
      check(0, WEIGHT_NAMES.userFactors, WEIGHT_NAMES.userBias, 60);
      check(1, WEIGHT_NAMES.itemFactors, WEIGHT_NAMES.itemBias, 45);
    }
  });

  it('continues exactly from a training-state checkpoint', () => {
    const straight = new BayesianMF({ factors: 2, burnIn: 2 });
    straight.fit(train, { epochs: 6, seed: 3 });
    const first = new BayesianMF({ factors: 2, burnIn: 2 });
    first.fit(train, { epochs: 4, seed: 3 });
    const saved = first.getTrainingState();
    const resumed = new BayesianMF({ factors: 2, burnIn: 2 });
    resumed.initialize(train, { seed: 3 });
    resumed.setTrainingState(saved);
    resumed.fitEpoch(train, 4);
    resumed.fitEpoch(train, 5);
    const a = straight.getState();
    const b = resumed.getState();
    for (const name of Object.keys(a)) expect([...b[name].data]).toEqual([...a[name].data]);
    expect(() => resumed.setTrainingState({ weights: saved.weights, optimizer: { 'chain.users': new Float32Array(3) } })).toThrow(/optimizer state "chain.users" must be a Float32Array of length 180, got length 3/);
    expect(() => resumed.setTrainingState({ weights: saved.weights, optimizer: { ...saved.optimizer, extra: 1 } })).toThrow(/unknown key "extra"/);
  });

  it('folds in a new user as the posterior mean given the served items and hyper-parameters (dense reference)', () => {
    for (const biases of [true, false]) {
      const m = new BayesianMF({ factors: 3, epochs: 15, burnIn: 5, biases });
      m.fit(train);
      const s = m.getState();
      const k = 3;
      const d = biases ? 4 : 3;
      const Q = s[WEIGHT_NAMES.itemFactors].data;
      const mu = s[WEIGHT_NAMES.globalMean].data[0];
      const alpha = s[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision].data[0];
      const lambda = s[BAYESIAN_MF_WEIGHT_NAMES.userPriorPrecision].data;
      const mean = s[BAYESIAN_MF_WEIGHT_NAMES.userPriorMean].data;
      const items = Int32Array.of(4, 11, 30, 2);
      const ratings = Float32Array.of(4, 2.5, 3, 5);
      const p = Float64Array.from(lambda);
      const h = matVec(lambda, mean, d);
      items.forEach((i, t) => {
        const phi = Array.from({ length: d }, (_, f) => (f < k ? Q[i * k + f] : 1));
        const y = ratings[t] - mu - (biases ? s[WEIGHT_NAMES.itemBias].data[i] : 0);
        for (let a = 0; a < d; a++) {
          h[a] += alpha * phi[a] * y;
          for (let b = 0; b < d; b++) p[a * d + b] += alpha * phi[a] * phi[b];
        }
      });
      const want = matVec(denseInverse(p, d), h, d);
      const v = m.foldIn(items, ratings);
      expect(v.length).toBe(d);
      want.forEach((x, f) => expect(v[f]).toBeCloseTo(x, 4));
      if (!biases) expect(s[WEIGHT_NAMES.userBias]).toBeUndefined();
    }
  });

  it('setState round-trips predictions, fold-in and the fixed noise precision', () => {
    const m = new BayesianMF({ factors: 3, epochs: 10, burnIn: 4, alpha: 3 });
    m.fit(train);
    const s = m.getState();
    expect(s[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision].data[0]).toBe(3);
    const fresh = new BayesianMF({ factors: 3, alpha: 3 });
    fresh.setState(s);
    expect([...fresh.predict(test.userIds, test.itemIds)]).toEqual([...m.predict(test.userIds, test.itemIds)]);
    const items = Int32Array.of(1, 2, 3);
    const ratings = Float32Array.of(5, 1, 3);
    expect([...fresh.foldIn(items, ratings)]).toEqual([...m.foldIn(items, ratings)]);
    const bad = { ...s, [BAYESIAN_MF_WEIGHT_NAMES.noisePrecision]: new Tensor(Float32Array.of(0), [1]) };
    expect(() => new BayesianMF({ factors: 3 }).setState(bad)).toThrow(/noise_precision" \[1\] holding a finite number > 0, got 0/);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => new BayesianMF({ burnin: 3 } as never)).toThrow(/unknown option "burnin"/);
    expect(() => new BayesianMF({ factors: 0 })).toThrow(/BayesianMF: factors must be a positive integer, got 0/);
    expect(() => new BayesianMF({ thin: 0 })).toThrow(/thin must be a positive integer, got 0/);
    expect(() => new BayesianMF({ burnIn: -1 })).toThrow(/burnIn must be a non-negative integer, got -1/);
    expect(() => new BayesianMF({ alpha: 0 })).toThrow(RangeError);
    expect(() => new BayesianMF({ alpha: 0 })).toThrow(/alpha must be in \(0, Infinity\), got 0/);
    expect(() => new BayesianMF({ alpha: 'fixed' } as never)).toThrow(TypeError);
    expect(() => new BayesianMF({ alpha: 'fixed' } as never)).toThrow(/alpha must be a number > 0 or 'sample', got/);
    expect(() => new BayesianMF({ biases: 1 } as never)).toThrow(/biases must be a boolean/);
    expect(() => new BayesianMF({ initStd: 0 })).toThrow(/initStd must be in \(0, Infinity\)/);
  });
});
