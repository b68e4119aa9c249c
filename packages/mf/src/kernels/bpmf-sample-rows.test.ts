import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { denseInverse, matVec, MomentSums } from '../../test/dense-reference.js';
import { bpmfSampleRows, bpmfSquaredError } from './bpmf-sample-rows.js';

/**
 * The conditional of one row, densely: features φ = [v_j, 1] (bias) or v_j, targets
 * y = r − mu − c_j (bias) or r − mu; P = Λ + alpha Σ φφᵀ, mean P⁻¹(Λμ + alpha Σ φ y), covariance P⁻¹.
 */
function denseConditional(
  ratings: [number, number][], other: Float32Array, dim: number, bias: boolean, mu: number, alpha: number, hm: Float64Array, hp: Float64Array,
): { mean: Float64Array; cov: Float64Array } {
  const k = bias ? dim - 1 : dim;
  const p = Float64Array.from(hp);
  const h = matVec(hp, hm, dim);
  for (const [j, r] of ratings) {
    const phi = Array.from({ length: dim }, (_, f) => (f < k ? other[j * dim + f] : 1));
    const y = r - mu - (bias ? other[j * dim + k] : 0);
    for (let a = 0; a < dim; a++) {
      h[a] += alpha * phi[a] * y;
      for (let b = 0; b < dim; b++) p[a * dim + b] += alpha * phi[a] * phi[b];
    }
  }
  const cov = denseInverse(p, dim);
  return { mean: matVec(cov, h, dim), cov };
}

describe('bpmfSampleRows', () => {
  for (const bias of [true, false]) {
    it(`draws each row from its Gaussian conditional: mean and covariance against the dense closed form (bias ${bias})`, () => {
      const dim = bias ? 3 : 2;
      const rng0 = createRng(bias ? 1 : 2);
      const other = Float32Array.from({ length: 5 * dim }, () => rng0.normal());
      // Three rows: 3 ratings (one group of four, padded), 5 ratings (four and one), none (the prior).
      const lists: [number, number][][] = [[[0, 4], [2, 3.5], [4, 1]], [[1, 5], [3, 2], [0, 3], [4, 4.5], [2, 1.5]], []];
      const indptr = Int32Array.of(0, 3, 8, 8);
      const indices = Int32Array.from(lists.flat().map((x) => x[0]));
      const values = Float32Array.from(lists.flat().map((x) => x[1]));
      const hm = Float64Array.from({ length: dim }, (_, f) => 0.3 * (f + 1) - 0.4);
      // Λ = B Bᵀ + I.
      const B = Array.from({ length: dim * dim }, () => rng0.normal());
      const hp = new Float64Array(dim * dim);
      for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) {
        hp[a * dim + b] = a === b ? 1 : 0;
        for (let t = 0; t < dim; t++) hp[a * dim + b] += B[a * dim + t] * B[b * dim + t];
      }
      const mu = 3.1;
      const alpha = 1.7;
      const out = new Float32Array(3 * dim);
      const scratch = new Float64Array(dim * dim + 6 * dim + 4);
      const sums = [0, 1, 2].map(() => new MomentSums(dim));
      const rng = createRng(99);
      const draws = 20_000;
      for (let t = 0; t < draws; t++) {
        expect(bpmfSampleRows(rng, 3, indptr, indices, values, other, dim, bias, mu, alpha, hm, hp, out, scratch)).toBe(true);
        for (let r = 0; r < 3; r++) sums[r].add(out, r * dim);
      }
      for (let r = 0; r < 3; r++) {
        const ref = denseConditional(lists[r], other, dim, bias, mu, alpha, hm, hp);
        const mean = sums[r].mean();
        const cov = sums[r].covariance();
        for (let a = 0; a < dim; a++) {
          expect(Math.abs(mean[a] - ref.mean[a])).toBeLessThan(4 * Math.sqrt(ref.cov[a * dim + a] / draws));
          for (let b = 0; b < dim; b++) {
            // Gaussian: SE of a sample covariance ≈ sqrt((σaa σbb + σab²) / n).
            const se = Math.sqrt((ref.cov[a * dim + a] * ref.cov[b * dim + b] + ref.cov[a * dim + b] ** 2) / draws);
            expect(Math.abs(cov[a * dim + b] - ref.cov[a * dim + b])).toBeLessThan(5 * se);
          }
        }
      }
    });
  }

  it('is deterministic for a seed', () => {
    const other = Float32Array.of(0.1, 0.2, -0.3, 0.4, 0.5, -0.6);
    const run = () => {
      const out = new Float32Array(4);
      bpmfSampleRows(createRng(8), 2, Int32Array.of(0, 2, 3), Int32Array.of(0, 2, 1), Float32Array.of(4, 2, 5), other, 2, true, 3, 2, Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1), out, new Float64Array(2 * 2 + 6 * 2 + 4));
      return [...out];
    };
    expect(run()).toEqual(run());
  });
});

describe('bpmfSquaredError', () => {
  it('sums (r − mu − ⟨w, v⟩ − b − c)² over the CSR, with and without biases', () => {
    const rows = Float32Array.of(1, 2, 0.5, -1, 0, 0.25);
    const cols = Float32Array.of(0.5, 1, -0.5, 2, 0.1, 1);
    const indptr = Int32Array.of(0, 2, 3);
    const indices = Int32Array.of(0, 1, 1);
    const values = Float32Array.of(4, 3, 2);
    // With biases (dim 3: two factors then the bias): rows [1, 2 | 0.5], [-1, 0 | 0.25]; cols [0.5, 1 | -0.5], [2, 0.1 | 1].
    const e1 = 4 - (3 + 0.5 - 0.5 + (1 * 0.5 + 2 * 1));
    const e2 = 3 - (3 + 0.5 + 1 + (1 * 2 + 2 * 0.1));
    const e3 = 2 - (3 + 0.25 + 1 + (-1 * 2 + 0 * 0.1));
    expect(bpmfSquaredError(indptr, indices, values, rows, cols, 3, true, 3)).toBeCloseTo(e1 * e1 + e2 * e2 + e3 * e3, 5);
    // Without biases (dim 3: three factors).
    const f1 = 4 - (3 + 1 * 0.5 + 2 * 1 + 0.5 * -0.5);
    const f2 = 3 - (3 + 1 * 2 + 2 * 0.1 + 0.5 * 1);
    const f3 = 2 - (3 + -1 * 2 + 0 * 0.1 + 0.25 * 1);
    expect(bpmfSquaredError(indptr, indices, values, rows, cols, 3, false, 3)).toBeCloseTo(f1 * f1 + f2 * f2 + f3 * f3, 5);
  });
});
