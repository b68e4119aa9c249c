import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { sampleChiSquare, sampleGamma } from './bpmf-gamma.js';

/** Sample mean and (unbiased) variance. */
function moments(xs: Float64Array): { mean: number; variance: number } {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return { mean: m, variance: v / (xs.length - 1) };
}

describe('sampleGamma', () => {
  const n = 40_000;
  // Gamma(k, θ): mean kθ, variance kθ², excess kurtosis 6/k, so the sample variance has
  // standard error ≈ σ²·sqrt((2 + 6/k) / n).
  for (const [shape, scale] of [[0.3, 2], [1, 1], [2.5, 0.4], [40, 0.05]] as const) {
    it(`matches the mean and variance of Gamma(${shape}, ${scale}) within 4 standard errors`, () => {
      const rng = createRng(shape * 100 + scale);
      const xs = new Float64Array(n);
      for (let t = 0; t < n; t++) xs[t] = sampleGamma(rng, shape, scale);
      const { mean, variance } = moments(xs);
      const wantMean = shape * scale;
      const wantVar = shape * scale * scale;
      expect(Math.abs(mean - wantMean)).toBeLessThan(4 * Math.sqrt(wantVar / n));
      expect(Math.abs(variance - wantVar)).toBeLessThan(4 * wantVar * Math.sqrt((2 + 6 / shape) / n));
      expect(Math.min(...xs)).toBeGreaterThan(0);
    });
  }

  it('is deterministic for a seed', () => {
    const a = createRng(5);
    const b = createRng(5);
    for (let t = 0; t < 50; t++) expect(sampleGamma(a, 0.7, 3)).toBe(sampleGamma(b, 0.7, 3));
  });
});

describe('sampleChiSquare', () => {
  it('matches the mean dof and variance 2·dof within 4 standard errors', () => {
    const n = 40_000;
    for (const dof of [1, 3, 17.5]) {
      const rng = createRng(dof);
      const xs = new Float64Array(n);
      for (let t = 0; t < n; t++) xs[t] = sampleChiSquare(rng, dof);
      const { mean, variance } = moments(xs);
      // χ²: excess kurtosis 12/dof.
      expect(Math.abs(mean - dof)).toBeLessThan(4 * Math.sqrt((2 * dof) / n));
      expect(Math.abs(variance - 2 * dof)).toBeLessThan(4 * 2 * dof * Math.sqrt((2 + 12 / dof) / n));
    }
  });
});
