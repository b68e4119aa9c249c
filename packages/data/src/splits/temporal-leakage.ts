import { checkOptions, describeValue, quiverError } from '@quiver/base';
import { Interactions } from '../interactions.js';

/** Options of {@link checkTemporalLeakage}. */
export interface CheckTemporalLeakageOptions {
  /** The name the error messages start with (the caller's function). @defaultValue 'checkTemporalLeakage' */
  readonly where?: string;
}

/** Counts of {@link temporalLeakage}. */
export interface TemporalLeakage {
  /** Test rows earlier than their user's latest training row. */
  readonly rows: number;
  /** Distinct users with at least one such test row. */
  readonly users: number;
}

/**
 * Checks a train/test pair for leakage from the future, per user: no test row of a user may
 * be earlier than that user's latest training row (the user's cutoff). A test row at exactly
 * the cutoff is allowed (ties in time are not leakage), and test rows of users with no
 * training row are never leaky. `temporalSplit` and `leaveLastOut` outputs always pass; a
 * random split of timestamped data usually does not.
 *
 * The two parts must index the same users (a split of one dataset, sharing its id maps); the
 * error names the first offending test row's user by its raw id.
 * @throws {TypeError} when train or test is not an Interactions dataset, or `where` is not a string.
 * @throws {RangeError} when the parts have different numUsers, or some test row is earlier than
 *   its user's cutoff: the message gives the number of such rows and users, and the first one's
 *   user (raw id), test timestamp and training cutoff.
 * @throws {Error} when train or test has no timestamps.
 * @example
 * const { train, test } = leaveLastOut(data);
 * checkTemporalLeakage(train, test); // passes
 */
export function checkTemporalLeakage(train: Interactions, test: Interactions, options?: CheckTemporalLeakageOptions): void {
  const o = checkOptions('checkTemporalLeakage', options, ['where']);
  if (o.where !== undefined && typeof o.where !== 'string') {
    throw quiverError('TypeError', { where: 'checkTemporalLeakage', what: 'options.where must be a string', got: describeValue(o.where) });
  }
  const where = o.where ?? 'checkTemporalLeakage';
  const cutoff = trainCutoffs(where, train, test);
  const counts = new Float64Array(2);
  const first = scanLeakage(cutoff, test.userIds, test.timestamps!, counts);
  if (first < 0) return;
  const user = test.userIds[first];
  const rows = counts[0];
  const users = counts[1];
  throw quiverError('RangeError', {
    where,
    what: `no test row may be earlier than its user's latest training row (per-user cutoff), but ${rows} test ${rows === 1 ? 'row' : 'rows'} of ${users} ${users === 1 ? 'user' : 'users'} ${rows === 1 ? 'is' : 'are'}`,
    got: `user ${describeValue(test.userIdMap.toRaw(user))} (index ${user}) with a test row at ${test.timestamps![first]} before their training cutoff ${cutoff[user]} (the first such row)`,
  });
}

/**
 * Counts the leakage {@link checkTemporalLeakage} refuses, without throwing on it: test rows
 * earlier than their user's latest training row, and the users they belong to.
 * @returns `{ rows, users }` (both 0 for a leak-free pair).
 * @throws {TypeError} when train or test is not an Interactions dataset.
 * @throws {RangeError} when the parts have different numUsers.
 * @throws {Error} when train or test has no timestamps.
 * @example
 * const { train, test } = randomSplit(data);
 * temporalLeakage(train, test); // { rows: 8123, users: 590 }, say
 */
export function temporalLeakage(train: Interactions, test: Interactions): TemporalLeakage {
  const cutoff = trainCutoffs('temporalLeakage', train, test);
  const counts = new Float64Array(2);
  scanLeakage(cutoff, test.userIds, test.timestamps!, counts);
  return { rows: counts[0], users: counts[1] };
}

/** Checks both parts and returns each user's latest training timestamp (-Infinity without training rows). */
function trainCutoffs(where: string, train: Interactions, test: Interactions): Float64Array {
  for (const [name, d] of [['train', train], ['test', test]] as const) {
    if (!(d instanceof Interactions)) throw quiverError('TypeError', { where, what: `${name} must be an Interactions dataset`, got: describeValue(d) });
  }
  if (train.numUsers !== test.numUsers) {
    throw quiverError('RangeError', { where, what: `test.numUsers must equal train.numUsers (${train.numUsers}): both parts must share one user id map`, got: String(test.numUsers) });
  }
  for (const [name, d] of [['train', train], ['test', test]] as const) {
    if (d.timestamps === null) throw quiverError('Error', { where, what: `${name} must have timestamps to check temporal leakage`, got: 'none' });
  }
  const cutoff = new Float64Array(train.numUsers).fill(-Infinity);
  const u = train.userIds;
  const t = train.timestamps!;
  for (let k = 0; k < u.length; k++) if (t[k] > cutoff[u[k]]) cutoff[u[k]] = t[k];
  return cutoff;
}

/**
 * Counts test rows earlier than their user's cutoff into `out[0]` and their distinct users into
 * `out[1]` (a per-user flag array, allocated only when some row leaks).
 * @returns The position of the first leaky test row, or -1.
 */
function scanLeakage(cutoff: Float64Array, userIds: Int32Array, timestamps: Float64Array, out: Float64Array): number {
  let first = -1;
  let rows = 0;
  for (let k = 0; k < userIds.length; k++) {
    if (timestamps[k] < cutoff[userIds[k]]) {
      rows++;
      if (first < 0) first = k;
    }
  }
  let users = 0;
  if (rows > 0) {
    // Second pass: a user is counted once, at their first leaky row (a per-user flag).
    const counted = new Uint8Array(cutoff.length);
    for (let k = 0; k < userIds.length; k++) {
      const user = userIds[k];
      if (counted[user] === 0 && timestamps[k] < cutoff[user]) {
        counted[user] = 1;
        users++;
      }
    }
  }
  out[0] = rows;
  out[1] = users;
  return first;
}
