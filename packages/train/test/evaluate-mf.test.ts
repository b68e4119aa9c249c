// evaluateRanking / evaluateRatings with real @quiver/mf models, against a slow reference that
// ranks every item with model.predict and calls the per-user metric functions.
import { createRng } from '@quiver/base';
import { fromArrays, randomSplit } from '@quiver/data';
import { ALS, BiasedMF } from '@quiver/mf';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../src/evaluate-ranking.js';
import { evaluateRatings } from '../src/evaluate-ratings.js';
import { auc } from '../src/metrics/auc.js';
import { ndcgAtK } from '../src/metrics/ndcg-at-k.js';
import { precisionAtK } from '../src/metrics/precision-at-k.js';
import { recallAtK } from '../src/metrics/recall-at-k.js';

const rng = createRng(99);
const rows = { userIds: [] as number[], itemIds: [] as number[], ratings: [] as number[] };
for (let u = 0; u < 50; u++) {
  for (let i = 0; i < 70; i++) {
    if (rng.nextFloat() < 0.25) {
      rows.userIds.push(u);
      rows.itemIds.push(i);
      rows.ratings.push(1 + rng.nextInt(5));
    }
  }
}
const data = fromArrays(rows);
const { train, test } = randomSplit(data, { testFraction: 0.25, seed: 4 });

describe('evaluateRanking with ALS', () => {
  it('matches a full-sort reference built from predict()', () => {
    const model = new ALS({ factors: 6, epochs: 3 });
    model.fit(train);
    const k = 7;
    const got = evaluateRanking(model, train, test, { k, relevantMin: 3 });
    const allItems = Int32Array.from({ length: data.numItems }, (_, j) => j);
    let n = 0;
    const sum = { p: 0, r: 0, ndcg: 0, auc: 0 };
    for (let u = 0; u < data.numUsers; u++) {
      const trainItems = new Set<number>();
      for (let a = 0; a < train.length; a++) if (train.userIds[a] === u) trainItems.add(train.itemIds[a]);
      const rel: number[] = [];
      for (let a = 0; a < test.length; a++) if (test.userIds[a] === u && test.ratings![a] >= 3) rel.push(test.itemIds[a]);
      if (rel.length === 0) continue;
      n++;
      const scores = model.predict(new Int32Array(data.numItems).fill(u), allItems);
      const cand = [...allItems].filter((j) => !trainItems.has(j)).sort((a, b) => scores[b] - scores[a] || a - b);
      const relSorted = Int32Array.from(rel.sort((a, b) => a - b));
      const ranked = Int32Array.from(cand.slice(0, k));
      sum.p += precisionAtK(ranked, relSorted, k);
      sum.r += recallAtK(ranked, relSorted, k);
      sum.ndcg += ndcgAtK(ranked, relSorted, k);
      const relSet = new Set(rel);
      sum.auc += auc(Float32Array.from(rel, (j) => scores[j]), Float32Array.from(cand.filter((j) => !relSet.has(j)), (j) => scores[j]));
    }
    expect(got.evaluatedUsers).toBe(n);
    expect(got.metrics[`precision@${k}`]).toBeCloseTo(sum.p / n, 12);
    expect(got.metrics[`recall@${k}`]).toBeCloseTo(sum.r / n, 12);
    expect(got.metrics[`ndcg@${k}`]).toBeCloseTo(sum.ndcg / n, 12);
    expect(got.metrics.auc).toBeCloseTo(sum.auc / n, 12);
  });
});

describe('evaluateRatings with BiasedMF', () => {
  it('equals rmse / mae of predict() on the test pairs', () => {
    const model = new BiasedMF({ factors: 4, epochs: 5 });
    model.fit(train);
    const p = model.predict(test.userIds, test.itemIds);
    let se = 0;
    let ae = 0;
    for (let a = 0; a < test.length; a++) {
      se += (p[a] - test.ratings![a]) ** 2;
      ae += Math.abs(p[a] - test.ratings![a]);
    }
    const r = evaluateRatings(model, test);
    expect(r.metrics.rmse).toBeCloseTo(Math.sqrt(se / test.length), 10);
    expect(r.metrics.mae).toBeCloseTo(ae / test.length, 10);
  });
});
