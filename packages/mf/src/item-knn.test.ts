import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { ItemKNN, type ItemKNNOptions } from './item-knn.js';
import { P3alpha, RP3beta } from './rp3beta.js';

/** Random implicit data with repeats (summed) and a few empty users and items. */
function randomData(numUsers: number, numItems: number, n: number, seed: number): InteractionData {
  const rng = createRng(seed);
  const u = new Int32Array(n);
  const i = new Int32Array(n);
  const r = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    u[t] = Math.floor(rng.nextFloat() * (numUsers - 1)); // the last user has nothing
    i[t] = Math.floor((rng.nextFloat() ** 2) * (numItems - 1)); // skewed; the last item has nothing
    r[t] = 1 + Math.floor(rng.nextFloat() * 5);
  }
  return { userIds: u, itemIds: i, ratings: r, numUsers, numItems };
}

/** Dense user × item values: 1 per distinct pair, or the summed ratings. */
function dense(d: InteractionData, useRatings: boolean): number[][] {
  const x = Array.from({ length: d.numUsers }, () => new Array<number>(d.numItems).fill(0));
  const seen = new Set<number>();
  for (let t = 0; t < d.userIds.length; t++) {
    const key = d.userIds[t] * d.numItems + d.itemIds[t];
    if (useRatings) x[d.userIds[t]][d.itemIds[t]] += d.ratings![t];
    else if (!seen.has(key)) x[d.userIds[t]][d.itemIds[t]] = 1;
    seen.add(key);
  }
  return x;
}

/** The reference weights of every entry, written from the formulas of implicit's docs (items as documents). */
function referenceWeights(x: number[][], o: Required<Pick<ItemKNNOptions, 'weighting'>>['weighting']): number[][] {
  const items = x[0].length;
  const kind = typeof o === 'string' ? o : o.kind;
  if (kind === 'none') return x;
  const df = x.map((row) => row.filter((v) => v !== 0).length); // items per user
  const idf = df.map((d) => Math.log(items) - Math.log(1 + d));
  if (kind === 'tfidf') return x.map((row, u) => row.map((v) => (v === 0 ? 0 : Math.sqrt(v) * idf[u])));
  const { k1 = 100, b = 0.8 } = typeof o === 'object' && o.kind === 'bm25' ? o : {};
  const len = Array.from({ length: items }, (_, i) => x.reduce((s, row) => s + row[i], 0));
  const avg = len.reduce((a, c) => a + c, 0) / items;
  return x.map((row, u) => row.map((v, i) => (v === 0 ? 0 : ((v * (k1 + 1)) / (k1 * (1 - b + (b * len[i]) / avg) + v)) * idf[u])));
}

/** Every pair's similarity from the dense weighted matrix, then each row's top k (ties to the lower id, only > 0). */
function referenceNeighbors(w: number[][], o: ItemKNNOptions, k: number): Array<Array<[number, number]>> {
  const items = w[0].length;
  const col = (i: number) => w.map((row) => row[i]);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, t) => s + v * b[t], 0);
  const sim = typeof o.similarity === 'object' ? o.similarity : { kind: o.similarity ?? 'cosine' };
  const shrink = o.shrink ?? 800;
  return Array.from({ length: items }, (_, i) => {
    const a = col(i);
    const row: Array<[number, number]> = [];
    for (let j = 0; j < items; j++) {
      if (j === i) continue;
      const b = col(j);
      const ab = dot(a, b);
      if (ab === 0) continue;
      let s: number;
      if (sim.kind === 'jaccard') s = ab / (dot(a, a) + dot(b, b) - ab + shrink);
      else {
        const alpha = sim.kind === 'asymmetric-cosine' && 'alpha' in sim ? (sim.alpha ?? 0.5) : 0.5;
        s = ab / (dot(a, a) ** alpha * dot(b, b) ** (1 - alpha) + shrink);
      }
      if (s > 0) row.push([j, s]);
    }
    row.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
    return row.slice(0, k);
  });
}

function neighborsOf(model: ItemKNN | RP3beta, k: number): Array<Array<[number, number]>> {
  const st = model.getState();
  const ids = st.neighbor_ids.data;
  const ws = st.neighbor_weights.data;
  return Array.from({ length: model.numItems }, (_, i) => {
    const row: Array<[number, number]> = [];
    for (let t = i * k; t < (i + 1) * k && ids[t] >= 0; t++) row.push([ids[t], ws[t]]);
    return row;
  });
}

function expectSameNeighbors(got: Array<Array<[number, number]>>, want: Array<Array<[number, number]>>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(got[i].map((p) => p[0])).toEqual(want[i].map((p) => p[0]));
    for (let t = 0; t < want[i].length; t++) expect(got[i][t][1]).toBeCloseTo(want[i][t][1], 6);
  }
}

describe('ItemKNN', () => {
  const data = randomData(40, 25, 400, 7);

  const cases: ItemKNNOptions[] = [
    { neighbors: 6, similarity: 'cosine', shrink: 0 },
    { neighbors: 6, similarity: 'cosine', shrink: 3 },
    { neighbors: 4, similarity: { kind: 'asymmetric-cosine', alpha: 0.2 }, shrink: 1 },
    { neighbors: 5, similarity: 'jaccard', shrink: 0.5 },
    { neighbors: 30, similarity: 'cosine', shrink: 0 }, // more than the candidates: padded
    { neighbors: 6, weighting: 'tfidf', shrink: 0 },
    { neighbors: 6, weighting: { kind: 'bm25', k1: 1.2, b: 0.75 }, shrink: 2 },
    { neighbors: 6, useRatings: true, similarity: 'jaccard', weighting: 'bm25' },
  ];
  for (const o of cases) {
    it(`keeps the top neighbours of a dense reference: ${JSON.stringify(o)}`, () => {
      const m = new ItemKNN(o);
      m.fit(data);
      const w = referenceWeights(dense(data, o.useRatings ?? false), o.weighting ?? 'tfidf');
      expectSameNeighbors(neighborsOf(m, o.neighbors!), referenceNeighbors(w, o, o.neighbors!));
    });
  }

  it('scores a user by the summed neighbour weights of their items (dense reference)', () => {
    const m = new ItemKNN({ neighbors: 5, shrink: 0, weighting: 'none' });
    m.fit(data);
    const nb = neighborsOf(m, 5);
    const x = dense(data, false);
    for (const u of [0, 3, 17, 39]) {
      const want = new Array<number>(25).fill(0);
      for (let j = 0; j < 25; j++) if (x[u][j] !== 0) for (const [i, s] of nb[j]) want[i] += s;
      expect([...m.scoreAllItems(u)]).toEqual(want.map((v) => expect.closeTo(v, 5) as never));
    }
    expect([...m.scoreAllItems(39)].every((v) => v === 0)).toBe(true); // no history
  });

  it('hand-checked cosine on three users', () => {
    // users: 0 → {0, 1}, 1 → {0, 1, 2}, 2 → {2}. Item vectors over users: 0 = (1,1,0), 1 = (1,1,0), 2 = (0,1,1).
    // cos(0,1) = 2/2 = 1; cos(0,2) = 1/2; cos(1,2) = 1/2.
    const d = { userIds: Int32Array.of(0, 0, 1, 1, 1, 2), itemIds: Int32Array.of(0, 1, 0, 1, 2, 2), ratings: null, numUsers: 3, numItems: 3 };
    const m = new ItemKNN({ neighbors: 2, shrink: 0, weighting: 'none' });
    m.fit(d);
    expect(neighborsOf(m, 2)).toEqual([[[1, 1], [2, 0.5]], [[0, 1], [2, 0.5]], [[0, 0.5], [1, 0.5]]]);
    // User 2 ({2}) scores item 0 by sim(2,0) = 0.5 and item 1 by 0.5.
    expect([...m.scoreAllItems(2)]).toEqual([0.5, 0.5, 0]);
    expect([...m.recommendForNew(Int32Array.of(0), undefined, 2).ids]).toEqual([1, 2]);
    expect([...m.similarItems(2, 2).ids]).toEqual([0, 1]);
    // similarUsers: cosine of histories: users 0 and 1 share 2 of (2, 3) → 2/sqrt(6); users 2 and 1 → 1/sqrt(3).
    const su = m.similarUsers(1, 2);
    expect([...su.ids]).toEqual([0, 2]);
    expect(su.scores[0]).toBeCloseTo(2 / Math.sqrt(6), 6);
  });

  it('checks its options, naming the bad value', () => {
    expect(() => new ItemKNN({ neighbors: 0 })).toThrow(/ItemKNN: neighbors must be a positive integer, got 0/);
    expect(() => new ItemKNN({ similarity: 'pearson' as never })).toThrow(/similarity.kind must be one of/);
    expect(() => new ItemKNN({ similarity: { kind: 'cosine', alpha: 0.3 } as never })).toThrow(/similarity 'cosine' has no option "alpha"/);
    expect(() => new ItemKNN({ similarity: { kind: 'asymmetric-cosine', alpha: 2 } })).toThrow(/similarity.alpha must be in \[0, 1\], got 2/);
    expect(() => new ItemKNN({ weighting: { kind: 'bm25', b: 1.5 } })).toThrow(/weighting.b must be in \[0, 1\], got 1.5/);
    expect(() => new ItemKNN({ weighting: { kind: 'tfidf', k1: 1 } as never })).toThrow(/weighting 'tfidf' has no option "k1"/);
    expect(() => new ItemKNN({ shrink: -1 })).toThrow(RangeError);
    expect(() => new ItemKNN({ k: 5 } as never)).toThrow(/unknown option "k"/);
    const neg = { userIds: Int32Array.of(0, 1), itemIds: Int32Array.of(0, 0), ratings: Float32Array.of(3, -1), numUsers: 2, numItems: 1 };
    expect(() => new ItemKNN({ useRatings: true }).fit(neg)).toThrow(/useRatings every \(summed\) rating must be positive, got -1/);
  });

  it('refuses a state whose neighbour ids are out of range or padded in the middle', () => {
    const m = new ItemKNN({ neighbors: 3, shrink: 0 });
    m.fit(data);
    const bad = m.getState();
    bad.neighbor_ids.data[1] = 25;
    expect(() => new ItemKNN({ neighbors: 3, shrink: 0 }).setState(bad)).toThrow(/neighbor_ids row 0 must hold item ids in \[0, 25\) other than 0, then -1 padding, got 25 at position 1/);
    const gap = m.getState();
    gap.neighbor_ids.data[0] = -1;
    expect(() => new ItemKNN({ neighbors: 3, shrink: 0 }).setState(gap)).toThrow(/then -1 padding/);
    expect(() => new ItemKNN({ neighbors: 4, shrink: 0 }).setState(m.getState())).toThrow(/must both be \[numItems, 4\]/);
    const hist = m.getState();
    hist.user_history.data[0] = 99;
    expect(() => new ItemKNN({ neighbors: 3, shrink: 0 }).setState(hist)).toThrow(/user_history must hold item ids in \[0, 25\), got 99 at position 0/);
  });
});

describe('RP3beta and P3alpha', () => {
  const data = randomData(30, 20, 300, 11);

  /** W[i][j] = Σ_u (x_ui/deg i)^α (x_uj/deg u)^α / deg(j)^β from dense matrices, top k, optionally row-normalised. */
  function reference(alpha: number, beta: number, k: number, normalize: boolean): Array<Array<[number, number]>> {
    const x = dense(data, false);
    const degI = Array.from({ length: 20 }, (_, i) => x.reduce((s, row) => s + row[i], 0));
    const degU = x.map((row) => row.reduce((a, c) => a + c, 0));
    return Array.from({ length: 20 }, (_, i) => {
      const row: Array<[number, number]> = [];
      for (let j = 0; j < 20; j++) {
        if (j === i) continue;
        let s = 0;
        for (let u = 0; u < 30; u++) if (x[u][i] && x[u][j]) s += (1 / degI[i]) ** alpha * (1 / degU[u]) ** alpha;
        if (s > 0) row.push([j, s / degI[j] ** beta]);
      }
      row.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
      const top = row.slice(0, k);
      const sum = top.reduce((a, p) => a + p[1], 0);
      return normalize ? top.map(([j, s]) => [j, s / sum] as [number, number]) : top;
    });
  }

  for (const [alpha, beta, k, normalize] of [[1, 0.5, 5, false], [0.6, 0.25, 4, true], [1, 0, 30, false]] as const) {
    it(`RP3beta alpha ${alpha} beta ${beta} neighbours ${k} normalize ${normalize} equals the dense walk`, () => {
      const m = new RP3beta({ alpha, beta, neighbors: k, normalize });
      m.fit(data);
      expectSameNeighbors(neighborsOf(m, k), reference(alpha, beta, k, normalize));
    });
  }

  it('P3alpha is RP3beta with beta 0, and has no beta option', () => {
    const p3 = new P3alpha({ alpha: 0.8, neighbors: 6 });
    const rp3 = new RP3beta({ alpha: 0.8, beta: 0, neighbors: 6 });
    p3.fit(data);
    rp3.fit(data);
    expect([...p3.getState().neighbor_weights.data]).toEqual([...rp3.getState().neighbor_weights.data]);
    expect(p3.getConfig()).toEqual({ neighbors: 6, alpha: 0.8, normalize: false, threads: 1 });
    expect(() => new P3alpha({ beta: 0.5 } as never)).toThrow(/P3alpha: unknown option "beta"/);
  });
});
