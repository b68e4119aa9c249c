import { buildCsr, createRng, transposeCsr, type CsrMatrixWithValues } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { randomizedSvd } from './randomized-svd.js';

/**
 * Slow dense reference: one-sided Jacobi SVD (Hestenes). Rotates pairs of columns of A (m × n)
 * until all are orthogonal; then σ_j = ‖a_j‖ and the accumulated rotations are V. Returns the
 * singular values descending and V's columns in the same order (row-major n × n).
 */
function jacobiSvd(dense: Float64Array, m: number, n: number): { s: Float64Array; v: Float64Array } {
  const a = dense.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += a[i * n + p] ** 2;
          beta += a[i * n + q] ** 2;
          gamma += a[i * n + p] * a[i * n + q];
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = a[i * n + p];
          const y = a[i * n + q];
          a[i * n + p] = c * x - s * y;
          a[i * n + q] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p];
          const y = v[i * n + q];
          v[i * n + p] = c * x - s * y;
          v[i * n + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i * n + j] ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y] - norms[x]);
  const vs = new Float64Array(n * n);
  order.forEach((j, c) => {
    for (let i = 0; i < n; i++) vs[i * n + c] = v[i * n + j];
  });
  return { s: Float64Array.from(order, (j) => norms[j]), v: vs };
}

/** CSR of a dense row-major matrix (its non-zero entries). */
function toCsr(dense: Float64Array, m: number, n: number): { x: CsrMatrixWithValues; xt: CsrMatrixWithValues } {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (dense[i * n + j] !== 0) (r.push(i), c.push(j), v.push(dense[i * n + j]));
  const x = buildCsr(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), m, n, { duplicates: 'sum' });
  return { x, xt: transposeCsr(x) };
}

/** `Σ_c s_c a_c b_cᵀ` with Gaussian a, b: a matrix whose singular values decay like s. Entries rounded to float32 (the CSR values). */
function decaying(seed: number, m: number, n: number, s: (c: number) => number, terms: number): Float64Array {
  const rng = createRng(seed);
  const d = new Float64Array(m * n);
  for (let c = 0; c < terms; c++) {
    const a = Float64Array.from({ length: m }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[i * n + j] += s(c) * a[i] * b[j];
  }
  return d.map((x) => Math.fround(x));
}

function run(dense: Float64Array, m: number, n: number, rank: number, oversamples: number, power: number, seed: number) {
  const { x, xt } = toCsr(dense, m, n);
  const width = rank + oversamples;
  const rng = createRng(seed);
  const omega = Float64Array.from({ length: n * width }, () => rng.normal());
  const s = new Float64Array(rank);
  const v = new Float64Array(n * rank);
  randomizedSvd(x.indptr, x.indices, x.values, xt.indptr, xt.indices, xt.values, m, n, omega, width, power, rank, s, v);
  return { s, v };
}

/** ‖P − P_ref‖_F for the projectors onto the first k columns of V (n × kv) and V_ref (n × n). */
function projectorDistance(v: Float64Array, kv: number, vref: Float64Array, n: number, k: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let p = 0;
      let q = 0;
      for (let c = 0; c < k; c++) {
        p += v[i * kv + c] * v[j * kv + c];
        q += vref[i * n + c] * vref[j * n + c];
      }
      d += (p - q) ** 2;
    }
  }
  return Math.sqrt(d);
}

describe('randomizedSvd', () => {
  it('matches a dense Jacobi SVD on matrices with a decaying spectrum: values to 1e-4, subspaces', () => {
    for (const [m, n, seed] of [[60, 40, 1], [35, 80, 2]]) {
      const dense = decaying(seed, m, n, (c) => 0.6 ** c, 30);
      const ref = jacobiSvd(dense, m, n);
      const k = 6;
      const { s, v } = run(dense, m, n, k, 10, 2, seed + 10);
      for (let c = 0; c < k; c++) expect(Math.abs(s[c] - ref.s[c]) / ref.s[c]).toBeLessThan(1e-4);
      expect(projectorDistance(v, k, ref.v, n, k)).toBeLessThan(1e-3);
      // Each singular vector matches the reference's up to sign.
      for (let c = 0; c < k; c++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += v[i * k + c] * ref.v[i * n + c];
        expect(Math.abs(d)).toBeGreaterThan(1 - 1e-4);
      }
    }
  });

  it('returns orthonormal right singular vectors and values no larger than the true ones (a sparse 0/1 matrix)', () => {
    const m = 50;
    const n = 70;
    const rng = createRng(3);
    const dense = Float64Array.from({ length: m * n }, (_, p) => (rng.nextFloat() < 0.1 + 0.3 * ((p % n) / n) ? 1 : 0));
    const ref = jacobiSvd(dense, m, n);
    const k = 8;
    const { s, v } = run(dense, m, n, k, 10, 3, 4);
    for (let c = 0; c < k; c++) {
      expect(s[c]).toBeLessThanOrEqual(ref.s[c] * (1 + 1e-12));
      for (let d = 0; d < k; d++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i * k + c] * v[i * k + d];
        expect(dot).toBeCloseTo(c === d ? 1 : 0, 10);
      }
    }
    // A flat spectrum still gives the leading value closely (a large gap after it).
    expect(Math.abs(s[0] - ref.s[0]) / ref.s[0]).toBeLessThan(1e-6);
    // σ_c = ‖X v_c‖ for the computed vectors (they are the right singular vectors of Q Qᵀ X).
    for (let c = 0; c < k; c++) {
      let nrm = 0;
      for (let i = 0; i < m; i++) {
        let xv = 0;
        for (let j = 0; j < n; j++) xv += dense[i * n + j] * v[j * k + c];
        nrm += xv * xv;
      }
      expect(Math.abs(Math.sqrt(nrm) - s[c]) / s[c]).toBeLessThan(0.05);
    }
  });

  it('recovers an exactly low-rank matrix and gives 0 (zero vectors) past its rank', () => {
    const m = 30;
    const n = 20;
    const dense = decaying(5, m, n, (c) => [5, 3, 2][c], 3);
    const ref = jacobiSvd(dense, m, n);
    // The sketch is wider than min(m, n) would need and than the rank.
    const k = 6;
    const { s, v } = run(dense, m, n, k, 14, 1, 6);
    for (let c = 0; c < 3; c++) expect(Math.abs(s[c] - ref.s[c]) / ref.s[c]).toBeLessThan(1e-6);
    // Float32 rounding of the entries leaves singular values around 1e-7 · σ₁ past the rank.
    for (let c = 3; c < k; c++) expect(s[c]).toBeLessThan(1e-5 * s[0]);
    // The first three columns span the row space.
    const three = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) three[i * 3 + c] = v[i * k + c];
    expect(projectorDistance(three, 3, ref.v, n, 3)).toBeLessThan(1e-6);
  });

  it('gives zero singular values and vectors for components beyond the sketch width or of a zero matrix', () => {
    const m = 4;
    const n = 5;
    const dense = new Float64Array(m * n);
    dense[0 * n + 1] = 2;
    dense[2 * n + 3] = 1;
    const { x, xt } = toCsr(dense, m, n);
    const width = 3;
    const rank = 5; // more than the sketch holds
    const rng = createRng(1);
    const omega = Float64Array.from({ length: n * width }, () => rng.normal());
    const s = new Float64Array(rank).fill(9);
    const v = new Float64Array(n * rank).fill(9);
    randomizedSvd(x.indptr, x.indices, x.values, xt.indptr, xt.indices, xt.values, m, n, omega, width, 2, rank, s, v);
    expect(s[0]).toBeCloseTo(2, 12);
    expect(s[1]).toBeCloseTo(1, 12);
    expect([...s.subarray(2)]).toEqual([0, 0, 0]);
    for (let i = 0; i < n; i++) for (let c = 2; c < rank; c++) expect(v[i * rank + c]).toBe(0);
    expect(Math.abs(v[1 * rank + 0])).toBeCloseTo(1, 12);
    expect(Math.abs(v[3 * rank + 1])).toBeCloseTo(1, 12);
    const zero = toCsr(new Float64Array(m * n), m, n);
    randomizedSvd(zero.x.indptr, zero.x.indices, zero.x.values, zero.xt.indptr, zero.xt.indices, zero.xt.values, m, n, omega.map(() => 1), width, 1, 2, s, v);
    expect([...s.subarray(0, 2)]).toEqual([0, 0]);
  });

  it('is deterministic: the same test matrix gives bit-identical output', () => {
    const dense = decaying(7, 25, 30, (c) => 0.5 ** c, 10);
    const a = run(dense, 25, 30, 4, 5, 2, 9);
    const b = run(dense, 25, 30, 4, 5, 2, 9);
    expect(Buffer.from(a.s.buffer).equals(Buffer.from(b.s.buffer))).toBe(true);
    expect(Buffer.from(a.v.buffer).equals(Buffer.from(b.v.buffer))).toBe(true);
  });
});
