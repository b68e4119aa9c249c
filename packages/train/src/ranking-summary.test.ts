// The RankingReport of evaluateRanking (per-user values, beyond-accuracy metrics, bootstrap
// intervals, user-activity and item-popularity groups) against a slow reference written here
// with plain arrays: a full sort per user, the per-user metric functions, and the definitions of
// novelty / popularity / diversity / coverage / Gini spelled out directly.
import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { ScoreTableModel, triples } from '../test/fake-models.js';
import { evaluateRanking } from './evaluate-ranking.js';
import { auc } from './metrics/auc.js';
import type { ItemFeatures } from './metrics/beyond-accuracy.js';
import { hitRateAtK } from './metrics/hit-rate-at-k.js';
import { averagePrecisionAtK } from './metrics/map-at-k.js';
import { mrr } from './metrics/mrr.js';
import { ndcgAtK } from './metrics/ndcg-at-k.js';
import { itemPopularityGroups } from './metrics/popularity-groups.js';
import { precisionAtK } from './metrics/precision-at-k.js';
import { recallAtK } from './metrics/recall-at-k.js';
import type { RankingReport } from './ranking-summary.js';
import { bootstrapCi } from './stats/bootstrap-ci.js';

type Row = [number, number, number];

// A random 16 × 30 problem: scores with ties (multiples of 0.1), about 20% training pairs and 18%
// test pairs with ratings 1..5. User 15 has no training row (a cold user that is not a training
// user) and item 29 is never trained on (count 0: novelty floors it to a count of 1).
const numUsers = 16;
const numItems = 30;
const k = 5;
const relevantMin = 3;
const rng = createRng(2024);
const table = Array.from({ length: numUsers }, () => Array.from({ length: numItems }, () => rng.nextInt(10) / 10));
const trainRows: Row[] = [];
const testRows: Row[] = [];
for (let u = 0; u < numUsers; u++) {
  for (let j = 0; j < numItems; j++) {
    const r = rng.nextFloat();
    if (r < 0.2) {
      if (u !== 15 && j !== 29) trainRows.push([u, j, 1 + rng.nextInt(5)]);
    } else if (r < 0.38) testRows.push([u, j, 1 + rng.nextInt(5)]);
  }
}
testRows.push([15, 29, 5], [3, 29, 4]);
const train = triples(trainRows, numUsers, numItems);
const test = triples(testRows, numUsers, numItems);

// Item features: 3-d embeddings (item 4 is the zero vector: similar to nothing) and feature sets
// over 6 features (items 2 and 7 have none: two empty sets are not similar).
const dim = 3;
const vectors = new Float32Array(numItems * dim);
for (let x = 0; x < vectors.length; x++) vectors[x] = rng.nextInt(5) - 2;
vectors.fill(0, 4 * dim, 5 * dim);
const featureSets: number[][] = Array.from({ length: numItems }, (_, i) => (i === 2 || i === 7 ? [] : [0, 1, 2, 3, 4, 5].filter(() => rng.nextFloat() < 0.35)));
const embeddings: ItemFeatures = { kind: 'embeddings', vectors, dim };
const sets: ItemFeatures = {
  kind: 'sets',
  indptr: Int32Array.from([0, ...featureSets.map((_, i) => featureSets.slice(0, i + 1).reduce((s, f) => s + f.length, 0))]),
  indices: Int32Array.from(featureSets.flat()),
};

/** Cosine distance 1 − cos, a zero vector similar to nothing. */
function cosineDistance(i: number, j: number): number {
  let dot = 0;
  let ni = 0;
  let nj = 0;
  for (let c = 0; c < dim; c++) {
    dot += vectors[i * dim + c] * vectors[j * dim + c];
    ni += vectors[i * dim + c] ** 2;
    nj += vectors[j * dim + c] ** 2;
  }
  return ni === 0 || nj === 0 ? 1 : 1 - dot / Math.sqrt(ni * nj);
}

/** Jaccard distance 1 − |A ∩ B| / |A ∪ B|, two empty sets at distance 1. */
function jaccardDistance(i: number, j: number): number {
  const a = new Set(featureSets[i]);
  const b = new Set(featureSets[j]);
  const inter = [...a].filter((x) => b.has(x)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 1 : 1 - inter / union;
}

interface Reference {
  users: number[];
  perUser: Record<string, number[]>;
  lists: number[][];
  relevant: number[][];
  itemCounts: number[];
  trainCounts: number[];
}

/** Everything the report should hold, from plain arrays and the per-user metric functions. */
function reference(distance: (i: number, j: number) => number): Reference {
  const itemUsers = Array.from({ length: numItems }, () => new Set<number>());
  const trainUsers = new Set<number>();
  const trainCounts = new Array<number>(numUsers).fill(0);
  for (const [u, j] of trainRows) {
    itemUsers[j].add(u);
    trainUsers.add(u);
    trainCounts[u]++;
  }
  const itemCounts = itemUsers.map((s) => s.size);
  const numTrainUsers = trainUsers.size;
  const names = ['precision', 'recall', 'ndcg', 'map', 'hitRate', 'mrr', 'auc', 'novelty', 'popularity', 'diversity'];
  const perUser: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const users: number[] = [];
  const lists: number[][] = [];
  const relevant: number[][] = [];
  for (let u = 0; u < numUsers; u++) {
    const trainItems = new Set(trainRows.filter((t) => t[0] === u).map((t) => t[1]));
    const relList = [...new Set(testRows.filter((t) => t[0] === u && t[2] >= relevantMin).map((t) => t[1]))].sort((a, b) => a - b);
    if (relList.length === 0) continue;
    users.push(u);
    relevant.push(relList);
    const rel = Int32Array.from(relList);
    const cand = [...Array(numItems).keys()].filter((j) => !trainItems.has(j));
    cand.sort((a, b) => Math.fround(table[u][b]) - Math.fround(table[u][a]) || a - b);
    const top = cand.slice(0, k);
    lists.push(top);
    const ranked = Int32Array.from(top);
    perUser.precision.push(precisionAtK(ranked, rel, k));
    perUser.recall.push(recallAtK(ranked, rel, k));
    perUser.ndcg.push(ndcgAtK(ranked, rel, k));
    perUser.map.push(averagePrecisionAtK(ranked, rel, k));
    perUser.hitRate.push(hitRateAtK(ranked, rel, k));
    perUser.mrr.push(mrr(ranked, rel));
    const negatives = cand.filter((j) => !relList.includes(j));
    perUser.auc.push(auc(Float32Array.from(relList, (j) => table[u][j]), Float32Array.from(negatives, (j) => table[u][j])));
    perUser.novelty.push(top.reduce((s, j) => s - Math.log2(Math.max(itemCounts[j], 1) / numTrainUsers), 0) / top.length);
    perUser.popularity.push(top.reduce((s, j) => s + itemCounts[j] / numTrainUsers, 0) / top.length);
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < top.length; a++) {
      for (let b = a + 1; b < top.length; b++) {
        sum += distance(top[a], top[b]);
        pairs++;
      }
    }
    perUser.diversity.push(sum / pairs);
  }
  return { users, perUser, lists, relevant, itemCounts, trainCounts };
}

const mean = (v: number[]): number => {
  const f = v.filter(Number.isFinite);
  return f.length === 0 ? NaN : f.reduce((s, x) => s + x, 0) / f.length;
};

const metricName = (name: string): string => (name === 'auc' ? 'auc' : `${name}@${k}`);

function checkPerUserAndMeans(got: RankingReport, ref: Reference): void {
  expect(got.evaluatedUsers).toBe(ref.users.length);
  expect([...got.perUser!.users]).toEqual(ref.users);
  expect(Object.keys(got.perUser!.values).sort()).toEqual(Object.keys(ref.perUser).map(metricName).sort());
  for (const [name, values] of Object.entries(ref.perUser)) {
    const v = got.perUser!.values[metricName(name)];
    expect(v.length, name).toBe(ref.users.length);
    for (let e = 0; e < values.length; e++) expect(v[e], `${name} of user ${ref.users[e]}`).toBeCloseTo(values[e], 12);
    expect(got.metrics[metricName(name)], name).toBeCloseTo(mean(values), 12);
  }
  expect([...got.perUser!.hits]).toEqual(ref.lists.map((top, e) => top.filter((j) => ref.relevant[e].includes(j)).length));
  expect([...got.perUser!.numRelevant]).toEqual(ref.relevant.map((r) => r.length));
}

describe('ranking summary of evaluateRanking against a slow reference', () => {
  const model = new ScoreTableModel(table);

  it('per-user values, means, beyond-accuracy metrics, intervals and groups (embedding features)', () => {
    const ref = reference(cosineDistance);
    expect(ref.users).toContain(15); // the user with no training row is evaluated
    expect(ref.lists.flat()).toContain(29); // the never-trained item is recommended somewhere
    const got = evaluateRanking(model, train, test, { k, relevantMin, perUser: true, intervals: { samples: 200, seed: 3 }, groups: true, itemFeatures: embeddings });
    checkPerUserAndMeans(got, ref);

    // coverage: distinct recommended items / all items; Gini by the mean absolute difference
    // of how often each of the 30 items is recommended: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄).
    const times = new Array<number>(numItems).fill(0);
    for (const top of ref.lists) for (const j of top) times[j]++;
    expect(got.metrics[`coverage@${k}`]).toBeCloseTo(times.filter((t) => t > 0).length / numItems, 12);
    let mad = 0;
    for (const a of times) for (const b of times) mad += Math.abs(a - b);
    const xbar = times.reduce((s, x) => s + x, 0) / numItems;
    expect(got.metrics[`gini@${k}`]).toBeCloseTo(mad / (2 * numItems * numItems * xbar), 12);

    // intervals: the percentile bootstrap of the reference's per-user values with the same options
    expect(Object.keys(got.intervals!).sort()).toEqual(Object.keys(ref.perUser).map(metricName).sort());
    for (const [name, values] of Object.entries(ref.perUser)) {
      const ci = bootstrapCi(Float64Array.from(values.filter(Number.isFinite)), { samples: 200, seed: 3 });
      const iv = got.intervals![metricName(name)];
      expect(iv.level).toBe(0.95);
      expect(iv.lo, name).toBeCloseTo(ci.lo, 10);
      expect(iv.hi, name).toBeCloseTo(ci.hi, 10);
      expect(iv.lo).toBeLessThanOrEqual(got.metrics[metricName(name)] + 1e-12);
      expect(iv.hi).toBeGreaterThanOrEqual(got.metrics[metricName(name)] - 1e-12);
    }

    // groups by training activity: the default threshold is the 20% lower quantile of the
    // evaluated users' training counts (position ⌊0.2 (n − 1)⌋ of the sorted counts)
    const counts = ref.users.map((u) => ref.trainCounts[u]);
    const sorted = [...counts].sort((a, b) => a - b);
    const g = got.groups!;
    expect(g.coldMax).toBe(sorted[Math.floor(0.2 * (counts.length - 1))]);
    checkActivityGroups(got, ref, g.coldMax);
    checkPopularityGroups(got, ref, 0.2);
  });

  it('diversity with feature sets (Jaccard), explicit coldMax and headShare', () => {
    const ref = reference(jaccardDistance);
    const got = evaluateRanking(model, train, test, { k, relevantMin, perUser: true, groups: { coldMax: 4, headShare: 0.5 }, itemFeatures: sets });
    checkPerUserAndMeans(got, ref);
    expect(got.intervals).toBeUndefined();
    expect(got.groups!.coldMax).toBe(4);
    checkActivityGroups(got, ref, 4);
    checkPopularityGroups(got, ref, 0.5);
  });

  it('without item features there is no diversity; without perUser no per-user arrays', () => {
    const got = evaluateRanking(model, train, test, { k, relevantMin, intervals: true });
    expect(got.perUser).toBeUndefined();
    expect(got.metrics[`diversity@${k}`]).toBeUndefined();
    expect(got.intervals![`diversity@${k}`]).toBeUndefined();
    const ref = reference(cosineDistance);
    expect(got.metrics[`novelty@${k}`]).toBeCloseTo(mean(ref.perUser.novelty), 12);
    // default settings: 1000 samples, level 0.95, seed 42 (bootstrapCi's default)
    const ci = bootstrapCi(Float64Array.from(ref.perUser.ndcg), {});
    expect(got.intervals![`ndcg@${k}`].lo).toBeCloseTo(ci.lo, 10);
    expect(got.intervals![`ndcg@${k}`].hi).toBeCloseTo(ci.hi, 10);
  });
});

function checkActivityGroups(got: RankingReport, ref: Reference, coldMax: number): void {
  const g = got.groups!;
  const isCold = ref.users.map((u) => ref.trainCounts[u] <= coldMax);
  const numCold = isCold.filter(Boolean).length;
  expect(numCold).toBeGreaterThan(0);
  expect(numCold).toBeLessThan(ref.users.length);
  expect(g.cold.users).toBe(numCold);
  expect(g.warm.users).toBe(ref.users.length - numCold);
  for (const [name, values] of Object.entries(ref.perUser)) {
    expect(g.cold.metrics[metricName(name)], `cold ${name}`).toBeCloseTo(mean(values.filter((_, e) => isCold[e])), 12);
    expect(g.warm.metrics[metricName(name)], `warm ${name}`).toBeCloseTo(mean(values.filter((_, e) => !isCold[e])), 12);
  }
}

function checkPopularityGroups(got: RankingReport, ref: Reference, headShare: number): void {
  const g = got.groups!;
  const pop = itemPopularityGroups(Int32Array.from(ref.itemCounts), { headShare });
  const isHead = (j: number): boolean => pop.groups[j] === 1;
  expect(g.headItems).toBe(pop.headItems);
  const recallOf = (which: (j: number) => boolean): { users: number; recall: number } => {
    const r: number[] = [];
    ref.relevant.forEach((rel, e) => {
      const part = rel.filter(which);
      if (part.length > 0) r.push(ref.lists[e].filter((j) => part.includes(j)).length / part.length);
    });
    return { users: r.length, recall: mean(r) };
  };
  const head = recallOf(isHead);
  const tail = recallOf((j) => !isHead(j));
  expect(head.users).toBeGreaterThan(0);
  expect(tail.users).toBeGreaterThan(0);
  expect(g.head.users).toBe(head.users);
  expect(g.tail.users).toBe(tail.users);
  expect(g.head.metrics[`recall@${k}`]).toBeCloseTo(head.recall, 12);
  expect(g.tail.metrics[`recall@${k}`]).toBeCloseTo(tail.recall, 12);
  const slots = ref.lists.flat();
  const headSlots = slots.filter(isHead).length;
  expect(g.head.metrics[`share@${k}`]).toBeCloseTo(headSlots / slots.length, 12);
  expect(g.tail.metrics[`share@${k}`]).toBeCloseTo(1 - headSlots / slots.length, 12);
}

describe('ranking summary: repeated training rows', () => {
  it('a duplicated (user, item) training row is one excluded item for AUC and one user for popularity', () => {
    // user 0 trains on item 1 twice and on item 3; user 1 on item 1. Scores of user 0:
    const scores = [
      [0.9, 0.8, 0.5, 0.7, 0.1, 0.3],
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
      [0.1, 0.9, 0.3, 0.4, 0.5, 0.6],
    ];
    const tr = triples([[0, 1, 1], [0, 1, 1], [0, 3, 1], [1, 1, 1]], 3, 6);
    const te = triples([[0, 2, 1], [0, 5, 1], [2, 0, 1]], 3, 6);
    const got = evaluateRanking(new ScoreTableModel(scores), tr, te, { k: 2, perUser: true });
    expect([...got.perUser!.users]).toEqual([0, 2]);
    // User 0: excluded {1, 3}; positives 2 (0.5) and 5 (0.3); negatives 0 (0.9) and 4 (0.1):
    // 2 of 4 pairs. (Counting the repeated item 1 twice would leave 1 negative: 2 / (2 · 1) = 1.)
    expect(got.perUser!.auc[0]).toBe(0.5);
    expect(got.perUser!.auc[0]).toBe(auc(Float32Array.of(0.5, 0.3), Float32Array.of(0.9, 0.1)));
    // User 2 (no training row): positive 0 (0.1) below all 5 negatives: AUC 0.
    expect(got.perUser!.auc[1]).toBe(0);
    expect(got.metrics.auc).toBe(0.25);
    // Popularity counts distinct training users: item 1 has users 0 and 1, 2 of the 2 training
    // users (the repeated row must not make it 3 of 2). User 0's top 2 = [0, 2], both never
    // trained (count floored to 1 for novelty: log2(2 / 1) = 1); user 2's top 2 = [1, 5]:
    // novelty (−log2(2/2) − log2(1/2)) / 2 = 0.5, popularity (2/2 + 0/2) / 2 = 0.5.
    expect([...got.perUser!.values['novelty@2']]).toEqual([1, 0.5]);
    expect([...got.perUser!.values['popularity@2']]).toEqual([0, 0.5]);
  });
});

describe('ranking summary: bad options', () => {
  const model = new ScoreTableModel(table);
  it('rejects each bad option naming the value and what is allowed', () => {
    expect(() => evaluateRanking(model, train, test, { intervals: { level: 1 } })).toThrow(/evaluateRanking: options\.intervals\.level must be in \(0, 1\), got 1/);
    expect(() => evaluateRanking(model, train, test, { intervals: { samples: 0 } })).toThrow(/evaluateRanking: options\.intervals\.samples must be a positive integer, got 0/);
    expect(() => evaluateRanking(model, train, test, { intervals: 'yes' as never })).toThrow(/evaluateRanking: options\.intervals must be true, false or \{ samples, level, seed \}, got/);
    expect(() => evaluateRanking(model, train, test, { groups: { headShare: 0 } })).toThrow(/evaluateRanking: options\.groups\.headShare must be in \(0, 1\), got 0/);
    expect(() => evaluateRanking(model, train, test, { groups: { coldMax: NaN } })).toThrow(/evaluateRanking: options\.groups\.coldMax must be a finite number, got NaN/);
    expect(() => evaluateRanking(model, train, test, { groups: 1 as never })).toThrow(/evaluateRanking: options\.groups must be true, false or \{ coldMax, headShare \}, got 1/);
    const short: ItemFeatures = { kind: 'embeddings', vectors: vectors.subarray(0, 29 * dim), dim };
    expect(() => evaluateRanking(model, train, test, { itemFeatures: short })).toThrow(/evaluateRanking: options\.itemFeatures must describe every item of the model \(30\), got 29 items/);
    const shortSets: ItemFeatures = { kind: 'sets', indptr: sets.indptr.subarray(0, 30), indices: sets.indices };
    expect(() => evaluateRanking(model, train, test, { itemFeatures: shortSets })).toThrow(/evaluateRanking: options\.itemFeatures must describe every item of the model \(30\), got 29 items/);
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'genres' } as never })).toThrow(/evaluateRanking: options\.itemFeatures must be \{ kind: 'embeddings', vectors, dim \} or \{ kind: 'sets', indptr, indices \}, got/);
    // arrays of the wrong kind are refused before any scoring, naming the array (not a bare "reading 'length'")
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'embeddings' } as never })).toThrow(/evaluateRanking: options\.itemFeatures\.vectors must be a Float32Array \(row-major numItems × dim\), got undefined/);
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'embeddings', vectors: [1, 2] as never, dim: 1 } })).toThrow(/evaluateRanking: options\.itemFeatures\.vectors must be a Float32Array .*, got Array\(2\)/);
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'embeddings', vectors, dim: 0 } })).toThrow(/evaluateRanking: options\.itemFeatures\.dim must be a positive integer, got 0/);
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'sets', indptr: [...sets.indptr] as never, indices: sets.indices } })).toThrow(/evaluateRanking: options\.itemFeatures\.indptr must be an Int32Array, got Array\(31\)/);
    expect(() => evaluateRanking(model, train, test, { itemFeatures: { kind: 'sets', indptr: sets.indptr } as never })).toThrow(/evaluateRanking: options\.itemFeatures\.indices must be an Int32Array, got undefined/);
    expect(() => evaluateRanking(model, train, test, { intervals: { samplez: 10 } as never })).toThrow(/evaluateRanking: unknown option "samplez"; the options are "samples", "level", "seed"/);
    expect(() => evaluateRanking(model, train, test, { groups: { coldmax: 1 } as never })).toThrow(/evaluateRanking: unknown option "coldmax"; the options are "coldMax", "headShare"/);
    expect(() => evaluateRanking(model, train, test, { perUser: 1 as never })).toThrow(/evaluateRanking: options\.perUser must be a boolean, got 1/);
  });
});
