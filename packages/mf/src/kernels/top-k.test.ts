import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { selectTopK } from './top-k.js';

/** Reference: full sort by (score desc, id asc) of the qualifying ids. */
function referenceTopK(scores: Float32Array, k: number, skip: Uint8Array | null, candidates: Int32Array | null): number[] {
  const ids = candidates === null ? [...scores.keys()] : [...candidates];
  return ids
    .filter((i) => (skip === null || skip[i] === 0) && !Number.isNaN(scores[i]))
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

describe('selectTopK', () => {
  it('matches a full sort on random scores with many ties, masks and candidate lists', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.nextInt(60);
      const scores = new Float32Array(n);
      for (let i = 0; i < n; i++) scores[i] = rng.nextInt(5) - 2; // few distinct values: many ties
      if (trial % 7 === 0) scores[rng.nextInt(n)] = NaN;
      const skip = trial % 2 === 0 ? null : Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 1 : 0));
      const candidates = trial % 3 === 0 ? rng.shuffle(Int32Array.from({ length: n }, (_, i) => i)).slice(0, rng.nextInt(n + 1)) : null;
      const k = rng.nextInt(n + 3);
      const ids = new Int32Array(k + 2).fill(77);
      const out = new Float32Array(k + 2).fill(77);
      const found = selectTopK(scores, k, skip, candidates, ids, out, 1);
      const ref = referenceTopK(scores, k, skip, candidates);
      expect(found).toBe(ref.length);
      expect([...ids.subarray(1, 1 + found)]).toEqual(ref);
      expect([...out.subarray(1, 1 + found)]).toEqual(ref.map((i) => scores[i]));
      for (let j = found; j < k; j++) {
        expect(ids[1 + j]).toBe(-1);
        expect(out[1 + j]).toBeNaN();
      }
      // Slots outside [offset, offset + k) are untouched.
      expect(ids[0]).toBe(77);
      expect(ids[k + 1]).toBe(77);
    }
  });

  it('breaks ties by lower id (hand-checked)', () => {
    const ids = new Int32Array(3);
    const out = new Float32Array(3);
    selectTopK(Float32Array.of(1, 2, 2, 0, 2), 3, null, null, ids, out, 0);
    expect([...ids]).toEqual([1, 2, 4]);
    expect([...out]).toEqual([2, 2, 2]);
  });

  it('returns 0 for k = 0 and writes nothing', () => {
    const ids = Int32Array.of(5);
    expect(selectTopK(Float32Array.of(1, 2), 0, null, null, ids, new Float32Array(1), 0)).toBe(0);
    expect(ids[0]).toBe(5);
  });
});
