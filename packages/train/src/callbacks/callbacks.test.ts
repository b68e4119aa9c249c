import { Tensor } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { ScriptedModel, triples } from '../../test/fake-models.js';
import { History } from '../history.js';
import type { InteractionData, TrainableModel } from '../model-types.js';
import { TrainingDivergedError } from '../training-diverged-error.js';
import type { TrainingRun } from './callback.js';
import { DivergenceGuard } from './divergence-guard.js';
import { EarlyStopping } from './early-stopping.js';
import { LambdaCallback } from './lambda-callback.js';

const data = triples([[0, 0, 4], [1, 1, 3]], 2, 2);

/** A run context as a hand-written loop builds it. */
function handRun(model: TrainableModel, epochs: number): TrainingRun & { epoch: number } {
  const history = new History();
  let stopping = false;
  const run = {
    model, train: data as InteractionData, validation: null, epochs, seed: 1, config: model.getConfig(), history,
    lastCheckpoint: null as string | null, epoch: 0,
    get stopRequested() { return stopping; },
    stop() { stopping = true; if (run.epoch < epochs - 1) history.stoppedEarly = true; },
  };
  return run;
}

describe('callbacks in a hand-written loop', () => {
  it('EarlyStopping tracks the best epoch, stops after patience and restores the best weights', () => {
    // Losses 0.5, 0.3, 0.4, 0.45, 0.2: the best is epoch 1, patience 2 stops after epoch 3.
    const losses = [0.5, 0.3, 0.4, 0.45, 0.2];
    const model = new ScriptedModel('biased-mf', [10, 11, 12, 13, 14], losses);
    const run = handRun(model, 5);
    const es = new EarlyStopping({ monitor: 'loss', patience: 2 });
    model.initialize(data, { seed: 1 });
    es.onTrainBegin(run);
    let ran = 0;
    for (let epoch = 0; epoch < 5; epoch++) {
      run.epoch = epoch;
      const loss = model.fitEpoch(data, epoch);
      run.history.push({ epoch, loss, metrics: {}, seconds: 0 });
      es.onEpochEnd(run, { epoch, loss, metrics: {}, startedAt: 0 });
      ran++;
      if (run.stopRequested) break;
    }
    es.onTrainEnd(run);
    expect(ran).toBe(4);
    expect(run.history).toMatchObject({ monitor: 'loss', bestEpoch: 1, stoppedEarly: true, restoredBest: true });
    expect(model.w).toBe(11); // the weights of epoch 1
    expect(es.progress()).toEqual({ best: 0.3, bestEpoch: 1, wait: 2 });
  });

  it('EarlyStopping names the metrics it can monitor when the one asked for is missing', () => {
    const model = new ScriptedModel('als', [1]);
    const run = handRun(model, 1);
    expect(() => new EarlyStopping({ monitor: 'val_ndcg@10' }).onEpochEnd(run, { epoch: 0, loss: 1, metrics: { val_rmse: 1 }, startedAt: 0 })).toThrow(
      /monitor must be one of 'loss', 'val_rmse', got 'val_ndcg@10'/,
    );
  });

  it('DivergenceGuard restores the last good weights and names the epoch', () => {
    const model = new ScriptedModel('biased-mf', [2, NaN]);
    const run = handRun(model, 2);
    const guard = new DivergenceGuard();
    model.initialize(data, { seed: 1 });
    guard.onTrainBegin(run);
    model.fitEpoch(data, 0);
    guard.onEpochEnd(run, { epoch: 0, loss: 0.5, metrics: {}, startedAt: 0 });
    model.fitEpoch(data, 1);
    let err: unknown;
    try {
      guard.onEpochEnd(run, { epoch: 1, loss: 0.4, metrics: {}, startedAt: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as Error).message).toMatch(/^Trainer.fit: training diverged at epoch 2: weight "w" holds NaN at \[0\]; the weights after epoch 1 were restored/);
    expect(model.w).toBe(2);
    expect(guard.lastGoodWeights!.w).toBeInstanceOf(Tensor);
  });

  it('LambdaCallback passes logs and stops when the function returns false', () => {
    const model = new ScriptedModel('als', [1, 2, 3]);
    const run = handRun(model, 3);
    const seen: string[] = [];
    const cb = new LambdaCallback({ onEpochEnd: (e, logs) => (seen.push(`${e}:${logs.loss}:${logs.val_x}`), e < 1) });
    cb.onEpochEnd(run, { epoch: 0, loss: 0.5, metrics: { val_x: 7 }, startedAt: 0 });
    expect(run.stopRequested).toBe(false);
    run.epoch = 1;
    cb.onEpochEnd(run, { epoch: 1, loss: 0.25, metrics: { val_x: 8 }, startedAt: 0 });
    expect(run.stopRequested).toBe(true);
    expect(run.history.stoppedEarly).toBe(true);
    expect(seen).toEqual(['0:0.5:7', '1:0.25:8']);
  });
});
