import { Worker } from 'node:worker_threads';
import { buildSgdBlocks } from '../kernels/build-sgd-blocks.js';
import { sgdBlock } from '../kernels/sgd-block.js';
import { shuffleRecords } from '../kernels/shuffle-records.js';
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule, type SgdKernelExports, type WasmMemory, type WasmModule } from '../wasm/sgd-kernels.js';
import { SGD_WORKER_SOURCE } from './sgd-worker-source.js';

/** Byte addresses of the tables in the engine's memory (all 16-byte aligned). */
export interface BlockSgdLayout {
  readonly p: number;
  readonly q: number;
  readonly bu: number;
  readonly bi: number;
  readonly rec: number;
  readonly usersPerBlock: number;
  readonly itemsPerBlock: number;
}

/** Hyper-parameters of one round. */
export interface BlockSgdStep {
  readonly mu: number;
  readonly lr: number;
  readonly lrBias: number;
  readonly reg: number;
  readonly regBias: number;
}

const MAX_THREADS = 16;
const align16 = (n: number): number => (n + 15) & ~15;

/**
 * LIBMF-style block SGD for biased MF over tables held in one (shared) memory.
 *
 * Users and items are renumbered by a seeded permutation (which spreads popular items over the
 * grid) and cut into `grid` ranges each; the ratings are bucketed once into the `grid²` blocks as
 * 8-byte records (`buildSgdBlocks`). The model's factor tables are copied in, in permuted row
 * order, by {@link loadTables} and back by {@link storeTables}, so each block's rows are contiguous
 * and fit in cache. A round trains `grid` blocks that share no user and no item range, so they
 * can run concurrently with no races and the result does not depend on which thread trains
 * which block: `threads = 1` and `threads = 2` give bit-identical tables.
 *
 * Kernels: the wasm SIMD module when the engine supports it and `dim` is a positive multiple of
 * 4, else the plain loops (`sgdBlock`, `shuffleRecords`; one thread only).
 * Owns `threads − 1` worker threads (started on first use, `unref`'d, ended by {@link stopWorkers}).
 */
export class BlockSgdEngine {
  /** Blocks per side. */
  readonly grid: number;
  /** Whether the wasm SIMD kernels run (else the plain loops). */
  readonly simd: boolean;
  readonly layout: BlockSgdLayout;
  private readonly memory: WasmMemory | null;
  private readonly buffer: ArrayBufferLike;
  private readonly kernels: SgdKernelExports | null;
  private readonly module: WasmModule | null;
  private readonly offsets: Int32Array;
  private readonly userOrder: Int32Array;
  private readonly itemOrder: Int32Array;
  private readonly control: SharedArrayBuffer;
  private readonly ctl: Int32Array;
  private readonly blocks: Int32Array;
  private readonly seeds: Int32Array;
  private readonly par: Float64Array;
  private readonly sse: Float64Array;
  private readonly scratch = new Int32Array(1);
  private workers: Worker[] = [];

  /**
   * @param userOrder - A permutation of the users (`userOrder[j]` is the user at position `j`).
   * @param itemOrder - A permutation of the items.
   * @param threads - Threads per round, including the calling one (1–16); more than 1 needs SIMD.
   */
  constructor(
    userIds: Int32Array,
    itemIds: Int32Array,
    ratings: Float32Array,
    userOrder: Int32Array,
    itemOrder: Int32Array,
    private readonly dim: number,
    grid: number,
    private readonly threads: number,
  ) {
    const numUsers = userOrder.length;
    const numItems = itemOrder.length;
    this.grid = grid;
    this.userOrder = userOrder;
    this.itemOrder = itemOrder;
    const usersPerBlock = Math.max(1, Math.ceil(numUsers / grid));
    const itemsPerBlock = Math.max(1, Math.ceil(numItems / grid));
    const module = dim > 0 && dim % 4 === 0 ? sgdKernelsModule() : null;
    this.simd = module !== null;
    this.module = module;
    // Rows padded to whole blocks so block addresses are uniform.
    const p = align16(16 * MAX_THREADS);
    const q = align16(p + usersPerBlock * grid * dim * 4);
    const bu = align16(q + itemsPerBlock * grid * dim * 4);
    const bi = align16(bu + usersPerBlock * grid * 4);
    const rec = align16(bi + itemsPerBlock * grid * 4);
    const bytes = rec + 8 * ratings.length;
    this.layout = { p, q, bu, bi, rec, usersPerBlock, itemsPerBlock };
    if (module !== null) {
      const pages = Math.max(1, Math.ceil(bytes / 65_536));
      this.memory = createSharedMemory(pages);
      this.buffer = this.memory.buffer;
      this.kernels = instantiateSgdKernels(module, this.memory);
    } else {
      this.memory = null;
      this.buffer = new ArrayBuffer(bytes);
      this.kernels = null;
    }
    const userPos = new Int32Array(numUsers);
    for (let j = 0; j < numUsers; j++) userPos[userOrder[j]] = j;
    const itemPos = new Int32Array(numItems);
    for (let j = 0; j < numItems; j++) itemPos[itemOrder[j]] = j;
    this.offsets = new Int32Array(new SharedArrayBuffer(4 * (grid * grid + 1)));
    buildSgdBlocks(
      userIds, itemIds, ratings, userPos, itemPos, usersPerBlock, itemsPerBlock, grid, this.offsets,
      new Int32Array(this.buffer, rec, 2 * ratings.length), new Float32Array(this.buffer, rec, 2 * ratings.length),
    );
    this.control = new SharedArrayBuffer(96 + 16 * grid);
    this.ctl = new Int32Array(this.control, 0, 8);
    this.blocks = new Int32Array(this.control, 32, grid);
    this.seeds = new Int32Array(this.control, 32 + 4 * grid, grid);
    this.par = new Float64Array(this.control, 32 + 8 * grid, 8);
    this.sse = new Float64Array(this.control, 96 + 8 * grid, grid);
  }

  /** Ratings in block `b` (`row·grid + col`). */
  blockSize(b: number): number {
    return this.offsets[b + 1] - this.offsets[b];
  }

  /** Copies the model's tables in (row `u` of `P` to position `userPos[u]`). */
  loadTables(P: Float32Array, Q: Float32Array, bu: Float32Array, bi: Float32Array): void {
    this.copyTables(P, Q, bu, bi, true);
  }

  /** Copies the tables back out to the model's arrays (the inverse of {@link loadTables}). */
  storeTables(P: Float32Array, Q: Float32Array, bu: Float32Array, bi: Float32Array): void {
    this.copyTables(P, Q, bu, bi, false);
  }

  private copyTables(P: Float32Array, Q: Float32Array, bu: Float32Array, bi: Float32Array, load: boolean): void {
    const { dim, layout: l, buffer } = this;
    const wp = new Float32Array(buffer, l.p, this.userOrder.length * dim);
    const wq = new Float32Array(buffer, l.q, this.itemOrder.length * dim);
    const wbu = new Float32Array(buffer, l.bu, this.userOrder.length);
    const wbi = new Float32Array(buffer, l.bi, this.itemOrder.length);
    permuteRows(this.userOrder, dim, P, wp, bu, wbu, load);
    permuteRows(this.itemOrder, dim, Q, wq, bi, wbi, load);
  }

  /**
   * Trains the blocks `blockIds` (which must share no block row and no block column), block
   * `blockIds[s]` shuffled with seed `seeds[s]` before its pass.
   * @returns The sum of e² over the round, added in block order.
   */
  runRound(blockIds: Int32Array, seeds: Int32Array, step: BlockSgdStep): number {
    const count = blockIds.length;
    this.blocks.set(blockIds);
    this.seeds.set(seeds);
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
    const { grid, dim, layout: l, par } = this;
    const b = this.blocks[slot];
    const row = Math.floor(b / grid);
    const col = b - row * grid;
    const start = this.offsets[b];
    const count = this.offsets[b + 1] - start;
    const uOff = row * l.usersPerBlock;
    const iOff = col * l.itemsPerBlock;
    if (this.kernels !== null) {
      this.sse[slot] = this.kernels.block(
        l.rec + 8 * start, count, l.p + uOff * dim * 4, l.q + iOff * dim * 4, l.bu + uOff * 4, l.bi + iOff * 4,
        dim, par[0], par[1], par[2], par[3], par[4], this.seeds[slot], 16 * (MAX_THREADS - 1),
      );
    } else {
      const rec = new Int32Array(this.buffer, l.rec, 2 * (this.offsets[grid * grid]));
      const recF = new Float32Array(this.buffer, l.rec, 2 * (this.offsets[grid * grid]));
      shuffleRecords(rec, start, count, this.seeds[slot], this.scratch);
      const nu = l.usersPerBlock * grid;
      const ni = l.itemsPerBlock * grid;
      this.sse[slot] = sgdBlock(
        rec, recF, start, count,
        new Float32Array(this.buffer, l.p, nu * dim), uOff * dim, new Float32Array(this.buffer, l.q, ni * dim), iOff * dim,
        new Float32Array(this.buffer, l.bu, nu), uOff, new Float32Array(this.buffer, l.bi, ni), iOff,
        dim, par[0], par[1], par[2], par[3], par[4],
      );
    }
  }

  private startWorkers(): void {
    while (this.workers.length < this.threads - 1) {
      const worker = new Worker(SGD_WORKER_SOURCE, {
        eval: true,
        workerData: {
          module: this.module, memory: this.memory, control: this.control, offsets: this.offsets.buffer,
          grid: this.grid, layout: this.layout, tid: this.workers.length, generation: Atomics.load(this.ctl, 0),
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

/** `wide[pos] = rows[order[pos]]` (load) or the reverse (store), for factor rows and biases. */
function permuteRows(order: Int32Array, dim: number, rows: Float32Array, wide: Float32Array, bias: Float32Array,
  wideBias: Float32Array, load: boolean): void {
  for (let j = 0; j < order.length; j++) {
    const src = order[j];
    if (load) {
      wide.set(rows.subarray(src * dim, src * dim + dim), j * dim);
      wideBias[j] = bias[src];
    } else {
      rows.set(wide.subarray(j * dim, j * dim + dim), src * dim);
      bias[src] = wideBias[j];
    }
  }
}
