import { describe, expect, it } from 'vitest';
import { kthSmallest } from './kth-smallest.js';

/** The reference: a full sort. */
const bySort = (a: Float64Array, k: number): number => Float64Array.from(a).sort()[k];

describe('kthSmallest', () => {
  it('hand case', () => {
    expect(kthSmallest(Float64Array.of(5, 1, 4, 1), 0)).toBe(1);
    expect(kthSmallest(Float64Array.of(5, 1, 4, 1), 1)).toBe(1);
    expect(kthSmallest(Float64Array.of(5, 1, 4, 1), 2)).toBe(4);
    expect(kthSmallest(Float64Array.of(5, 1, 4, 1), 3)).toBe(5);
    expect(kthSmallest(Float64Array.of(-0.5), 0)).toBe(-0.5);
  });

  it('agrees with a full sort on random, sorted, reversed, constant and few-distinct inputs, every k', () => {
    let s = 7;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const inputs: Float64Array[] = [];
    for (const n of [1, 2, 3, 10, 97, 500]) {
      inputs.push(Float64Array.from({ length: n }, () => next() * 1000 - 500));
      inputs.push(Float64Array.from({ length: n }, (_, i) => i));
      inputs.push(Float64Array.from({ length: n }, (_, i) => n - i));
      inputs.push(new Float64Array(n).fill(3));
      inputs.push(Float64Array.from({ length: n }, () => Math.floor(next() * 4)));
      // Median-of-three killer-ish: organ pipe.
      inputs.push(Float64Array.from({ length: n }, (_, i) => Math.min(i, n - 1 - i)));
    }
    for (const a of inputs) {
      for (let k = 0; k < a.length; k++) expect(kthSmallest(Float64Array.from(a), k)).toBe(bySort(a, k));
    }
  });

  it('keeps the multiset: it only reorders', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009);
    const copy = Float64Array.from(a);
    kthSmallest(copy, 500);
    expect(Float64Array.from(copy).sort()).toEqual(Float64Array.from(a).sort());
  });
});
