import type { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from '../wasm/sgd-kernels.js';
import { quiverError } from '@quiver/base';
import { workerThreads } from '../node-builtin.js';

const MAX_THREADS = 16;

/** Where each thread's scratch space starts: argument `arg` of every job becomes `base + thread·stride`. */
export interface JobScratch {
  readonly arg: number;
  readonly base: number;
  readonly stride: number;
}

/**
 * Runs batches of calls ("jobs") to one export of a wasm module, on the calling thread plus
 * `threads − 1` worker threads that instantiate the same module on the same shared memory. The
 * caller writes each job's arguments into {@link args} (row `j`, `numArgs` numbers), calls
 * {@link run}, and reads each job's return value from {@link results}. Jobs are taken off an
 * atomic counter, so which thread runs which job varies; the caller must only submit jobs that
 * touch disjoint memory (apart from reads), and then the result does not depend on the thread
 * count. Workers start on the first multi-threaded run, are `unref`'d, and end with {@link stop}.
 *
 * @example
 * const pool = new WasmJobPool(module, memory, exports, ['cgSweep'], 2, 1024, 11);
 * pool.args.set([...], 0); pool.run(0, 1, 11, null); pool.results[0];
 */
export class WasmJobPool {
  /** Row-major `maxJobs × maxArgs` job arguments (shared with the workers). */
  readonly args: Float64Array;
  /** The return value of each job of the last run (0 for a function without one). */
  readonly results: Float64Array;
  private readonly control: SharedArrayBuffer;
  private readonly ctl: Int32Array;
  private readonly par: Float64Array;
  private readonly argv: number[] = [];
  private workers: Worker[] = [];

  /**
   * @param exports - The module's exports instantiated on `memory`, for the calling thread.
   * @param names - The exports jobs may call, by index.
   * @param threads - Threads per run, including the calling one (1–16).
   */
  constructor(
    private readonly module: WasmModule,
    private readonly memory: WasmMemory,
    private readonly exports: object,
    private readonly names: readonly string[],
    private readonly threads: number,
    readonly maxJobs: number,
    readonly maxArgs: number,
  ) {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw quiverError('RangeError', { where: 'WasmJobPool', what: `threads must be an integer in [1, ${MAX_THREADS}]`, got: String(threads) });
    }
    this.args = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxJobs * maxArgs)));
    this.results = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, maxJobs)));
    this.control = new SharedArrayBuffer(64);
    this.ctl = new Int32Array(this.control, 0, 8);
    this.par = new Float64Array(this.control, 32, 2);
  }

  /**
   * Runs jobs `0 … jobs − 1`: `names[fn](args[j·numArgs …])` each, with the scratch argument
   * replaced per thread. Returns when every job is done.
   */
  run(fn: number, jobs: number, numArgs: number, scratch: JobScratch | null): void {
    const ctl = this.ctl;
    ctl[4] = jobs;
    ctl[5] = fn;
    ctl[6] = numArgs;
    ctl[7] = scratch === null ? -1 : scratch.arg;
    this.par[0] = scratch?.base ?? 0;
    this.par[1] = scratch?.stride ?? 0;
    const f = (this.exports as Record<string, (...a: number[]) => unknown>)[this.names[fn]];
    if (this.threads > 1 && jobs > 1) {
      this.startWorkers();
      Atomics.store(ctl, 1, 0);
      Atomics.store(ctl, 2, 0);
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
      // The calling thread is thread `threads − 1` (workers are 0 … threads − 2).
      for (let j = Atomics.add(ctl, 1, 1); j < jobs; j = Atomics.add(ctl, 1, 1)) this.runJob(f, j, numArgs, this.threads - 1);
      const want = this.workers.length;
      for (let done = Atomics.load(ctl, 2); done < want; done = Atomics.load(ctl, 2)) Atomics.wait(ctl, 2, done);
    } else {
      for (let j = 0; j < jobs; j++) this.runJob(f, j, numArgs, this.threads - 1);
    }
  }

  private runJob(f: (...a: number[]) => unknown, j: number, numArgs: number, thread: number): void {
    const argv = this.argv;
    argv.length = numArgs;
    for (let a = 0; a < numArgs; a++) argv[a] = this.args[j * numArgs + a];
    if (this.ctl[7] >= 0) argv[this.ctl[7]] = this.par[0] + thread * this.par[1];
    const r = f(...argv);
    this.results[j] = typeof r === 'number' ? r : 0;
  }

  private startWorkers(): void {
    while (this.workers.length < this.threads - 1) {
      const { Worker } = workerThreads('WasmJobPool');
      const worker = new Worker(JOB_WORKER_SOURCE, {
        eval: true,
        workerData: {
          module: this.module, memory: this.memory, control: this.control, args: this.args.buffer, results: this.results.buffer,
          names: this.names, tid: this.workers.length, generation: Atomics.load(this.ctl, 0),
        },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Worker threads running now (`threads − 1` after a multi-threaded run, 0 after {@link stop}). */
  get numWorkers(): number {
    return this.workers.length;
  }

  /**
   * Ends the worker threads (a later multi-threaded run starts them again).
   * @returns Resolves with their exit codes once they have exited.
   */
  stop(): Promise<number[]> {
    const want = this.workers.length;
    if (want === 0) return Promise.resolve([]);
    const ctl = this.ctl;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 3, 1);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    // Wait for every worker to acknowledge, so none can mistake a later run for its own.
    for (let done = Atomics.load(ctl, 2); done < want; done = Atomics.load(ctl, 2)) Atomics.wait(ctl, 2, done);
    const exits = this.workers.map((w) => w.terminate());
    this.workers = [];
    Atomics.store(ctl, 3, 0);
    return Promise.all(exits);
  }
}

/**
 * Source of a {@link WasmJobPool} worker (run with `eval: true`, so no file is needed next to the
 * compiled package): for each run (a bump of `ctl[0]`) it takes jobs off `ctl[1]`, calls the
 * export `names[ctl[5]]` with the job's `ctl[6]` arguments (argument `ctl[7]`, when ≥ 0, replaced
 * by its scratch address), stores the return value, and reports with `ctl[2]`; `ctl[3] ≠ 0` makes
 * it acknowledge and return.
 */
const JOB_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, args: argsBuf, results: resultsBuf, names, tid, generation } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control, 0, 8);
const par = new Float64Array(control, 32, 2);
const args = new Float64Array(argsBuf);
const results = new Float64Array(resultsBuf);
const argv = [];
let seen = generation;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  if (Atomics.load(ctl, 3) !== 0) {
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
    break;
  }
  const f = k[names[ctl[5]]];
  const jobs = ctl[4];
  const numArgs = ctl[6];
  const scratchArg = ctl[7];
  argv.length = numArgs;
  for (let j = Atomics.add(ctl, 1, 1); j < jobs; j = Atomics.add(ctl, 1, 1)) {
    for (let a = 0; a < numArgs; a++) argv[a] = args[j * numArgs + a];
    if (scratchArg >= 0) argv[scratchArg] = par[0] + tid * par[1];
    const r = f(...argv);
    results[j] = typeof r === 'number' ? r : 0;
  }
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
}
`;
