/**
 * The dense triangular algebra of the Gibbs sampler (BPMF), on row-major `dim × dim` Float64Arrays.
 * Kernels: no checks, no allocation.
 */

/**
 * Overwrites the lower triangle of the symmetric positive-definite `a` with its Cholesky factor
 * `L` (`a = L Lᵀ`; the strict upper triangle is left as it was and never read). Reads only the
 * lower triangle of `a`.
 * @returns False when a pivot is not positive (a not positive definite); `a` is then partly overwritten.
 * @example
 * const a = Float64Array.of(4, 0, 2, 3);
 * choleskyLower(a, 2); // a = [2, 0, 1, √2]
 */
export function choleskyLower(a: Float64Array, dim: number): boolean {
  for (let j = 0; j < dim; j++) {
    const jj = j * dim;
    let d = a[jj + j];
    for (let k = 0; k < j; k++) d -= a[jj + k] * a[jj + k];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[jj + j] = d;
    // Rows below in pairs: each pass over row j's entries serves two rows.
    let i = j + 1;
    for (; i + 1 < dim; i += 2) {
      const i0 = i * dim;
      const i1 = i0 + dim;
      let s0 = a[i0 + j];
      let s1 = a[i1 + j];
      for (let k = 0; k < j; k++) {
        const l = a[jj + k];
        s0 -= a[i0 + k] * l;
        s1 -= a[i1 + k] * l;
      }
      a[i0 + j] = s0 / d;
      a[i1 + j] = s1 / d;
    }
    if (i < dim) {
      const ii = i * dim;
      let s = a[ii + j];
      for (let k = 0; k < j; k++) s -= a[ii + k] * a[jj + k];
      a[ii + j] = s / d;
    }
  }
  return true;
}

/**
 * Solves `L y = b` in place (`b` becomes `y`) for the lower-triangular `L` in `l`.
 * @example
 * forwardSubstitute(L, dim, b);
 */
export function forwardSubstitute(l: Float64Array, dim: number, b: Float64Array): void {
  for (let i = 0; i < dim; i++) {
    const ii = i * dim;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ii + k] * b[k];
    b[i] = s / l[ii + i];
  }
}

/**
 * Solves `Lᵀ x = b` in place (`b` becomes `x`) for the lower-triangular `L` in `l`.
 * @example
 * backSubstituteTransposed(L, dim, b); // with forwardSubstitute: b ← (L Lᵀ)⁻¹ b
 */
export function backSubstituteTransposed(l: Float64Array, dim: number, b: Float64Array): void {
  for (let i = dim - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < dim; k++) s -= l[k * dim + i] * b[k];
    b[i] = s / l[i * dim + i];
  }
}
