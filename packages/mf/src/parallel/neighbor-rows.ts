import type { MessagePort, Worker } from 'node:worker_threads';
import { quiverError } from '@quiver/base';
import { workerThreads } from '../node-builtin.js';
import { neighborScratch, neighborTopK, SIM_RATIO, SIM_TANIMOTO } from '../kernels/neighbor-top-k.js';
import { selectTopK, siftDown } from '../kernels/top-k.js';

/** The inputs of {@link neighborTopK} for every row (see that kernel for their meaning). */
export interface NeighborProblem {
  readonly rowPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly leftVal: Float32Array;
  readonly midPtr: Int32Array;
  readonly midIdx: Int32Array;
  readonly rightVal: Float32Array;
  readonly numRows: number;
  readonly mode: number;
  readonly rowNorm: Float64Array;
  readonly colNorm: Float64Array;
  readonly shrink: number;
  readonly k: number;
}

/** Rows per job: small enough that threads finish together although rows differ in cost. */
export const NEIGHBOR_CHUNK = 64;

/**
 * {@link neighborTopK} over every row on `threads` threads (the calling one plus `threads − 1`
 * workers), rows taken in chunks of {@link NEIGHBOR_CHUNK} off a shared counter, into
 * `outIds` / `outSims` (`numRows · k`). Every row is computed alone from the same inputs, so the
 * result is bit-identical for every thread count. The workers get the inputs and write the
 * outputs in SharedArrayBuffers (one copy each way), run the kernels' source text, and are
 * ended before this returns; it blocks the calling thread until every row is done.
 * @param threads - Threads in all, 1–16 (1: the kernel on this thread, no copies).
 * @param callerWorks - Whether the calling thread takes chunks too (false only in tests, so
 *   that the workers compute every row).
 * @throws {Error} when a worker fails (with its error).
 * @example
 * neighborRows({ rowPtr, rowIdx, leftVal, midPtr, midIdx, rightVal, numRows, mode, rowNorm, colNorm, shrink, k }, ids, sims, 2);
 */
export function neighborRows(p: NeighborProblem, outIds: Int32Array, outSims: Float32Array, threads: number, callerWorks = true): void {
  const numChunks = Math.ceil(p.numRows / NEIGHBOR_CHUNK);
  const workers = Math.min(threads, numChunks) - 1;
  if (workers <= 0) {
    neighborTopK(p.rowPtr, p.rowIdx, p.leftVal, p.midPtr, p.midIdx, p.rightVal, 0, p.numRows, p.mode, p.rowNorm, p.colNorm, p.shrink, p.k, outIds, outSims, neighborScratch(p.numRows));
    return;
  }
  const share = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
    const Ctor = a.constructor as new (b: SharedArrayBuffer, o: number, n: number) => T;
    const out = new Ctor(new SharedArrayBuffer(Math.max(8, a.byteLength)), 0, a.length);
    out.set(a as never);
    return out;
  };
  const shared: NeighborProblem = {
    ...p,
    rowPtr: share(p.rowPtr), rowIdx: share(p.rowIdx), leftVal: share(p.leftVal),
    midPtr: share(p.midPtr), midIdx: share(p.midIdx), rightVal: share(p.rightVal),
    rowNorm: share(p.rowNorm), colNorm: share(p.colNorm),
  };
  const ids = new Int32Array(new SharedArrayBuffer(Math.max(4, outIds.byteLength)), 0, outIds.length);
  const sims = new Float32Array(new SharedArrayBuffer(Math.max(4, outSims.byteLength)), 0, outSims.length);
  // ctl[0]: next chunk; ctl[1]: workers done; ctl[2]: workers failed.
  const ctl = new Int32Array(new SharedArrayBuffer(12));
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads('neighborRows');
  const started: Worker[] = [];
  const ports: MessagePort[] = [];
  try {
    for (let t = 0; t < workers; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { p: shared, ids, sims, ctl, chunk: NEIGHBOR_CHUNK, numChunks, port: port2 }, transferList: [port2] });
      worker.unref();
      started.push(worker);
      ports.push(port1);
    }
    const scratch = neighborScratch(callerWorks ? p.numRows : 0);
    for (let c = callerWorks ? Atomics.add(ctl, 0, 1) : numChunks; c < numChunks; c = Atomics.add(ctl, 0, 1)) {
      const start = c * NEIGHBOR_CHUNK;
      const end = Math.min(p.numRows, start + NEIGHBOR_CHUNK);
      neighborTopK(shared.rowPtr, shared.rowIdx, shared.leftVal, shared.midPtr, shared.midIdx, shared.rightVal, start, end, p.mode, shared.rowNorm, shared.colNorm, p.shrink, p.k, ids, sims, scratch);
    }
    for (let done = Atomics.load(ctl, 1); done < workers; done = Atomics.load(ctl, 1)) Atomics.wait(ctl, 1, done);
    if (Atomics.load(ctl, 2) > 0) {
      const error = ports.map((port) => receiveMessageOnPort(port)?.message as string | undefined).find((m) => m !== undefined);
      throw quiverError('Error', { where: 'neighborRows', what: `a worker thread failed: ${error ?? 'it gave no reason'}` });
    }
  } finally {
    for (const port of ports) port.close();
    for (const w of started) void w.terminate();
  }
  outIds.set(ids);
  outSims.set(sims);
}

/**
 * A function's source text with its calls to the other kernels made plain calls: a module
 * transform (a bundler, vitest) may write an imported `selectTopK(…)` as `ns.selectTopK(…)`,
 * and the worker defines every kernel at its top level.
 */
function plainSource(f: (...args: never[]) => unknown): string {
  return f.toString().replace(/[A-Za-z_$][\w$]*\.(selectTopK|siftDown|neighborScratch|neighborTopK)\b/g, '$1');
}

/**
 * A worker: the kernels' source text, then a loop taking chunks off `ctl[0]`; it counts itself
 * done in `ctl[1]` whatever happens, and on an error posts it on its port and counts it in `ctl[2]`.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const SIM_RATIO = ${SIM_RATIO};
const SIM_TANIMOTO = ${SIM_TANIMOTO};
${[selectTopK, siftDown, neighborScratch, neighborTopK].map(plainSource).join('\n')}
const { p, ids, sims, ctl, chunk, numChunks, port } = workerData;
try {
  const scratch = neighborScratch(p.numRows);
  for (let c = Atomics.add(ctl, 0, 1); c < numChunks; c = Atomics.add(ctl, 0, 1)) {
    const start = c * chunk;
    const end = Math.min(p.numRows, start + chunk);
    neighborTopK(p.rowPtr, p.rowIdx, p.leftVal, p.midPtr, p.midIdx, p.rightVal, start, end, p.mode, p.rowNorm, p.colNorm, p.shrink, p.k, ids, sims, scratch);
  }
} catch (e) {
  port.postMessage(String((e && e.stack) || e));
  Atomics.add(ctl, 2, 1);
} finally {
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
}
`;
