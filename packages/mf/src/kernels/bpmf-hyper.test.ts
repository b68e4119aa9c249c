import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { denseInverse, MomentSums } from '../../test/dense-reference.js';
import { bpmfSampleHyper } from './bpmf-hyper.js';

describe('bpmfSampleHyper', () => {
  it('draws (μ, Λ) with the moments of the Normal–Wishart posterior computed densely', () => {
    const dim = 2;
    const rows = Float32Array.of(0.5, -1, 1.5, 0.25, -0.75, 0.5, 2, 1, 0.1, -0.4, 1.2, 0.8);
    const n = rows.length / dim;
    const beta0 = 2;
    const nu0 = dim;
    // Posterior (Salakhutdinov & Mnih eq. 14) with μ₀ = 0, W₀ = I.
    const xbar = [0, 1].map((f) => [...Array(n).keys()].reduce((s, r) => s + rows[r * dim + f], 0) / n);
    const betaStar = beta0 + n;
    const nuStar = nu0 + n;
    const muStar = xbar.map((x) => (n * x) / betaStar);
    const invW = new Float64Array(dim * dim);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        let s = a === b ? 1 : 0;
        for (let r = 0; r < n; r++) s += (rows[r * dim + a] - xbar[a]) * (rows[r * dim + b] - xbar[b]);
        invW[a * dim + b] = s + ((beta0 * n) / betaStar) * xbar[a] * xbar[b];
      }
    }
    const W = denseInverse(invW, dim);
    const draws = 20_000;
    const rng = createRng(17);
    const mean = new Float64Array(dim);
    const precision = new Float64Array(dim * dim);
    const scratch = new Float64Array(3 * dim * dim + 2 * dim);
    const lambdaSums = new MomentSums(dim * dim);
    const muSums = new MomentSums(dim);
    for (let t = 0; t < draws; t++) {
      expect(bpmfSampleHyper(rng, rows, n, dim, beta0, nu0, mean, precision, scratch)).toBe(true);
      lambdaSums.add(precision);
      muSums.add(mean);
    }
    // E[Λ] = ν* W*, Var(Λij) = ν*(W*ij² + W*ii W*jj).
    const lm = lambdaSums.mean();
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        const v = nuStar * (W[i * dim + j] ** 2 + W[i * dim + i] * W[j * dim + j]);
        expect(Math.abs(lm[i * dim + j] - nuStar * W[i * dim + j])).toBeLessThan(4 * Math.sqrt(v / draws));
      }
    }
    // E[μ] = μ*, Cov(μ) = E[(β*Λ)⁻¹] = W*⁻¹ / (β*(ν* − dim − 1)) (the inverse-Wishart mean).
    const mm = muSums.mean();
    const mc = muSums.covariance();
    for (let i = 0; i < dim; i++) {
      expect(Math.abs(mm[i] - muStar[i])).toBeLessThan(4 * Math.sqrt(mc[i * dim + i] / draws));
      for (let j = 0; j < dim; j++) {
        const want = invW[i * dim + j] / (betaStar * (nuStar - dim - 1));
        expect(Math.abs(mc[i * dim + j] - want)).toBeLessThan(0.08 * Math.sqrt(invW[i * dim + i] * invW[j * dim + j]) / (betaStar * (nuStar - dim - 1)));
      }
    }
  });

  it('is deterministic for a seed and writes a symmetric precision', () => {
    const rows = Float32Array.of(1, 2, 3, -1, 0, 0.5, 2, 2, 1);
    const run = () => {
      const mean = new Float64Array(3);
      const precision = new Float64Array(9);
      bpmfSampleHyper(createRng(4), rows, 3, 3, 2, 3, mean, precision, new Float64Array(33));
      return [...mean, ...precision];
    };
    const a = run();
    expect(run()).toEqual(a);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(a[3 + i * 3 + j]).toBe(a[3 + j * 3 + i]);
  });
});
