import type { Rng } from '@quiver/base';
import type { BprEpochArgs } from '../kernels/bpr-epoch.js';
import { buildPairFilter, sampleBprTriples } from '../kernels/bpr-sample-triples.js';
import { BPR_KERNELS_WASM_BASE64 } from './bpr-kernels-bytes.js';
import { compileOnce, wasmApi } from './sgd-kernels.js';

/** The export of the wasm SIMD BPR module (`bpr-kernels.wat`); every pointer is a byte address. */
interface BprKernelExports {
  bpr(tri: number, count: number, p: number, q: number, bias: number, ada: number, numUsers: number, numItems: number,
    dim: number, lr: number, reg: number, xs: number): void;
}

/** Triples per call into wasm (sampled in JavaScript first). */
const BATCH = 4096;
const align = (n: number): number => (n + 15) & ~15;
const bprModule = compileOnce(BPR_KERNELS_WASM_BASE64);

/**
 * BPR epochs with the wasm SIMD update of `bpr-kernels.wat`: triples are drawn in JavaScript by
 * {@link sampleBprTriples} (the same stream as the plain `bprEpoch`, in batches of 4096), and the
 * dot product, the row-wise Adagrad steps and the three row updates run in wasm in float32 (the
 * plain kernel computes in float64). One wasm memory holds the factor tables, item biases and
 * Adagrad accumulators; they are copied in at the start of each {@link BprWasmTrainer.run} and
 * back at its end, so the model's `Float32Array`s stay the source of truth.
 *
 * @example
 * const t = BprWasmTrainer.create(numUsers, numItems, 64, true, true);
 * if (t !== null) t.run(args, rng, stats);
 */
export class BprWasmTrainer {
  private readonly k: BprKernelExports;
  private readonly buffer: ArrayBuffer;
  private readonly at: { p: number; q: number; bias: number; ada: number; tri: number; xs: number };
  private readonly triples: Int32Array;
  private readonly xs: Float32Array;
  /** Pair filter of the last `indices` seen by {@link BprWasmTrainer.run} (8 bits per pair). */
  private filter: Uint32Array | null = null;
  private filterOf: Int32Array | null = null;

  private constructor(k: BprKernelExports, buffer: ArrayBuffer, private readonly numUsers: number, private readonly numItems: number,
    private readonly dim: number, hasBias: boolean, hasAdagrad: boolean) {
    this.k = k;
    this.buffer = buffer;
    this.at = BprWasmTrainer.layout(numUsers, numItems, dim, hasBias, hasAdagrad);
    this.triples = new Int32Array(buffer, this.at.tri, 3 * BATCH);
    this.xs = new Float32Array(buffer, this.at.xs, BATCH);
  }

  /** Byte offsets (16-aligned, from 16 so that 0 can mean "none") and the total size. */
  private static layout(numUsers: number, numItems: number, dim: number, hasBias: boolean, hasAdagrad: boolean) {
    let at = 16;
    const take = (bytes: number): number => {
      const a = at;
      at = align(at + bytes);
      return a;
    };
    const p = take(4 * numUsers * dim);
    const q = take(4 * numItems * dim);
    const bias = hasBias ? take(4 * numItems) : 0;
    const ada = hasAdagrad ? take(4 * (numUsers + 2 * numItems)) : 0;
    const tri = take(12 * BATCH);
    const xs = take(4 * BATCH);
    return { p, q, bias, ada, tri, xs, total: at };
  }

  /**
   * @param hasBias - Whether the model learns item biases.
   * @param hasAdagrad - Row-wise Adagrad (`true`) or plain SGD steps.
   * @returns A trainer, or `null` when `dim` is not a multiple of 4, the tables exceed a 32-bit
   * memory, or this engine has no WebAssembly SIMD (callers then use the plain `bprEpoch`).
   */
  static create(numUsers: number, numItems: number, dim: number, hasBias: boolean, hasAdagrad: boolean): BprWasmTrainer | null {
    const api = wasmApi();
    if (api === null || dim % 4 !== 0 || dim === 0) return null;
    const pages = Math.ceil(BprWasmTrainer.layout(numUsers, numItems, dim, hasBias, hasAdagrad).total / 65536);
    if (pages > 65535) return null;
    const compiled = bprModule();
    if (compiled === null) return null;
    let memory;
    try {
      memory = new api.Memory({ initial: pages, maximum: pages, shared: false });
    } catch {
      return null; // not enough memory for one contiguous buffer: use the plain loop
    }
    const exports = new api.Instance(compiled, { env: { memory, exp: Math.exp } }).exports as unknown as BprKernelExports;
    return new BprWasmTrainer(exports, memory.buffer as ArrayBuffer, numUsers, numItems, dim, hasBias, hasAdagrad);
  }

  /**
   * The same as `bprEpoch(args, rng, stats)` (same draws, same update order, float32 arithmetic).
   * `args` must match the shapes given to {@link BprWasmTrainer.create}, with `freezeItems` false.
   */
  run(args: BprEpochArgs, rng: Rng, stats: Float64Array): void {
    const { k, at, buffer, dim, numUsers, numItems } = this;
    const P = new Float32Array(buffer, at.p, numUsers * dim);
    const Q = new Float32Array(buffer, at.q, numItems * dim);
    P.set(args.userFactors);
    Q.set(args.itemFactors);
    const bias = at.bias === 0 ? null : new Float32Array(buffer, at.bias, numItems);
    if (bias !== null) bias.set(args.itemBias as Float32Array);
    const ada = at.ada === 0 ? null : new Float32Array(buffer, at.ada, numUsers + 2 * numItems);
    if (ada !== null) ada.set(args.adagrad as Float32Array);
    const xs = this.xs;
    if (args.verifyNegatives && this.filterOf !== args.indices) {
      // 8 bits per stored pair (rounded up to a power of two): about 1 in 8 or fewer absent pairs hit a set bit.
      const words = 2 ** Math.ceil(Math.log2(Math.max(32, args.indices.length / 4)));
      this.filter = new Uint32Array(words);
      buildPairFilter(args.indptr, args.indices, this.filter);
      this.filterOf = args.indices;
    }
    let lossSum = 0;
    let used = 0;
    let correct = 0;
    for (let done = 0; done < args.numSamples; done += BATCH) {
      const n = sampleBprTriples(args, rng, Math.min(BATCH, args.numSamples - done), this.triples, args.verifyNegatives ? this.filter : null);
      k.bpr(at.tri, n, at.p, at.q, at.bias, at.ada, numUsers, numItems, dim, args.lr, args.reg, at.xs);
      for (let t = 0; t < n; t++) {
        const x = xs[t];
        lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
        if (x > 0) correct++;
      }
      used += n;
    }
    args.userFactors.set(P);
    args.itemFactors.set(Q);
    if (bias !== null) (args.itemBias as Float32Array).set(bias);
    if (ada !== null) (args.adagrad as Float32Array).set(ada);
    stats[0] = lossSum;
    stats[1] = used;
    stats[2] = correct;
  }
}
