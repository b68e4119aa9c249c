import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALS } from './als.js';
import { BiasedMF } from './biased-mf.js';
import { modelSummary, withTopKSummary } from './model-summary.js';
import { Popularity } from './popularity.js';

const data = {
  userIds: Int32Array.of(0, 0, 1, 2, 2),
  itemIds: Int32Array.of(0, 1, 1, 2, 3),
  ratings: Float32Array.of(5, 3, 4, 2, 1),
  numUsers: 3,
  numItems: 1234,
};

describe('modelSummary / model inspect', () => {
  it('formats state and scalar hyper-parameters on one line', () => {
    expect(modelSummary('X', { fitted: true, numUsers: 610, numItems: 9724 }, { factors: 8, kind: 'cg', filter: true, list: [1], empty: {}, solver: { kind: 'cg', steps: 3, deep: { a: 1 } } })).toBe(
      "X { fitted: 610 users × 9,724 items, factors 8, kind 'cg', filter true, solver { kind 'cg', steps 3 } }",
    );
    expect(modelSummary('Y', { fitted: false, numUsers: 0, numItems: 0 }, {})).toBe('Y { not fitted }');
  });

  it('is what util.inspect (the REPL) prints for a model, before and after fit', () => {
    const als = new ALS({ factors: 2, epochs: 1 });
    expect(inspect(als)).toMatch(/^ALS \{ not fitted, factors 2, epochs 1, reg 10, alpha 0, useRatings false, solver \{ kind 'cg', steps 3, threads 1 \}, computeLoss true, seed 42 \}$/);
    const mf = new BiasedMF({ factors: 2, epochs: 1 });
    mf.fit(data);
    expect(inspect(mf)).toMatch(/^BiasedMF \{ fitted: 3 users × 1,234 items, factors 2, epochs 1, lr 0\.01, /);
    expect(inspect(mf).split('\n')).toHaveLength(1);
    const pop = new Popularity();
    pop.fit(data);
    expect(inspect(pop)).toBe('Popularity { fitted: 3 users × 1,234 items }');
    expect(inspect({ model: pop }, { depth: 0 })).toBe('{ model: Popularity { fitted: 3 users × 1,234 items } }');
  });
  it('top-k results print as one line (at most 10 entries) and still compare and serialise as { ids, scores }', () => {
    const pop = new Popularity();
    pop.fit(data);
    const top = pop.recommend(0, 3, { filterSeen: false });
    expect(inspect(top)).toMatch(/^TopK\(3\) \[\d+ \d\.\d{3}, \d+ \d\.\d{3}, \d+ \d\.\d{3}\]$/);
    expect(top).toEqual({ ids: top.ids, scores: top.scores });
    expect(Object.keys(top)).toEqual(['ids', 'scores']);
    expect(JSON.parse(JSON.stringify({ ...top }))).toEqual({ ids: { ...Array.from(top.ids) }, scores: { ...Array.from(top.scores) } });
    const long = withTopKSummary({ ids: Int32Array.from({ length: 12 }, (_, j) => j), scores: new Float32Array(12).fill(0.25) });
    expect(inspect(long)).toBe('TopK(12) [0 0.250, 1 0.250, 2 0.250, 3 0.250, 4 0.250, 5 0.250, 6 0.250, 7 0.250, 8 0.250, 9 0.250, …]');
    expect(inspect(withTopKSummary({ ids: new Int32Array(0), scores: new Float32Array(0) }))).toBe('TopK(0) []');
  });
});
