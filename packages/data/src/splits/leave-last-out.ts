import { checkNonNegativeInt, checkOneOf, checkOptions, checkPositiveInt } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import type { Interactions } from '../interactions.js';
import { assembleSplit, checkColdStart, checkInteractions, type ColdStartPolicy, type Split } from './split-result.js';

/** Options of {@link leaveLastOut}. */
export interface LeaveLastOutOptions {
  /** Rows per user held out (the latest ones). @defaultValue 1 */
  readonly numTest?: number;
  /** Rows a user must keep in train; users with fewer than numTest + minTrain rows stay in train. @defaultValue 1 */
  readonly minTrain?: number;
  /** `'timestamp'`: latest by timestamp (ties: later row wins); `'row'`: the last rows in input order. @defaultValue 'timestamp' */
  readonly order?: 'timestamp' | 'row';
  /** Test rows whose item is absent from train. @defaultValue 'drop' */
  readonly coldStart?: ColdStartPolicy;
}

/**
 * Per-user leave-last-out: each user's numTest latest rows go to test, as in sequential
 * recommendation benchmarks. Deterministic (no seed): ties in time are broken by row position.
 * No test row of a user is earlier than any of that user's train rows.
 * @returns `{ train, test, coldStart }`, sharing the dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset.
 * @throws {Error} when order is 'timestamp' and the data has no timestamps.
 * @throws {RangeError} when numTest < 1 or minTrain < 0.
 * @example
 * const { train, test } = leaveLastOut(data); // one latest rating per user in test
 */
export function leaveLastOut(data: Interactions, options?: LeaveLastOutOptions): Split {
  const where = 'leaveLastOut';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['numTest', 'minTrain', 'order', 'coldStart']);
  const numTest = o.numTest === undefined ? 1 : checkPositiveInt(where, 'options.numTest', o.numTest);
  const minTrain = o.minTrain === undefined ? 1 : checkNonNegativeInt(where, 'options.minTrain', o.minTrain);
  const order = o.order === undefined ? 'timestamp' : checkOneOf(where, 'options.order', o.order, ['timestamp', 'row'] as const);
  const policy = checkColdStart(where, o.coldStart);
  const ts = data.timestamps;
  if (order === 'timestamp' && ts === null) {
    throw dataInputError('Error', where, `data must have timestamps for order 'timestamp', got none`, { option: 'order', value: 'row' }, "; pass order: 'row' to hold out the last rows in input order");
  }
  const n = data.length;
  // Stable sort of row positions by time (rows order already = position order).
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[k] = k;
  if (order === 'timestamp') rows.sort((a, b) => ts![a] - ts![b] || a - b);
  // Walk rows from latest to earliest, taking up to numTest per user.
  const deg = data.userDegrees();
  const taken = new Int32Array(data.numUsers);
  const isTest = new Uint8Array(n);
  const u = data.userIds;
  for (let k = n - 1; k >= 0; k--) {
    const r = rows[k];
    const user = u[r];
    if (deg[user] >= numTest + minTrain && taken[user] < numTest) {
      taken[user]++;
      isTest[r] = 1;
    }
  }
  return assembleSplit(data, isTest, policy);
}
