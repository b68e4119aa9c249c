import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel, type FoldInRecommender, recommendBatch } from '../src/index.js';
import type { InteractionData } from '@quiver/base';
import { groupItems, idMapJson, itemsOf, plantedData } from './fixtures.js';

/** What a model promises beyond the shared contract. */
export interface ContractOptions {
  /** Explicit model: `foldIn` needs ratings. */
  readonly explicit: boolean;
  /**
   * Folding in a training user's own interactions should approximate their learned
   * recommendations (false for models whose fold-in ignores the user, such as random).
   */
  readonly foldInApproximates: boolean;
  /** Recommendations recover the planted taste groups of the fixture. */
  readonly learnsGroups: boolean;
}

const data = plantedData();

function fitted(makeModel: () => FoldInRecommender, d: InteractionData = data): FoldInRecommender {
  const m = makeModel();
  m.fit(d);
  return m;
}

/** The interactions rated 3 or more. */
function positives(d: InteractionData): InteractionData {
  const keep: number[] = [];
  for (let n = 0; n < d.userIds.length; n++) if (d.ratings![n] >= 3) keep.push(n);
  return {
    userIds: Int32Array.from(keep, (n) => d.userIds[n]),
    itemIds: Int32Array.from(keep, (n) => d.itemIds[n]),
    ratings: null,
    numUsers: d.numUsers,
    numItems: d.numItems,
  };
}

function isSortedBestFirst(ids: Int32Array, scores: Float32Array): boolean {
  for (let j = 1; j < ids.length; j++) {
    if (scores[j] > scores[j - 1]) return false;
    if (scores[j] === scores[j - 1] && ids[j] < ids[j - 1]) return false;
  }
  return true;
}

/**
 * The behaviour every {@link FoldInRecommender} must have (implicit's `RecommenderBaseTestMixin`),
 * run against a fresh model from `makeModel()` on the planted fixture.
 */
export function describeRecommenderContract(
  name: string,
  makeModel: () => FoldInRecommender,
  options: ContractOptions = { explicit: false, foldInApproximates: true, learnsGroups: true },
): void {
  describe(`${name} (FoldInRecommender contract)`, () => {
    const model = fitted(makeModel);
    const seen = (u: number) => new Set(itemsOf(data, u).items);

    it('throws a clear Error before fit', () => {
      const m = makeModel();
      expect(m.isFitted).toBe(false);
      expect(() => m.recommend(0, 3)).toThrow(/not fitted/);
      expect(() => m.predict(Int32Array.of(0), Int32Array.of(0))).toThrow(/not fitted/);
      expect(() => m.similarItems(0, 3)).toThrow(/not fitted/);
      expect(() => m.foldIn(Int32Array.of(0), Float32Array.of(4))).toThrow(/not fitted/);
      expect(() => recommendBatch(m, Int32Array.of(0), 3)).toThrow(/not fitted/);
      expect(() => m.getState()).toThrow(/not fitted/);
    });

    it('knows its sizes after fit', () => {
      expect(model.isFitted).toBe(true);
      expect(model.numUsers).toBe(12);
      expect(model.numItems).toBe(10);
    });

    it('returns exactly k unseen items, best first', () => {
      for (let u = 0; u < 12; u++) {
        const { ids, scores } = model.recommend(u, 3);
        expect(ids.length).toBe(3);
        expect(scores.length).toBe(3);
        expect(isSortedBestFirst(ids, scores)).toBe(true);
        for (const i of ids) expect(seen(u).has(i)).toBe(false);
        expect(new Set(ids).size).toBe(3);
      }
    });

    it('returns every candidate when fewer than k exist', () => {
      const { ids } = model.recommend(0, 50);
      expect(ids.length).toBe(10 - seen(0).size);
      expect([...ids].sort((a, b) => a - b)).toEqual([...Array(10).keys()].filter((i) => !seen(0).has(i)));
    });

    it('includes seen items with filterSeen: false and returns all items in score order', () => {
      const { ids, scores } = model.recommend(0, 10, { filterSeen: false });
      expect([...ids].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
      expect(isSortedBestFirst(ids, scores)).toBe(true);
    });

    it('ranks with the same scores as predict', () => {
      const { ids, scores } = model.recommend(3, 10, { filterSeen: false });
      const p = model.predict(new Int32Array(ids.length).fill(3), ids);
      const order = [...p].map((s, j) => [s, ids[j]] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      expect(order.map((x) => x[1])).toEqual([...ids]);
      // Scores agree (explicit models clip predict to the rating range, never the ranking).
      if (!options.explicit) for (let j = 0; j < ids.length; j++) expect(scores[j]).toBeCloseTo(p[j], 5);
    });

    it('scoreAllItems gives the scores recommend ranks by, into a caller buffer', () => {
      const all = model.scoreAllItems(3);
      expect(all).toBeInstanceOf(Float32Array);
      expect(all.length).toBe(10);
      const { ids, scores } = model.recommend(3, 10, { filterSeen: false });
      for (let j = 0; j < ids.length; j++) expect(scores[j]).toBe(all[ids[j]]);
      const out = new Float32Array(10).fill(NaN);
      expect(model.scoreAllItems(3, out)).toBe(out);
      expect(out).toEqual(all);
      if (!options.explicit) expect(Array.from(model.predict(new Int32Array(10).fill(3), Int32Array.from({ length: 10 }, (_, j) => j)))).toEqual(Array.from(all));
      expect(() => model.scoreAllItems(12)).toThrow(/scoreAllItems: user must be in \[0, 11\], got 12/);
      expect(() => model.scoreAllItems(0, new Float32Array(9))).toThrow(/out must hold numItems \(10\) scores, got length 9/);
      expect(() => model.scoreAllItems(0, [] as never)).toThrow(TypeError);
    });

    it('honours an allow-list (items) and a deny-list (exclude)', () => {
      const allow = Int32Array.of(9, 0, 5, 1, 0);
      const r = model.recommend(2, 10, { items: allow });
      const expected = [0, 1, 5, 9].filter((i) => !seen(2).has(i));
      expect([...r.ids].sort((a, b) => a - b)).toEqual(expected);
      const all = model.recommend(2, 10).ids;
      const denied = model.recommend(2, 10, { exclude: Int32Array.of(all[0], all[1]) });
      expect([...denied.ids]).toEqual([...all].slice(2));
      const both = model.recommend(2, 10, { items: Int32Array.of(all[0], all[1], all[2]), exclude: Int32Array.of(all[1]) });
      expect([...both.ids]).toEqual([all[0], all[2]]);
    });

    it('orders results by score, then by lower id', () => {
      // Items scored equally: ask for candidates whose scores tie (duplicates of one id are
      // impossible, so check the ordering rule on the whole ranking instead).
      const r = model.recommend(5, 10, { filterSeen: false });
      expect(isSortedBestFirst(r.ids, r.scores)).toBe(true);
    });

    it('recommendBatch equals recommend row by row, padded with -1', () => {
      const users = Int32Array.of(0, 7, 11, 0);
      const k = 6; // more than the 4 unseen items: rows are padded
      const b = recommendBatch(model, users, k, { exclude: Int32Array.of(3) });
      expect(b.ids.length).toBe(users.length * k);
      users.forEach((u, row) => {
        const one = model.recommend(u, k, { exclude: Int32Array.of(3) });
        expect([...b.ids.subarray(row * k, row * k + one.ids.length)]).toEqual([...one.ids]);
        expect([...b.scores.subarray(row * k, row * k + one.ids.length)]).toEqual([...one.scores]);
        for (let j = one.ids.length; j < k; j++) {
          expect(b.ids[row * k + j]).toBe(-1);
          expect(b.scores[row * k + j]).toBeNaN();
        }
      });
    });

    it('similarItems / similarUsers exclude the query and return k results', () => {
      for (const i of [0, 7]) {
        const s = model.similarItems(i, 4);
        expect(s.ids.length).toBe(4);
        expect([...s.ids]).not.toContain(i);
        expect(isSortedBestFirst(s.ids, s.scores)).toBe(true);
      }
      const u = model.similarUsers(4, 11);
      expect(u.ids.length).toBe(11);
      expect([...u.ids]).not.toContain(4);
    });

    if (options.learnsGroups) {
      it('recovers the planted taste groups', () => {
        // Implicit models see every interaction as a positive: train them on the liked ones.
        const m = options.explicit ? model : fitted(makeModel, positives(data));
        for (let u = 0; u < 12; u++) expect(groupItems(u)).toContain(m.recommend(u, 1).ids[0]);
      });
    }

    it('folds in a new user without retraining', () => {
      // Implicit models: the liked interactions only, as in the planted-groups test.
      const d = options.explicit ? data : positives(data);
      const m = options.explicit ? model : fitted(makeModel, d);
      const u = 8;
      const { items } = itemsOf(d, u);
      const ratings = options.explicit ? itemsOf(d, u).ratings : undefined;
      const v = m.foldIn(items, ratings);
      expect(v).toBeInstanceOf(Float32Array);
      const r = m.recommendForNew(items, ratings, 3);
      for (const i of r.ids) expect([...items]).not.toContain(i);
      expect(r.ids.length).toBe(3);
      const p = m.predictNew(v, Int32Array.of(0, 5));
      expect(p.length).toBe(2);
      if (options.foldInApproximates) {
        const learned = m.recommend(u, 2).ids;
        expect(r.ids[0]).toBe(learned[0]);
      }
    });

    it('rejects bad fold-in input', () => {
      expect(() => model.foldIn(new Int32Array(0), new Float32Array(0))).toThrow(/items must hold at least 1/);
      expect(() => model.foldIn(Int32Array.of(10), Float32Array.of(4))).toThrow(/items\[0\] must be in \[0, 9\], got 10/);
      if (options.explicit) expect(() => model.foldIn(Int32Array.of(1))).toThrow(/ratings must be a Float32Array/);
      expect(() => model.predictNew(new Float32Array(99), Int32Array.of(0))).toThrow(/userVector must have length/);
    });

    it('rejects bad ids with RangeError naming the value and the range', () => {
      expect(() => model.recommend(12, 3)).toThrow(RangeError);
      expect(() => model.recommend(12, 3)).toThrow(/user must be in \[0, 11\], got 12/);
      expect(() => model.recommend(-1, 3)).toThrow(/user must be in \[0, 11\], got -1/);
      expect(() => model.recommend(1.5, 3)).toThrow(/user must be in \[0, 11\], got 1.5/);
      expect(() => model.recommend(0, -1)).toThrow(/k must be a non-negative integer, got -1/);
      expect(() => model.predict(Int32Array.of(0), Int32Array.of(10))).toThrow(/items\[0\] must be in \[0, 9\], got 10/);
      expect(() => model.predict(Int32Array.of(0, 1), Int32Array.of(0))).toThrow(/items must have the length of users \(2\), got 1/);
      expect(() => model.similarItems(10, 2)).toThrow(/item must be in \[0, 9\], got 10/);
      expect(() => model.similarUsers(12, 2)).toThrow(/user must be in \[0, 11\], got 12/);
      expect(() => model.recommend(0, 3, { exclude: Int32Array.of(11) })).toThrow(/exclude\[0\] must be in \[0, 9\], got 11/);
      expect(() => recommendBatch(model, Int32Array.of(0, 12), 3)).toThrow(/users\[1\] must be in \[0, 11\], got 12/);
      expect(() => model.recommend(0, 3, { filterSeen: 'no' as never })).toThrow(/filterSeen must be a boolean/);
      expect(() => model.recommend(0, 3, { topK: 3 } as never)).toThrow(/unknown option "topK"/);
    });

    it('fit reports each epoch and stops when onEpochEnd returns false', () => {
      const m = makeModel();
      const seenEpochs: number[] = [];
      m.fit(data, {
        epochs: 3,
        onEpochEnd: (epoch, logs) => {
          seenEpochs.push(epoch);
          expect(typeof logs.loss).toBe('number');
          return epoch < 1;
        },
      });
      expect(seenEpochs).toEqual([0, 1]);
      expect(() => m.fit(data, { epochs: -1 })).toThrow(/epochs must be a non-negative integer, got -1/);
      expect(() => m.fit(data, { epoch: 3 } as never)).toThrow(/unknown option "epoch"/);
    });

    it('runs epoch by epoch and refuses fitEpoch before initialize', () => {
      const m = makeModel();
      expect(() => m.fitEpoch(data, 0)).toThrow(/data must be the object passed to initialize\(data\)/);
      m.initialize(data, { seed: 3 });
      expect(m.isFitted).toBe(true);
      const losses = [m.fitEpoch(data, 0), m.fitEpoch(data, 1)];
      for (const l of losses) expect(Number.isFinite(l)).toBe(true);
      // initialize + fitEpoch is exactly fit: same weights, same losses.
      const viaFit = makeModel();
      const fitLosses: number[] = [];
      viaFit.fit(data, { epochs: 2, seed: 3, onEpochEnd: (_e, { loss }) => void fitLosses.push(loss) });
      expect(fitLosses).toEqual(losses);
      const a = m.getState();
      const b = viaFit.getState();
      for (const k of Object.keys(a)) expect([...a[k].data]).toEqual([...b[k].data]);
      expect(() => m.fitEpoch({ ...data }, 2)).toThrow(/data must be the object passed to initialize\(data\)/);
    });

    it('is deterministic: the same seed gives bit-identical weights', () => {
      const a = makeModel();
      const b = makeModel();
      a.fit(data, { epochs: 2, seed: 5 });
      b.fit(data, { epochs: 2, seed: 5 });
      const sa = a.getState();
      const sb = b.getState();
      expect(Object.keys(sa).sort()).toEqual(Object.keys(sb).sort());
      for (const k of Object.keys(sa)) expect(Buffer.from(sa[k].data.buffer).equals(Buffer.from(sb[k].data.buffer))).toBe(true);
    });

    it('getState is a copy and setState restores predictions exactly', () => {
      const users = Int32Array.of(0, 3, 11, 6);
      const items = Int32Array.of(1, 9, 5, 0);
      const before = model.predict(users, items);
      const state = model.getState();
      for (const t of Object.values(state)) t.data.fill(0.5);
      expect([...model.predict(users, items)]).toEqual([...before]);
      const fresh = makeModel();
      fresh.setState(model.getState());
      expect([...fresh.predict(users, items)]).toEqual([...before]);
      const name = Object.keys(state)[0];
      const bad = { ...model.getState() };
      bad[name] = { ...bad[name], shape: [3, 3], data: new Float32Array(9) } as never;
      expect(() => fresh.setState(bad)).toThrow(RangeError);
    });

    it('saves and loads to identical predictions and recommendations', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'quiver-mf-'));
      try {
        const users12 = idMapJson('user', Array.from({ length: 12 }, (_, u) => `u${u}`));
        const items10 = idMapJson('item', Array.from({ length: 10 }, (_, i) => `i${i}`));
        await saveModel(model, dir, { idMaps: { users: users12, items: items10 } });
        const { model: loaded, idMaps } = await loadModel(dir);
        expect(JSON.parse(JSON.stringify(idMaps))).toEqual({ users: users12, items: items10 });
        expect(loaded.kind).toBe(model.kind);
        const users = Int32Array.from({ length: 12 }, (_, u) => u);
        const items = Int32Array.from({ length: 12 }, (_, u) => (u * 7) % 10);
        expect([...loaded.predict(users, items)]).toEqual([...model.predict(users, items)]);
        for (let u = 0; u < 12; u++) expect([...loaded.recommend(u, 3).ids]).toEqual([...model.recommend(u, 3).ids]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
