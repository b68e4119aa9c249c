import { describe, expect, it } from 'vitest';
import { pca } from './pca.js';

describe('pca', () => {
  it('finds the axes of a hand-computed 2-D case: covariance [[2, 1], [1, 2]]', () => {
    // Points ±(√3, √3) and ±(1, −1) (mean 0): var x = var y = (3+3+1+1)/4 = 2, cov = (3+3−1−1)/4 = 1.
    // Eigenvalues 3 (axis (1, 1)/√2) and 1 (axis (1, −1)/√2, sign: first coordinate wins the tie).
    const s = Math.sqrt(3);
    const data = Float64Array.of(s, s, -s, -s, 1, -1, -1, 1);
    const r = pca(data, 4, 2, 2);
    expect(r.explainedVariance[0]).toBeCloseTo(3, 10);
    expect(r.explainedVariance[1]).toBeCloseTo(1, 10);
    expect(r.explainedVarianceRatio[0]).toBeCloseTo(0.75, 10);
    const h = Math.SQRT1_2;
    expect(r.components[0]).toBeCloseTo(h, 8);
    expect(r.components[1]).toBeCloseTo(h, 8);
    expect(Math.abs(r.components[2])).toBeCloseTo(h, 8);
    expect(r.components[2] * r.components[3]).toBeCloseTo(-0.5, 8);
    // (√3, √3) projects to √6 on the first axis and 0 on the second.
    expect(r.projected[0]).toBeCloseTo(Math.sqrt(6), 8);
    expect(r.projected[1]).toBeCloseTo(0, 8);
    expect(Math.abs(r.projected[5])).toBeCloseTo(Math.sqrt(2), 8);
  });

  it('subtracts the mean and fixes the sign (largest coordinate positive)', () => {
    // Points on a line through (10, 20) along (0, −1): the axis is (0, 1) after the sign rule.
    const data = Float32Array.of(10, 22, 10, 18, 10, 20, 10, 16);
    const r = pca(data, 4, 2, 1);
    expect([...r.mean]).toEqual([10, 19]);
    expect(r.components[0]).toBeCloseTo(0, 10);
    expect(r.components[1]).toBeCloseTo(1, 10);
    // variance of 22, 18, 20, 16 around 19: (9 + 1 + 1 + 9) / 4 = 5
    expect(r.explainedVariance[0]).toBeCloseTo(5, 8);
    expect([...r.projected].map((x) => Math.round(x * 1e6) / 1e6 + 0)).toEqual([3, -1, 1, -3]);
  });

  it('matches the eigen-decomposition of a 3-D diagonal covariance and gives 0 for constant data', () => {
    // Axis-aligned: x spread 3, y spread 2, z spread 1 (variances 18/6, 8/6, 2/6 with ±a points).
    const data = Float64Array.of(3, 0, 0, -3, 0, 0, 0, 2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1);
    const r = pca(data, 6, 3, 3);
    expect([...r.explainedVariance].map((x) => +x.toFixed(8))).toEqual([3, 4 / 3, 1 / 3].map((x) => +x.toFixed(8)));
    expect([...r.components].map((x) => Math.round(x * 1e6) / 1e6 + 0)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const flat = pca(Float32Array.of(1, 1, 1, 1), 2, 2, 2);
    expect([...flat.explainedVariance].map((x) => x + 0)).toEqual([0, 0]);
    expect([...flat.projected].map((x) => x + 0)).toEqual([0, 0, 0, 0]);
  });

  it('rejects bad arguments', () => {
    expect(() => pca([1, 2] as never, 1, 2)).toThrow(/^pca: data must be a Float32Array or Float64Array, got Array\(2\)$/);
    expect(() => pca(new Float32Array(5), 2, 2)).toThrow(/^pca: data.length must be numRows \* dim = 4, got 5$/);
    expect(() => pca(new Float32Array(4), 2, 2, 3)).toThrow(/^pca: numComponents must be in \[1, 2\], got 3$/);
    expect(() => pca(new Float32Array(4), 0, 2)).toThrow(/numRows must be a positive integer, got 0/);
  });
});
