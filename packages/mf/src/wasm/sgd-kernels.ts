import { SGD_KERNELS_WASM_BASE64 } from './sgd-kernels-bytes.js';

/** The exports of the wasm SIMD SGD module (`sgd-kernels.wat`); every pointer is a byte address. */
export interface SgdKernelExports {
  /**
   * SGD over `count` records in stored order (`stride` 4 or 8 bytes, local indices of `ubits` /
   * `ibits` bits, `table`: the rating codes of 4-byte records; see `buildSgdBlocks`); returns the sum of e².
   */
  sgd(rec: number, count: number, stride: number, ubits: number, ibits: number, table: number,
    p: number, q: number, bu: number, bi: number, dim: number,
    mu: number, lr: number, lrBias: number, reg: number, regBias: number): number;
  /** Reads `bytes` bytes from `a`, a 64-byte line at a time; returns the sum of the words read. */
  warm(a: number, bytes: number): number;
  /** One block of one epoch: `warm(warmPtr, warmBytes)` (sum stored at `tmp`), then `sgd`. */
  block(rec: number, count: number, stride: number, ubits: number, ibits: number, table: number,
    p: number, q: number, bu: number, bi: number, dim: number,
    mu: number, lr: number, lrBias: number, reg: number, regBias: number,
    warmPtr: number, warmBytes: number, tmp: number): number;
  /** Σ a[f]·b[f] over `n` floats (`n` a multiple of 8). */
  dot(a: number, b: number, n: number): number;
  /** y[f] += alpha·x[f] over `n` floats (`n` a multiple of 4). */
  axpy(alpha: number, x: number, y: number, n: number): void;
}

/** A compiled wasm module (opaque here; the `WebAssembly` types are not in this package's libs). */
export type WasmModule = object;

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The part of the global `WebAssembly` object used here. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/**
 * The engine's global `WebAssembly` object, or `null` when there is none.
 * @returns The API subset used by the kernels.
 * @example
 * const memory = wasmApi()?.Memory;
 */
export function wasmApi(): WasmApi | null {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
}

/**
 * A shared `WebAssembly.Memory` of exactly `pages` 64 KiB pages.
 * @returns The memory.
 * @example
 * const memory = createSharedMemory(16);
 */
export function createSharedMemory(pages: number): WasmMemory {
  return new (wasmApi() as WasmApi).Memory({ initial: pages, maximum: pages, shared: true });
}

/**
 * A getter that compiles the base64-encoded module bytes on first call and then returns the same
 * module, or `null` when this engine has no WebAssembly or cannot compile it (no SIMD, no
 * threads); callers then use the plain-loop kernels.
 * @returns The getter.
 * @example
 * const factorModule = compileOnce(FACTOR_KERNELS_WASM_BASE64);
 * factorModule(); // WasmModule or null
 */
export function compileOnce(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        const text = atob(base64);
        const bytes = new Uint8Array(text.length);
        for (let n = 0; n < text.length; n++) bytes[n] = text.charCodeAt(n);
        const api = wasmApi();
        compiled = api === null ? null : new api.Module(bytes);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * The compiled SGD kernel module, compiled once per process, or `null` when this engine cannot
 * run it (no WebAssembly SIMD or no shared memory); callers then use the plain-loop kernels.
 *
 * @returns The module, or `null`.
 * @example
 * const mod = sgdKernelsModule();
 * if (mod !== null) instantiateSgdKernels(mod, memory);
 */
export const sgdKernelsModule: () => WasmModule | null = compileOnce(SGD_KERNELS_WASM_BASE64);

/**
 * Instantiates the SGD kernels on `memory` (a shared `WebAssembly.Memory`).
 *
 * @returns The kernel exports.
 * @example
 * const k = instantiateSgdKernels(sgdKernelsModule()!, createSharedMemory(1));
 */
export function instantiateSgdKernels(module: WasmModule, memory: WasmMemory): SgdKernelExports {
  return new (wasmApi() as WasmApi).Instance(module, { env: { memory } }).exports as unknown as SgdKernelExports;
}
