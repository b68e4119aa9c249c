import type { MessagePort, Worker } from 'node:worker_threads';
import { quiverError } from '@quiver/base';
import { workerThreads } from '../node-builtin.js';
import { slimColumn, slimScratch, slimSweep, type SlimScratch } from '../kernels/slim-elastic-net.js';

/** The ElasticNet problems of SLIM over a binary matrix (see `slimColumn`). */
export interface SlimProblem {
  /** Item → users (the transpose of `userPtr` / `userItems`), `numItems + 1` offsets. */
  readonly itemPtr: Int32Array;
  /** The users of each item, ascending. */
  readonly itemUsers: Int32Array;
  /** User → items, `numUsers + 1` offsets. */
  readonly userPtr: Int32Array;
  /** The items of each user, ascending. */
  readonly userItems: Int32Array;
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** L1 weight. */
  readonly l1: number;
  /** L2 weight. */
  readonly l2: number;
  /** Non-negative weights. */
  readonly positive: boolean;
  /** Full sweeps per column at most. */
  readonly maxIterations: number;
  /** Relative change that ends a column's sweeps. */
  readonly tolerance: number;
}

/** The solved weight matrix by columns: column `i` holds the `j` with `W[j, i] ≠ 0`. */
export interface SlimColumns {
  /** `numItems + 1` offsets into `rows` / `values`. */
  readonly indptr: Int32Array;
  /** The row `j` of each entry (in the order the column's sweeps visited them). */
  readonly rows: Int32Array;
  /** `W[j, i]`. */
  readonly values: Float32Array;
}

/** Items per job: small enough to balance threads over items of very different cost. */
export const SLIM_CHUNK = 32;

/** One chunk's columns: counts per item, then the entries. */
interface ChunkResult {
  readonly chunk: number;
  readonly counts: Int32Array;
  readonly rows: Int32Array;
  readonly values: Float32Array;
}

/** The kernel functions a chunk needs, passed in so the chunk solver's source refers to no import. */
interface SlimKernels {
  readonly slimColumn: typeof slimColumn;
}

/**
 * Solves the columns of chunk `chunk` (items `chunk · SLIM_CHUNK …`) into growing arrays. Runs on
 * the calling thread and, as source text, in the workers: it must refer only to its parameters.
 */
function solveChunk(k: SlimKernels, p: SlimProblem, chunkSize: number, chunk: number, s: SlimScratch): ChunkResult {
  const start = chunk * chunkSize;
  const end = Math.min(p.numItems, start + chunkSize);
  const counts = new Int32Array(end - start);
  let rows = new Int32Array(Math.max(1024, 2 * p.numItems));
  let values = new Float32Array(rows.length);
  let used = 0;
  for (let i = start; i < end; i++) {
    if (rows.length - used < p.numItems) {
      const r2 = new Int32Array(2 * rows.length + p.numItems);
      r2.set(rows.subarray(0, used));
      const v2 = new Float32Array(r2.length);
      v2.set(values.subarray(0, used));
      rows = r2;
      values = v2;
    }
    const c = k.slimColumn(p.itemPtr, p.itemUsers, p.userPtr, p.userItems, i, p.l1, p.l2, p.positive, p.maxIterations, p.tolerance, s, rows, values, used);
    counts[i - start] = c;
    used += c;
  }
  return { chunk, counts, rows: rows.slice(0, used), values: values.slice(0, used) };
}

/**
 * Solves every column of SLIM's weight matrix, the items split into chunks of
 * {@link SLIM_CHUNK} that `threads` threads (the calling one plus `threads − 1` worker threads)
 * take off a shared counter. Each column is solved alone from the same inputs, and the chunks
 * are put back in item order, so the result is bit-identical for every thread count. The
 * workers get the matrix in SharedArrayBuffers (one copy), run the kernel's source text, send
 * their chunks back, and are ended before this returns. Blocks the calling thread until done.
 *
 * @param threads - Threads in all, 1–16 (1: no workers).
 * @returns The columns of `W`.
 * @throws {Error} when a worker fails (with its error).
 * @example
 * const w = solveSlimColumns({ itemPtr, itemUsers, userPtr, userItems, numUsers, numItems, l1: 1, l2: 10, positive: true, maxIterations: 100, tolerance: 1e-4 }, 2);
 */
export function solveSlimColumns(p: SlimProblem, threads: number): SlimColumns {
  const numChunks = Math.ceil(p.numItems / SLIM_CHUNK);
  const results: ChunkResult[] = new Array(numChunks);
  const kernels: SlimKernels = { slimColumn };
  const workers = Math.min(threads, numChunks) - 1;
  if (workers <= 0) {
    const s = slimScratch(p.numUsers, p.numItems);
    for (let c = 0; c < numChunks; c++) results[c] = solveChunk(kernels, p, SLIM_CHUNK, c, s);
    return merge(results, p.numItems);
  }
  const share = (a: Int32Array): Int32Array => {
    const out = new Int32Array(new SharedArrayBuffer(Math.max(4, a.byteLength)), 0, a.length);
    out.set(a);
    return out;
  };
  const shared: SlimProblem = { ...p, itemPtr: share(p.itemPtr), itemUsers: share(p.itemUsers), userPtr: share(p.userPtr), userItems: share(p.userItems) };
  // ctl[0]: next chunk; ctl[1]: workers done.
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads('SLIM.fit');
  const ports: MessagePort[] = [];
  const started: Worker[] = [];
  try {
    for (let t = 0; t < workers; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { problem: shared, chunkSize: SLIM_CHUNK, numChunks, ctl, port: port2 }, transferList: [port2] });
      worker.unref();
      started.push(worker);
      ports.push(port1);
    }
    const s = slimScratch(p.numUsers, p.numItems);
    for (let c = Atomics.add(ctl, 0, 1); c < numChunks; c = Atomics.add(ctl, 0, 1)) results[c] = solveChunk(kernels, shared, SLIM_CHUNK, c, s);
    for (let done = Atomics.load(ctl, 1); done < workers; done = Atomics.load(ctl, 1)) Atomics.wait(ctl, 1, done);
    for (const port of ports) {
      const message = receiveMessageOnPort(port)?.message as { results: ChunkResult[]; error: string | null } | undefined;
      if (message === undefined || message.error !== null) {
        throw quiverError('Error', { where: 'SLIM.fit', what: `a worker thread failed: ${message?.error ?? 'it sent no result'}` });
      }
      for (const r of message.results) results[r.chunk] = r;
    }
  } finally {
    for (const port of ports) port.close();
    for (const w of started) void w.terminate();
  }
  return merge(results, p.numItems);
}

function merge(results: ChunkResult[], numItems: number): SlimColumns {
  const indptr = new Int32Array(numItems + 1);
  let total = 0;
  let i = 0;
  for (const r of results) {
    for (let t = 0; t < r.counts.length; t++, i++) {
      total += r.counts[t];
      indptr[i + 1] = total;
    }
  }
  const rows = new Int32Array(total);
  const values = new Float32Array(total);
  for (const r of results) {
    rows.set(r.rows, indptr[r.chunk * SLIM_CHUNK]);
    values.set(r.values, indptr[r.chunk * SLIM_CHUNK]);
  }
  return { indptr, rows, values };
}

/**
 * A worker: the kernels' and the chunk solver's source text, then a loop taking chunks off
 * `ctl[0]`; it posts its chunks (or its error) on its port, then counts itself done in `ctl[1]`.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${slimScratch.toString()}
${slimSweep.toString()}
${slimColumn.toString()}
${solveChunk.toString()}
const { problem, chunkSize, numChunks, ctl, port } = workerData;
const results = [];
let error = null;
try {
  const s = slimScratch(problem.numUsers, problem.numItems);
  const kernels = { slimColumn };
  for (let c = Atomics.add(ctl, 0, 1); c < numChunks; c = Atomics.add(ctl, 0, 1)) results.push(solveChunk(kernels, problem, chunkSize, c, s));
} catch (e) {
  error = String((e && e.stack) || e);
}
try {
  port.postMessage({ results, error }, results.flatMap((r) => [r.counts.buffer, r.rows.buffer, r.values.buffer]));
} catch (e) {
  port.postMessage({ results: [], error: String((e && e.stack) || e) });
}
Atomics.add(ctl, 1, 1);
Atomics.notify(ctl, 1);
`;
