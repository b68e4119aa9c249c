// Dense float64 references for the Gibbs-sampler (BPMF) tests: inverse, mat-vec, sample moments.

/** The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting (row-major, float64). */
export function denseInverse(a: ArrayLike<number>, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[piv * n + j]] = [m[piv * n + j], m[c * n + j]];
      [inv[c * n + j], inv[piv * n + j]] = [inv[piv * n + j], inv[c * n + j]];
    }
    const d = m[c * n + c];
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= d;
      inv[c * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

/** `a · x` for a row-major `n × n` matrix. */
export function matVec(a: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += a[i * n + j] * x[j];
  return out;
}

/** Running sums of draws of a `dim`-vector: mean and covariance at the end. */
export class MomentSums {
  private n = 0;
  private readonly s: Float64Array;
  private readonly ss: Float64Array;
  constructor(private readonly dim: number) {
    this.s = new Float64Array(dim);
    this.ss = new Float64Array(dim * dim);
  }
  add(x: ArrayLike<number>, offset = 0): void {
    this.n++;
    for (let i = 0; i < this.dim; i++) {
      this.s[i] += x[offset + i];
      for (let j = 0; j < this.dim; j++) this.ss[i * this.dim + j] += x[offset + i] * x[offset + j];
    }
  }
  mean(): Float64Array {
    return this.s.map((v) => v / this.n);
  }
  covariance(): Float64Array {
    const m = this.mean();
    const d = this.dim;
    return this.ss.map((v, ij) => (v - this.n * m[Math.floor(ij / d)] * m[ij % d]) / (this.n - 1));
  }
}

/** Solves `A x = b` (n × n, row-major) by Gaussian elimination with partial pivoting, in float64. */
export function gaussSolve(A: number[], b: number[], n: number): number[] {
  const m = A.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    for (let k = 0; k < n; k++) [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
    [x[c], x[piv]] = [x[piv], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
    x[r] = s / m[r * n + r];
  }
  return x;
}
