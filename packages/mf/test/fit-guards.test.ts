import { mkdtemp, rm } from 'node:fs/promises';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALS, BPR, Baseline, BiasedMF, MemoryBudgetError, Popularity, RandomRecommender, TrainingDivergedError, saveModel, recommendBatch } from '../src/index.js';
import { plantedData } from './fixtures.js';

describe('fit refuses divergence', () => {
  it('a diverging BiasedMF throws TrainingDivergedError naming the epoch, and is left unfitted', async () => {
    const m = new BiasedMF({ factors: 4, lr: 5, epochs: 10 });
    let caught: unknown;
    try {
      m.fit(plantedData());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TrainingDivergedError);
    expect((caught as Error).message).toMatch(/^BiasedMF.fit: training diverged at epoch 1: the loss is NaN; the model is left unfitted; try a lower learning rate \(lr is 5\)/);
    expect((caught as TrainingDivergedError).epoch).toBe(0);
    expect(m.isFitted).toBe(false);
    expect(() => m.recommend(0, 3)).toThrow(/BiasedMF.recommend: the model is not fitted/);
    const dir = await mkdtemp(join(tmpdir(), 'quiver-div-'));
    try {
      await expect(saveModel(m, dir)).rejects.toThrow(/saveModel: the model is not fitted/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a weight that overflows while the loss stays finite is caught too (Baseline)', () => {
    expect(() => new Baseline({ lr: 50, epochs: 10 }).fit(plantedData())).toThrow(/^Baseline.fit: training diverged at epoch \d+: (the loss is|weight ")/);
  });

  it('a run that stays finite is untouched: same weights as before the check existed (fitEpoch by hand)', () => {
    const a = new BiasedMF({ factors: 4, epochs: 3, seed: 9 });
    a.fit(plantedData());
    const b = new BiasedMF({ factors: 4, epochs: 3, seed: 9 });
    const data = plantedData();
    b.initialize(data);
    for (let e = 0; e < 3; e++) b.fitEpoch(data, e);
    expect([...a.getState()['user_embedding.weight'].data]).toEqual([...b.getState()['user_embedding.weight'].data]);
  });
});

describe('memory budget', () => {
  const shape = { numUsers: 12, numItems: 10, numInteractions: 64 };
  const seen = 13 * 4 + 64 * 4;

  it('estimates each model part by part (hand-computed)', () => {
    expect(new BiasedMF({ factors: 4 }).estimateMemory(shape)).toEqual({
      bytes: 22 * 4 * 4 + 22 * 4 + 64 * 4 + seen,
      parts: { 'factor tables': 352, 'bias tables': 88, 'training order': 256, 'optimizer state': 0, 'seen-items index': seen },
    });
    // The blocks schedule keeps up to 8 bytes per rating; SparseAdam two moments per weight.
    expect(new BiasedMF({ factors: 4, solver: { kind: 'sgd', schedule: 'blocks' } }).estimateMemory(shape).parts['training order']).toBe(512);
    expect(new BiasedMF({ factors: 4, solver: 'minibatch' }).estimateMemory(shape).parts['optimizer state']).toBe(2 * (352 + 88));
    expect(new BiasedMF({ factors: 4, solver: { kind: 'minibatch', optimizer: 'adagrad' } }).estimateMemory(shape).parts['optimizer state']).toBe(352 + 88);
    expect(new Baseline().estimateMemory(shape).bytes).toBe(22 * 4 + 64 * 4 + seen);
    expect(new BPR({ factors: 4, optimizer: 'adagrad' }).estimateMemory(shape).parts).toMatchObject({ 'factor tables': 352, 'bias tables': 40, 'optimizer state': (12 + 20) * 4 });
    expect(new ALS({ factors: 4 }).estimateMemory(shape).parts['solver buffers']).toBe(2 * 16 * 8);
    expect(new Popularity().estimateMemory(shape).bytes).toBe(22 * 4 + seen);
    expect(new RandomRecommender().estimateMemory(shape).bytes).toBe(seen);
    expect(() => new ALS().estimateMemory({ ...shape, numUsers: -1 })).toThrow(/ALS.estimateMemory: numUsers must be a non-negative integer, got -1/);
  });

  it('fit refuses, before allocating, a model above maxMemory, naming the estimate and the budget', () => {
    const m = new BiasedMF({ factors: 4 });
    let caught: unknown;
    try {
      m.fit(plantedData(), { maxMemory: 1000 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MemoryBudgetError);
    expect(caught).toBeInstanceOf(RangeError);
    const e = caught as MemoryBudgetError;
    expect(e.budget).toBe(1000);
    expect(e.estimate.bytes).toBeGreaterThan(1000);
    expect(e.message).toMatch(/^BiasedMF.initialize: training must fit in maxMemory \(1000 bytes\), got an estimate of 1.\d KiB \(factor tables 352 bytes, bias tables 88 bytes, .*\) for 12 users × 10 items and 72 interactions; use fewer factors or raise maxMemory/);
    expect(m.isFitted).toBe(false);
    expect(() => m.fit(plantedData(), { maxMemory: 0 })).toThrow(/maxMemory must be a number of bytes > 0, got 0/);
    expect(() => m.fit(plantedData(), { maxMemory: '1GB' as never })).toThrow(TypeError);
    m.fit(plantedData(), { maxMemory: 1e6, epochs: 1 });
    expect(m.isFitted).toBe(true);
  });

  it('the default budget is half of this machine\'s memory: a billion factors is refused, not allocated', () => {
    const huge = new BiasedMF({ factors: 1e9 });
    const need = 22 * 1e9 * 4;
    expect(need).toBeGreaterThan(totalmem() / 2);
    expect(() => huge.fit(plantedData())).toThrow(new RegExp(`training must fit in maxMemory \\(${(totalmem() / 2 / 2 ** 30).toFixed(1)} GiB\\), got an estimate of 8\\d\\.\\d GiB`));
  });
});

describe('k beyond the candidates is clamped before allocating', () => {
  const models = [new BiasedMF({ factors: 4, epochs: 2 }), new ALS({ factors: 4, epochs: 2 }), new Popularity()];
  for (const m of models) m.fit(plantedData());
  const huge = 1e12; // k slots of this many would not even be allocatable

  for (const m of models) {
    it(`${m.constructor.name}: recommend, recommendBatch, similarItems, similarUsers and recommendForNew`, () => {
      expect(m.recommend(0, huge).ids.length).toBe(10 - 6); // every unseen item
      expect(m.recommend(0, huge, { items: Int32Array.of(9, 8, 8) , filterSeen: false }).ids.length).toBe(2);
      const b = recommendBatch(m, Int32Array.of(0, 1), huge);
      expect(b.k).toBe(10);
      expect(b.ids.length).toBe(20);
      expect([...b.ids.subarray(0, 4)]).toEqual([...m.recommend(0, 4).ids]);
      expect(recommendBatch(m, Int32Array.of(0), huge, { items: Int32Array.of(1, 2) }).k).toBe(2);
      expect(m.similarItems(0, huge).ids.length).toBe(9);
      expect(m.similarUsers(0, huge).ids.length).toBe(11);
      const ratings = m instanceof BiasedMF ? Float32Array.of(5, 1) : undefined;
      expect(m.recommendForNew(Int32Array.of(0, 5), ratings, huge).ids.length).toBe(8);
    });
  }
});
