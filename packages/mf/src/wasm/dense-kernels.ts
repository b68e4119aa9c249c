import { DENSE_KERNELS_WASM_BASE64 } from './dense-kernels-bytes.js';
import { compileOnce, wasmApi, type WasmMemory, type WasmModule } from './sgd-kernels.js';

/** Bytes of the scratch through which `gemm` reads 64 rows × 1024 columns of B (64·1024 float64). */
export const DENSE_PACK_BYTES = 64 * 1024 * 8;

/**
 * The exports of the wasm SIMD dense module (`dense-kernels.wat`): the three passes of the
 * symmetric positive-definite inverse over a row-major float64 `n × n` matrix at byte address `a`.
 * Every pointer is a byte address (unsigned, so an address above 2³¹ may arrive as a negative
 * number), every leading dimension a row length in bytes.
 */
export interface DenseKernelExports {
  /**
   * `C[r][s] += alpha · Σ_{t < len} A[r][t]·B[s][t]` for `r < m`, `s < nc` (only `s ≤ r` needed
   * when `lower` is 1); `A[r][t]` at `pa + r·lda + 8t`, `B[s][t]` at `pb + s·ldb + 8t`, `C[r][s]` at
   * `pc + r·ldc + 8s`. `pack`: 0, or {@link DENSE_PACK_BYTES} of scratch through which blocks of B
   * are read (when `lower` is 0); the result is the same either way.
   */
  gemm(pa: number, pb: number, lda: number, ldb: number, m: number, nc: number, len: number, lower: number,
    pc: number, ldc: number, alpha: number, pack: number): void;
  /**
   * Cholesky of the diagonal block of block column `[j0, j1)` (`d`: `n` float64, the input's
   * diagonal on entry, `1/L[i][i]` once row `i` is done); returns −1, or the row of the first
   * pivot that is not above `tiny ·` its diagonal entry (the pivot stored as float64 at `out`).
   */
  cholDiag(a: number, n: number, j0: number, j1: number, d: number, tiny: number, out: number): number;
  /**
   * Cholesky of rows `[r0, r1)` (below the diagonal block) of block column `[j0, j1)`; `pack`:
   * {@link DENSE_PACK_BYTES} of scratch.
   */
  cholRows(a: number, n: number, j0: number, j1: number, r0: number, r1: number, d: number, pack: number): void;
  /**
   * Rows `[i0, i1)` of `L⁻ᵀ` onto the upper triangle, block columns `nb` wide (`s`:
   * {@link DENSE_PACK_BYTES} + `8·(i1 − i0)·(n − i0)` bytes of scratch).
   */
  invRows(a: number, n: number, i0: number, i1: number, nb: number, d: number, s: number): void;
  /**
   * Rows `[i0, i1)` of `L⁻ᵀ·L⁻¹` onto the lower triangle (`s`: {@link DENSE_PACK_BYTES} +
   * `8·(i1 − i0)²` bytes of scratch).
   */
  prodRows(a: number, n: number, i0: number, i1: number, s: number): void;
  /** Rows `[i0, i1)` of the upper triangle copied from the lower one. */
  mirror(a: number, n: number, i0: number, i1: number): void;
  /** `a[i][j] *= scale[j]`, then `a[i][i] = 0`, for rows `[r0, r1)`. */
  scaleCols(a: number, n: number, r0: number, r1: number, scale: number): void;
}

/**
 * The compiled dense kernel module, compiled once per process, or `null` when this engine cannot
 * run it (no WebAssembly SIMD or no shared memory); callers then use the plain loops.
 *
 * @returns The module, or `null`.
 * @example
 * const mod = denseKernelsModule();
 * if (mod !== null) instantiateDenseKernels(mod, memory);
 */
export const denseKernelsModule: () => WasmModule | null = compileOnce(DENSE_KERNELS_WASM_BASE64);

/**
 * Instantiates the dense kernels on `memory` (a shared `WebAssembly.Memory`).
 *
 * @returns The kernel exports.
 * @example
 * const k = instantiateDenseKernels(denseKernelsModule()!, createSharedMemory(1));
 */
export function instantiateDenseKernels(module: WasmModule, memory: WasmMemory): DenseKernelExports {
  return new (wasmApi() as NonNullable<ReturnType<typeof wasmApi>>).Instance(module, { env: { memory } }).exports as unknown as DenseKernelExports;
}
