import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { beyondAccuracy, type ItemFeatures } from './beyond-accuracy.js';

const i32 = (...v: number[]) => Int32Array.from(v);

// A catalogue of 6 items; 8 training users; item 4 has no training user, item 5 is never recommended.
const itemCounts = i32(8, 4, 2, 1, 0, 3);
const numTrainUsers = 8;
const k = 3;
// list 0: items 0, 1, 2; list 1: items 3, 4 (+ padding); list 2: items 0, 1; list 3: padding only
const ids = i32(0, 1, 2, 3, 4, -1, -1, 0, 1, -1, -1, -1);

describe('beyondAccuracy: hand-computed values', () => {
  const r = beyondAccuracy(ids, k, itemCounts, numTrainUsers);
  it('novelty: mean of −log2(max(count, 1) / 8)', () => {
    // list 0: −log2(8/8), −log2(4/8), −log2(2/8) = 0, 1, 2 → 1
    // list 1: −log2(1/8) = 3 and item 4 (count 0, floored to 1) = 3 → 3
    // list 2: 0, 1 → 0.5 (padding first is skipped)
    expect(Array.from(r.perList.novelty.subarray(0, 3))).toEqual([1, 3, 0.5]);
    expect(r.perList.novelty[3]).toBeNaN();
  });
  it('popularity: mean of count / 8 (a fraction)', () => {
    expect(r.perList.popularity[0]).toBeCloseTo((1 + 0.5 + 0.25) / 3, 15);
    expect(r.perList.popularity[1]).toBe((0.125 + 0) / 2);
    expect(r.perList.popularity[2]).toBe(0.75);
    expect(r.perList.popularity[3]).toBeNaN();
  });
  it('gini and coverage over all lists', () => {
    // times recommended: [2, 2, 1, 1, 1, 0] → sorted [0, 1, 1, 1, 2, 2], n = 6, Σ = 7
    // Σ (2i − 7) xᵢ = −5·0 − 3·1 − 1·1 + 1·1 + 3·2 + 5·2 = 13 → G = 13 / (6 · 7)
    // (mean absolute difference: ordered pairs |xᵢ − xⱼ|: 0 vs 1 ×3, 0 vs 2 ×2, 1 vs 2 ×6 → 2·(3 + 4 + 6) = 26; 26 / (2·36·7/6) = 13/42)
    expect(r.gini).toBeCloseTo(13 / 42, 15);
    expect(r.coverage).toBeCloseTo(5 / 6, 15);
    expect(r.listCount).toBe(4);
    expect(r.perList.diversity).toBeNull();
  });
  it('gini is 0 for equal exposure and (n − 1)/n when one item gets every slot', () => {
    expect(beyondAccuracy(i32(0, 1, 2, 3), 2, i32(1, 1, 1, 1), 4).gini).toBe(0);
    expect(beyondAccuracy(i32(2, 2, 2, -1), 2, i32(1, 1, 1, 1), 4).gini).toBeCloseTo(3 / 4, 15);
  });
  it('no lists, or padding only: gini NaN, coverage 0', () => {
    const empty = beyondAccuracy(new Int32Array(0), 5, itemCounts, numTrainUsers);
    expect(empty.listCount).toBe(0);
    expect(empty.gini).toBeNaN();
    expect(empty.coverage).toBe(0);
    expect(beyondAccuracy(i32(-1, -1), 2, itemCounts, numTrainUsers).gini).toBeNaN();
  });
});

describe('beyondAccuracy: intra-list diversity', () => {
  it('embeddings: mean over pairs of 1 − cosine; a zero vector is similar to nothing', () => {
    // item 0 (1, 0), 1 (0, 1), 2 (1, 1), 3 (0, 0), 4 (−1, 0), 5 (2, 0)
    const vectors = Float32Array.of(1, 0, 0, 1, 1, 1, 0, 0, -1, 0, 2, 0);
    const features: ItemFeatures = { kind: 'embeddings', vectors, dim: 2 };
    const lists = i32(0, 1, 2, 3, 4, -1, 0, 4, 5, 0, -1, -1);
    const d = beyondAccuracy(lists, 3, itemCounts, numTrainUsers, { itemFeatures: features }).perList.diversity as Float64Array;
    // (0,1): 1 − 0; (0,2): 1 − 1/√2; (1,2): 1 − 1/√2
    expect(d[0]).toBeCloseTo((1 + 2 * (1 - Math.SQRT1_2)) / 3, 7);
    // (3,4): zero vector → similarity 0 → 1
    expect(d[1]).toBe(1);
    // (0,4): cos −1 → 2; (0,5): cos 1 → 0; (4,5): cos −1 → 2 → 4/3
    expect(d[2]).toBeCloseTo(4 / 3, 12);
    // one item: NaN
    expect(d[3]).toBeNaN();
  });
  it('sets: mean over pairs of 1 − Jaccard; two empty sets have similarity 0', () => {
    // item 0 {0, 1}, 1 {1, 2}, 2 {}, 3 {}, 4 {0, 1, 2}, 5 {3}
    const features: ItemFeatures = { kind: 'sets', indptr: i32(0, 2, 4, 4, 4, 7, 8), indices: i32(0, 1, 1, 2, 0, 1, 2, 3) };
    const lists = i32(0, 1, 2, 2, 3, -1, 0, 4, 5, -1, 1, -1);
    const d = beyondAccuracy(lists, 3, itemCounts, numTrainUsers, { itemFeatures: features }).perList.diversity as Float64Array;
    // (0,1): J = |{1}| / |{0,1,2}| = 1/3 → 2/3; (0,2): J = 0/2 → 1; (1,2): 1 → (2/3 + 2) / 3 = 8/9
    expect(d[0]).toBeCloseTo(8 / 9, 15);
    // (2,3): both empty → similarity 0 → 1
    expect(d[1]).toBe(1);
    // (0,4): J = 2/3 → 1/3; (0,5): 0 → 1; (4,5): 0 → 1 → (1/3 + 2) / 3 = 7/9
    expect(d[2]).toBeCloseTo(7 / 9, 15);
    expect(d[3]).toBeNaN();
  });
});

/** Everything by its definition, with plain arrays: the slow reference for random lists. */
function slowReference(lists: number[][], counts: number[], users: number, features: ItemFeatures | null) {
  const mean = (v: number[]) => (v.length === 0 ? NaN : v.reduce((a, x) => a + x, 0) / v.length);
  const numItems = counts.length;
  const sim = (i: number, j: number): number => {
    if (features === null) return NaN;
    if (features.kind === 'embeddings') {
      const u = Array.from(features.vectors.subarray(i * features.dim, (i + 1) * features.dim));
      const v = Array.from(features.vectors.subarray(j * features.dim, (j + 1) * features.dim));
      const dot = u.reduce((a, x, c) => a + x * v[c], 0);
      const nu = Math.hypot(...u);
      const nv = Math.hypot(...v);
      return nu === 0 || nv === 0 ? 0 : dot / (nu * nv);
    }
    const set = (x: number) => new Set(Array.from(features.indices.subarray(features.indptr[x], features.indptr[x + 1])));
    const a = set(i);
    const b = set(j);
    const inter = [...a].filter((x) => b.has(x)).length;
    const union = new Set([...a, ...b]).size;
    return union === 0 ? 0 : inter / union;
  };
  const novelty = lists.map((l) => mean(l.map((i) => -Math.log2(Math.max(counts[i], 1) / users))));
  const popularity = lists.map((l) => mean(l.map((i) => counts[i] / users)));
  const diversity = lists.map((l) => {
    const d: number[] = [];
    for (let a = 0; a < l.length; a++) for (let b = a + 1; b < l.length; b++) d.push(1 - sim(l[a], l[b]));
    return mean(d);
  });
  const times = new Array<number>(numItems).fill(0);
  for (const l of lists) for (const i of l) times[i]++;
  // Gini by the mean absolute difference: ΣᵢΣⱼ |xᵢ − xⱼ| / (2 n² x̄)
  let absDiff = 0;
  for (const x of times) for (const y of times) absDiff += Math.abs(x - y);
  const avg = mean(times);
  const gini = avg === 0 ? NaN : absDiff / (2 * numItems * numItems * avg);
  const coverage = new Set(lists.flat()).size / numItems;
  return { novelty, popularity, diversity, gini, coverage };
}

describe('beyondAccuracy: random lists against the slow reference', () => {
  it.each(['embeddings', 'sets'] as const)('with %s features', (kind) => {
    const rng = createRng(kind === 'sets' ? 2 : 1);
    for (let trial = 0; trial < 8; trial++) {
      const numItems = 5 + rng.nextInt(40);
      const users = 1 + rng.nextInt(50);
      const k = 1 + rng.nextInt(8);
      const numLists = rng.nextInt(30);
      const counts = Array.from({ length: numItems }, () => rng.nextInt(users + 1));
      const lists: number[][] = [];
      const flat = new Int32Array(numLists * k);
      for (let l = 0; l < numLists; l++) {
        const list: number[] = [];
        for (let r = 0; r < k; r++) {
          const id = rng.nextFloat() < 0.2 ? -1 : rng.nextInt(numItems); // 20% padding, anywhere
          flat[l * k + r] = id;
          if (id >= 0) list.push(id);
        }
        lists.push(list);
      }
      let features: ItemFeatures;
      if (kind === 'embeddings') {
        const dim = 1 + rng.nextInt(6);
        const vectors = new Float32Array(numItems * dim);
        for (let x = 0; x < vectors.length; x++) vectors[x] = rng.normal();
        for (let i = 0; i < numItems; i++) if (rng.nextFloat() < 0.1) vectors.fill(0, i * dim, (i + 1) * dim); // some zero vectors
        features = { kind, vectors, dim };
      } else {
        const rows: number[][] = Array.from({ length: numItems }, () => [0, 1, 2, 3, 4, 5, 6].filter(() => rng.nextFloat() < 0.3));
        const indptr = new Int32Array(numItems + 1);
        rows.forEach((row, i) => (indptr[i + 1] = indptr[i] + row.length));
        features = { kind, indptr, indices: Int32Array.from(rows.flat()) };
      }
      const r = beyondAccuracy(flat, k, Int32Array.from(counts), users, { itemFeatures: features });
      const ref = slowReference(lists, counts, users, features);
      expect(r.listCount).toBe(numLists);
      for (let l = 0; l < numLists; l++) {
        for (const [got, want] of [[r.perList.novelty[l], ref.novelty[l]], [r.perList.popularity[l], ref.popularity[l]], [(r.perList.diversity as Float64Array)[l], ref.diversity[l]]]) {
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else expect(got).toBeCloseTo(want, 6); // Float32 embeddings: the test's dot product rounds differently
        }
      }
      if (Number.isNaN(ref.gini)) expect(r.gini).toBeNaN();
      else expect(r.gini).toBeCloseTo(ref.gini, 13);
      expect(r.coverage).toBeCloseTo(ref.coverage, 15);
    }
  });
});

describe('beyondAccuracy: bad input', () => {
  it('names the bad value in every check', () => {
    const f = (o: { ids?: unknown; k?: unknown; counts?: unknown; users?: unknown; options?: unknown }) => () =>
      beyondAccuracy((o.ids ?? ids) as Int32Array, (o.k ?? k) as number, (o.counts ?? itemCounts) as Int32Array, (o.users ?? numTrainUsers) as number, o.options as never);
    expect(f({ ids: [0, 1, 2] })).toThrow(/beyondAccuracy: ids must be an Int32Array, got Array\(3\)/);
    expect(f({ k: 0 })).toThrow(/beyondAccuracy: k must be a positive integer, got 0/);
    expect(f({ k: 5 })).toThrow(/beyondAccuracy: ids.length must be a multiple of k \(5\).*got 12/);
    expect(f({ ids: i32(0, 1, 6) })).toThrow(/beyondAccuracy: ids\[2\] \(list 0, rank 2\) must be < numItems \(6, the length of itemCounts\) or < 0 for padding, got 6/);
    expect(f({ counts: new Float64Array(6) })).toThrow(/itemCounts must be an Int32Array, got Float64Array\(6\)/);
    expect(f({ counts: new Int32Array(0), ids: new Int32Array(0) })).toThrow(/itemCounts must hold one count per item \(numItems >= 1\)/);
    expect(f({ counts: i32(8, 4, 9, 1, 0, 3) })).toThrow(/beyondAccuracy: itemCounts\[2\] must be in \[0, 8\].*got 9/);
    expect(f({ counts: i32(8, 4, -1, 1, 0, 3) })).toThrow(/itemCounts\[2\] must be in \[0, 8\].*got -1/);
    expect(f({ users: 0 })).toThrow(/numTrainUsers must be a positive integer, got 0/);
    expect(f({ options: { features: {} } })).toThrow(/unknown option "features"/);
  });
  it('checks the item features against numItems', () => {
    const opt = (itemFeatures: unknown) => () => beyondAccuracy(ids, k, itemCounts, numTrainUsers, { itemFeatures: itemFeatures as ItemFeatures });
    expect(opt(null)).toThrow(/options.itemFeatures must be \{ kind: 'embeddings', vectors, dim \} or \{ kind: 'sets', indptr, indices \}, got null/);
    expect(opt({ kind: 'genres' })).toThrow(/options.itemFeatures.kind must be one of 'embeddings', 'sets', got "genres"/);
    expect(opt({ kind: 'embeddings', vectors: new Float64Array(12), dim: 2 })).toThrow(/vectors must be a Float32Array \(row-major numItems × dim\), got Float64Array\(12\)/);
    expect(opt({ kind: 'embeddings', vectors: new Float32Array(12), dim: 0 })).toThrow(/options.itemFeatures.dim must be a positive integer, got 0/);
    expect(opt({ kind: 'embeddings', vectors: new Float32Array(10), dim: 2 })).toThrow(/vectors.length must be numItems · dim = 6 · 2 = 12, got 10/);
    const nan = new Float32Array(12);
    nan[7] = NaN;
    expect(opt({ kind: 'embeddings', vectors: nan, dim: 2 })).toThrow(/options.itemFeatures.vectors\[7\] \(item 3\) must be a finite number, got NaN/);
    expect(opt({ kind: 'embeddings', vectors: new Float32Array(12), dim: 2, norm: true })).toThrow(/unknown option "norm"/);
    const sets = (indptr: number[], indices: number[]) => opt({ kind: 'sets', indptr: Int32Array.from(indptr), indices: Int32Array.from(indices) });
    expect(sets([0, 1, 1, 1, 1, 1], [0])).toThrow(/options.itemFeatures.indptr.length must be numItems \+ 1 = 7, got 6/);
    expect(sets([1, 1, 1, 1, 1, 1, 1], [0])).toThrow(/options.itemFeatures.indptr\[0\] must be 0, got 1/);
    expect(sets([0, 1, 1, 1, 1, 1, 2], [0])).toThrow(/indptr\[6\] \(the last\) must equal indices.length \(1\), got 2/);
    expect(sets([0, 2, 1, 1, 1, 1, 2], [0, 1])).toThrow(/indptr must be non-decreasing, got indptr\[1\] = 2 then indptr\[2\] = 1/);
    expect(sets([0, 2, 2, 2, 2, 2, 2], [3, 1])).toThrow(/indices of item 0 must be sorted ascending without duplicates, got 3 then 1 at \[0\], \[1\]/);
    expect(sets([0, 0, 0, 1, 1, 1, 1], [-2])).toThrow(/options.itemFeatures.indices\[0\] \(item 2\) must be a feature id >= 0, got -2/);
    expect(opt({ kind: 'sets', indptr: [0, 0, 0, 0, 0, 0, 0], indices: new Int32Array(0) })).toThrow(/options.itemFeatures.indptr must be an Int32Array, got Array\(7\)/);
  });
});
