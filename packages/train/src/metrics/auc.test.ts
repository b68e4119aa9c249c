import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { auc } from './auc.js';

/** Slow O(P·N) reference: compare every pair. */
function aucByPairs(pos: Float32Array, neg: Float32Array): number {
  let c = 0;
  for (const p of pos) for (const n of neg) c += p > n ? 1 : p === n ? 0.5 : 0;
  return c / (pos.length * neg.length);
}

describe('auc', () => {
  it('matches hand-computed values', () => {
    // pairs: 0.9>0.5, 0.9>0.1, 0.4<0.5, 0.4>0.1 → 3/4
    expect(auc(new Float32Array([0.9, 0.4]), new Float32Array([0.5, 0.1]))).toBe(0.75);
    // ties count one half: 2 beats all three (3), 1 ties two (1), 1 beats 0 (1) → 5/6
    expect(auc(new Float64Array([2, 1]), new Float64Array([1, 1, 0]))).toBeCloseTo(5 / 6, 15);
    expect(auc(new Float32Array([1]), new Float32Array([1]))).toBe(0.5);
    expect(auc(new Float32Array([0]), new Float32Array([1, 2]))).toBe(0);
  });
  it('agrees with the all-pairs reference on random scores with ties', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const pos = new Float32Array(1 + rng.nextInt(15)).map(() => rng.nextInt(8) / 4);
      const neg = new Float32Array(1 + rng.nextInt(40)).map(() => rng.nextInt(8) / 4);
      expect(auc(pos, neg)).toBeCloseTo(aucByPairs(pos, neg), 12);
    }
  });
  it('is NaN when a side is empty and rejects non-float arrays', () => {
    expect(auc(new Float32Array(0), new Float32Array([1]))).toBeNaN();
    expect(() => auc(new Int32Array([1]) as unknown as Float32Array, new Float32Array([1]))).toThrow(/auc: positiveScores must be a Float32Array or a Float64Array, got Int32Array\(1\)/);
  });
});
