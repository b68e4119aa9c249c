import { describe, expect, it } from 'vitest';
import { ScoreTableModel, triples } from '../test/fake-models.js';
import { evaluateRatings } from './evaluate-ratings.js';

const model = new ScoreTableModel([
  [3, 4.5, 1],
  [5, 2, 6],
]);

describe('evaluateRatings', () => {
  it('computes rmse and mae of the model predictions (hand-computed)', () => {
    // errors: 3-4 = -1, 2-2 = 0, 6-4 = 2 → rmse sqrt(5/3), mae 1
    const r = evaluateRatings(model, triples([[0, 0, 4], [1, 1, 2], [1, 2, 4]], 2, 3));
    expect(r.count).toBe(3);
    expect(r.metrics.rmse).toBeCloseTo(Math.sqrt(5 / 3), 6);
    expect(r.metrics.mae).toBeCloseTo(1, 6);
  });
  it('clips predictions when asked', () => {
    // 6 is clipped to 5: errors -1, 0, 1
    const r = evaluateRatings(model, triples([[0, 0, 4], [1, 1, 2], [1, 2, 4]], 2, 3), { clip: [0.5, 5] });
    expect(r.metrics.rmse).toBeCloseTo(Math.sqrt(2 / 3), 6);
  });
  it('rejects implicit or empty test sets and bad clip ranges', () => {
    const implicit = { ...triples([[0, 0, 1]], 2, 3), ratings: null };
    expect(() => evaluateRatings(model, implicit)).toThrow(/evaluateRatings: test.ratings must be a Float32Array \(an explicit test set\), got null/);
    expect(() => evaluateRatings(model, triples([], 2, 3))).toThrow(/evaluateRatings: test must hold at least 1 interaction, got 0/);
    // used to surface as "rmse: predicted must have the length of actual", naming neither evaluateRatings nor test
    const long = { ...triples([[0, 0, 1]], 2, 3), ratings: Float32Array.of(1, 2) };
    expect(() => evaluateRatings(model, long)).toThrow(/^evaluateRatings: test.ratings must have the length of test.userIds \(1\), got 2$/);
    expect(() => evaluateRatings(model, triples([[0, 0, 1]], 2, 3), { clip: [5, 1] })).toThrow(/options.clip must be \[min, max\] with min <= max, got \[5,1\]/);
  });
});
