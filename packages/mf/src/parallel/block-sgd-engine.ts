import { Worker } from 'node:worker_threads';
import { buildSgdBlocks, type SgdRecordFormat } from '../kernels/build-sgd-blocks.js';
import { buildRatingCodes } from '../kernels/rating-codes.js';
import { sgdBlock } from '../kernels/sgd-block.js';
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule, type SgdKernelExports, type WasmMemory, type WasmModule } from '../wasm/sgd-kernels.js';
import { SGD_WORKER_SOURCE } from './sgd-worker-source.js';

/** Hyper-parameters of one round. */
export interface BlockSgdStep {
  readonly mu: number;
  readonly lr: number;
  readonly lrBias: number;
  readonly reg: number;
  readonly regBias: number;
}

/** The factor tables an engine trains, as views of its memory. */
export interface BlockSgdTables {
  readonly P: Float32Array;
  readonly Q: Float32Array;
  readonly bu: Float32Array;
  readonly bi: Float32Array;
}

const MAX_THREADS = 16;
/** At most this many distinct ratings are coded into 4-byte records. */
const MAX_CODES = 4096;
/**
 * Int32 fields per block in the shared block table read by the engine and its workers: record
 * address, record count, P/Q/bu/bi addresses of its first rows, and the address and byte length
 * of the rows swept into cache before it.
 */
const FIELDS = 8;
/** The largest WebAssembly (32-bit) memory: 65,536 pages of 64 KiB. */
const MAX_BYTES = 65_536 * 65_536;
const align16 = (n: number): number => n + ((16 - (n % 16)) % 16);
const bitsFor = (rows: number): number => (rows <= 1 ? 1 : 32 - Math.clz32(rows - 1));

/**
 * LIBMF-style block SGD for biased MF over tables held in one (shared) memory.
 *
 * Users and items are cut into `grid` contiguous ranges each; the ratings are bucketed once into
 * the `grid²` blocks and each block sorted by the side with more rows (`buildSgdBlocks`), as
 * 4-byte records when the distinct ratings fit in the bits the local indices leave (MovieLens'
 * 10 values do), else 8-byte ones. The model's tables live in this memory ({@link tables}), so an
 * epoch copies nothing. A round trains `grid` blocks that share no user and no item range, so
 * they can run concurrently with no races and the result does not depend on which thread trains
 * which block: `threads = 1` and `threads = 2` give bit-identical tables. Before each block the
 * other side's rows of the block are swept into cache in address order; the updates then stream
 * through the sorted side's rows.
 *
 * Kernels: the wasm SIMD module when the engine supports it and `dim` is a positive multiple of
 * 4, else the plain loop (`sgdBlock`; one thread only).
 * Owns `threads − 1` worker threads (started on first use, `unref`'d, ended by {@link stopWorkers}).
 */
export class BlockSgdEngine {
  /** Blocks per side. */
  readonly grid: number;
  /** Whether the wasm SIMD kernels run (else the plain loop). */
  readonly simd: boolean;
  /** The record layout chosen for these ratings. */
  readonly format: SgdRecordFormat;
  /** Whether blocks are sorted by user (more users than items) or by item. */
  readonly byUser: boolean;
  readonly usersPerBlock: number;
  readonly itemsPerBlock: number;
  private readonly memory: WasmMemory | null;
  private readonly buffer: ArrayBufferLike;
  private readonly kernels: SgdKernelExports | null;
  private readonly module: WasmModule | null;
  private readonly views: BlockSgdTables;
  private readonly recAddr: number;
  private readonly tableAddr: number;
  private readonly offsets: Int32Array;
  private readonly blockArgs: Uint32Array;
  private readonly control: SharedArrayBuffer;
  private readonly ctl: Int32Array;
  private readonly blocks: Int32Array;
  private readonly par: Float64Array;
  private readonly sse: Float64Array;
  private workers: Worker[] = [];

  /**
   * @param threads - Threads per round, including the calling one (1–16); more than 1 needs SIMD.
   */
  constructor(
    userIds: Int32Array,
    itemIds: Int32Array,
    ratings: Float32Array,
    numUsers: number,
    numItems: number,
    private readonly dim: number,
    grid: number,
    private readonly threads: number,
  ) {
    this.grid = grid;
    const upb = Math.max(1, Math.ceil(numUsers / grid));
    const ipb = Math.max(1, Math.ceil(numItems / grid));
    this.usersPerBlock = upb;
    this.itemsPerBlock = ipb;
    this.byUser = upb >= ipb;
    this.format = recordFormat(ratings, upb, ipb);
    const module = dim > 0 && dim % 4 === 0 ? sgdKernelsModule() : null;
    this.simd = module !== null;
    this.module = module;
    const table = align16(16 * MAX_THREADS);
    const p = align16(table + 4 * (this.format.codes?.values.length ?? 0));
    const q = align16(p + numUsers * dim * 4);
    const bu = align16(q + numItems * dim * 4);
    const bi = align16(bu + numUsers * 4);
    const rec = align16(bi + numItems * 4);
    const bytes = rec + this.format.stride * ratings.length;
    if (bytes > MAX_BYTES) {
      const gib = (b: number): string => (b / 2 ** 30).toFixed(2);
      throw new RangeError(
        `BiasedMF: the 'blocks' schedule keeps the factor tables and one ${this.format.stride}-byte record per rating in one WebAssembly memory of at most 4 GiB; ` +
          `these ${ratings.length} ratings and ${numUsers} × ${numItems} rows of ${dim} factors need ${gib(bytes)} GiB; use schedule 'shuffle', fewer factors, or train on a sample`,
      );
    }
    if (module !== null) {
      this.memory = createSharedMemory(Math.max(1, Math.ceil(bytes / 65_536)));
      this.buffer = this.memory.buffer;
      this.kernels = instantiateSgdKernels(module, this.memory);
    } else {
      this.memory = null;
      this.buffer = new ArrayBuffer(bytes);
      this.kernels = null;
    }
    this.tableAddr = table;
    this.recAddr = rec;
    if (this.format.codes !== null) new Float32Array(this.buffer, table, this.format.codes.values.length).set(this.format.codes.values);
    this.views = {
      P: new Float32Array(this.buffer, p, numUsers * dim),
      Q: new Float32Array(this.buffer, q, numItems * dim),
      bu: new Float32Array(this.buffer, bu, numUsers),
      bi: new Float32Array(this.buffer, bi, numItems),
    };
    const numBlocks = grid * grid;
    this.offsets = new Int32Array(numBlocks + 1);
    buildSgdBlocks(userIds, itemIds, ratings, upb, ipb, grid, this.byUser, this.format, this.offsets,
      new Int32Array(this.buffer, rec, (this.format.stride / 4) * ratings.length));
    // Unsigned: addresses above 2 GiB stay positive here and wrap to the same i32 bits in wasm.
    this.blockArgs = new Uint32Array(new SharedArrayBuffer(4 * FIELDS * numBlocks));
    for (let b = 0; b < numBlocks; b++) {
      const row = Math.floor(b / grid);
      const col = b - row * grid;
      const u0 = Math.min(row * upb, numUsers);
      const i0 = Math.min(col * ipb, numItems);
      const a = this.blockArgs.subarray(b * FIELDS, (b + 1) * FIELDS);
      a[0] = rec + this.format.stride * this.offsets[b];
      a[1] = this.offsets[b + 1] - this.offsets[b];
      a[2] = p + u0 * dim * 4;
      a[3] = q + i0 * dim * 4;
      a[4] = bu + u0 * 4;
      a[5] = bi + i0 * 4;
      // The resident side: the one not sorted on.
      a[6] = this.byUser ? a[3] : a[2];
      a[7] = (this.byUser ? Math.min(ipb, numItems - i0) : Math.min(upb, numUsers - u0)) * dim * 4;
    }
    this.control = new SharedArrayBuffer(align16(32 + 4 * grid) + 64 + 8 * grid);
    this.ctl = new Int32Array(this.control, 0, 8);
    this.blocks = new Int32Array(this.control, 32, grid);
    this.par = new Float64Array(this.control, align16(32 + 4 * grid), 8);
    this.sse = new Float64Array(this.control, align16(32 + 4 * grid) + 64, grid);
  }

  /** The model's factor tables: views of this engine's memory, trained in place. */
  tables(): BlockSgdTables {
    return this.views;
  }

  /** Ratings in block `b` (`row·grid + col`). */
  blockSize(b: number): number {
    return this.offsets[b + 1] - this.offsets[b];
  }

  /** Bytes this engine holds: tables, rating codes and records. */
  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /**
   * Trains the blocks `blockIds` (which must share no block row and no block column).
   * @returns The sum of e² over the round, added in block order.
   */
  runRound(blockIds: Int32Array, step: BlockSgdStep): number {
    const count = blockIds.length;
    this.blocks.set(blockIds);
    const par = this.par;
    par[0] = step.mu;
    par[1] = step.lr;
    par[2] = step.lrBias;
    par[3] = step.reg;
    par[4] = step.regBias;
    par[5] = this.dim;
    const ctl = this.ctl;
    ctl[4] = count;
    if (this.threads > 1 && this.kernels !== null) {
      this.startWorkers();
      Atomics.store(ctl, 1, 0);
      Atomics.store(ctl, 2, 0);
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      for (let slot = Atomics.add(ctl, 1, 1); slot < count; slot = Atomics.add(ctl, 1, 1)) this.trainSlot(slot);
      const want = this.workers.length;
      for (let done = Atomics.load(ctl, 2); done < want; done = Atomics.load(ctl, 2)) Atomics.wait(ctl, 2, done);
    } else {
      for (let slot = 0; slot < count; slot++) this.trainSlot(slot);
    }
    let sum = 0;
    for (let slot = 0; slot < count; slot++) sum += this.sse[slot];
    return sum;
  }

  private trainSlot(slot: number): void {
    const { dim, par, format: f } = this;
    const a = this.blockArgs;
    const o = this.blocks[slot] * FIELDS;
    if (this.kernels !== null) {
      this.sse[slot] = this.kernels.block(
        a[o], a[o + 1], f.stride, f.ubits, f.ibits, this.tableAddr, a[o + 2], a[o + 3], a[o + 4], a[o + 5],
        dim, par[0], par[1], par[2], par[3], par[4], a[o + 6], a[o + 7], 16 * (MAX_THREADS - 1),
      );
    } else {
      const { P, Q, bu, bi } = this.views;
      const words = new Int32Array(this.buffer, this.recAddr);
      const floats = new Float32Array(this.buffer, this.recAddr);
      const start = (a[o] - this.recAddr) / f.stride;
      this.sse[slot] = sgdBlock(
        words, floats, f, start, a[o + 1],
        P, (a[o + 2] - P.byteOffset) / 4, Q, (a[o + 3] - Q.byteOffset) / 4,
        bu, (a[o + 4] - bu.byteOffset) / 4, bi, (a[o + 5] - bi.byteOffset) / 4,
        dim, par[0], par[1], par[2], par[3], par[4],
      );
    }
  }

  private startWorkers(): void {
    while (this.workers.length < this.threads - 1) {
      const f = this.format;
      const worker = new Worker(SGD_WORKER_SOURCE, {
        eval: true,
        workerData: {
          module: this.module, memory: this.memory, control: this.control, blockArgs: this.blockArgs.buffer,
          grid: this.grid, stride: f.stride, ubits: f.ubits, ibits: f.ibits, table: this.tableAddr,
          tid: this.workers.length, generation: Atomics.load(this.ctl, 0),
        },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Worker threads running now (`threads − 1` after a multi-threaded round, 0 after {@link stopWorkers}). */
  get numWorkers(): number {
    return this.workers.length;
  }

  /**
   * Ends the worker threads (they are started again by the next multi-threaded round).
   * @returns Resolves with the threads' exit codes once they have exited.
   */
  stopWorkers(): Promise<number[]> {
    const want = this.workers.length;
    if (want === 0) return Promise.resolve([]);
    const ctl = this.ctl;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 3, 1);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    // Wait for every worker to acknowledge, so none can mistake a later round for its own.
    for (let done = Atomics.load(ctl, 2); done < want; done = Atomics.load(ctl, 2)) Atomics.wait(ctl, 2, done);
    const exits = this.workers.map((w) => w.terminate());
    this.workers = [];
    Atomics.store(ctl, 3, 0);
    return Promise.all(exits);
  }
}

/**
 * 4-byte records when the local indices of `usersPerBlock` / `itemsPerBlock` rows leave room for a
 * code of every distinct rating (at most 4,096), else 8-byte records.
 * @returns The format.
 */
function recordFormat(ratings: Float32Array, usersPerBlock: number, itemsPerBlock: number): SgdRecordFormat {
  const ubits = bitsFor(usersPerBlock);
  const ibits = bitsFor(itemsPerBlock);
  const free = 32 - ubits - ibits;
  if (free >= 1) {
    const codes = buildRatingCodes(ratings, Math.min(MAX_CODES, 2 ** free));
    if (codes !== null) return { stride: 4, ubits, ibits, codes };
  }
  return { stride: 8, ubits: 16, ibits: 16, codes: null };
}
