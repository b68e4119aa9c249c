import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { cosineListDiversity, itemNorms, jaccardListDiversity } from './list-diversity.js';
import { listPopularity } from './list-popularity.js';

describe('list kernels read only their row of a flat buffer', () => {
  // two lists of k = 3 in one buffer; the kernels must use ids[offset .. offset + 3) only
  const ids = Int32Array.of(0, 1, -1, 2, -1, 3);
  it('itemNorms: Euclidean row norms in double precision', () => {
    const out = new Float64Array(2);
    itemNorms(Float32Array.of(3, 4, 0, 0), 2, out);
    expect(Array.from(out)).toEqual([5, 0]);
  });
  it('cosineListDiversity', () => {
    // 0 (1, 0), 1 (0, 2), 2 (3, 3), 3 (−1, 1)
    const vectors = Float32Array.of(1, 0, 0, 2, 3, 3, -1, 1);
    const norms = new Float64Array(4);
    itemNorms(vectors, 2, norms);
    expect(cosineListDiversity(ids, 0, 3, vectors, 2, norms)).toBeCloseTo(1, 12); // (0, 1) orthogonal
    expect(cosineListDiversity(ids, 3, 3, vectors, 2, norms)).toBeCloseTo(1, 12); // (2, 3) orthogonal
    expect(cosineListDiversity(Int32Array.of(0, 2), 0, 2, vectors, 2, norms)).toBeCloseTo(1 - Math.SQRT1_2, 7);
    expect(cosineListDiversity(Int32Array.of(-1, 2, -1), 0, 3, vectors, 2, norms)).toBeNaN();
  });
  it('jaccardListDiversity: merge intersection against Set arithmetic on random sorted rows', () => {
    const rng = createRng(5);
    const rows = Array.from({ length: 12 }, () => Array.from({ length: 10 }, (_, f) => f).filter(() => rng.nextFloat() < 0.4));
    const indptr = new Int32Array(13);
    rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + r.length));
    const indices = Int32Array.from(rows.flat());
    for (let trial = 0; trial < 30; trial++) {
      const list = Int32Array.from({ length: 6 }, () => (rng.nextFloat() < 0.25 ? -1 : rng.nextInt(12)));
      const buffer = new Int32Array(12).fill(7); // the list sits at offset 4, surrounded by other ids
      buffer.set(list, 4);
      const items = Array.from(list).filter((i) => i >= 0);
      const d: number[] = [];
      for (let a = 0; a < items.length; a++) {
        for (let b = a + 1; b < items.length; b++) {
          const A = new Set(rows[items[a]]);
          const B = new Set(rows[items[b]]);
          const inter = [...A].filter((x) => B.has(x)).length;
          const union = new Set([...A, ...B]).size;
          d.push(1 - (union === 0 ? 0 : inter / union));
        }
      }
      const want = d.length === 0 ? NaN : d.reduce((s, x) => s + x, 0) / d.length;
      const got = jaccardListDiversity(buffer, 4, 6, indptr, indices);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(want, 14);
    }
  });
  it('listPopularity: novelty, popularity, item count, and the recommendation tally', () => {
    const counts = Int32Array.of(4, 0, 2, 1);
    const times = new Int32Array(4);
    const out = new Float64Array(3);
    listPopularity(ids, 3, 3, counts, 4, times, out);
    // items 2 and 3: −log2(2/4) = 1, −log2(1/4) = 2 → 1.5; popularity (0.5 + 0.25) / 2
    expect(Array.from(out)).toEqual([1.5, 0.375, 2]);
    expect(Array.from(times)).toEqual([0, 0, 1, 1]);
    listPopularity(Int32Array.of(-1, -1), 0, 2, counts, 4, times, out);
    expect(out[0]).toBeNaN();
    expect(out[2]).toBe(0);
  });
});
