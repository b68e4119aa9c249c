import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { ScoreTableModel, triples } from '../test/fake-models.js';
import { evaluateRanking } from './evaluate-ranking.js';
import { auc } from './metrics/auc.js';
import { hitRateAtK } from './metrics/hit-rate-at-k.js';
import { averagePrecisionAtK } from './metrics/map-at-k.js';
import { mrr } from './metrics/mrr.js';
import { ndcgAtK } from './metrics/ndcg-at-k.js';
import { precisionAtK } from './metrics/precision-at-k.js';
import { recallAtK } from './metrics/recall-at-k.js';

const scores = [
  [0.9, 0.8, 0.7, 0.6, 0.5],
  [0.1, 0.2, 0.3, 0.4, 0.5],
];
// user 0 trained on item 0, user 1 on item 4; test: user 0 rates item 2 → 5, item 4 → 2; user 1 rates item 3 → 1
const train = triples([[0, 0, 4], [1, 4, 4]], 2, 5);
const test = triples([[0, 2, 5], [0, 4, 2], [1, 3, 1]], 2, 5);

describe('evaluateRanking (hand-computed)', () => {
  it('with relevantMin 4 only user 0 is evaluated', () => {
    const r = evaluateRanking(new ScoreTableModel(scores), train, test, { k: 2, relevantMin: 4 });
    expect(r.evaluatedUsers).toBe(1);
    expect(r.skippedUsers).toBe(1);
    // user 0 ranks [1, 2, 3, 4] (item 0 is training); top 2 = [1, 2]; relevant = {2}
    expect(r.metrics['precision@2']).toBe(0.5);
    expect(r.metrics['recall@2']).toBe(1);
    expect(r.metrics['ndcg@2']).toBeCloseTo(1 / Math.log2(3), 12);
    expect(r.metrics['map@2']).toBe(0.5);
    expect(r.metrics['hitRate@2']).toBe(1);
    expect(r.metrics['mrr@2']).toBe(0.5);
    // positive 0.7 vs negatives 0.8, 0.6, 0.5 → 2/3
    expect(r.metrics.auc).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['coverage@2']).toBe(0.4);
    // implicit's precision: 1 hit over min(2, 1 relevant) = 1
    expect(r.metrics['implicitPrecision@2']).toBe(1);
  });
  it('with every test interaction relevant both users count', () => {
    const r = evaluateRanking(new ScoreTableModel(scores), train, test, { k: 2 });
    expect(r.evaluatedUsers).toBe(2);
    // user 0: relevant {2, 4}, top [1, 2]; user 1: relevant {3}, top [3, 2]
    expect(r.metrics['precision@2']).toBe(0.5);
    expect(r.metrics['recall@2']).toBe(0.75);
    const ndcg0 = 1 / Math.log2(3) / (1 + 1 / Math.log2(3));
    expect(r.metrics['ndcg@2']).toBeCloseTo((ndcg0 + 1) / 2, 12);
    expect(r.metrics['map@2']).toBeCloseTo((0.25 + 1) / 2, 12);
    expect(r.metrics['mrr@2']).toBe(0.75);
    expect(r.metrics.auc).toBeCloseTo((0.25 + 1) / 2, 12);
    expect(r.metrics['coverage@2']).toBeCloseTo(3 / 5, 12);
    // implicit's precision is micro-averaged: (1 + 1) hits over min(2, 2) + min(2, 1) = 3
    expect(r.metrics['implicitPrecision@2']).toBeCloseTo(2 / 3, 12);
  });
  it('a k beyond the number of items ranks every item; precision still divides by k', () => {
    const r = evaluateRanking(new ScoreTableModel(scores), train, test, { k: 1e9, relevantMin: 4 });
    // user 0 ranks [1, 2, 3, 4]: the one relevant item (2) is at rank 2
    expect(r.metrics['precision@1000000000']).toBe(1e-9);
    expect(r.metrics['recall@1000000000']).toBe(1);
    expect(r.metrics['ndcg@1000000000']).toBeCloseTo(1 / Math.log2(3), 12);
    expect(r.metrics['mrr@1000000000']).toBe(0.5);
    expect(r.metrics['coverage@1000000000']).toBe(0.8);
  });
  it('refuses a test set that overlaps train (leakage); with trainOverlap drop it leaves those pairs out', () => {
    const model = new ScoreTableModel(scores);
    const seen = { indptr: Int32Array.of(0, 0, 0), indices: new Int32Array(0) };
    model.setSeen(seen.indptr, seen.indices);
    // user 0 trained on item 0; the test set holds (0, 0) again, and a non-relevant overlap (1, 4)
    const overlapping = triples([[0, 0, 5], [0, 2, 5], [1, 4, 1]], 2, 5);
    expect(() => evaluateRanking(model, train, overlapping, { k: 1, relevantMin: 4 })).toThrow(
      /evaluateRanking: the test set must not overlap train: 2 test pair\(s\) are also train pairs of the same user .*trainOverlap: 'drop'.*, got user 0, item 0 in both/,
    );
    expect(model.seenItems()!.indptr).toBe(seen.indptr);
    const r = evaluateRanking(model, train, overlapping, { k: 1, relevantMin: 4, trainOverlap: 'drop' });
    expect(r.droppedTrainOverlap).toBe(2);
    expect(r.evaluatedUsers).toBe(1);
    // user 0 ranks items 1..4 (item 0 is training): top 1 = [1]; relevant = {2} → no hit
    expect(r.metrics['recall@1']).toBe(0);
    expect(model.seenItems()!.indptr).toBe(seen.indptr);
    expect(() => evaluateRanking(model, train, overlapping, { trainOverlap: 'keep' as never })).toThrow(/evaluateRanking: options.trainOverlap must be one of/);
  });
  it('rejects bad options and mismatched sizes', () => {
    const model = new ScoreTableModel(scores);
    expect(() => evaluateRanking(model, train, test, { k: 0 })).toThrow(/evaluateRanking: options.k must be a positive integer, got 0/);
    expect(() => evaluateRanking(model, train, test, { kk: 1 } as never)).toThrow(/evaluateRanking: unknown option "kk"/);
    const old = Object.assign(Object.create(Object.getPrototypeOf(model)), model, { scoreAllItems: undefined });
    expect(() => evaluateRanking(old, train, test)).toThrow(/evaluateRanking: model must have scoreAllItems\(\) \(the Scorer contract every @quiver\/mf model implements\), got ScoreTableModel without it/);
    expect(evaluateRanking(model, train, test, { auc: false }).metrics.auc).toBeUndefined();
    expect(() => evaluateRanking(model, train, triples([[0, 1, 1]], 2, 6), {})).toThrow(/evaluateRanking: test.numItems must equal the model's numItems \(5\), got 6/);
  });
  it('rejects ids outside the id space and misaligned columns instead of scoring them', () => {
    const model = new ScoreTableModel(scores);
    // item 5 of 5 would otherwise count as a relevant item that can never be hit (recall 0.5, no error)
    expect(() => evaluateRanking(model, train, triples([[0, 2, 5], [0, 5, 5]], 2, 5))).toThrow(/evaluateRanking: test.itemIds\[1\] = 5 is out of range; indices must be integers in \[0, 4\]/);
    expect(() => evaluateRanking(model, triples([[2, 1, 1]], 2, 5), test)).toThrow(/evaluateRanking: train.userIds\[0\] = 2 is out of range; indices must be integers in \[0, 1\]/);
    const short = { ...test, itemIds: test.itemIds.subarray(0, 2) };
    expect(() => evaluateRanking(model, train, short)).toThrow(/evaluateRanking: test.itemIds must have the length of test.userIds \(3\), got 2/);
    const badRatings = { ...test, ratings: new Float32Array(1) };
    expect(() => evaluateRanking(model, train, badRatings)).toThrow(/evaluateRanking: test.ratings must have the length of test.userIds \(3\), got 1/);
    expect(() => evaluateRanking(model, train, { ...test, ratings: [5, 2, 1] } as never)).toThrow(/evaluateRanking: test.ratings must be a Float32Array or null, got/);
  });
});

describe('evaluateRanking agrees with the per-user metric functions', () => {
  it('on a random 12 × 30 problem with ties', () => {
    const rng = createRng(11);
    const numUsers = 12;
    const numItems = 30;
    const table = Array.from({ length: numUsers }, () => Array.from({ length: numItems }, () => rng.nextInt(10) / 10));
    const trainRows: [number, number, number][] = [];
    const testRows: [number, number, number][] = [];
    for (let u = 0; u < numUsers; u++) {
      for (let j = 0; j < numItems; j++) {
        const r = rng.nextFloat();
        if (r < 0.2) trainRows.push([u, j, 1 + rng.nextInt(5)]);
        else if (r < 0.35) testRows.push([u, j, 1 + rng.nextInt(5)]);
      }
    }
    const model = new ScoreTableModel(table);
    const tr = triples(trainRows, numUsers, numItems);
    const te = triples(testRows, numUsers, numItems);
    const k = 5;
    const got = evaluateRanking(model, tr, te, { k, relevantMin: 3 });
    // reference: recommend per user by a full sort, then the per-user functions
    model.setSeen(Int32Array.of(0), new Int32Array(0));
    const sums = { p: 0, r: 0, n: 0, ap: 0, h: 0, rr: 0, auc: 0, hits: 0, capped: 0 };
    let count = 0;
    for (let u = 0; u < numUsers; u++) {
      const trainItems = new Set(trainRows.filter((t) => t[0] === u).map((t) => t[1]));
      const rel = Int32Array.from(testRows.filter((t) => t[0] === u && t[2] >= 3).map((t) => t[1]).sort((a, b) => a - b));
      if (rel.length === 0) continue;
      count++;
      const cand = [...Array(numItems).keys()].filter((j) => !trainItems.has(j));
      cand.sort((a, b) => Math.fround(table[u][b]) - Math.fround(table[u][a]) || a - b);
      const ranked = Int32Array.from(cand.slice(0, k));
      sums.p += precisionAtK(ranked, rel, k);
      sums.hits += [...ranked].filter((j) => rel.includes(j)).length;
      sums.capped += Math.min(k, rel.length);
      sums.r += recallAtK(ranked, rel, k);
      sums.n += ndcgAtK(ranked, rel, k);
      sums.ap += averagePrecisionAtK(ranked, rel, k);
      sums.h += hitRateAtK(ranked, rel, k);
      sums.rr += mrr(ranked, rel);
      const relSet = new Set(rel);
      sums.auc += auc(
        Float32Array.from([...rel].map((j) => table[u][j])),
        Float32Array.from(cand.filter((j) => !relSet.has(j)).map((j) => table[u][j])),
      );
    }
    expect(got.evaluatedUsers).toBe(count);
    expect(got.metrics['precision@5']).toBeCloseTo(sums.p / count, 12);
    expect(got.metrics['recall@5']).toBeCloseTo(sums.r / count, 12);
    expect(got.metrics['ndcg@5']).toBeCloseTo(sums.n / count, 12);
    expect(got.metrics['map@5']).toBeCloseTo(sums.ap / count, 12);
    expect(got.metrics['hitRate@5']).toBeCloseTo(sums.h / count, 12);
    expect(got.metrics['mrr@5']).toBeCloseTo(sums.rr / count, 12);
    expect(got.metrics.auc).toBeCloseTo(sums.auc / count, 12);
    expect(got.metrics['implicitPrecision@5']).toBeCloseTo(sums.hits / sums.capped, 12);
  });
});
