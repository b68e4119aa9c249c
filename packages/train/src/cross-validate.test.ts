import { Interactions, fromArrays, kFold } from '@quiver/data';
import { Baseline } from '@quiver/mf';
import { describe, expect, it } from 'vitest';
import { ScriptedModel } from '../test/fake-models.js';
import { crossValidate } from './cross-validate.js';
import { gridSearch } from './grid-search.js';

/** 8 users × 6 items, rating = 3 + userEffect + itemEffect (a pure biases model), all pairs. */
function synthetic(): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  for (let u = 0; u < 8; u++) {
    for (let i = 0; i < 6; i++) {
      users.push(u);
      items.push(i);
      ratings.push(3 + ((u % 3) - 1) * 0.5 + ((i % 2) * 2 - 1) * 0.75);
    }
  }
  return fromArrays({ userIds: users, itemIds: items, ratings });
}

describe('crossValidate', () => {
  it('scores every fold on its held-out part (constant predictor, hand-checked against kFold)', () => {
    const data = synthetic();
    const cv = crossValidate(() => new ScriptedModel('biased-mf', [3]), data, { folds: 4, seed: 5, train: { epochs: 1 } });
    const splits = kFold(data, { k: 4, seed: 5, coldStart: 'keep' });
    expect(cv.folds).toHaveLength(4);
    const expected = splits.map(({ test }) => {
      const r = [...test.ratings!];
      return { rmse: Math.sqrt(r.reduce((a, x) => a + (x - 3) ** 2, 0) / r.length), mae: r.reduce((a, x) => a + Math.abs(x - 3), 0) / r.length };
    });
    cv.folds.forEach((f, i) => {
      expect(f.numTest).toBe(splits[i].test.length);
      expect(f.metrics.rmse).toBeCloseTo(expected[i].rmse, 6);
      expect(f.metrics.mae).toBeCloseTo(expected[i].mae, 6);
    });
    expect(cv.folds.reduce((a, f) => a + f.numTest, 0)).toBe(data.length);
    const m = expected.reduce((a, e) => a + e.rmse, 0) / 4;
    expect(cv.mean.rmse).toBeCloseTo(m, 6);
    expect(cv.std.rmse).toBeCloseTo(Math.sqrt(expected.reduce((a, e) => a + (e.rmse - m) ** 2, 0) / 4), 6);
  });
  it('a biases model beats the constant predictor on biases-only data, deterministically', () => {
    const data = synthetic();
    const run = () => crossValidate(() => new Baseline({ epochs: 60, lr: 0.05, reg: 0.001 }), data, { folds: 3, seed: 1 });
    const a = run();
    const constant = crossValidate(() => new ScriptedModel('biased-mf', [3]), data, { folds: 3, seed: 1, train: { epochs: 1 } });
    expect(a.mean.rmse).toBeLessThan(0.5 * constant.mean.rmse);
    expect(run().mean).toEqual(a.mean);
  });
  it('rejects bad options', () => {
    const data = synthetic();
    const make = () => new ScriptedModel('biased-mf', [3]);
    expect(() => crossValidate(make, data, { folds: 1 })).toThrow(/crossValidate: options.folds must be at least 2, got 1/);
    expect(() => crossValidate(make, { userIds: new Int32Array(0) } as never)).toThrow(/crossValidate: data must be an @quiver\/data Interactions dataset/);
    expect(() => crossValidate(make, data, { metrics: ['rmse', 'ndgc@10'], train: { epochs: 1 } })).toThrow(/crossValidate: options.metrics must name metrics of .*got 'ndgc@10'/);
  });
});

describe('gridSearch', () => {
  it('tries every combination in grid order and ranks by the metric', () => {
    const data = synthetic();
    const made: string[] = [];
    const gs = gridSearch(
      (p: { w: number; tag: string }) => {
        made.push(`${p.w}${p.tag}`);
        return new ScriptedModel('biased-mf', [p.w]);
      },
      { w: [1, 3, 2.5], tag: ['a', 'b'] },
      data,
      { folds: 2, train: { epochs: 1 } },
    );
    expect(gs.candidates.map((c) => `${c.params.w}${c.params.tag}`)).toEqual(['1a', '1b', '3a', '3b', '2.5a', '2.5b']);
    expect(made).toHaveLength(12);
    expect(gs.metric).toBe('rmse');
    expect(gs.mode).toBe('min');
    // the ratings have mean 3, so w = 3 is best; ties keep grid order
    expect(gs.best.params).toEqual({ w: 3, tag: 'a' });
    expect(gs.candidates.map((c) => c.rank)).toEqual([5, 6, 1, 2, 3, 4]);
  });
  it('rejects an empty grid axis and an unknown metric', () => {
    const make = () => new ScriptedModel('biased-mf', [3]);
    expect(() => gridSearch(make, { w: [] }, synthetic())).toThrow(/gridSearch: grid.w must be a non-empty array, got Array\(0\)/);
    expect(() => gridSearch(make, { w: [1] }, synthetic(), { folds: 2, metric: 'auc', train: { epochs: 1 } })).toThrow(/gridSearch: options.metric must be one of 'rmse', 'mae', got 'auc'/);
  });
});
