import { FACTOR_KERNELS_WASM_BASE64 } from './factor-kernels-bytes.js';
import { compileOnce, wasmApi, type WasmMemory, type WasmModule } from './sgd-kernels.js';

/** The exports of the wasm SIMD factor module (`factor-kernels.wat`); every pointer is a byte address. */
export interface FactorKernelExports {
  /** `out64 = YᵀY + reg·I` (float64) and `out32` the same in float32; `tmp`: `4 · dim` float64. */
  gram(table: number, numRows: number, dim: number, reg: number, out64: number, out32: number, tmp: number): void;
  /**
   * One ALS CG half-sweep in float32 (see `alsCgSweep`); `scratch`: `3 · dim` float32; `b`: 0 or
   * `scatterRows`' output; `rowReg`: 0 or `numRows` float32 per-row ridge terms.
   */
  cgSweep(indptr: number, indices: number, conf: number, Y: number, X: number, numRows: number, dim: number,
    yty: number, cgSteps: number, scratch: number, b: number, rowReg: number): void;
  /** `B[c] = Σ conf · X[r]` over the entries `(r, c)` of a CSR matrix (`B`: `numCols × dim`). */
  scatterRows(indptr: number, indices: number, conf: number, X: number, numRows: number, dim: number, B: number,
    numCols: number): void;
  /** `out[n·numItems + i] = constant[n] + itemBias[i] + ⟨users[n], items[i]⟩`; `itemBias` 0 for none. */
  scoreBlock(users: number, numUsers: number, items: number, numItems: number, dim: number, itemBias: number,
    constant: number, out: number): void;
}

/** A memory together with the factor kernels instantiated on it. */
export interface FactorKernels {
  /** The compiled module (what worker threads instantiate on the same memory). */
  readonly module: WasmModule;
  /** A shared memory, so worker threads can run kernels over the same tables. */
  readonly memory: WasmMemory;
  readonly exports: FactorKernelExports;
}

const factorModule = compileOnce(FACTOR_KERNELS_WASM_BASE64);

/**
 * Instantiates the factor kernels (ALS CG sweep, Gram matrix, block scoring) on a new shared
 * memory of `bytes` bytes (rounded up to 64 KiB pages), or returns `null` when this engine has no
 * WebAssembly SIMD or the size exceeds the 4 GiB of a 32-bit memory; callers then use the
 * plain-loop kernels. The module is compiled once per process.
 *
 * @returns The memory and exports, or `null`.
 * @example
 * const k = createFactorKernels(1 << 20);
 * if (k !== null) new Float32Array(k.memory.buffer, 0, 16);
 */
export function createFactorKernels(bytes: number): FactorKernels | null {
  const api = wasmApi();
  const pages = Math.ceil(Math.max(bytes, 1) / 65536);
  if (api === null || pages > 65535) return null;
  const compiled = factorModule();
  if (compiled === null) return null;
  let memory: WasmMemory;
  try {
    memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null; // not enough memory for one contiguous buffer: use the plain loops
  }
  const exports = new api.Instance(compiled, { env: { memory } }).exports as unknown as FactorKernelExports;
  return { module: compiled, memory, exports };
}
