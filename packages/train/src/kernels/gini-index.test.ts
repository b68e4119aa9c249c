import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { giniOfSorted } from './gini-index.js';

describe('giniOfSorted', () => {
  it('equals the mean-absolute-difference definition ΣΣ|xᵢ − xⱼ| / (2 n² x̄) on random data', () => {
    const rng = createRng(12);
    for (let trial = 0; trial < 25; trial++) {
      const x = Array.from({ length: 1 + rng.nextInt(50) }, () => (rng.nextFloat() < 0.3 ? 0 : rng.nextInt(20)));
      const n = x.length;
      const mean = x.reduce((a, v) => a + v, 0) / n;
      let abs = 0;
      for (const a of x) for (const b of x) abs += Math.abs(a - b);
      const sorted = Int32Array.from(x).sort();
      if (mean === 0) expect(giniOfSorted(sorted)).toBeNaN();
      else expect(giniOfSorted(sorted)).toBeCloseTo(abs / (2 * n * n * mean), 13);
    }
  });
  it('0 for equal values, (n − 1)/n for one holder, NaN for all zeros', () => {
    expect(giniOfSorted(Float64Array.of(2, 2, 2))).toBe(0);
    expect(giniOfSorted(Int32Array.of(0, 0, 0, 4))).toBe(0.75);
    expect(giniOfSorted(new Int32Array(3))).toBeNaN();
  });
});
