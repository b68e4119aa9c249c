import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { ItemKNN } from './item-knn.js';
import { UserKNN, type UserKNNOptions } from './user-knn.js';

function randomData(numUsers: number, numItems: number, n: number, seed: number): InteractionData {
  const rng = createRng(seed);
  const u = new Int32Array(n);
  const i = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    u[t] = Math.floor(rng.nextFloat() ** 1.5 * (numUsers - 1)); // the last user has nothing
    i[t] = Math.floor(rng.nextFloat() ** 2 * numItems);
  }
  return { userIds: u, itemIds: i, ratings: null, numUsers, numItems };
}

function transpose(d: InteractionData): InteractionData {
  return { userIds: d.itemIds, itemIds: d.userIds, ratings: null, numUsers: d.numItems, numItems: d.numUsers };
}

function denseBinary(d: InteractionData): number[][] {
  const x = Array.from({ length: d.numUsers }, () => new Array<number>(d.numItems).fill(0));
  for (let t = 0; t < d.userIds.length; t++) x[d.userIds[t]][d.itemIds[t]] = 1;
  return x;
}

/** Top k by similarity (ties to the lower id, only > 0) from a dense list. */
function topK(sims: number[], k: number): Array<[number, number]> {
  return sims
    .map((s, v): [number, number] => [v, s])
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k);
}

describe('UserKNN', () => {
  const configs: UserKNNOptions[] = [
    { neighbors: 4, shrink: 0 },
    { neighbors: 6, similarity: 'jaccard', shrink: 2, weighting: 'bm25' },
    { neighbors: 3, similarity: { kind: 'asymmetric-cosine', alpha: 0.2 }, weighting: 'tfidf' },
  ];
  for (const o of configs) {
    it(`keeps the neighbour table ItemKNN computes on the transposed data (${JSON.stringify(o)})`, () => {
      // ItemKNN's tables are checked against dense references; with users and items swapped the
      // documents (rows compared) are the users and the terms the items, which is UserKNN's definition.
      const d = randomData(30, 25, 260, 5);
      const user = new UserKNN(o);
      user.fit(d);
      const item = new ItemKNN({ shrink: 0, weighting: 'none', ...o });
      item.fit(transpose(d));
      const a = user.getState();
      const b = item.getState();
      expect(Array.from(a.user_neighbor_ids.data)).toEqual(Array.from(b.neighbor_ids.data));
      expect(Array.from(a.user_neighbor_weights.data)).toEqual(Array.from(b.neighbor_weights.data));
    });
  }

  it('scores a user by the summed similarity of the neighbours who have the item (dense reference)', () => {
    const d = randomData(25, 15, 150, 9);
    const k = 5;
    const model = new UserKNN({ neighbors: k, shrink: 1 });
    model.fit(d);
    const x = denseBinary(d);
    const cos = (a: number[], b: number[]): number => {
      const ab = a.reduce((s, v, j) => s + v * b[j], 0);
      const na = a.reduce((s, v) => s + v * v, 0);
      const nb = b.reduce((s, v) => s + v * v, 0);
      return ab / (Math.sqrt(na) * Math.sqrt(nb) + 1);
    };
    for (const u of [0, 3, 10]) {
      const neighbors = topK(x.map((row, v) => (v === u ? 0 : cos(x[u], row))), k);
      const want = x[0].map((_, i) => neighbors.reduce((s, [v, sim]) => s + sim * x[v][i], 0));
      const got = model.predict(new Int32Array(15).fill(u), Int32Array.from({ length: 15 }, (_, i) => i));
      for (let i = 0; i < 15; i++) expect(got[i]).toBeCloseTo(want[i], 5);
      const ranked = model.recommend(u, 15, { filterSeen: false });
      for (let r = 0; r < ranked.ids.length; r++) expect(ranked.scores[r]).toBeCloseTo(want[ranked.ids[r]], 5);
      const similar = model.similarUsers(u, k);
      expect(Array.from(similar.ids)).toEqual(neighbors.map(([v]) => v));
    }
  });

  it('folds in a new user by finding their neighbours among all training users (cosine, dense reference)', () => {
    const d = randomData(30, 20, 220, 13);
    const k = 4;
    const model = new UserKNN({ neighbors: k, shrink: 0 });
    model.fit(d);
    const x = denseBinary(d);
    const items = Int32Array.of(0, 1, 2, 5);
    const row: number[] = x[0].map((_, i) => (items.includes(i) ? 1 : 0));
    const cos = (b: number[]): number => {
      const ab = row.reduce((s, v, j) => s + v * b[j], 0);
      return ab / Math.sqrt(items.length * b.reduce((s, v) => s + v, 0));
    };
    const neighbors = topK(x.map(cos), k);
    const want = row.map((_, i) => neighbors.reduce((s, [v, sim]) => s + sim * x[v][i], 0));
    const all = Int32Array.from({ length: 20 }, (_, i) => i);
    const got = model.predictNew(model.foldIn(items), all);
    for (let i = 0; i < 20; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('weighs a folded-in user with the training statistics (BM25, Jaccard; dense reference)', () => {
    const d = randomData(30, 20, 220, 21);
    const k = 5;
    const [k1, b, shrink] = [1.2, 0.75, 0.5];
    const model = new UserKNN({ neighbors: k, shrink, similarity: 'jaccard', weighting: { kind: 'bm25', k1, b } });
    model.fit(d);
    const x = denseBinary(d);
    const df = x[0].map((_, i) => x.filter((r) => r[i] === 1).length);
    const idf = df.map((c) => Math.log(30) - Math.log1p(c));
    const avg = x.reduce((s, r) => s + r.reduce((a, v) => a + v, 0), 0) / 30;
    const weigh = (r: number[]): number[] => {
      const len = r.reduce((a, v) => a + v, 0);
      return r.map((v, i) => (v === 0 ? 0 : ((k1 + 1) / (k1 * (1 - b + (b * len) / avg) + 1)) * idf[i]));
    };
    const items = Int32Array.of(1, 3, 4, 8, 12);
    const a = weigh(x[0].map((_, i): number => (items.includes(i) ? 1 : 0)));
    const sims = x.map((r) => {
      const w = weigh(r);
      const ab = a.reduce((s, v, j) => s + v * w[j], 0);
      return ab / (a.reduce((s, v) => s + v * v, 0) + w.reduce((s, v) => s + v * v, 0) - ab + shrink);
    });
    const neighbors = topK(sims, k);
    const want = x[0].map((_, i) => neighbors.reduce((s, [v, sim]) => s + sim * x[v][i], 0));
    const got = model.predictNew(model.foldIn(items), Int32Array.from({ length: 20 }, (_, i) => i));
    for (let i = 0; i < 20; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('gives item similarities as the cosine of binary item columns', () => {
    const d = randomData(20, 10, 90, 17);
    const model = new UserKNN({ neighbors: 3 });
    model.fit(d);
    const x = denseBinary(d);
    const col = (i: number): number[] => x.map((r) => r[i]);
    const a = col(2);
    const sims = Array.from({ length: 10 }, (_, j) => {
      const b = col(j);
      const ab = a.reduce((s, v, t) => s + v * b[t], 0);
      return ab === 0 ? 0 : ab / Math.sqrt(a.reduce((s, v) => s + v, 0) * b.reduce((s, v) => s + v, 0));
    });
    const got = model.similarItems(2, 9);
    for (let r = 0; r < got.ids.length; r++) expect(got.scores[r]).toBeCloseTo(sims[got.ids[r]], 6);
  });

  it('checks its options and a state before taking it', () => {
    expect(() => new UserKNN({ neighbors: 0 })).toThrow(/UserKNN: neighbors must be/);
    expect(() => new UserKNN({ useRatings: true } as never)).toThrow(/useRatings/);
    expect(() => new UserKNN({ similarity: 'pearson' as never })).toThrow(/similarity.*pearson/);
    const model = new UserKNN({ neighbors: 3 });
    model.fit(randomData(10, 8, 40, 2));
    const state = model.getState();
    expect(() => new UserKNN({ neighbors: 4 }).setState(state)).toThrow(/must both be \[10, 4\]/);
    const bad = { ...state, user_neighbor_ids: state.user_neighbor_ids.clone() };
    bad.user_neighbor_ids.data[0] = 0; // user 0 as its own neighbour
    expect(() => new UserKNN({ neighbors: 3 }).setState(bad)).toThrow(/row 0 must hold user ids in \[0, 10\) other than 0/);
    const { item_count: _drop, ...noCount } = state;
    expect(() => new UserKNN({ neighbors: 3 }).setState(noCount)).toThrow(/item_count/);
    const copy = new UserKNN({ neighbors: 3 });
    copy.setState(state);
    expect(copy.numItems).toBe(8);
    expect(Array.from(copy.recommend(1, 5, { filterSeen: false }).ids)).toEqual(Array.from(model.recommend(1, 5, { filterSeen: false }).ids));
  });
});
