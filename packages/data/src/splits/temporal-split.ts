import { kthSmallest } from '../kernels/kth-smallest.js';
import { checkFinite, checkInRange, checkOptions, quiverError } from '@quiver/base';
import type { Interactions } from '../interactions.js';
import { assembleSplit, checkColdStart, checkInteractions, type ColdStartPolicy, type Split } from './split-result.js';

/** Options of {@link temporalSplit}; give `cutoff` or `testFraction`. */
export interface TemporalSplitOptions {
  /** Rows with timestamp >= cutoff go to test. @defaultValue derived from testFraction */
  readonly cutoff?: number;
  /**
   * Fraction of rows (the latest) for test, in (0, 1): the cutoff is the timestamp of the row at
   * that quantile, and every row sharing it goes to test, so the test part can be slightly
   * larger. @defaultValue 0.2 when cutoff is not given
   */
  readonly testFraction?: number;
  /** Test rows whose user or item is absent from train (new users/items after the cut). @defaultValue 'drop' */
  readonly coldStart?: ColdStartPolicy;
}

/**
 * Global temporal cut: everything before the cutoff trains, everything at or after it tests,
 * so no test row is earlier than any train row (no leakage from the future).
 * @returns `{ train, test, coldStart }`, sharing the dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset or both cutoff and testFraction are given.
 * @throws {Error} when the data has no timestamps.
 * @throws {RangeError} when testFraction is not in (0, 1) or cutoff is not finite.
 * @example
 * const { train, test } = temporalSplit(data, { testFraction: 0.1 });
 */
export function temporalSplit(data: Interactions, options?: TemporalSplitOptions): Split {
  const where = 'temporalSplit';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['cutoff', 'testFraction', 'coldStart']);
  if (o.cutoff !== undefined && o.testFraction !== undefined) throw quiverError('TypeError', { where, what: 'options must give cutoff or testFraction, not both' });
  const policy = checkColdStart(where, o.coldStart);
  const ts = data.timestamps;
  if (ts === null) throw quiverError('Error', { where, what: 'data must have timestamps', got: 'none' });
  const n = data.length;
  let cutoff: number;
  if (o.cutoff !== undefined) cutoff = checkFinite(where, 'options.cutoff', o.cutoff);
  else {
    const f = o.testFraction === undefined ? 0.2 : checkInRange(where, 'options.testFraction', o.testFraction, 0, 1, { loOpen: true, hiOpen: true });
    const numTest = Math.round(n * f);
    if (numTest === 0) cutoff = Infinity;
    else cutoff = kthSmallest(Float64Array.from(ts), n - numTest); // the value a sort would put there
  }
  const isTest = new Uint8Array(n);
  for (let k = 0; k < n; k++) if (ts[k] >= cutoff) isTest[k] = 1;
  return assembleSplit(data, isTest, policy);
}
