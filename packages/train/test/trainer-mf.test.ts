// Trainer with real @quiver/mf models on a small synthetic dataset.
import { createRng } from '@quiver/base';
import { fromArrays, randomSplit, type Interactions } from '@quiver/data';
import { ALS, BiasedMF } from '@quiver/mf';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../src/evaluate-ranking.js';
import { evaluateRatings } from '../src/evaluate-ratings.js';
import { train, Trainer } from '../src/trainer.js';
import { TrainingDivergedError } from '../src/training-diverged-error.js';

/** 60 users × 40 items from a rank-2 taste model plus noise; about 40% of pairs observed. */
function synthetic(): Interactions {
  const rng = createRng(123);
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const uf = Array.from({ length: 60 }, () => [rng.normal(), rng.normal()]);
  const vf = Array.from({ length: 40 }, () => [rng.normal(), rng.normal()]);
  for (let u = 0; u < 60; u++) {
    for (let i = 0; i < 40; i++) {
      if (rng.nextFloat() < 0.4) {
        users.push(u);
        items.push(i);
        const r = 3 + 0.8 * (uf[u][0] * vf[i][0] + uf[u][1] * vf[i][1]) + 0.3 * rng.normal();
        ratings.push(Math.min(5, Math.max(1, Math.round(r * 2) / 2)));
      }
    }
  }
  return fromArrays({ userIds: users, itemIds: items, ratings });
}

const data = synthetic();
const weightsOf = (m: BiasedMF) => Object.fromEntries(Object.entries(m.getState()).map(([k, v]) => [k, Array.from(v.data)]));

describe('Trainer with BiasedMF', () => {
  it('is deterministic for a seed, and the seed matters', () => {
    const run = (seed: number) => {
      const m = new BiasedMF({ factors: 4, epochs: 3 });
      const h = train(m, data, { seed, validationSplit: 0.2 });
      return { w: weightsOf(m), loss: h.loss, val: h.metric('val_rmse') };
    };
    const a = run(7);
    const b = run(7);
    expect(b.w).toEqual(a.w);
    expect(b.loss).toEqual(a.loss);
    expect(b.val).toEqual(a.val);
    expect(run(8).w).not.toEqual(a.w);
  });

  it('drives the mini-batch solver (batch size and optimizer are model hyper-parameters)', () => {
    const run = () => {
      const m = new BiasedMF({ factors: 4, solver: { kind: 'minibatch', batchSize: 64, optimizer: 'adagrad' }, lr: 0.05 });
      return { h: train(m, data, { epochs: 4, seed: 1 }), w: weightsOf(m) };
    };
    const a = run();
    expect(a.h.loss[3]).toBeLessThan(a.h.loss[0]);
    expect(run().w).toEqual(a.w);
  });

  it('onBatchEnd fires once per mini-batch, and the weights equal a run without it', () => {
    const batches: string[] = [];
    const hooked = new BiasedMF({ factors: 4, epochs: 2, solver: { kind: 'minibatch', batchSize: 256 } });
    train(hooked, data, { seed: 3, onBatchEnd: (b, l) => batches.push(`${l.epoch}.${b}/${l.numBatches}`) });
    const plain = new BiasedMF({ factors: 4, epochs: 2, solver: { kind: 'minibatch', batchSize: 256 } });
    train(plain, data, { seed: 3 });
    const numBatches = Math.ceil(data.length / 256);
    expect(batches.length).toBe(2 * numBatches);
    expect(batches[0]).toBe(`0.0/${numBatches}`);
    expect(batches.at(-1)).toBe(`1.${numBatches - 1}/${numBatches}`);
    expect(weightsOf(hooked)).toEqual(weightsOf(plain));
  });

  it('validationSplit holds out a seeded, disjoint part', () => {
    const trainer = new Trainer({ epochs: 1, seed: 3, validationSplit: 0.25 });
    trainer.fit(new BiasedMF({ factors: 2 }), data);
    const tr = trainer.trainData!;
    const va = trainer.validationData!;
    expect(tr.userIds.length + va.userIds.length).toBeLessThanOrEqual(data.length);
    expect(va.userIds.length).toBeGreaterThan(0.2 * data.length);
    const pairs = new Set(Array.from(tr.userIds, (u, k) => `${u}:${tr.itemIds[k]}`));
    for (let k = 0; k < va.userIds.length; k++) expect(pairs.has(`${va.userIds[k]}:${va.itemIds[k]}`)).toBe(false);
  });

  it('restores the weights of the best validation epoch', () => {
    const { train: tr, test: va } = randomSplit(data, { testFraction: 0.2, seed: 1 });
    // A high learning rate and no regularisation overfit quickly, so val_rmse turns upward.
    const model = new BiasedMF({ factors: 16, lr: 0.05, reg: 0, regBias: 0 });
    const h = train(model, tr, { epochs: 40, validationData: va, patience: 3 });
    expect(h.stoppedEarly).toBe(true);
    expect(h.restoredBest).toBe(true);
    const best = h.metric('val_rmse')[h.bestEpoch!];
    expect(Math.min(...h.metric('val_rmse'))).toBe(best);
    expect(evaluateRatings(model, va).metrics.rmse).toBeCloseTo(best, 10);
    expect(h.epochs.length).toBe(h.bestEpoch! + 4);
  });

  it('stops with a clear error when a huge learning rate makes it diverge, keeping finite weights', () => {
    const model = new BiasedMF({ factors: 4, lr: 100 });
    let error: unknown;
    try {
      train(model, data, { epochs: 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/^Trainer\.fit: training diverged at epoch \d+(, batch \d+ of \d+)?: .*; try a lower learning rate \(lr is 100\)$/);
    for (const w of Object.values(model.getState())) for (const x of w.data) expect(Number.isFinite(x)).toBe(true);
  });
});

describe('Trainer with ALS (ranking validation)', () => {
  it('accepts the NaN loss of ALS with computeLoss: false (weights are still checked)', () => {
    const h = train(new ALS({ factors: 4, computeLoss: false }), data, { epochs: 2 });
    expect(h.loss.every((x) => Number.isNaN(x))).toBe(true);
    expect(() => train(new ALS({ factors: 4, computeLoss: false }), data, { epochs: 2, patience: 1 })).toThrow(
      /Trainer.fit: monitor must be a validation metric for model 'als' with computeLoss: false \(it reports no loss\), got 'loss'/,
    );
  });

  it('monitors val_ndcg@5 and the restored model scores the best value', () => {
    const { train: tr, test: va } = randomSplit(data, { testFraction: 0.2, seed: 2 });
    const model = new ALS({ factors: 8, reg: 0.1 });
    const h = train(model, tr, { epochs: 6, validationData: va, k: 5, relevantMin: 3.5, patience: 1 });
    expect(h.monitor).toBe('val_ndcg@5');
    const best = h.metric('val_ndcg@5')[h.bestEpoch!];
    expect(Math.max(...h.metric('val_ndcg@5'))).toBe(best);
    expect(evaluateRanking(model, tr, va, { k: 5, relevantMin: 3.5, auc: false }).metrics['ndcg@5']).toBeCloseTo(best, 10);
  });
});
