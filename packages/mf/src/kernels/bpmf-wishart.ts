import type { Rng } from '@quiver/base';
import { sampleChiSquare } from './bpmf-gamma.js';
import { backSubstituteTransposed, choleskyLower } from './bpmf-triangular.js';

/**
 * A draw `Λ` from the Wishart distribution `W(S, dof)` (mean `dof · S`) given the *inverse* of
 * its scale matrix, `invScale = S⁻¹` (what the Normal–Wishart posterior produces), by the
 * Bartlett decomposition: with `invScale = C Cᵀ` (Cholesky) the factor `C⁻ᵀ` satisfies
 * `C⁻ᵀ C⁻¹ = S`, and with `A` lower triangular, `A_ii = √χ²(dof − i)` (i from 0) and
 * `A_ij ~ N(0, 1)` below the diagonal, `Λ = (C⁻ᵀ A)(C⁻ᵀ A)ᵀ`.
 * Draws `A` row by row (the diagonal entry, then the row's normals).
 *
 * Kernel: no checks (`dof > dim − 1`, `invScale` symmetric positive definite); `invScale`'s lower
 * triangle is overwritten by `C`.
 * @param out - Receives `Λ`, row-major `dim × dim`, full (both triangles).
 * @param scratch - At least `dim² + dim` doubles.
 * @returns False when `invScale` is not positive definite (`out` is then left as it was).
 * @example
 * sampleWishart(rng, invScale, 3, 5, lambda, scratch); // Λ ~ W(invScale⁻¹, 5)
 */
export function sampleWishart(rng: Rng, invScale: Float64Array, dim: number, dof: number, out: Float64Array, scratch: Float64Array): boolean {
  if (!choleskyLower(invScale, dim)) return false;
  const t = scratch; // T = C⁻ᵀ A, row-major dim × dim
  const col = scratch.subarray(dim * dim, dim * dim + dim);
  t.fill(0, 0, dim * dim);
  // A, row by row, into t (then solved column by column in place).
  for (let i = 0; i < dim; i++) {
    t[i * dim + i] = Math.sqrt(sampleChiSquare(rng, dof - i));
    for (let j = 0; j < i; j++) t[i * dim + j] = rng.normal();
  }
  for (let j = 0; j < dim; j++) {
    for (let i = 0; i < dim; i++) col[i] = t[i * dim + j];
    backSubstituteTransposed(invScale, dim, col);
    for (let i = 0; i < dim; i++) t[i * dim + j] = col[i];
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += t[a * dim + k] * t[b * dim + k];
      out[a * dim + b] = s;
      out[b * dim + a] = s;
    }
  }
  return true;
}
