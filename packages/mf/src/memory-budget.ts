import { QuiverRangeError, describeValue, quiverError } from '@quiver/base';
import { nodeBuiltin } from './node-builtin.js';

/** What training a model on data of a given shape would allocate, by part, in bytes. */
export interface MemoryEstimate {
  /** The sum of `parts`. */
  readonly bytes: number;
  /** Bytes per part, such as `{ 'factor tables': 41e6, 'optimizer state': 82e6 }`. */
  readonly parts: Readonly<Record<string, number>>;
}

/** The sizes a memory estimate depends on. */
export interface DataShape {
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** Number of training interactions. */
  readonly numInteractions: number;
}

/**
 * The default memory budget of training: half of this machine's memory (`os.totalmem() / 2`),
 * or `Infinity` (no limit) where the machine's memory is unknown: a browser, or Node < 20.16
 * (`os` is looked up at run time so that this module imports in a browser).
 * @example
 * defaultMemoryBudget(); // 12884901888 on a 24 GiB machine
 */
export function defaultMemoryBudget(): number {
  const os = nodeBuiltin<typeof import('node:os')>('node:os');
  return os === null ? Infinity : Math.floor(os.totalmem() / 2);
}

/**
 * Bytes for humans, in binary units: `1536` → `'1.5 KiB'`.
 * @example
 * formatBytes(4.1e9); // '3.8 GiB'
 */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** Checks a `maxMemory` option: a number of bytes > 0 (Infinity allowed: no limit). */
export function checkMaxMemory(where: string, value: unknown): number {
  if (value === undefined) return defaultMemoryBudget();
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw quiverError(typeof value === 'number' ? 'RangeError' : 'TypeError', { where, what: 'maxMemory must be a number of bytes > 0', got: describeValue(value) });
  }
  return value;
}

/**
 * Thrown before any allocation when training would need more memory than the budget
 * (`maxMemory`). Carries the estimate and the budget, so a command line can phrase its own
 * advice (its flags) without parsing the message.
 * @example
 * try { model.fit(data, { maxMemory: 1e9 }); }
 * catch (e) { if (e instanceof MemoryBudgetError) console.log(formatBytes(e.estimate.bytes)); }
 */
export class MemoryBudgetError extends QuiverRangeError {
  /** Always `'MemoryBudgetError'`. */
  override readonly name: string = 'MemoryBudgetError';
  /** What training would allocate. */
  readonly estimate: MemoryEstimate;
  /** The budget in bytes. */
  readonly budget: number;

  /**
   * @param advice - What would make training fit, as the model knows it (such as `'use fewer
   *   factors'`); `'or raise maxMemory'` follows.
   */
  constructor(where: string, estimate: MemoryEstimate, budget: number, shape: DataShape, advice = 'use fewer factors') {
    const parts = Object.keys(estimate.parts)
      .filter((k) => estimate.parts[k] > 0)
      .map((k) => `${k} ${formatBytes(estimate.parts[k])}`)
      .join(', ');
    super({
      where,
      what: `training must fit in maxMemory (${formatBytes(budget)})`,
      got: `an estimate of ${formatBytes(estimate.bytes)} (${parts}) for ${shape.numUsers} users × ${shape.numItems} items and ${shape.numInteractions} interactions`,
      hint: { option: 'maxMemory', value: String(estimate.bytes) },
      tail: `; ${advice} or raise maxMemory`,
    });
    this.estimate = estimate;
    this.budget = budget;
  }
}

/**
 * A {@link MemoryEstimate} from its parts (zero parts are kept, so every model lists the same names).
 * @example
 * memoryEstimate({ 'factor tables': 4e6 }).bytes; // 4000000
 */
export function memoryEstimate(parts: Record<string, number>): MemoryEstimate {
  let bytes = 0;
  for (const k of Object.keys(parts)) bytes += parts[k];
  return { bytes, parts };
}
