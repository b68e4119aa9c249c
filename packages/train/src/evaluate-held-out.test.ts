// evaluateHeldOutUsers (strong generalization) against a slow reference written here: for each
// held-out user, model.foldIn + model.predictNew over every item, a full sort without the fold-in
// items (ties to the lower id), then the per-user metric functions of src/metrics.
import { createRng } from '@quiver/base';
import { fromArrays, strongGeneralizationSplit } from '@quiver/data';
import { EASE, ItemKNN } from '@quiver/mf';
import { describe, expect, it } from 'vitest';
import { triples } from '../test/fake-models.js';
import { evaluateHeldOutUsers, type HeldOutModel } from './evaluate-held-out.js';
import { auc } from './metrics/auc.js';
import { itemPopularityGroups } from './metrics/popularity-groups.js';
import { ndcgAtK } from './metrics/ndcg-at-k.js';
import { precisionAtK } from './metrics/precision-at-k.js';
import { recallAtK } from './metrics/recall-at-k.js';
import type { InteractionData } from './model-types.js';

/**
 * A fold-in model with obvious behaviour: item j has a fixed vector; a new user's vector is the
 * mean of their items' vectors (each weighted by its rating when ratings are given), and the
 * score of item j is the dot product with j's vector. Every fold-in call is recorded.
 */
class VectorFoldInModel implements HeldOutModel {
  readonly calls: { items: number[]; ratings: number[] | undefined }[] = [];
  constructor(
    readonly kind: string,
    readonly numUsers: number,
    readonly numItems: number,
    readonly itemVectors: number[][],
  ) {}
  predict(users: Int32Array): Float32Array {
    return new Float32Array(users.length);
  }
  scoreAllItems(_user: number, out: Float32Array = new Float32Array(this.numItems)): Float32Array {
    return out.fill(0);
  }
  seenItems(): null {
    return null;
  }
  setSeen(): void {}
  foldIn(items: Int32Array, ratings?: Float32Array): Float32Array {
    this.calls.push({ items: [...items], ratings: ratings === undefined ? undefined : [...ratings] });
    const v = new Float32Array(this.itemVectors[0].length);
    for (let a = 0; a < items.length; a++) {
      const w = ratings === undefined ? 1 : ratings[a];
      for (let c = 0; c < v.length; c++) v[c] += (w * this.itemVectors[items[a]][c]) / items.length;
    }
    return v;
  }
  predictNew(vector: Float32Array, items: Int32Array): Float32Array {
    return Float32Array.from(items, (j) => this.itemVectors[j].reduce((s, x, c) => s + x * vector[c], 0));
  }
}

type Row = [number, number, number];

/** Rows of `data` as (user, item, rating) triples. */
function rowsOf(data: InteractionData): Row[] {
  return Array.from(data.userIds, (u, a) => [u, data.itemIds[a], data.ratings === null ? 1 : data.ratings[a]] as Row);
}

interface HeldOutReference {
  users: number[];
  precision: number[];
  recall: number[];
  ndcg: number[];
  auc: number[];
  novelty: number[];
  lists: number[][];
  numItems: number;
}

/** The slow reference: per held-out user with a relevant test item, fold in, score every item, sort. */
function heldOutReference(model: HeldOutModel, trainRows: Row[], foldRows: Row[], testRows: Row[], k: number, relevantMin: number | null, explicit: boolean): HeldOutReference {
  const numItems = model.numItems;
  const allItems = Int32Array.from({ length: numItems }, (_, j) => j);
  const itemUsers = Array.from({ length: numItems }, () => new Set<number>());
  for (const [u, j] of trainRows) itemUsers[j].add(u);
  const numTrainUsers = new Set(trainRows.map((t) => t[0])).size;
  const out: HeldOutReference = { users: [], precision: [], recall: [], ndcg: [], auc: [], novelty: [], lists: [], numItems };
  for (let u = 0; u < model.numUsers; u++) {
    const folded = foldRows.filter((t) => t[0] === u).sort((a, b) => a[1] - b[1]);
    const foldItems = new Set(folded.map((t) => t[1]));
    const relList = [...new Set(testRows.filter((t) => t[0] === u && (relevantMin === null || t[2] >= relevantMin) && !foldItems.has(t[1])).map((t) => t[1]))].sort((a, b) => a - b);
    if (relList.length === 0) continue;
    const vector = model.foldIn(Int32Array.from(folded, (t) => t[1]), explicit ? Float32Array.from(folded, (t) => t[2]) : undefined);
    const scores = model.predictNew(vector, allItems);
    const cand = [...allItems].filter((j) => !foldItems.has(j)).sort((a, b) => scores[b] - scores[a] || a - b);
    const top = cand.slice(0, k);
    const ranked = Int32Array.from(top);
    const rel = Int32Array.from(relList);
    out.users.push(u);
    out.lists.push(top);
    out.precision.push(precisionAtK(ranked, rel, k));
    out.recall.push(recallAtK(ranked, rel, k));
    out.ndcg.push(ndcgAtK(ranked, rel, k));
    out.auc.push(auc(Float32Array.from(relList, (j) => scores[j]), Float32Array.from(cand.filter((j) => !relList.includes(j)), (j) => scores[j])));
    out.novelty.push(top.reduce((s, j) => s - Math.log2(Math.max(itemUsers[j].size, 1) / numTrainUsers), 0) / top.length);
  }
  return out;
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

// A 20-user, 25-item problem: users 0–11 are training users, 12–19 held out with fold-in and
// test rows (disjoint). Item vectors hold small integers, so many scores tie.
const numUsers = 20;
const numItems = 25;
const rng = createRng(8);
const itemVectors = Array.from({ length: numItems }, () => [rng.nextInt(4) - 1, rng.nextInt(4) - 1]);
const trainRows: Row[] = [];
const foldRows: Row[] = [];
const testRows: Row[] = [];
for (let u = 0; u < numUsers; u++) {
  for (let j = 0; j < numItems; j++) {
    const r = rng.nextFloat();
    if (u < 12) {
      if (r < 0.3) trainRows.push([u, j, 1 + rng.nextInt(5)]);
    } else if (r < 0.25) foldRows.push([u, j, 1 + rng.nextInt(5)]);
    else if (r < 0.5) testRows.push([u, j, u === 19 ? 1 : 1 + rng.nextInt(5)]);
  }
  if (u >= 12 && !foldRows.some((t) => t[0] === u)) foldRows.push([u, (u * 7) % numItems, 3]);
}
const train = triples(trainRows, numUsers, numItems);
const foldIn = triples(foldRows, numUsers, numItems);
const test = triples(testRows, numUsers, numItems);

function checkAgainst(got: ReturnType<typeof evaluateHeldOutUsers>, ref: HeldOutReference, k: number): void {
  expect(got.evaluatedUsers).toBe(ref.users.length);
  expect([...got.perUser!.users]).toEqual(ref.users);
  for (const [name, values] of [[`precision@${k}`, ref.precision], [`recall@${k}`, ref.recall], [`ndcg@${k}`, ref.ndcg], ['auc', ref.auc], [`novelty@${k}`, ref.novelty]] as const) {
    const v = got.perUser!.values[name];
    for (let e = 0; e < values.length; e++) expect(v[e], `${name} of user ${ref.users[e]}`).toBeCloseTo(values[e], 12);
    expect(got.metrics[name], name).toBeCloseTo(mean(values), 12);
  }
  const times = new Array<number>(ref.numItems).fill(0);
  for (const top of ref.lists) for (const j of top) times[j]++;
  expect(got.metrics[`coverage@${k}`]).toBeCloseTo(times.filter((t) => t > 0).length / ref.numItems, 12);
}

describe('evaluateHeldOutUsers with a fold-in test double', () => {
  it('an implicit model gets no ratings; the metrics match the full-sort reference', () => {
    const model = new VectorFoldInModel('als', numUsers, numItems, itemVectors);
    const k = 4;
    const got = evaluateHeldOutUsers(model, train, foldIn, test, { k, perUser: true });
    const calls = model.calls.splice(0);
    const ref = heldOutReference(model, trainRows, foldRows, testRows, k, null, false);
    expect(ref.users).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    checkAgainst(got, ref, k);
    // one fold-in per evaluated user, in order, with that user's fold-in items (ascending) and no ratings
    expect(calls).toEqual(model.calls);
    expect(calls.every((c) => c.ratings === undefined)).toBe(true);
    expect(calls.map((c) => c.items)).toEqual(ref.users.map((u) => foldRows.filter((t) => t[0] === u).map((t) => t[1]).sort((a, b) => a - b)));
  });

  it('an explicit model (biased-mf) gets the fold-in ratings; relevantMin skips a user with no relevant item', () => {
    const model = new VectorFoldInModel('biased-mf', numUsers, numItems, itemVectors);
    const k = 3;
    const got = evaluateHeldOutUsers(model, train, foldIn, test, { k, relevantMin: 3, perUser: true });
    const calls = model.calls.splice(0);
    const ref = heldOutReference(model, trainRows, foldRows, testRows, k, 3, true);
    expect(ref.users).not.toContain(19); // user 19's test ratings are all 1
    expect(got.skippedUsers).toBe(1);
    checkAgainst(got, ref, k);
    expect(calls).toEqual(model.calls);
    const expected = ref.users.map((u) => foldRows.filter((t) => t[0] === u).sort((a, b) => a[1] - b[1]));
    expect(calls.map((c) => c.ratings)).toEqual(expected.map((rows) => rows.map((t) => t[2])));
  });

  it('groups split held-out users by their fold-in activity; head/tail by training popularity', () => {
    const model = new VectorFoldInModel('als', numUsers, numItems, itemVectors);
    const k = 4;
    const got = evaluateHeldOutUsers(model, train, foldIn, test, { k, perUser: true, groups: true });
    const ref = heldOutReference(model, trainRows, foldRows, testRows, k, null, false);
    // A held-out user has no training row by definition; their activity is what they fold in.
    const counts = ref.users.map((u) => foldRows.filter((t) => t[0] === u).length);
    const coldMax = [...counts].sort((a, b) => a - b)[Math.floor(0.2 * (counts.length - 1))];
    const cold = counts.map((c) => c <= coldMax);
    expect(cold.some((c) => !c)).toBe(true);
    const g = got.groups!;
    expect(g.coldMax).toBe(coldMax);
    expect(g.cold.users).toBe(cold.filter(Boolean).length);
    expect(g.warm.users).toBe(cold.filter((c) => !c).length);
    expect(g.cold.metrics[`ndcg@${k}`]).toBeCloseTo(mean(ref.ndcg.filter((_, e) => cold[e])), 12);
    expect(g.warm.metrics[`ndcg@${k}`]).toBeCloseTo(mean(ref.ndcg.filter((_, e) => !cold[e])), 12);
    expect(g.warm.metrics[`recall@${k}`]).toBeCloseTo(mean(ref.recall.filter((_, e) => !cold[e])), 12);
    // the short head from the training users' counts (held-out users' fold-in rows are not popularity)
    const itemCounts = Int32Array.from({ length: numItems }, (_, j) => new Set(trainRows.filter((t) => t[1] === j).map((t) => t[0])).size);
    const head = itemPopularityGroups(itemCounts, { headShare: 0.2 });
    expect(g.headItems).toBe(head.headItems);
    const slots = ref.lists.flat();
    expect(g.head.metrics[`share@${k}`]).toBeCloseTo(slots.filter((j) => head.groups[j] === 1).length / slots.length, 12);
  });

  it('refuses a held-out user with training rows, one without fold-in rows, and a model without fold-in', () => {
    const model = new VectorFoldInModel('als', numUsers, numItems, itemVectors);
    const trainPlus = triples([...trainRows, [14, 0, 1]], numUsers, numItems);
    expect(() => evaluateHeldOutUsers(model, trainPlus, foldIn, test)).toThrow(
      /evaluateHeldOutUsers: held-out users must have no training rows \(strong generalization\); evaluate users seen in training with evaluateRanking, got user 14 has 1 training rows/,
    );
    const foldMinus = triples(foldRows.filter((t) => t[0] !== 13), numUsers, numItems);
    expect(() => evaluateHeldOutUsers(model, train, foldMinus, test)).toThrow(
      /evaluateHeldOutUsers: every held-out user with test rows must have fold-in rows \(the model has nothing else to go on\), got user 13 has none/,
    );
    const bare = {
      kind: 'als',
      numUsers,
      numItems,
      predict: (u: Int32Array) => model.predict(u),
      scoreAllItems: (u: number, out?: Float32Array) => model.scoreAllItems(u, out),
      seenItems: () => null,
      setSeen: () => {},
      predictNew: (v: Float32Array, items: Int32Array) => model.predictNew(v, items),
    } as unknown as HeldOutModel;
    expect(() => evaluateHeldOutUsers(bare, train, foldIn, test)).toThrow(/evaluateHeldOutUsers: model must have foldIn\(\) and predictNew\(\) \(the FoldInModel contract every @quiver\/mf model implements\), got .* without them/);
    expect(() => evaluateHeldOutUsers(model, train, foldIn, test, { batchSize: 2 } as never)).toThrow(/evaluateHeldOutUsers: unknown option "batchSize"/);
    expect(() => evaluateHeldOutUsers(model, train, foldIn, test, { groups: { headShare: 1 } })).toThrow(/evaluateHeldOutUsers: options\.groups\.headShare must be in \(0, 1\), got 1/);
    expect(model.calls).toEqual([]);
  });

  it('a test pair that is also a fold-in pair is leakage: refused, or dropped with trainOverlap drop', () => {
    const model = new VectorFoldInModel('als', numUsers, numItems, itemVectors);
    const leaked = foldRows.find((t) => t[0] === 16)!;
    const leakyTest = triples([...testRows, [16, leaked[1], 5]], numUsers, numItems);
    expect(() => evaluateHeldOutUsers(model, train, foldIn, leakyTest)).toThrow(
      new RegExp(`evaluateHeldOutUsers: the test set must not overlap foldIn: 1 test pair\\(s\\) are also foldIn pairs of the same user .*trainOverlap: 'drop'.*, got user 16, item ${leaked[1]} in both`),
    );
    const k = 4;
    const got = evaluateHeldOutUsers(model, train, foldIn, leakyTest, { k, perUser: true, trainOverlap: 'drop' });
    expect(got.droppedTrainOverlap).toBe(1);
    model.calls.length = 0;
    // the reference leaves fold-in items out of the relevant sets, so the leaked pair counts for nothing
    checkAgainst(got, heldOutReference(model, trainRows, foldRows, rowsOf(leakyTest), k, null, false), k);
  });
});

describe('evaluateHeldOutUsers with @quiver/mf models on a strongGeneralizationSplit', () => {
  // Planted structure: 40 users in two taste groups over 12 items (group 0 likes items 0–5,
  // group 1 items 6–11); each user has 4–5 of their group's items (rating 4–5) and one item of
  // the other group (rating 1–2).
  const rows = { userIds: [] as number[], itemIds: [] as number[], ratings: [] as number[] };
  for (let u = 0; u < 40; u++) {
    const own = u % 2 === 0 ? 0 : 6;
    const other = u % 2 === 0 ? 6 : 0;
    for (let t = 0; t < 6; t++) {
      if (t === u % 6 || (u % 3 === 0 && t === (u + 2) % 6)) continue;
      rows.userIds.push(u);
      rows.itemIds.push(own + t);
      rows.ratings.push(4 + ((u + t) % 2));
    }
    rows.userIds.push(u);
    rows.itemIds.push(other + (u % 6));
    rows.ratings.push(1 + (u % 2));
  }
  const data = fromArrays(rows);
  const split = strongGeneralizationSplit(data, { testUsers: 10, foldInFraction: 0.5, seed: 5 });

  for (const [name, make] of [
    ['EASE', () => new EASE({ lambda: 10 })],
    ['ItemKNN', () => new ItemKNN({ shrink: 1 })],
  ] as const) {
    it(`${name}: fold-in metrics match the full-sort reference`, () => {
      const model = make();
      model.fit(split.train);
      const k = 3;
      const trainRows = rowsOf(split.train);
      const foldRowsS = rowsOf(split.test.foldIn);
      const testRowsS = rowsOf(split.test.test);
      // the split holds out 10 users entirely: none of them has a training row
      const heldOut = new Set(foldRowsS.map((t) => t[0]));
      expect(heldOut.size).toBe(10);
      expect(trainRows.some((t) => heldOut.has(t[0]))).toBe(false);
      for (const relevantMin of [null, 4]) {
        const got = evaluateHeldOutUsers(model, split.train, split.test.foldIn, split.test.test, { k, relevantMin, perUser: true });
        const ref = heldOutReference(model, trainRows, foldRowsS, testRowsS, k, relevantMin, false);
        expect(ref.users.length).toBeGreaterThan(5);
        checkAgainst(got, ref, k);
      }
      // the planted groups are learnt: most held-out users' in-group test items are found
      const got = evaluateHeldOutUsers(model, split.train, split.test.foldIn, split.test.test, { k, relevantMin: 4 });
      expect(got.metrics[`recall@${k}`]).toBeGreaterThan(0.7);
    });
  }
});
