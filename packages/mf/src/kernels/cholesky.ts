/**
 * Solves `A x = b` for a symmetric positive-definite `A` in place: `A` (row-major `dim × dim`)
 * is overwritten by its Cholesky factor `L` (lower triangle) and `b` by the solution `x`.
 * Kernel: no checks, no allocation. A non-positive pivot (A not positive definite) leaves a
 * NaN in `b`; callers add a ridge term so this cannot happen.
 *
 * @example
 * const a = Float64Array.of(4, 2, 2, 3), b = Float64Array.of(2, 1);
 * choleskySolve(a, 2, b); // b = [0.5, 0]
 */
export function choleskySolve(a: Float64Array, dim: number, b: Float64Array): void {
  for (let j = 0; j < dim; j++) {
    const jj = j * dim;
    let d = a[jj + j];
    for (let k = 0; k < j; k++) d -= a[jj + k] * a[jj + k];
    d = Math.sqrt(d);
    a[jj + j] = d;
    for (let i = j + 1; i < dim; i++) {
      const ii = i * dim;
      let s = a[ii + j];
      for (let k = 0; k < j; k++) s -= a[ii + k] * a[jj + k];
      a[ii + j] = s / d;
    }
  }
  // Forward: L y = b.
  for (let i = 0; i < dim; i++) {
    const ii = i * dim;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[ii + k] * b[k];
    b[i] = s / a[ii + i];
  }
  // Backward: Lᵀ x = y.
  for (let i = dim - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < dim; k++) s -= a[k * dim + i] * b[k];
    b[i] = s / a[i * dim + i];
  }
}
