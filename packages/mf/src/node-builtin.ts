import { quiverError } from '@quiver/base';

/** The part of Node's global `process` used here (absent in a browser). */
interface BuiltinHost {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * A Node builtin module (`'node:os'`, `'node:worker_threads'`) looked up at run time through
 * `process.getBuiltinModule` (Node ≥ 20.16), or `null` where there is none (a browser, an older
 * Node). No static `import` of a `node:` module is involved, so a module that needs a builtin on
 * one path only (worker threads when `threads > 1`, the machine's memory for a default budget)
 * stays importable in a browser; the caller decides what to do without it.
 * @param id - The builtin's name with its `node:` prefix.
 * @returns The module, or null.
 * @example
 * const os = nodeBuiltin<typeof import('node:os')>('node:os');
 * os?.totalmem(); // bytes in Node, undefined in a browser
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | null {
  const host = (globalThis as { process?: BuiltinHost }).process;
  return typeof host?.getBuiltinModule === 'function' ? (host.getBuiltinModule(id) as T) : null;
}

/**
 * Node's `worker_threads`, for the code paths that start worker threads (`threads > 1`).
 * @param where - Prefix of the error message (the public function that needs threads).
 * @returns The module.
 * @throws {Error} where there is no `process.getBuiltinModule` (a browser, Node < 20.16): threads
 *   need Node; `threads: 1` runs everything on the calling thread.
 * @example
 * const { Worker } = workerThreads('SLIM.fit');
 */
export function workerThreads(where: string): typeof import('node:worker_threads') {
  const wt = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  if (wt === null) {
    throw quiverError('Error', { where, what: 'threads > 1 needs worker threads: Node ≥ 20.16 (process.getBuiltinModule), not found in this engine', tail: '; use threads: 1' });
  }
  return wt;
}
