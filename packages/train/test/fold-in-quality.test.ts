import { loadMovieLens } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';
import { describe, expect, it } from 'vitest';

/**
 * Fold-in on real data: users held out of training are folded in from a few of their ratings and
 * scored on the rest, against two independent references: the bias-only prediction (mu + b_i,
 * what a model knows without the user) and the fold-in without the prior (the same model's state
 * with rating_noise removed, as a file from before the prior loads).
 */
describe('BiasedMF fold-in on ml-latest-small', () => {
  it('from 3–10 ratings beats the bias-only prediction and the no-prior ridge; from 100 it matches the ridge', async () => {
    const { interactions: data } = await loadMovieLens('ml-latest-small');
    const count = new Int32Array(data.numUsers);
    for (const u of data.userIds) count[u]++;
    const heldOut = new Set([...count.keys()].filter((u) => count[u] >= 150).filter((_, j) => j % 3 === 0));
    const rows: number[] = [];
    for (let k = 0; k < data.length; k++) if (!heldOut.has(data.userIds[k])) rows.push(k);
    const model = new BiasedMF({ factors: 32, epochs: 25, seed: 1 });
    model.fit(data.subset(Int32Array.from(rows)));
    const state = model.getState();
    delete (state as Record<string, unknown>).rating_noise;
    const noPrior = new BiasedMF({ factors: 32, epochs: 25, seed: 1 });
    noPrior.setState(state);

    const byUser = new Map<number, number[]>();
    for (let k = 0; k < data.length; k++) if (heldOut.has(data.userIds[k])) (byUser.get(data.userIds[k]) ?? byUser.set(data.userIds[k], []).get(data.userIds[k])!).push(k);
    const rmse = (n: number) => {
      const se = { prior: 0, ridge: 0, bias: 0 };
      let m = 0;
      for (const ks of byUser.values()) {
        // Every 7th rating (by position) is given, the rest scored: a fixed, seed-free choice.
        const given = ks.filter((_, j) => j % 7 === 0).slice(0, n);
        const scored = ks.filter((k) => !given.includes(k));
        const items = Int32Array.from(given, (k) => data.itemIds[k]);
        const ratings = Float32Array.from(given, (k) => data.ratings![k]);
        const targets = Int32Array.from(scored, (k) => data.itemIds[k]);
        const preds = {
          prior: model.predictNew(model.foldIn(items, ratings), targets),
          ridge: noPrior.predictNew(noPrior.foldIn(items, ratings), targets),
          bias: model.predictNew(new Float32Array(33), targets),
        };
        scored.forEach((k, j) => {
          for (const key of ['prior', 'ridge', 'bias'] as const) se[key] += (preds[key][j] - data.ratings![k]) ** 2;
        });
        m += scored.length;
      }
      return { prior: Math.sqrt(se.prior / m), ridge: Math.sqrt(se.ridge / m), bias: Math.sqrt(se.bias / m) };
    };
    // Measured: 3 ratings 0.873 (prior) / 0.927 (ridge) / 0.940 (bias only); 10 ratings 0.846 /
    // 0.856 / 0.940; 100 ratings 0.826 / 0.822 / 0.939.
    const few = rmse(3);
    expect(few.prior).toBeLessThan(few.bias - 0.03);
    expect(few.prior).toBeLessThan(few.ridge - 0.03);
    const ten = rmse(10);
    expect(ten.prior).toBeLessThan(ten.bias);
    expect(ten.prior).toBeLessThan(ten.ridge);
    const many = rmse(100);
    expect(Math.abs(many.prior - many.ridge)).toBeLessThan(0.01);
    expect(many.prior).toBeLessThan(many.bias);
  }, 60_000);
});
