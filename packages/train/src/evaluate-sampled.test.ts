import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { triples } from '../test/fake-models.js';
import { evaluateSampled } from './evaluate-sampled.js';
import { mergeSortedUnique, nthAbsent, sampleAbsent, sampledRankRow } from './kernels/sampled-rank.js';
import type { ScoringModel } from './model-types.js';

/** A test double with a fixed score table whose predict records every (user, items) call. */
function recordingModel(table: number[][]): ScoringModel & { calls: { user: number; items: number[] }[] } {
  const numItems = table[0].length;
  let seen: { indptr: Int32Array; indices: Int32Array } | null = null;
  const calls: { user: number; items: number[] }[] = [];
  return {
    kind: 'als',
    numUsers: table.length,
    numItems,
    calls,
    predict(users: Int32Array, items: Int32Array): Float32Array {
      for (let n = 1; n < users.length; n++) if (users[n] !== users[0]) throw new Error('one user per call expected');
      calls.push({ user: users[0], items: Array.from(items) });
      return Float32Array.from(items, (j, n) => table[users[n]][j]);
    },
    scoreAllItems(user: number, out = new Float32Array(numItems)): Float32Array {
      for (let j = 0; j < numItems; j++) out[j] = table[user][j];
      return out;
    },
    seenItems: () => seen,
    setSeen(indptr: Int32Array, indices: Int32Array): void {
      seen = { indptr, indices };
    },
  };
}

// 3 users × 6 items. u0 trains on 0, 5 and tests 1 (rating 5); u1 trains on 5 and tests 0 (5), 3 (2);
// u2 tests 2 (rating 1). With 3 negatives, u0 and u1 have exactly 3 candidates each ({2, 3, 4} and
// {1, 2, 4}), so their negatives are known; u2's item 2 outscores every other item.
const table = [
  [0.0, 0.5, 0.9, 0.5, 0.1, 0.0],
  [0.8, 0.3, 0.9, 0.1, 0.2, 0.0],
  [0.1, 0.2, 0.7, 0.3, 0.4, 0.5],
];
const train = triples([[0, 0, 4], [0, 5, 4], [1, 5, 4]], 3, 6);
const test = triples([[0, 1, 5], [1, 0, 5], [1, 3, 2], [2, 2, 1]], 3, 6);
const L3 = Math.log2(3);

describe('evaluateSampled (hand-computed)', () => {
  it('ranks each relevant item among the negatives, ties against the model', () => {
    const model = recordingModel(table);
    const r = evaluateSampled(model, train, test, { negatives: 3, k: 2, perUser: true });
    // u0: item 1 (0.5) vs 0.9, 0.5 (tie), 0.1 → rank 3: hit 0, ndcg 0, rr 1/3
    // u1: item 0 (0.8) vs 0.3, 0.9, 0.2 → rank 2; item 3 (0.1) vs all → rank 4: hit 1/2, ndcg (1/log2 3)/2, rr (1/2 + 1/4)/2
    // u2: item 2 (0.7) is above every item → rank 1: 1, 1, 1
    expect(Object.keys(r.metrics)).toEqual(['hitRate@2(sampled 3)', 'ndcg@2(sampled 3)', 'mrr(sampled 3)']);
    expect(r.metrics['hitRate@2(sampled 3)']).toBeCloseTo(1.5 / 3, 15);
    expect(r.metrics['ndcg@2(sampled 3)']).toBeCloseTo((0 + 0.5 / L3 + 1) / 3, 15);
    expect(r.metrics['mrr(sampled 3)']).toBeCloseTo((1 / 3 + 0.375 + 1) / 3, 15);
    expect([r.k, r.negatives, r.evaluatedUsers, r.skippedUsers]).toEqual([2, 3, 3, 0]);
    expect(Array.from(r.perUser!.users)).toEqual([0, 1, 2]);
    expect(Array.from(r.perUser!.hitRate)).toEqual([0, 0.5, 1]);
    expect(r.perUser!.ndcg[1]).toBeCloseTo(0.5 / L3, 15);
    expect(r.perUser!.mrr[0]).toBeCloseTo(1 / 3, 15);
    // the relevant items come first, then the user's only 3 candidates
    expect(model.calls.map((c) => c.user)).toEqual([0, 1, 2]);
    expect(model.calls[0].items.slice(0, 1)).toEqual([1]);
    expect(model.calls[0].items.slice(1).sort()).toEqual([2, 3, 4]);
    expect(model.calls[1].items.slice(0, 2)).toEqual([0, 3]);
    expect(model.calls[1].items.slice(2).sort()).toEqual([1, 2, 4]);
  });
  it('with relevantMin, skips users without a relevant item and never samples their other test items', () => {
    const model = recordingModel(table);
    const r = evaluateSampled(model, train, test, { negatives: 3, k: 2, relevantMin: 4 });
    // u1's item 3 (rating 2) is not relevant but still not a negative: u1 ranks item 0 at 2
    expect(r.evaluatedUsers).toBe(2);
    expect(r.skippedUsers).toBe(1);
    expect(r.metrics['hitRate@2(sampled 3)']).toBe(0.5);
    expect(r.metrics['ndcg@2(sampled 3)']).toBeCloseTo(1 / L3 / 2, 15);
    expect(r.metrics['mrr(sampled 3)']).toBeCloseTo((1 / 3 + 0.5) / 2, 15);
    expect(model.calls[1].items.slice(1).sort()).toEqual([1, 2, 4]);
    expect(r.perUser).toBeUndefined();
  });
  it('a larger k credits deeper ranks: k = 3 counts the rank-3 item with ndcg 1/2', () => {
    const r = evaluateSampled(recordingModel(table), train, test, { negatives: 3, k: 3, perUser: true });
    expect(Array.from(r.perUser!.hitRate)).toEqual([1, 0.5, 1]);
    expect(r.perUser!.ndcg[0]).toBe(0.5); // 1 / log2(3 + 1)
  });
  it('reports NaN metrics when no user has a relevant item', () => {
    const r = evaluateSampled(recordingModel(table), train, test, { negatives: 3, relevantMin: 6 });
    expect(r.evaluatedUsers).toBe(0);
    expect(r.skippedUsers).toBe(3);
    expect(Object.values(r.metrics).every(Number.isNaN)).toBe(true);
  });
});

describe('evaluateSampled: the tie rule', () => {
  it('gives a constant model no credit: every relevant item gets rank negatives + 1', () => {
    const flat = recordingModel(table.map((row) => row.map(() => 0.25)));
    const r = evaluateSampled(flat, train, test, { negatives: 3, k: 3 });
    expect(r.metrics['hitRate@3(sampled 3)']).toBe(0);
    expect(r.metrics['ndcg@3(sampled 3)']).toBe(0);
    expect(r.metrics['mrr(sampled 3)']).toBe(0.25);
    const deep = evaluateSampled(flat, train, test, { negatives: 3, k: 4 });
    expect(deep.metrics['hitRate@4(sampled 3)']).toBe(1);
    expect(deep.metrics['ndcg@4(sampled 3)']).toBeCloseTo(1 / Math.log2(5), 15);
  });
  it('counts NaN scores against the model', () => {
    const nan = recordingModel(table.map((row) => row.map(() => NaN)));
    expect(evaluateSampled(nan, train, test, { negatives: 3, k: 3 }).metrics['mrr(sampled 3)']).toBe(0.25);
  });
});

/** Random train/test (disjoint) on a numUsers × numItems grid, and a score table with ties. */
function randomProblem(seed: number, numUsers: number, numItems: number) {
  const rng = createRng(seed);
  const scores = Array.from({ length: numUsers }, () => Array.from({ length: numItems }, () => rng.nextInt(8) / 8));
  const trainRows: [number, number, number][] = [];
  const testRows: [number, number, number][] = [];
  for (let u = 0; u < numUsers; u++) {
    for (let j = 0; j < numItems; j++) {
      const x = rng.nextFloat();
      if (x < 0.2) trainRows.push([u, j, 1 + rng.nextInt(5)]);
      else if (x < 0.3) testRows.push([u, j, 1 + rng.nextInt(5)]);
    }
  }
  return { scores, trainRows, testRows, train: triples(trainRows, numUsers, numItems), test: triples(testRows, numUsers, numItems) };
}

describe('evaluateSampled against a slow reference', () => {
  it('agrees on random scores with ties, using the negatives the model was asked about', () => {
    const p = randomProblem(5, 20, 50);
    const model = recordingModel(p.scores);
    const k = 5;
    const negatives = 15;
    const got = evaluateSampled(model, p.train, p.test, { negatives, k, relevantMin: 3, seed: 7, perUser: true });
    const callOf = new Map(model.calls.map((c) => [c.user, c.items]));
    const sums = { hit: 0, ndcg: 0, rr: 0 };
    const users: number[] = [];
    const perHit: number[] = [];
    for (let u = 0; u < 20; u++) {
      const rel = [...new Set(p.testRows.filter((t) => t[0] === u && t[2] >= 3).map((t) => t[1]))].sort((a, b) => a - b);
      if (rel.length === 0) continue;
      users.push(u);
      const negs = callOf.get(u)!.filter((j) => !rel.includes(j));
      expect(negs).toHaveLength(negatives);
      let hit = 0;
      let ndcg = 0;
      let rr = 0;
      for (const item of rel) {
        // sort the candidates by score, best first; ties put the relevant item last
        const list = [item, ...negs].sort((a, b) => Math.fround(p.scores[u][b]) - Math.fround(p.scores[u][a]) || (a === item ? 1 : b === item ? -1 : 0));
        const rank = list.indexOf(item) + 1;
        if (rank <= k) {
          hit += 1;
          ndcg += 1 / Math.log2(rank + 1);
        }
        rr += 1 / rank;
      }
      perHit.push(hit / rel.length);
      sums.hit += hit / rel.length;
      sums.ndcg += ndcg / rel.length;
      sums.rr += rr / rel.length;
    }
    expect(Array.from(got.perUser!.users)).toEqual(users);
    expect(Array.from(got.perUser!.hitRate)).toEqual(perHit);
    expect(got.metrics['hitRate@5(sampled 15)']).toBeCloseTo(sums.hit / users.length, 14);
    expect(got.metrics['ndcg@5(sampled 15)']).toBeCloseTo(sums.ndcg / users.length, 14);
    expect(got.metrics['mrr(sampled 15)']).toBeCloseTo(sums.rr / users.length, 14);
  });
});

describe('evaluateSampled: the negatives', () => {
  const p = randomProblem(9, 25, 40);
  it('are never train or test items of the user, have no duplicates and come first-relevant-then-negatives', () => {
    const model = recordingModel(p.scores);
    const r = evaluateSampled(model, p.train, p.test, { negatives: 20, seed: 3 });
    expect(model.calls).toHaveLength(r.evaluatedUsers);
    for (const { user, items } of model.calls) {
      const trainItems = new Set(p.trainRows.filter((t) => t[0] === user).map((t) => t[1]));
      const testItems = [...new Set(p.testRows.filter((t) => t[0] === user).map((t) => t[1]))].sort((a, b) => a - b);
      expect(items.slice(0, testItems.length)).toEqual(testItems);
      const negs = items.slice(testItems.length);
      expect(negs).toHaveLength(20);
      expect(new Set(negs).size).toBe(20);
      for (const j of negs) {
        expect(j >= 0 && j < 40).toBe(true);
        expect(trainItems.has(j)).toBe(false);
        expect(testItems.includes(j)).toBe(false);
      }
    }
  });
  it('are deterministic for a seed, per user, and change with the seed', () => {
    const a = recordingModel(p.scores);
    const b = recordingModel(p.scores);
    const c = recordingModel(p.scores);
    const ra = evaluateSampled(a, p.train, p.test, { negatives: 10, seed: 3 });
    const rb = evaluateSampled(b, p.train, p.test, { negatives: 10, seed: 3 });
    evaluateSampled(c, p.train, p.test, { negatives: 10, seed: 4 });
    expect(b.calls).toEqual(a.calls);
    expect(rb.metrics).toEqual(ra.metrics);
    expect(c.calls.map((x) => x.items)).not.toEqual(a.calls.map((x) => x.items));
    // a user's negatives do not depend on the other users: evaluate user 4 alone
    const alone = recordingModel(p.scores);
    const rows4 = p.testRows.filter((t) => t[0] === 4);
    evaluateSampled(alone, p.train, triples(rows4, 25, 40), { negatives: 10, seed: 3 });
    expect(alone.calls).toEqual(a.calls.filter((x) => x.user === 4));
  });
  it('are uniform over the candidates (subset frequencies, chi-square)', () => {
    // one user, 12 items: trains on 0 and 1, tests on 2, so the candidates are 3..11 (9 items, 84 subsets of 3)
    const scores = [Array.from({ length: 12 }, () => 0)];
    const tr = triples([[0, 0, 1], [0, 1, 1]], 1, 12);
    const te = triples([[0, 2, 1]], 1, 12);
    const runs = 2000;
    const subsets = new Map<string, number>();
    const perItem = new Array(12).fill(0);
    for (let seed = 0; seed < runs; seed++) {
      const m = recordingModel(scores);
      evaluateSampled(m, tr, te, { negatives: 3, seed });
      const negs = m.calls[0].items.slice(1).sort((x, y) => x - y);
      for (const j of negs) perItem[j]++;
      const key = negs.join(',');
      subsets.set(key, (subsets.get(key) ?? 0) + 1);
    }
    expect(perItem.slice(0, 3)).toEqual([0, 0, 0]);
    // each candidate in 1/3 of the runs: 666.7 ± 21 (one standard deviation)
    for (let j = 3; j < 12; j++) expect(Math.abs(perItem[j] - runs / 3)).toBeLessThan(90);
    const expected = runs / 84;
    let chi2 = 0;
    for (const count of subsets.values()) chi2 += (count - expected) ** 2 / expected;
    chi2 += (84 - subsets.size) * expected; // subsets never drawn
    // 83 degrees of freedom: mean 83, standard deviation 12.9; 140 is beyond p = 1e-4
    expect(chi2).toBeLessThan(140);
  });
});

describe('evaluateSampled: bad input', () => {
  const model = recordingModel(table);
  it('refuses bad options, naming the value', () => {
    expect(() => evaluateSampled(model, train, test, { k: 0 })).toThrow(/^evaluateSampled: options.k must be a positive integer, got 0$/);
    expect(() => evaluateSampled(model, train, test, { k: -3 })).toThrow(/options.k must be a positive integer, got -3/);
    expect(() => evaluateSampled(model, train, test, { negatives: 0 })).toThrow(/^evaluateSampled: options.negatives must be a positive integer, got 0$/);
    expect(() => evaluateSampled(model, train, test, { negatives: 2.5 })).toThrow(/options.negatives must be a positive integer, got 2.5/);
    expect(() => evaluateSampled(model, train, test, { negatives: '3' } as never)).toThrow(TypeError);
    expect(() => evaluateSampled(model, train, test, { seed: NaN })).toThrow(/evaluateSampled: options.seed must be a finite number or a string, got NaN/);
    expect(() => evaluateSampled(model, train, test, { relevantMin: Infinity })).toThrow(/options.relevantMin must be a finite number, got Infinity/);
    expect(() => evaluateSampled(model, train, test, { perUser: 1 } as never)).toThrow(/options.perUser must be a boolean, got 1/);
    expect(() => evaluateSampled(model, train, test, { negative: 3 } as never)).toThrow(/evaluateSampled: unknown option "negative"/);
  });
  it('refuses more negatives than some user has candidates', () => {
    // u0 and u1 have 3 candidates each, u2 has 5
    expect(() => evaluateSampled(model, train, test, { negatives: 4 })).toThrow(
      /^evaluateSampled: options.negatives must not exceed any evaluated user's candidate items \(items in neither their train nor their test rows; a sampled-negative count larger than the catalogue\): user 0 has 3, got 4$/,
    );
    // skipped users need no negatives: with relevantMin 5 only u0 and u1 count
    const onlyU2 = triples([[2, 2, 1]], 3, 6);
    expect(evaluateSampled(model, train, onlyU2, { negatives: 5, k: 1 }).metrics['hitRate@1(sampled 5)']).toBe(1);
    expect(() => evaluateSampled(model, train, onlyU2, { negatives: 6 })).toThrow(/user 2 has 5, got 6/);
  });
  it('refuses a test pair that is also a training pair (leakage)', () => {
    const leaky = triples([[0, 1, 5], [1, 5, 5], [0, 0, 3]], 3, 6);
    expect(() => evaluateSampled(model, train, leaky, { negatives: 3 })).toThrow(RangeError);
    expect(() => evaluateSampled(model, train, leaky, { negatives: 3 })).toThrow(
      /^evaluateSampled: the test set must not overlap train: 2 test pair\(s\) are also train pairs of the same user \(leakage.*, got user 0, item 0 in both$/,
    );
  });
  it('refuses mismatched sizes through checkSizes, and a predict with the wrong output', () => {
    expect(() => evaluateSampled(model, train, triples([[0, 1, 1]], 3, 7))).toThrow(/evaluateSampled: test.numItems must equal the model's numItems \(6\), got 7/);
    expect(() => evaluateSampled(model, train, triples([[0, 6, 1]], 3, 6))).toThrow(/evaluateSampled: test.itemIds\[0\] = 6 is out of range/);
    expect(() => evaluateSampled({} as never, train, test)).toThrow(/evaluateSampled: model must be a fitted recommender, got object/);
    const short = { ...recordingModel(table), predict: () => new Float32Array(1) };
    expect(() => evaluateSampled(short, train, test, { negatives: 3 })).toThrow(/^evaluateSampled: model.predict must return a Float32Array with one score per pair \(4 for user 0\), got Float32Array\(1\)$/);
  });
});

describe('sampled-rank kernels against slow references', () => {
  it('nthAbsent and mergeSortedUnique', () => {
    const rng = createRng(2);
    for (let trial = 0; trial < 50; trial++) {
      const a = Array.from({ length: rng.nextInt(8) }, () => rng.nextInt(20)).sort((x, y) => x - y);
      const b = Array.from({ length: rng.nextInt(8) }, () => rng.nextInt(20)).sort((x, y) => x - y);
      const out = new Int32Array(a.length + b.length);
      const m = mergeSortedUnique(Int32Array.from(a), 0, a.length, Int32Array.from(b), 0, b.length, out);
      const union = [...new Set([...a, ...b])].sort((x, y) => x - y);
      expect(Array.from(out.subarray(0, m))).toEqual(union);
      const absent = [...Array(40).keys()].filter((j) => !union.includes(j));
      for (let r = 0; r < absent.length; r++) expect(nthAbsent(out, m, r)).toBe(absent[r]);
    }
  });
  it('sampleAbsent draws distinct allowed ids and leaves mark clear', () => {
    const mark = new Uint8Array(10);
    const out = new Int32Array(8).fill(-1);
    sampleAbsent(createRng(1), Int32Array.of(0, 3, 9), 3, 10, 7, mark, out, 1);
    expect(out[0]).toBe(-1);
    expect(Array.from(out.subarray(1)).sort()).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(mark.every((x) => x === 0)).toBe(true);
  });
  it('sampledRankRow', () => {
    const out = new Float64Array(3);
    // relevant 0.5 and 0.95 vs negatives 0.9, 0.5, 0.1: ranks 3 and 1
    sampledRankRow(Float32Array.of(0.5, 0.95, 0.9, 0.5, 0.1), 2, 3, 2, out);
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeCloseTo(1 / 3 + 1, 15);
  });
});
