import type { Rng } from '@quiver/base';
import { sampleWishart } from './bpmf-wishart.js';
import { backSubstituteTransposed, choleskyLower } from './bpmf-triangular.js';

/**
 * One Gibbs step of BPMF's hyper-parameters (Salakhutdinov & Mnih 2008, eq. 14): given the rows
 * `x₁ … x_N` of one side (row-major `numRows × dim` in `rows`) and the Normal–Wishart prior
 * `μ₀ = 0, β₀ = beta0, W₀ = I, ν₀ = nu0`, draws the precision `Λ ~ W(W*, ν₀ + N)` and the mean
 * `μ ~ N(μ*, (β* Λ)⁻¹)` of the posterior
 *
 *   `β* = β₀ + N`,  `μ* = N x̄ / β*`,  `W*⁻¹ = I + Σ (xₙ − x̄)(xₙ − x̄)ᵀ + (β₀ N / β*) x̄ x̄ᵀ`.
 *
 * Draws the Wishart first (see {@link sampleWishart}), then `dim` normals for the mean.
 * Kernel: no checks, no allocation; sums in float64.
 * @param mean - Receives `μ` (`dim`).
 * @param precision - Receives `Λ`, row-major `dim × dim`, full.
 * @param scratch - At least `3·dim² + 2·dim` doubles.
 * @returns False when a matrix lost positive definiteness (only with non-finite rows); outputs are then unspecified.
 * @example
 * bpmfSampleHyper(rng, U, numUsers, 33, 2, 33, muU, lambdaU, scratch);
 */
export function bpmfSampleHyper(
  rng: Rng,
  rows: Float32Array,
  numRows: number,
  dim: number,
  beta0: number,
  nu0: number,
  mean: Float64Array,
  precision: Float64Array,
  scratch: Float64Array,
): boolean {
  const d2 = dim * dim;
  const inv = scratch.subarray(0, d2);
  const wishartScratch = scratch.subarray(d2, 2 * d2 + dim);
  const chol = scratch.subarray(2 * d2 + dim, 3 * d2 + dim);
  const z = scratch.subarray(3 * d2 + dim, 3 * d2 + 2 * dim);
  const n = numRows;
  for (let f = 0; f < dim; f++) mean[f] = 0;
  for (let r = 0; r < n; r++) for (let f = 0; f < dim; f++) mean[f] += rows[r * dim + f];
  if (n > 0) for (let f = 0; f < dim; f++) mean[f] /= n;
  // inv = I + Σ (x − x̄)(x − x̄)ᵀ + (β₀N/β*) x̄ x̄ᵀ, lower triangle.
  inv.fill(0);
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (let a = 0; a < dim; a++) {
      const da = rows[o + a] - mean[a];
      for (let b = 0; b <= a; b++) inv[a * dim + b] += da * (rows[o + b] - mean[b]);
    }
  }
  const betaStar = beta0 + n;
  const c = (beta0 * n) / betaStar;
  for (let a = 0; a < dim; a++) {
    inv[a * dim + a] += 1;
    for (let b = 0; b <= a; b++) inv[a * dim + b] += c * mean[a] * mean[b];
  }
  if (!sampleWishart(rng, inv, dim, nu0 + n, precision, wishartScratch)) return false;
  // μ = μ* + w with (β* Λ) ⁻¹ covariance: Λ = L Lᵀ, Lᵀ w = ε / √β*.
  for (let f = 0; f < d2; f++) chol[f] = precision[f];
  if (!choleskyLower(chol, dim)) return false;
  const s = 1 / Math.sqrt(betaStar);
  for (let f = 0; f < dim; f++) z[f] = rng.normal() * s;
  backSubstituteTransposed(chol, dim, z);
  for (let f = 0; f < dim; f++) mean[f] = (n * mean[f]) / betaStar + z[f];
  return true;
}
