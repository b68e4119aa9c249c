import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { denseInverse, MomentSums } from '../../test/dense-reference.js';
import { sampleChiSquare as sampleChiSquareRef } from './bpmf-gamma.js';
import { sampleWishart } from './bpmf-wishart.js';

describe('sampleWishart (Bartlett)', () => {
  // W = [[2, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 0.5]], positive definite.
  const W = Float64Array.of(2, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 0.5);
  const dim = 3;

  for (const dof of [3.5, 9]) {
    it(`has mean dof·W and Var(Λij) = dof(Wij² + Wii·Wjj) (dof ${dof})`, () => {
      const n = 20_000;
      const rng = createRng(dof * 10);
      const inv = denseInverse(W, dim);
      const out = new Float64Array(dim * dim);
      const scratch = new Float64Array(dim * dim + dim);
      const sums = new MomentSums(dim * dim);
      for (let t = 0; t < n; t++) {
        expect(sampleWishart(rng, inv.slice(), dim, dof, out, scratch)).toBe(true);
        sums.add(out);
      }
      const mean = sums.mean();
      const cov = sums.covariance();
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j < dim; j++) {
          const ij = i * dim + j;
          const variance = dof * (W[ij] ** 2 + W[i * dim + i] * W[j * dim + j]);
          expect(Math.abs(mean[ij] - dof * W[ij])).toBeLessThan(4 * Math.sqrt(variance / n));
          // The sample variance of a heavy-tailed entry: within 12 % at this n.
          expect(cov[ij * dim * dim + ij] / variance).toBeGreaterThan(0.88);
          expect(cov[ij * dim * dim + ij] / variance).toBeLessThan(1.12);
        }
      }
      // Symmetric output.
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) expect(out[i * dim + j]).toBe(out[j * dim + i]);
    });
  }

  it('matches the 1 × 1 case, a scaled chi-square: Λ = χ²(dof) / invScale', () => {
    const a = createRng(3);
    const b = createRng(3);
    const out = new Float64Array(1);
    const scratch = new Float64Array(2);
    for (let t = 0; t < 20; t++) {
      sampleWishart(a, Float64Array.of(4), 1, 5, out, scratch);
      // Bartlett draws one chi-square; the same stream gives its square root squared.
      const chi = Math.sqrt(sampleChiSquareRef(b, 5)) ** 2;
      expect(out[0]).toBeCloseTo(chi / 4, 10);
    }
  });

  it('refuses an inverse scale that is not positive definite', () => {
    const out = Float64Array.of(7, 7, 7, 7);
    expect(sampleWishart(createRng(1), Float64Array.of(1, 2, 2, 1), 2, 4, out, new Float64Array(6))).toBe(false);
    expect([...out]).toEqual([7, 7, 7, 7]);
  });
});
