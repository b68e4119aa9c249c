import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluateRatings } from './evaluate-ratings.js';
import { withReportSummary } from './report-summary.js';

describe('report summaries', () => {
  it('print as one line with each metric to 4 decimals, and stay plain objects for equality and JSON', () => {
    const r = withReportSummary({ metrics: { rmse: 0.87, mae: 0.123456 }, count: 3 }, 'RatingReport', '3 ratings');
    expect(inspect(r)).toBe('RatingReport { 3 ratings: rmse 0.8700, mae 0.1235 }');
    expect(r).toEqual({ metrics: { rmse: 0.87, mae: 0.123456 }, count: 3 });
    expect(JSON.stringify(r)).toBe('{"metrics":{"rmse":0.87,"mae":0.123456},"count":3}');
  });

  it('evaluateRatings results print their summary', () => {
    const model = {
      kind: 'biased-mf', numUsers: 2, numItems: 2,
      predict: (u: Int32Array) => Float32Array.from(u, (x) => 3 + x),
    };
    const test = { userIds: Int32Array.of(0, 1), itemIds: Int32Array.of(0, 1), ratings: Float32Array.of(3, 5), numUsers: 2, numItems: 2 };
    // Hand-computed: predictions 3 and 4 against 3 and 5: RMSE sqrt(1/2), MAE 1/2.
    expect(inspect(evaluateRatings(model as never, test))).toBe('RatingReport { 2 ratings: rmse 0.7071, mae 0.5000 }');
  });
});
