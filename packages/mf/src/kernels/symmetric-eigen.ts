/**
 * Eigen-decomposition of a real symmetric `n × n` matrix by the cyclic Jacobi method (Golub &
 * Van Loan, Algorithm 8.5.3): plane rotations zero each off-diagonal entry in turn, sweep after
 * sweep, until the off-diagonal part is below `2⁻⁵²` of the matrix's Frobenius norm (or
 * `maxSweeps` sweeps). Jacobi is slow for large `n` (about `6 n³` flops a sweep, 6–10 sweeps)
 * but accurate, also for the small eigenvalues; it suits the small `l × l` matrices of the
 * randomized SVD.
 *
 * The eigenvalues are written in descending order, with the eigenvector of `outValues[c]` in
 * column `c` of `outVectors` (row-major, so `outVectors[r · n + c]`). Each eigenvector's sign
 * is whatever the rotations leave (deterministic for a given input).
 *
 * Kernel: no checks, no allocation.
 *
 * @param a - Row-major `n × n`, symmetric (both triangles stored); destroyed.
 * @param outValues - Receives the `n` eigenvalues, largest first.
 * @param outVectors - Row-major `n × n`; receives the orthonormal eigenvectors as columns.
 * @param maxSweeps - The most sweeps to run.
 * @returns The number of sweeps run.
 * @example
 * const values = new Float64Array(2), vectors = new Float64Array(4);
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, values, vectors); // values = [3, 1]
 */
export function symmetricEigen(a: Float64Array, n: number, outValues: Float64Array, outVectors: Float64Array, maxSweeps = 60): number {
  const v = outVectors;
  v.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  const stop = total * 2 ** -104; // (2⁻⁵² ‖A‖_F)²
  let sweeps = 0;
  while (sweeps < maxSweeps) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= stop) break;
    sweeps++;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = tau >= 0 ? 1 / (tau + Math.sqrt(1 + tau * tau)) : -1 / (-tau + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← Jᵀ A J with J the rotation [[c, s], [−s, c]] in the (p, q) plane; V ← V J.
        for (let k = 0; k < n; k++) {
          const kp = a[k * n + p];
          const kq = a[k * n + q];
          a[k * n + p] = c * kp - s * kq;
          a[k * n + q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const pk = a[p * n + k];
          const qk = a[q * n + k];
          a[p * n + k] = c * pk - s * qk;
          a[q * n + k] = s * pk + c * qk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const kp = v[k * n + p];
          const kq = v[k * n + q];
          v[k * n + p] = c * kp - s * kq;
          v[k * n + q] = s * kp + c * kq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) outValues[i] = a[i * n + i];
  // Selection sort, largest first (ties keep their order), swapping eigenvector columns along.
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (outValues[j] > outValues[best]) best = j;
    if (best === i) continue;
    const t = outValues[i];
    outValues[i] = outValues[best];
    outValues[best] = t;
    for (let k = 0; k < n; k++) {
      const x = v[k * n + i];
      v[k * n + i] = v[k * n + best];
      v[k * n + best] = x;
    }
  }
  return sweeps;
}
