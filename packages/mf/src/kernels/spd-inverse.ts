/**
 * The inverse of a dense symmetric positive-definite matrix, in place, and the EASE item-item
 * weights built on it (Steck 2019, "Embarrassingly Shallow Autoencoders").
 *
 * `spdInverse` takes three passes over the row-major `n × n` array, each a left-looking
 * blocked loop (blocks of `NB` rows) whose work is a product of row slices
 * `C ± A·Bᵀ` (`gemmNT`): the inner loops run over contiguous rows, 3 × 3 at a time.
 * 1. Cholesky `A = L·Lᵀ`; `L` goes to the strict lower triangle, `1/L[j][j]` to a scratch `d`.
 * 2. `Y = L⁻ᵀ` (upper triangular) into the upper triangle, diagonal included, one row at a time
 *    from `Y·Lᵀ = I`: `Y[i][j] = −d[j] Σ_{i≤k<j} Y[i][k]·L[j][k]`.
 * 3. `A⁻¹ = L⁻ᵀ·L⁻¹ = Y·Yᵀ`: `P[i][j] = Σ_{k≥i} Y[i][k]·Y[j][k]` (`i ≥ j`) into the lower
 *    triangle, which `L` no longer needs; then the lower triangle is mirrored into the upper.
 * Each pass costs `n³/3` flops. Scratch: `n + NB²` doubles per call.
 *
 * These plain loops are the fallback and the reference. By default the same three passes run in
 * WebAssembly SIMD (`src/wasm/dense-kernels.wat`, f64x2, 2 × 4 register tiles; driven by
 * `src/parallel/spd-inverse-wasm.ts`), on `threads` threads over a shared memory, with a
 * result that differs from these loops in rounding only and is bit-identical for every thread
 * count.
 */
import { checkBoolean, checkFinite, checkInRange, checkNonNegativeInt, checkOptionNames, checkPositiveInt, describeValue, quiverError, type ErrorHint } from '@quiver/base';
import { spdInverseWasm } from '../parallel/spd-inverse-wasm.js';

/** Options of {@link spdInverse} and {@link easeWeights}. */
export interface SpdInverseOptions {
  /**
   * Threads, the calling one included (1–16): worker threads share the matrix in one
   * WebAssembly memory and split each pass into jobs over disjoint rows. The result is
   * bit-identical for every count. Each call starts its worker threads (tens of milliseconds),
   * so more than 1 pays off from `n` in the low thousands. More than 1 needs the SIMD kernels
   * (`simd: true`, an engine with WebAssembly SIMD and shared memory) and `n` at most 23,103 for
   * 2 threads (the matrix must fit the 4 GiB of one WebAssembly memory; memory64 is not
   * available).
   * @defaultValue 1
   */
  readonly threads?: number;
  /**
   * Whether to run the WebAssembly SIMD kernels: about 3 times the plain loops' speed per
   * thread, in float64 like them, equal to them up to rounding. They copy the matrix once into
   * a WebAssembly memory and once back (`8n²` bytes more while they run). With `true` on one
   * thread the plain loops take over when the engine has no WebAssembly SIMD, when `n` is above
   * 23,136 (one 4 GiB memory) or when that memory cannot be allocated; `false` always runs the
   * plain loops (on one thread).
   * @defaultValue true
   */
  readonly simd?: boolean;
}

/** Block size: rows per block of the blocked loops (a multiple of the 3 × 3 tile). */
const NB = 63;
/** Columns of `a` per cache block of the inner products (a panel of `NB` rows is `NB·KC` doubles). */
const KC = 512;

/**
 * `C[r][s] += alpha · Σ_t A[r][t]·B[s][t]` for `r < m`, `s < nc`: the one inner loop of all
 * three passes. `A[r][t] = a[aOff + r·n + t]` and `B[s][t] = a[bOff + s·n + t]` are slices of
 * rows of `a` (row length `n`); `C[r][s] = c[cOff + r·ldc + s]`. `t` runs over `[0, len)`, or
 * over `[r, len)` when `tri` (row `r` of `A` starts `r` places further right: an upper-triangular
 * `A`). With `lower` only the entries `s ≤ r` are needed (the 3 × 3 tiles on the diagonal also
 * write a few above it). 3 × 3 tiles, leftover rows and columns one at a time; `t` in chunks of
 * `KC`.
 */
function gemmNT(
  a: Float64Array,
  n: number,
  aOff: number,
  bOff: number,
  m: number,
  nc: number,
  len: number,
  tri: boolean,
  lower: boolean,
  c: Float64Array,
  cOff: number,
  ldc: number,
  alpha: number,
): void {
  for (let k0 = 0; k0 < len; k0 += KC) {
    const k1 = Math.min(len, k0 + KC);
    let r = 0;
    for (; r + 3 <= m; r += 3) {
      const sEnd = lower ? Math.min(nc, r + 3) : nc;
      // The full tile starts where all three rows of A are inside their triangle.
      const t0 = tri ? Math.max(k0, r + 2) : k0;
      const pa = aOff + r * n;
      const co = cOff + r * ldc;
      if (t0 < k1) {
        let s = 0;
        for (; s + 3 <= sEnd; s += 3) tile3x3(a, n, pa + t0, bOff + s * n + t0, k1 - t0, c, co + s, ldc, alpha);
        for (; s < sEnd; s++) tile3x1(a, n, pa + t0, bOff + s * n + t0, k1 - t0, c, co + s, ldc, alpha);
      }
      if (tri && k0 < r + 2) {
        // The corner of the triangle before t0: row r from t = r, row r + 1 from t = r + 1.
        const tEnd = Math.min(k1, r + 2);
        for (let q = 0; q < 2; q++) {
          const ts = Math.max(k0, r + q);
          if (ts >= tEnd) continue;
          const row = pa + q * n;
          const cq = co + q * ldc;
          for (let s = 0; s < sEnd; s++) {
            const col = bOff + s * n;
            let acc = 0;
            for (let t = ts; t < tEnd; t++) acc += a[row + t] * a[col + t];
            c[cq + s] += alpha * acc;
          }
        }
      }
    }
    for (; r < m; r++) {
      const sEnd = lower ? Math.min(nc, r + 1) : nc;
      const t0 = tri ? Math.max(k0, r) : k0;
      if (t0 >= k1) continue;
      const pa = aOff + r * n + t0;
      const co = cOff + r * ldc;
      let s = 0;
      for (; s + 3 <= sEnd; s += 3) tile1x3(a, n, pa, bOff + s * n + t0, k1 - t0, c, co + s, alpha);
      for (; s < sEnd; s++) {
        const col = bOff + s * n + t0;
        let acc0 = 0;
        let acc1 = 0;
        const len2 = (k1 - t0) & ~1;
        let t = 0;
        for (; t < len2; t += 2) {
          acc0 += a[pa + t] * a[col + t];
          acc1 += a[pa + t + 1] * a[col + t + 1];
        }
        if (t < k1 - t0) acc0 += a[pa + t] * a[col + t];
        c[co + s] += alpha * (acc0 + acc1);
      }
    }
  }
}

/** The 3 × 3 tile of {@link gemmNT}: rows `pa, pa + n, pa + 2n` of A against `pb, pb + n, pb + 2n` of B. */
function tile3x3(a: Float64Array, n: number, pa: number, pb: number, len: number, c: Float64Array, co: number, ldc: number, alpha: number): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  const n2 = 2 * n;
  const end = pa + len;
  for (let p = pa, q = pb; p < end; p++, q++) {
    const b0 = a[q];
    const b1 = a[q + n];
    const b2 = a[q + n2];
    let x = a[p];
    c00 += x * b0;
    c01 += x * b1;
    c02 += x * b2;
    x = a[p + n];
    c10 += x * b0;
    c11 += x * b1;
    c12 += x * b2;
    x = a[p + n2];
    c20 += x * b0;
    c21 += x * b1;
    c22 += x * b2;
  }
  c[co] += alpha * c00;
  c[co + 1] += alpha * c01;
  c[co + 2] += alpha * c02;
  co += ldc;
  c[co] += alpha * c10;
  c[co + 1] += alpha * c11;
  c[co + 2] += alpha * c12;
  co += ldc;
  c[co] += alpha * c20;
  c[co + 1] += alpha * c21;
  c[co + 2] += alpha * c22;
}

/** Three rows of A against one row of B. */
function tile3x1(a: Float64Array, n: number, pa: number, pb: number, len: number, c: Float64Array, co: number, ldc: number, alpha: number): void {
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  const n2 = 2 * n;
  const end = pa + len;
  for (let p = pa, q = pb; p < end; p++, q++) {
    const b = a[q];
    c0 += a[p] * b;
    c1 += a[p + n] * b;
    c2 += a[p + n2] * b;
  }
  c[co] += alpha * c0;
  c[co + ldc] += alpha * c1;
  c[co + 2 * ldc] += alpha * c2;
}

/** One row of A against three rows of B. */
function tile1x3(a: Float64Array, n: number, pa: number, pb: number, len: number, c: Float64Array, co: number, alpha: number): void {
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  const n2 = 2 * n;
  const end = pa + len;
  for (let p = pa, q = pb; p < end; p++, q++) {
    const x = a[p];
    c0 += x * a[q];
    c1 += x * a[q + n];
    c2 += x * a[q + n2];
  }
  c[co] += alpha * c0;
  c[co + 1] += alpha * c1;
  c[co + 2] += alpha * c2;
}

/** The error for a pivot that is not positive (built only when one is met). */
function notPositiveDefinite(where: string, pivot: number, row: number, hint: ErrorHint | null): Error {
  return quiverError('RangeError', {
    where,
    what: 'the matrix must be symmetric positive definite (each Cholesky pivot above n · 2^-52 times its diagonal entry, else it is singular to working precision)',
    got: `pivot ${pivot} at row ${row}`,
    hint,
  });
}

/**
 * Pass 1: `L` (lower, `A = L·Lᵀ`) over the lower triangle of `a`, `d[j] = 1/L[j][j]`. Reads the
 * lower triangle only; leaves garbage just above the diagonal.
 */
function choleskyLower(a: Float64Array, n: number, d: Float64Array, where: string, hint: ErrorHint | null): void {
  // d[i] holds the input's diagonal until pivot i replaces it: a pivot this small against it is
  // rounding noise (the matrix is singular to working precision), not a positive number.
  const tiny = n * 2 ** -52;
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    // The block column J = [j0, j1), rows j0.., minus the contribution of the columns left of it.
    if (j0 > 0) gemmNT(a, n, j0 * n, j0 * n, n - j0, j1 - j0, j0, false, true, a, j0 * n + j0, n, -1);
    // Within J, left-looking again in groups of 3 columns.
    for (let g0 = j0; g0 < j1; g0 += 3) {
      const g1 = Math.min(j1, g0 + 3);
      if (g0 > j0) gemmNT(a, n, g0 * n + j0, g0 * n + j0, n - g0, g1 - g0, g0 - j0, false, true, a, g0 * n + g0, n, -1);
      // Rows g0..g1 - 1 hold the pivots; row i finishes columns g0..min(i, g1) in order.
      for (let i = g0; i < n; i++) {
        const ir = i * n;
        const jEnd = i < g1 ? i : g1;
        for (let j = g0; j < jEnd; j++) {
          const jr = j * n;
          let t = a[ir + j];
          for (let k = g0; k < j; k++) t -= a[ir + k] * a[jr + k];
          a[ir + j] = t * d[j];
        }
        if (i < g1) {
          let p = a[ir + i];
          for (let k = g0; k < i; k++) p -= a[ir + k] * a[ir + k];
          if (!(p > tiny * d[i]) || p === Infinity) throw notPositiveDefinite(where, p, i, hint);
          const l = Math.sqrt(p);
          a[ir + i] = l;
          d[i] = 1 / l;
        }
      }
    }
  }
}

/**
 * Pass 2: `Y = L⁻ᵀ` over the upper triangle of `a`, diagonal included (`Y[i][i] = d[i]`), from
 * `L` in the strict lower triangle. Row `i` of `Y` solves `Y[i]·Lᵀ = eᵢ`.
 */
function invertFactorTransposed(a: Float64Array, n: number, d: Float64Array): void {
  for (let i = 0; i < n; i++) a[i * n + i] = d[i];
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    const h = i1 - i0;
    for (let i = i0; i < i1; i++) a.fill(0, i * n + i + 1, i * n + n);
    for (let j0 = i0; j0 < n; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      const diag = j0 === i0;
      // Σ over k in [i, j0): the rows of Y left of block J (upper triangular from column i0).
      if (!diag) gemmNT(a, n, i0 * n + i0, j0 * n + i0, h, j1 - j0, j0 - i0, true, false, a, i0 * n + j0, n, 1);
      const start = diag ? i0 : j0;
      for (let g0 = j0; g0 < j1; g0 += 3) {
        const g1 = Math.min(j1, g0 + 3);
        // Σ over k in [max(i, start), g0); on the diagonal block only rows i < g0 have such k.
        const m = diag ? g0 - i0 : h;
        if (g0 > start) gemmNT(a, n, i0 * n + start, g0 * n + start, m, g1 - g0, g0 - start, diag, false, a, i0 * n + g0, n, 1);
        // Σ over k in [max(i, g0), j), then the entry itself.
        const iEnd = diag ? Math.min(i1, g1) : i1;
        for (let i = i0; i < iEnd; i++) {
          const ir = i * n;
          const kStart = i > g0 ? i : g0;
          for (let j = i + 1 > g0 ? i + 1 : g0; j < g1; j++) {
            const jr = j * n;
            let t = a[ir + j];
            for (let k = kStart; k < j; k++) t += a[ir + k] * a[jr + k];
            a[ir + j] = -d[j] * t;
          }
        }
      }
    }
  }
}

/**
 * Pass 3: `P = Y·Yᵀ` over the lower triangle of `a`, diagonal included (the diagonal block of
 * each block row goes through `s`, `NB × NB`, since its upper half still holds `Y`).
 */
function productLower(a: Float64Array, n: number, s: Float64Array): void {
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    const h = i1 - i0;
    for (let j0 = 0; j0 < i0; j0 += NB) {
      const j1 = j0 + NB;
      for (let i = i0; i < i1; i++) a.fill(0, i * n + j0, i * n + j1);
      gemmNT(a, n, i0 * n + i0, j0 * n + i0, h, NB, n - i0, true, false, a, i0 * n + j0, n, 1);
    }
    s.fill(0);
    gemmNT(a, n, i0 * n + i0, i0 * n + i0, h, h, n - i0, true, true, s, 0, NB, 1);
    for (let i = i0; i < i1; i++) {
      const ir = i * n;
      const sr = (i - i0) * NB - i0;
      for (let j = i0; j <= i; j++) a[ir + j] = s[sr + j];
    }
  }
}

/** Copies the lower triangle of `a` onto the upper one, in 32 × 32 blocks. */
function mirrorLower(a: Float64Array, n: number): void {
  const B = 32;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = i0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) {
        const ir = i * n;
        for (let j = j0 > i ? j0 : i + 1; j < j1; j++) a[ir + j] = a[j * n + i];
      }
    }
  }
}

/** Throws unless `a` (called `name`) is a Float64Array of length `n * n`, `n` an integer ≥ 0. */
function checkSquare(where: string, name: string, a: unknown, n: unknown): void {
  if (!(a instanceof Float64Array)) throw quiverError('TypeError', { where, what: `${name} must be a Float64Array`, got: describeValue(a) });
  const size = checkNonNegativeInt(where, 'n', n);
  if (a.length !== size * size) {
    throw quiverError('RangeError', { where, what: `${name}.length must be n * n = ${size * size} for n = ${size}`, got: String(a.length) });
  }
}

/** The plain loops: `a` is overwritten in place, also when a pivot fails. */
function invertLoops(a: Float64Array, n: number, where: string, hint: ErrorHint | null): void {
  if (n === 0) return;
  const d = new Float64Array(n);
  const s = new Float64Array(NB * NB);
  choleskyLower(a, n, d, where, hint);
  invertFactorTransposed(a, n, d);
  productLower(a, n, s);
  mirrorLower(a, n);
}

/** {@link SpdInverseOptions} with the defaults filled in. */
function resolveOptions(where: string, options: SpdInverseOptions | undefined): Required<SpdInverseOptions> {
  checkOptionNames(where, options, ['threads', 'simd']);
  const threads = checkInRange(where, 'threads', checkPositiveInt(where, 'threads', options?.threads ?? 1), 1, 16);
  const simd = checkBoolean(where, 'simd', options?.simd ?? true);
  if (threads > 1 && !simd) {
    throw quiverError('RangeError', { where, what: 'threads > 1 needs simd: true (the plain loops run on one thread)', got: `threads ${threads} with simd false` });
  }
  return { threads, simd };
}

/**
 * Adds `shift` to the diagonal of `a` and inverts it in place: in WebAssembly SIMD when `simd`
 * (the input untouched on failure), else, or when that path is unavailable on one thread, in the
 * plain loops. With `ease`, `a` ends as the EASE weights instead of the inverse.
 */
function invert(a: Float64Array, n: number, where: string, hint: ErrorHint | null, shift: number, ease: boolean, options: Required<SpdInverseOptions>): void {
  if (n === 0) return;
  const { threads, simd } = options;
  if (simd) {
    const outcome = spdInverseWasm(a, n, threads, n * 2 ** -52, shift, ease);
    if (outcome.kind === 'done') return;
    if (outcome.kind === 'notPositiveDefinite') throw notPositiveDefinite(where, outcome.pivot, outcome.row, hint);
    if (threads > 1) {
      throw quiverError('RangeError', {
        where,
        what: 'threads > 1 needs the WebAssembly SIMD kernels',
        got: outcome.reason,
        tail: '; pass threads: 1 to run the plain loops on one thread',
      });
    }
  }
  if (shift !== 0) for (let i = 0; i < n; i++) a[i * n + i] += shift;
  invertLoops(a, n, where, hint);
  if (ease) {
    const scale = new Float64Array(n);
    for (let j = 0; j < n; j++) scale[j] = -1 / a[j * n + j];
    for (let i = 0; i < n; i++) {
      const ir = i * n;
      for (let j = 0; j < n; j++) a[ir + j] *= scale[j];
      a[ir + i] = 0;
    }
  }
}

/**
 * Replaces a symmetric positive-definite matrix by its inverse, in place: Cholesky `A = L·Lᵀ`,
 * then `A⁻¹ = L⁻ᵀ·L⁻¹`, blocked so that every inner loop runs along contiguous rows. Only the
 * lower triangle (diagonal included) of the input is read; the whole symmetric inverse is
 * written, both triangles. The same factorization and product as LAPACK's `dpotrf` + `dpotri`.
 * Costs `n³` flops. Measured with bench/spd-inverse.mjs on a 2-core AMD EPYC (Zen 3) at
 * n = 4000: 4.6 GFLOP/s in the plain loops, 14.8 in WebAssembly SIMD on one thread (the
 * default), 27.9 on two; `n = 20,000` (EASE on 20,000 items) took 5.9 minutes on two threads.
 *
 * @param a - Row-major, `n × n`: the matrix on input, its inverse on output.
 * @param n - The order of the matrix, an integer ≥ 0 (0 does nothing).
 * @param options - `threads` (default 1) and `simd` (default true): see {@link SpdInverseOptions}.
 * @throws {TypeError} when `a` is not a Float64Array, `n` not a number, or an option unknown or
 *   of the wrong type.
 * @throws {RangeError} when `n` is not an integer ≥ 0 or `a.length !== n * n`; and when a pivot
 *   of the Cholesky factorization is ≤ 0 or not finite (the matrix is not positive definite,
 *   or holds NaN or ±Infinity): `spdInverse: the matrix must be symmetric positive definite,
 *   got pivot -3 at row 1`. The SIMD kernels then leave `a` untouched, the plain loops partly
 *   overwritten: copy it first (`a.slice()`) if it is needed after a failure with `simd: false`.
 *   Also for `threads` outside 1–16, and for `threads > 1` with `simd: false`, without
 *   WebAssembly SIMD or with `n` above the 4 GiB memory's limit (23,103 for 2 threads).
 * @example
 * const a = Float64Array.of(4, 2, 2, 3);
 * spdInverse(a, 2); // a = [0.375, -0.25, -0.25, 0.5]
 * spdInverse(big, 20_000, { threads: 2 }); // about 6 minutes on 2 cores
 */
export function spdInverse(a: Float64Array, n: number, options?: SpdInverseOptions): void {
  const where = 'spdInverse';
  checkSquare(where, 'a', a, n);
  invert(a, n, where, null, 0, false, resolveOptions(where, options));
}

/**
 * The EASE item-item weights (Steck 2019), in place: given the Gram matrix `G = XᵀX` of the
 * `users × n` interaction matrix `X`, computes `P = (G + λI)⁻¹` with {@link spdInverse} and
 * overwrites `gram` with `B = I − P·diag(1/diag(P))`, that is `B[i][j] = −P[i][j] / P[j][j]` for
 * `i ≠ j` and `B[j][j] = 0` (the closed form of `min ‖X − XB‖² + λ‖B‖²` with `diag(B) = 0`).
 * Scores are then `X·B` (row `u` of `X` times `B`). Only the lower triangle of `gram` is read.
 *
 * @param gram - Row-major, `n × n` (`n` items): `XᵀX` on input, `B` on output (not symmetric).
 * @param lambda - The L2 penalty λ ≥ 0 added to the diagonal, tuned per data set; 0 only works
 *   when `XᵀX` is itself positive definite.
 * @param options - `threads` (default 1) and `simd` (default true), as {@link spdInverse}.
 * @throws {TypeError}, {RangeError} as {@link spdInverse}, and a RangeError for a `lambda` that
 *   is negative or not finite. When `G + λI` is not positive definite, the error names the
 *   pivot and hints at a larger `lambda`; `gram` is then untouched (SIMD) or left partly
 *   overwritten (plain loops).
 * @example
 * const g = Float64Array.of(2, 1, 1, 2); // two items, each seen twice, together once
 * easeWeights(g, 2, 1);                  // g = [0, 1/3, 1/3, 0]: for n = 2, B[i][j] = G[i][j] / (G[i][i] + λ)
 */
export function easeWeights(gram: Float64Array, n: number, lambda: number, options?: SpdInverseOptions): void {
  const where = 'easeWeights';
  checkSquare(where, 'gram', gram, n);
  checkFinite(where, 'lambda', lambda);
  if (lambda < 0) throw quiverError('RangeError', { where, what: 'lambda must be >= 0', got: String(lambda) });
  invert(gram, n, where, { option: 'lambda', value: `<larger than ${lambda}>` }, lambda, true, resolveOptions(where, options));
}
