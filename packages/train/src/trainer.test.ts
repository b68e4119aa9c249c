import { describe, expect, it } from 'vitest';
import { ScriptedModel, triples } from '../test/fake-models.js';
import type { InteractionData } from './model-types.js';
import type { BatchProgress, EpochProgress, ProgressReporter } from './progress/progress-reporter.js';
import { train, Trainer } from './trainer.js';
import { TrainingDivergedError } from './training-diverged-error.js';

const data = triples([[0, 0, 4], [0, 1, 2], [1, 1, 3], [1, 2, 5]], 2, 3);
// Every validation rating is 3, so val_rmse = |w - 3| for the one-weight scripted model.
const validation = triples([[0, 2, 3], [1, 0, 3]], 2, 3);

describe('Trainer: early stopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', () => {
    const model = new ScriptedModel('biased-mf', [5, 4, 3.25, 3.5, 4, 4.5, 2.9]);
    const history = train(model, data, { epochs: 7, validationData: validation, patience: 2 });
    // val_rmse: 2, 1, 0.25 (best), 0.5, 1 → stop after epoch index 4
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(history.metric('val_rmse')).toEqual([2, 1, 0.25, 0.5, 1]);
    expect(history.monitor).toBe('val_rmse');
    expect(history.bestEpoch).toBe(2);
    expect(history.stoppedEarly).toBe(true);
    expect(history.restoredBest).toBe(true);
    expect(model.w).toBe(3.25);
    expect(model.calls.at(-1)).toBe('setState(3.25)');
  });
  it('keeps the last weights with restoreBest false, and trains every epoch without patience', () => {
    const a = new ScriptedModel('biased-mf', [5, 3, 4, 4.5]);
    train(a, data, { epochs: 4, validationData: validation, patience: 1, restoreBest: false });
    expect(a.w).toBe(4);
    const b = new ScriptedModel('biased-mf', [5, 3, 4, 4.5]);
    const h = train(b, data, { epochs: 4, validationData: validation });
    expect(h.epochs).toHaveLength(4);
    expect(h.bestEpoch).toBe(1);
    expect(h.restoredBest).toBe(false);
    expect(b.w).toBe(4.5);
  });
  it('monitors the training loss without validation data, in min mode', () => {
    const model = new ScriptedModel('als', [1, 2, 3, 4, 5], [0.5, 0.4, 0.45, 0.47, 0.1]);
    const h = train(model, data, { epochs: 5, patience: 1 });
    expect(h.monitor).toBe('loss');
    expect(h.epochs).toHaveLength(3);
    expect(h.bestEpoch).toBe(1);
    expect(model.w).toBe(2);
  });
  it('honours minDelta and mode max', () => {
    const model = new ScriptedModel('biased-mf', [1, 2, 3, 4], [0.1, 0.2, 0.205, 0.9]);
    const h = train(model, data, { epochs: 4, monitor: 'loss', mode: 'max', patience: 0, minDelta: 0.01 });
    // 0.1 → 0.2 improves; 0.205 is within minDelta → stop
    expect(h.epochs).toHaveLength(3);
    expect(model.w).toBe(2);
  });
});

describe('Trainer: callbacks and progress', () => {
  it('calls initialize once with the seed, then fitEpoch and onEpochEnd in order; false stops', () => {
    const model = new ScriptedModel('biased-mf', [1, 2, 3, 4]);
    const seen: string[] = [];
    const h = train(model, data, {
      epochs: 4,
      seed: 9,
      onEpochEnd: (epoch, logs) => {
        seen.push(`end ${epoch} loss=${logs.loss}`);
        return epoch < 1;
      },
    });
    expect(model.calls).toEqual(['initialize(seed=9)', 'fitEpoch(0)', 'fitEpoch(1)']);
    expect(seen).toEqual(['end 0 loss=1', 'end 1 loss=0.5']);
    expect(h.stoppedEarly).toBe(true);
  });
  it('passes onBatchEnd to models that report batches, before the epoch ends', () => {
    class BatchModel extends ScriptedModel {
      override fitEpoch(d: InteractionData, epoch: number, hooks?: { onBatchEnd(b: number, l: { numBatches: number; loss: number }): void }): number {
        for (let b = 0; b < 3; b++) hooks?.onBatchEnd(b, { numBatches: 3, loss: epoch + b / 10 });
        return super.fitEpoch(d, epoch);
      }
    }
    const events: string[] = [];
    const reporter: ProgressReporter = {
      mode: 'log',
      start: (label, epochs, examples) => events.push(`start ${label} ${epochs} ${examples}`),
      batchEnd: (p: BatchProgress) => events.push(`bar batch ${p.epoch}.${p.batch}`),
      epochEnd: (p: EpochProgress) => events.push(`bar epoch ${p.epoch}/${p.epochs}`),
      message: () => {},
      stop: () => events.push('stop'),
    };
    train(new BatchModel('bpr', [1, 2]), data, {
      epochs: 2,
      progress: reporter,
      onBatchEnd: (b, l) => events.push(`batch ${l.epoch}.${b} loss=${l.loss}`),
      onEpochEnd: (e) => {
        events.push(`epoch ${e}`);
      },
    });
    expect(events).toEqual([
      'start bpr 2 4',
      'bar batch 1.0', 'batch 0.0 loss=0', 'bar batch 1.1', 'batch 0.1 loss=0.1', 'bar batch 1.2', 'batch 0.2 loss=0.2',
      'bar epoch 1/2', 'epoch 0',
      'bar batch 2.0', 'batch 1.0 loss=1', 'bar batch 2.1', 'batch 1.1 loss=1.1', 'bar batch 2.2', 'batch 1.2 loss=1.2',
      'bar epoch 2/2', 'epoch 1',
      'stop',
    ]);
  });
  it('trainer.stop() from a callback ends training after the current epoch', () => {
    const trainer = new Trainer({ epochs: 5, onEpochEnd: (e) => void (e === 2 && trainer.stop()) });
    const h = trainer.fit(new ScriptedModel('als', [1, 2, 3, 4, 5]), data);
    expect(h.epochs).toHaveLength(3);
  });
});

describe('Trainer: divergence', () => {
  it('stops on a NaN loss naming the epoch and restores the last good weights', () => {
    const model = new ScriptedModel('biased-mf', [3, 7, 8], [1, 0.5, NaN]);
    let error: unknown;
    try {
      train(model, data, { epochs: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/Trainer.fit: training diverged at epoch 3: the loss is NaN; the weights after epoch 2 were restored; try a larger regularisation \(reg\)$/);
    expect((error as TrainingDivergedError).epoch).toBe(2);
    expect((error as TrainingDivergedError).history.epochs).toHaveLength(2);
    expect(model.w).toBe(7);
  });
  it('stops when a weight becomes infinite, restoring the initial weights in epoch 1', () => {
    const model = new ScriptedModel('biased-mf', [Infinity], [1]);
    expect(() => train(model, data, { epochs: 1 })).toThrow(/training diverged at epoch 1: weight "w" holds Infinity at \[0\]; the initial weights were restored; try a larger regularisation \(reg\)/);
    expect(model.w).toBe(-1);
  });
});

describe('Trainer: options', () => {
  it('rejects bad options with clear messages', () => {
    expect(() => new Trainer({ epochs: 0 })).toThrow(/Trainer: options.epochs must be a positive integer, got 0/);
    expect(() => new Trainer({ validationSplit: 1 })).toThrow(/Trainer: options.validationSplit must be in \[0, 1\), got 1/);
    expect(() => new Trainer({ patience: -1 })).toThrow(/Trainer: options.patience must be a non-negative integer, got -1/);
    expect(() => new Trainer({ mode: 'up' as never })).toThrow(/Trainer: options.mode must be one of 'auto', 'min', 'max', got "up"/);
    expect(() => new Trainer({ epoch: 3 } as never)).toThrow(/Trainer: unknown option "epoch"/);
    expect(() => new Trainer({ batchSize: 64 } as never)).toThrow(/Trainer: options.batchSize is a hyper-parameter of the model in Quiver, not of the trainer; pass it when building the model, e.g. new BiasedMF\(\{ solver: \{ kind: 'minibatch', batchSize: 512 \} \}\)/);
    expect(() => new Trainer({ lr: 0.1 } as never)).toThrow(/Trainer: options.lr is a hyper-parameter of the model/);
    expect(() => new Trainer({ onEpochEnd: 3 as never })).toThrow(/Trainer: options.onEpochEnd must be a function, got 3/);
    expect(() => new Trainer({ progress: 'loud' as never })).toThrow(/Trainer: options.progress must be one of 'auto', 'bar', 'log', 'none', got "loud"/);
    expect(() => new Trainer({ progress: {} as never })).toThrow(/Trainer: options.progress must be 'auto', 'bar', 'log', 'none' or a ProgressReporter, got object/);
    expect(() => new Trainer({ validationData: [] as never })).toThrow(/Trainer: options.validationData must be interactions \{ userIds, itemIds, ratings, numUsers, numItems \}, got Array\(0\)/);
    expect(() => new Trainer({ monitor: 3 as never })).toThrow(/Trainer: options.monitor must be a metric name such as 'val_rmse', got 3/);
    expect(() => new Trainer({ minDelta: -1 })).toThrow(/Trainer: options.minDelta must be in \[0, Infinity\], got -1/);
  });
  it('rejects a monitor that is never computed and a model without the per-epoch API', () => {
    expect(() => train(new ScriptedModel('biased-mf', [1]), data, { epochs: 1, monitor: 'val_rmse' })).toThrow(/Trainer.fit: monitor must be 'loss' without validation data, got 'val_rmse'/);
    expect(() => train(new ScriptedModel('biased-mf', [1]), data, { epochs: 1, validationData: validation, monitor: 'val_auc' })).toThrow(/Trainer.fit: monitor must be one of 'loss', 'val_rmse', 'val_mae', got 'val_auc'/);
    expect(() => train({} as never, data)).toThrow(/Trainer.fit: model must have a initialize\(\) method/);
    expect(() => train(new ScriptedModel('biased-mf', [1]), data, { validationSplit: 0.5 })).toThrow(/Trainer.fit: validationSplit needs data to be an @quiver\/data Interactions dataset/);
  });
  it('rejects implicit validation data for an explicit model', () => {
    const implicitValidation = { ...validation, ratings: null };
    expect(() => train(new ScriptedModel('biased-mf', [1]), data, { epochs: 1, validationData: implicitValidation })).toThrow(/Trainer.fit: validationData.ratings must be a Float32Array for explicit model 'biased-mf', got null/);
  });
  it('history exposes per-epoch series and JSON', () => {
    const h = train(new ScriptedModel('biased-mf', [2, 3]), data, { epochs: 2, validationData: validation });
    expect(h.metric('val_rmse')).toEqual([1, 0]);
    expect(h.metric('val_auc')).toEqual([NaN, NaN]);
    expect(h.metricNames).toEqual(['val_rmse', 'val_mae']);
    expect(h.seconds).toHaveLength(2);
    const json = JSON.parse(JSON.stringify(h));
    expect(json).toMatchObject({ monitor: 'val_rmse', bestEpoch: 1, stoppedEarly: false, restoredBest: false });
    expect(json.epochs[1]).toMatchObject({ epoch: 1, loss: 0.5, metrics: { val_rmse: 0, val_mae: 0 } });
  });
  it('history prints a short summary', () => {
    const model = new ScriptedModel('biased-mf', [5, 4, 3.25, 3.5, 4]);
    const h = train(model, data, { epochs: 5, validationData: validation, patience: 1 });
    expect(h.toString()).toMatch(/^History \{ 4 epochs \(stopped early\), loss 1 → 0\.2500, val_rmse 2 → 0\.5000 \(best 0\.2500 at epoch 3, restored\), val_mae 2 → 0\.5000, \d+\.\d s \}$/);
  });
});

describe('Trainer: options.callbacks', () => {
  it('runs user callbacks after the built-in ones (they see the epoch metrics) and lets them stop training', () => {
    const model = new ScriptedModel('biased-mf', [5, 4, 3.5, 3.25, 3.1]);
    const seen: string[] = [];
    const stopBelow = {
      onTrainBegin: () => seen.push('begin'),
      onEpochEnd: (run: { stop(): void }, s: { epoch: number; metrics: Record<string, number> }) => {
        seen.push(`epoch ${s.epoch} val_rmse ${s.metrics.val_rmse}`);
        if (s.metrics.val_rmse < 0.6) run.stop();
      },
      onTrainEnd: () => seen.push('end'),
    };
    const history = train(model, data, { epochs: 5, validationData: validation, callbacks: [stopBelow] });
    // val_rmse = |w − 3|: 2, 1, 0.5 → stopped after epoch 2.
    expect(seen).toEqual(['begin', 'epoch 0 val_rmse 2', 'epoch 1 val_rmse 1', 'epoch 2 val_rmse 0.5', 'end']);
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(history.stoppedEarly).toBe(true);
  });

  it('refuses callbacks that are not objects with hook methods, naming the bad entry', () => {
    expect(() => new Trainer({ callbacks: {} as never })).toThrow(/^Trainer: options.callbacks must be an array of callbacks, got/);
    expect(() => new Trainer({ callbacks: [{ onEpochEnd: () => {} }, { onEpochEnd: 3 } as never] })).toThrow(
      /^Trainer: options.callbacks\[1\] must be an object with hook methods \(onTrainBegin, onBatchEnd, onEpochError, onEpochEnd, onTrainEnd\), got/,
    );
    expect(() => new Trainer({ callbacks: [{ onEpochEnded: () => {} } as never] })).toThrow(/options.callbacks\[0\] must be an object with hook methods/);
  });
});
