import { DENSE_PACK_BYTES, denseKernelsModule, instantiateDenseKernels } from '../wasm/dense-kernels.js';
import { wasmApi, type WasmMemory } from '../wasm/sgd-kernels.js';
import { WasmJobPool } from './wasm-job-pool.js';

/**
 * Rows per block of the three passes: the width of a Cholesky block column and the height of a
 * block row of `L⁻ᵀ` and of `L⁻ᵀL⁻¹` (one job each).
 */
const NB = 64;
/** Rows per job of the final mirror and of the EASE column scaling. */
const BAND = 32;
/** A Cholesky block column's rows below its diagonal block are cut into at most this many jobs. */
const MAX_PANEL_JOBS = 16;
/** Pivot slot (float64 at address 0) and alignment of the regions after it. */
const HEADER = 64;
/** The largest WebAssembly (32-bit) memory: 65,536 pages of 64 KiB, 4 GiB. */
const MAX_BYTES = 2 ** 32;
const align64 = (x: number): number => Math.ceil(x / 64) * 64;

/** How {@link spdInverseWasm} ended. */
export type SpdInverseWasmOutcome =
  | { readonly kind: 'done' }
  /** A Cholesky pivot at `row` was `pivot`, not above its bound; the input is untouched. */
  | { readonly kind: 'notPositiveDefinite'; readonly row: number; readonly pivot: number }
  /** The wasm path cannot run here (`reason`); the input is untouched. */
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Byte addresses of the regions of the memory for order `n` and `threads` threads. */
interface Layout {
  /** `n` float64: `1/L[i][i]` in the passes, then the EASE scale. */
  readonly d: number;
  /** Scratch of thread 0; thread `t` at `scratch + t · scratchStride`. */
  readonly scratch: number;
  readonly scratchStride: number;
  /** The `n × n` matrix, row-major. */
  readonly a: number;
  /** Total bytes (a tail of 64 bytes keeps every one-past-the-end pointer below 2³²). */
  readonly bytes: number;
}

function layout(n: number, threads: number): Layout {
  const d = HEADER;
  // gemm's packed B, then invRows' NB × (n − i0) float64 or prodRows' NB × NB.
  const scratchStride = align64(DENSE_PACK_BYTES + 8 * NB * Math.max(n, NB));
  const scratch = align64(d + 8 * n);
  const a = scratch + threads * scratchStride;
  return { d, scratch, scratchStride, a, bytes: a + 8 * n * n + 64 };
}

/**
 * The largest order {@link spdInverseWasm} can invert with `threads` threads: the matrix, one
 * `64 × n` scratch block (+ 512 KiB) per thread and `n` float64 must fit one 4 GiB WebAssembly
 * memory (32-bit addresses; memory64 is not available), which gives 23,103 for 2 threads (the
 * matrix alone allows 23,170).
 *
 * @returns The largest `n`.
 * @example
 * spdInverseWasmMaxOrder(2); // 23103
 */
export function spdInverseWasmMaxOrder(threads: number): number {
  let n = Math.floor(Math.sqrt(MAX_BYTES / 8));
  while (n > 0 && layout(n, threads).bytes > MAX_BYTES) n--;
  return n;
}

/**
 * Inverts the symmetric positive-definite `a` (row-major `n × n`; only its lower triangle is read)
 * in WebAssembly SIMD on `threads` threads: copies it once into a new shared memory (adding
 * `shift` to the diagonal there), runs the three passes of `dense-kernels.wat` (Cholesky `L`,
 * `Y = L⁻ᵀ`, `Y·Yᵀ`; the same blocked algorithm as the plain loops of `spdInverse`) and copies the
 * result once back into `a`: the full symmetric inverse, or with `ease` the EASE weights
 * `B = I − P·diag(1/diag P)`.
 *
 * Every pass is cut into jobs that touch disjoint rows: a block column's rows below its diagonal
 * block (Cholesky; the diagonal block itself is factored on the calling thread), block rows (`L⁻ᵀ`
 * and `L⁻ᵀL⁻¹`, each with the thread's own scratch) and bands of rows (mirror, scaling). The jobs
 * depend only on `n`, and each is one call of the same kernel whichever thread takes it, so the
 * result is bit-identical for every thread count. Worker threads (`threads − 1`) start on the
 * first multi-threaded pass and are ended before this returns.
 *
 * @param tiny - A pivot must exceed `tiny ·` its input diagonal entry (and be finite).
 * @returns `done`, or why not: a pivot that is not positive (then `a` is untouched), or the wasm
 *   path being unavailable (no WebAssembly SIMD, `n` above {@link spdInverseWasmMaxOrder}, or no
 *   memory for the copy).
 */
export function spdInverseWasm(a: Float64Array, n: number, threads: number, tiny: number, shift: number, ease: boolean): SpdInverseWasmOutcome {
  if (n === 0) return { kind: 'done' };
  const api = wasmApi();
  const module = denseKernelsModule();
  if (api === null || module === null) return { kind: 'unavailable', reason: 'this engine has no WebAssembly SIMD with shared memory' };
  const l = layout(n, threads);
  if (l.bytes > MAX_BYTES) {
    return { kind: 'unavailable', reason: `n ${n} needs ${(l.bytes / 2 ** 30).toFixed(2)} GiB, above the 4 GiB of one WebAssembly memory (n ≤ ${spdInverseWasmMaxOrder(threads)} with ${threads} thread${threads === 1 ? '' : 's'})` };
  }
  let memory: WasmMemory;
  try {
    const pages = Math.ceil(l.bytes / 65_536);
    memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return { kind: 'unavailable', reason: `could not allocate ${(l.bytes / 2 ** 30).toFixed(2)} GiB of WebAssembly memory` };
  }
  const k = instantiateDenseKernels(module, memory);
  const buffer = memory.buffer;
  const m = new Float64Array(buffer, l.a, n * n);
  m.set(a);
  const d = new Float64Array(buffer, l.d, n);
  for (let i = 0; i < n; i++) {
    m[i * n + i] += shift;
    d[i] = m[i * n + i];
  }
  const maxJobs = Math.max(MAX_PANEL_JOBS, Math.ceil(n / BAND));
  const pool = new WasmJobPool(module, memory, k, ['cholRows', 'invRows', 'prodRows', 'mirror', 'scaleCols'], threads, maxJobs, 8);
  const args = pool.args;
  const blocks = Math.ceil(n / NB);
  const bands = Math.ceil(n / BAND);
  try {
    // Pass 1: Cholesky, block column by block column.
    for (let j0 = 0; j0 < n; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      const row = k.cholDiag(l.a, n, j0, j1, l.d, tiny, 0);
      if (row >= 0) return { kind: 'notPositiveDefinite', row, pivot: new Float64Array(buffer, 0, 1)[0] };
      const rows = n - j1;
      if (rows === 0) continue;
      const numJobs = Math.min(MAX_PANEL_JOBS, Math.ceil(rows / NB));
      const chunk = 2 * Math.ceil(rows / numJobs / 2);
      let jobs = 0;
      for (let r0 = j1; r0 < n; r0 += chunk, jobs++) args.set([l.a, n, j0, j1, r0, Math.min(n, r0 + chunk), l.d, 0], 8 * jobs);
      pool.run(0, jobs, 8, { arg: 7, base: l.scratch, stride: l.scratchStride });
    }
    // Pass 2: L⁻ᵀ onto the upper triangle, one job per block row (largest first).
    for (let b = 0; b < blocks; b++) args.set([l.a, n, b * NB, Math.min(n, (b + 1) * NB), NB, l.d, 0], 7 * b);
    pool.run(1, blocks, 7, { arg: 6, base: l.scratch, stride: l.scratchStride });
    // Pass 3: L⁻ᵀL⁻¹ onto the lower triangle, one job per block row.
    for (let b = 0; b < blocks; b++) args.set([l.a, n, b * NB, Math.min(n, (b + 1) * NB), 0], 5 * b);
    pool.run(2, blocks, 5, { arg: 4, base: l.scratch, stride: l.scratchStride });
    for (let b = 0; b < bands; b++) args.set([l.a, n, b * BAND, Math.min(n, (b + 1) * BAND)], 4 * b);
    pool.run(3, bands, 4, null);
    if (ease) {
      for (let j = 0; j < n; j++) d[j] = -1 / m[j * n + j];
      for (let b = 0; b < bands; b++) args.set([l.a, n, b * BAND, Math.min(n, (b + 1) * BAND), l.d], 5 * b);
      pool.run(4, bands, 5, null);
    }
    a.set(m);
    return { kind: 'done' };
  } finally {
    if (pool.numWorkers > 0) void pool.stop();
  }
}
