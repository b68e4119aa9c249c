import { checkInRange, checkNonNegativeInt, checkOptions, toRng } from '@quiver/base';
import type { Interactions } from '../interactions.js';
import { assembleSplit, checkColdStart, checkInteractions, type ColdStartPolicy, type Split } from './split-result.js';

/** Options of {@link userRatioSplit}. */
export interface UserRatioSplitOptions {
  /** Fraction of each user's rows that go to test, in (0, 1). @defaultValue 0.2 */
  readonly testFraction?: number;
  /** Rows every user keeps in train (a user with fewer rows stays entirely in train). @defaultValue 1 */
  readonly minTrain?: number;
  /** Seed of the per-user choice. @defaultValue 42 */
  readonly seed?: number | string;
  /** Test rows whose item is absent from train (users are always warm when minTrain >= 1). @defaultValue 'drop' */
  readonly coldStart?: ColdStartPolicy;
}

/**
 * Per-user holdout: for a user with d rows, `min(round(d * testFraction), max(0, d - minTrain))`
 * rows chosen at random (seeded) go to test, the rest to train. Every user with at least
 * minTrain rows appears in train, so only items can be cold.
 * @returns `{ train, test, coldStart }`, sharing the dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset.
 * @throws {RangeError} when testFraction is not in (0, 1) or minTrain is negative.
 * @example
 * const { train, test } = userRatioSplit(data, { testFraction: 0.2, seed: 1 });
 */
export function userRatioSplit(data: Interactions, options?: UserRatioSplitOptions): Split {
  const where = 'userRatioSplit';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['testFraction', 'minTrain', 'seed', 'coldStart']);
  const f = o.testFraction === undefined ? 0.2 : checkInRange(where, 'options.testFraction', o.testFraction, 0, 1, { loOpen: true, hiOpen: true });
  const minTrain = o.minTrain === undefined ? 1 : checkNonNegativeInt(where, 'options.minTrain', o.minTrain);
  const policy = checkColdStart(where, o.coldStart);
  const rng = toRng(where, o.seed);
  const n = data.length;
  // Rows grouped by user, in input order within a user (counting sort).
  const numUsers = data.numUsers;
  const start = new Int32Array(numUsers + 1);
  const u = data.userIds;
  for (let k = 0; k < n; k++) start[u[k] + 1]++;
  for (let j = 0; j < numUsers; j++) start[j + 1] += start[j];
  const fill = start.slice(0, numUsers);
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) rows[fill[u[k]]++] = k;
  const isTest = new Uint8Array(n);
  for (let j = 0; j < numUsers; j++) {
    const a = start[j];
    const d = start[j + 1] - a;
    const numTest = Math.min(Math.round(d * f), Math.max(0, d - minTrain));
    // Partial Fisher-Yates within the user's rows.
    for (let t = 0; t < numTest; t++) {
      const pick = a + t + rng.nextInt(d - t);
      const tmp = rows[a + t];
      rows[a + t] = rows[pick];
      rows[pick] = tmp;
      isTest[rows[a + t]] = 1;
    }
  }
  return assembleSplit(data, isTest, policy);
}
