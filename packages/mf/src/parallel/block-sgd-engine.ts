import { buildSgdBlocks, type SgdRecordFormat } from '../kernels/build-sgd-blocks.js';
import { buildRatingCodes } from '../kernels/rating-codes.js';
import { sgdBlock } from '../kernels/sgd-block.js';
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule, type SgdKernelExports, type WasmMemory } from '../wasm/sgd-kernels.js';
import { WasmJobPool } from './wasm-job-pool.js';
import { quiverError } from '@quiver/base';

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
  private readonly buffer: ArrayBufferLike;
  private readonly kernels: SgdKernelExports | null;
  private readonly views: BlockSgdTables;
  private readonly recAddr: number;
  private readonly tableAddr: number;
  private readonly offsets: Int32Array;
  private readonly blockArgs: Uint32Array;
  /** Runs the wasm `block` kernel for the blocks of a round (on worker threads when threads > 1). */
  private readonly pool: WasmJobPool | null;
  /** Per-block e² sums of the plain-loop path. */
  private readonly sse: Float64Array;

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
    threads: number,
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
    const table = align16(16 * MAX_THREADS);
    const p = align16(table + 4 * (this.format.codes?.values.length ?? 0));
    const q = align16(p + numUsers * dim * 4);
    const bu = align16(q + numItems * dim * 4);
    const bi = align16(bu + numUsers * 4);
    const rec = align16(bi + numItems * 4);
    const bytes = rec + this.format.stride * ratings.length;
    if (bytes > MAX_BYTES) {
      const gib = (b: number): string => (b / 2 ** 30).toFixed(2);
      throw quiverError('RangeError', { where: 'BiasedMF', what: `the 'blocks' schedule keeps the factor tables and one ${this.format.stride}-byte record per rating in one WebAssembly memory of at most 4 GiB; these ${ratings.length} ratings and ${numUsers} × ${numItems} rows of ${dim} factors need ${gib(bytes)} GiB; use solver { kind: 'sgd', schedule: 'shuffle' }, fewer factors, or train on a sample` });
    }
    let memory: WasmMemory | null = null;
    if (module !== null) {
      memory = createSharedMemory(Math.max(1, Math.ceil(bytes / 65_536)));
      this.buffer = memory.buffer;
      this.kernels = instantiateSgdKernels(module, memory);
    } else {
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
    // The `block` kernel's 19 arguments, its scratch word (argument 18) 16 bytes per thread.
    this.pool = module !== null && memory !== null ? new WasmJobPool(module, memory, this.kernels as object, ['block'], threads, grid, 19) : null;
    this.sse = new Float64Array(grid);
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
    const { dim, format: f, blockArgs: b, pool } = this;
    let sum = 0;
    if (pool !== null) {
      const a = pool.args;
      for (let slot = 0; slot < count; slot++) {
        const o = blockIds[slot] * FIELDS;
        const j = slot * 19;
        a[j] = b[o];
        a[j + 1] = b[o + 1];
        a[j + 2] = f.stride;
        a[j + 3] = f.ubits;
        a[j + 4] = f.ibits;
        a[j + 5] = this.tableAddr;
        a[j + 6] = b[o + 2];
        a[j + 7] = b[o + 3];
        a[j + 8] = b[o + 4];
        a[j + 9] = b[o + 5];
        a[j + 10] = dim;
        a[j + 11] = step.mu;
        a[j + 12] = step.lr;
        a[j + 13] = step.lrBias;
        a[j + 14] = step.reg;
        a[j + 15] = step.regBias;
        a[j + 16] = b[o + 6];
        a[j + 17] = b[o + 7];
        a[j + 18] = 0; // the thread's scratch word
      }
      pool.run(0, count, 19, { arg: 18, base: 0, stride: 16 });
      for (let slot = 0; slot < count; slot++) sum += pool.results[slot];
      return sum;
    }
    // Plain loops (no wasm SIMD, or dim not a multiple of 4): one thread.
    const { P, Q, bu, bi } = this.views;
    const words = new Int32Array(this.buffer, this.recAddr);
    const floats = new Float32Array(this.buffer, this.recAddr);
    for (let slot = 0; slot < count; slot++) {
      const o = blockIds[slot] * FIELDS;
      this.sse[slot] = sgdBlock(
        words, floats, f, (b[o] - this.recAddr) / f.stride, b[o + 1],
        P, (b[o + 2] - P.byteOffset) / 4, Q, (b[o + 3] - Q.byteOffset) / 4,
        bu, (b[o + 4] - bu.byteOffset) / 4, bi, (b[o + 5] - bi.byteOffset) / 4,
        dim, step.mu, step.lr, step.lrBias, step.reg, step.regBias,
      );
      sum += this.sse[slot];
    }
    return sum;
  }

  /** Worker threads running now (`threads − 1` after a multi-threaded round, 0 after {@link stopWorkers}). */
  get numWorkers(): number {
    return this.pool?.numWorkers ?? 0;
  }

  /**
   * Ends the worker threads (they are started again by the next multi-threaded round).
   * @returns Resolves with the threads' exit codes once they have exited.
   */
  stopWorkers(): Promise<number[]> {
    return this.pool === null ? Promise.resolve([]) : this.pool.stop();
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
