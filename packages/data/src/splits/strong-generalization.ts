import { checkInRange, checkOneOf, checkOptions, describeValue, quiverError, toRng } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import type { Interactions } from '../interactions.js';
import { checkInteractions } from './split-result.js';

/** Options of {@link strongGeneralizationSplit}. */
export interface StrongGeneralizationOptions {
  /**
   * Held-out test users: an integer count >= 1, or a fraction in (0, 1) of the users that have
   * at least one interaction (rounded, at least 1). @defaultValue 0.1
   */
  readonly testUsers?: number;
  /**
   * Held-out validation users: 0 (none; `validation` is then null), an integer count >= 1, or a
   * fraction in (0, 1) of the users with at least one interaction (rounded, at least 1).
   * @defaultValue 0
   */
  readonly validationUsers?: number;
  /**
   * Fraction of each held-out user's interactions given to the model at evaluation time
   * (`foldIn`), in (0, 1); the rest is `test`. A user with d interactions gets
   * `min(d - 1, max(1, Math.round(d * foldInFraction)))` fold-in rows (halves round up).
   * @defaultValue 0.8
   */
  readonly foldInFraction?: number;
  /** Seed of the user partition and of the per-user fold-in choice (`'random'`). @defaultValue 42 */
  readonly seed?: number | string;
  /**
   * `'random'`: each held-out user's fold-in rows are drawn at random (seeded);
   * `'timestamp'`: each held-out user's earliest rows are the fold-in rows (ties in time broken
   * by row position), so test rows never precede fold-in rows. @defaultValue 'random'
   */
  readonly order?: 'random' | 'timestamp';
}

/** The interactions of one group of held-out users, split into what the model sees and what it is scored on. */
export interface HeldOutPart {
  /** The rows given to the model at evaluation time (folded in, never trained on), in input order. */
  readonly foldIn: Interactions;
  /** The rows the model's ranking is scored against, in input order. */
  readonly test: Interactions;
}

/** The users of each part of a {@link StrongGeneralizationSplit} (dense indices, ascending). */
export interface StrongGeneralizationUsers {
  /** Training users: every user with at least one interaction that was not held out. */
  readonly train: Int32Array;
  /** Validation users (empty when `validationUsers` is 0). */
  readonly validation: Int32Array;
  /** Test users. */
  readonly test: Int32Array;
}

/** The result of {@link strongGeneralizationSplit}; every part shares the dataset's id maps. */
export interface StrongGeneralizationSplit {
  /** Every interaction of the training users, in input order. */
  readonly train: Interactions;
  /** The validation users' fold-in and test rows, or null when `validationUsers` is 0. */
  readonly validation: HeldOutPart | null;
  /** The test users' fold-in and test rows. */
  readonly test: HeldOutPart;
  /** Which users went where. */
  readonly users: StrongGeneralizationUsers;
}

const ROLE_TRAIN = 0;
const ROLE_VALIDATION = 1;
const ROLE_TEST = 2;
/** Part codes per row: train, validation fold-in, validation test, test fold-in, test test. */
const PART_TRAIN = 0;
const PART_VALIDATION_FOLD_IN = 1;
const PART_TEST_FOLD_IN = 3;
const NUM_PARTS = 5;

/**
 * Strong generalization (user-level holdout), the protocol of Mult-VAE (Liang et al. 2018) and
 * of Steck's EASE paper (2019): users, not interactions, are held out.
 *
 * Users are partitioned (seeded) into training, validation and test users. Every interaction
 * of a training user goes to `train`. For each held-out user, `foldInFraction` of their
 * interactions go to `foldIn`, the input the model gets at evaluation time (a fold-in or an
 * item-item model scores from it), and the rest go to `test`, the items that ranking is scored
 * against.
 *
 * - Only users with at least 2 interactions can be held out (one for fold-in, one for test);
 *   a user with a single interaction is always a training user. Users with no interaction in
 *   `data` (possible in a derived dataset) are in no part.
 * - Fractions of users are taken of the users with at least one interaction, rounded and at
 *   least 1. The test users are drawn first, so they do not depend on `validationUsers`.
 * - Every interaction lands in exactly one part; rows keep their input order inside a part.
 * - Items seen only by held-out users stay in the shared id space (`numItems` is unchanged):
 *   the model has never trained them, so it can only score them from what it learnt elsewhere
 *   (a factor model gives them their initial, untrained factors). Filter them out of `test`
 *   yourself if your protocol drops them.
 * @returns `{ train, validation, test, users }`; every part is an `Interactions` sharing the
 *   dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset or an option has the wrong kind.
 * @throws {RangeError} when testUsers / validationUsers is neither an integer count >= 1 nor a
 *   fraction in (0, 1) (validationUsers may also be 0), foldInFraction is not in (0, 1), the
 *   held-out users would leave no training user, or fewer users than asked have >= 2 interactions.
 * @throws {Error} when order is 'timestamp' and the data has no timestamps.
 * @example
 * const { train, test } = strongGeneralizationSplit(data, { testUsers: 0.1, seed: 1 });
 * model.fit(train);
 * // score each test user from test.foldIn, evaluate against test.test
 */
export function strongGeneralizationSplit(data: Interactions, options?: StrongGeneralizationOptions): StrongGeneralizationSplit {
  const where = 'strongGeneralizationSplit';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['testUsers', 'validationUsers', 'foldInFraction', 'seed', 'order']);
  const foldInFraction = o.foldInFraction === undefined ? 0.8 : checkInRange(where, 'options.foldInFraction', o.foldInFraction, 0, 1, { loOpen: true, hiOpen: true });
  const order = o.order === undefined ? 'random' : checkOneOf(where, 'options.order', o.order, ['random', 'timestamp'] as const);
  const rng = toRng(where, o.seed);
  const ts = data.timestamps;
  if (order === 'timestamp' && ts === null) {
    throw dataInputError('Error', where, `data must have timestamps for order 'timestamp', got none`, { option: 'order', value: 'random' }, "; pass order: 'random' to draw each user's fold-in rows at random");
  }

  const numUsers = data.numUsers;
  const deg = data.userDegrees();
  let numActive = 0;
  let numEligible = 0;
  for (let j = 0; j < numUsers; j++) {
    if (deg[j] >= 1) numActive++;
    if (deg[j] >= 2) numEligible++;
  }
  const numTest = userCount(where, 'options.testUsers', o.testUsers === undefined ? 0.1 : o.testUsers, numActive, false);
  const numValidation = userCount(where, 'options.validationUsers', o.validationUsers === undefined ? 0 : o.validationUsers, numActive, true);
  const numHeld = numTest + numValidation;
  if (numHeld >= numActive) {
    throw quiverError('RangeError', {
      where,
      what: `options.testUsers + options.validationUsers must leave at least one training user: fewer than the ${numActive} users with interactions`,
      got: `${numTest} + ${numValidation} = ${numHeld}`,
    });
  }
  if (numHeld > numEligible) {
    throw quiverError('RangeError', {
      where,
      what: `options.testUsers + options.validationUsers must be at most the ${numEligible} users with at least 2 interactions (a held-out user needs one for fold-in and one for test)`,
      got: `${numTest} + ${numValidation} = ${numHeld}`,
    });
  }

  // Partition: a partial Fisher-Yates over the eligible users (ascending); the first numTest
  // picks are test users, the next numValidation validation users.
  const eligible = new Int32Array(numEligible);
  for (let j = 0, e = 0; j < numUsers; j++) if (deg[j] >= 2) eligible[e++] = j;
  const userRng = rng.fork('users');
  for (let t = 0; t < numHeld; t++) {
    const pick = t + userRng.nextInt(numEligible - t);
    const tmp = eligible[t];
    eligible[t] = eligible[pick];
    eligible[pick] = tmp;
  }
  const role = new Uint8Array(numUsers);
  for (let t = 0; t < numTest; t++) role[eligible[t]] = ROLE_TEST;
  for (let t = numTest; t < numHeld; t++) role[eligible[t]] = ROLE_VALIDATION;

  // Rows grouped by user (counting sort), in input order or in time order within a user.
  const n = data.length;
  const u = data.userIds;
  const byTime = new Int32Array(n);
  for (let k = 0; k < n; k++) byTime[k] = k;
  if (order === 'timestamp') byTime.sort((a, b) => ts![a] - ts![b] || a - b);
  const start = new Int32Array(numUsers + 1);
  for (let k = 0; k < n; k++) start[u[k] + 1]++;
  for (let j = 0; j < numUsers; j++) start[j + 1] += start[j];
  const fill = start.slice(0, numUsers);
  const rows = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const r = byTime[k];
    rows[fill[u[r]]++] = r;
  }

  const part = new Uint8Array(n); // PART_TRAIN everywhere to begin with
  const foldRng = rng.fork('fold-in');
  for (let j = 0; j < numUsers; j++) {
    if (role[j] === ROLE_TRAIN) continue;
    const a = start[j];
    const d = start[j + 1] - a;
    const numFoldIn = Math.min(d - 1, Math.max(1, Math.round(d * foldInFraction)));
    if (order === 'random') {
      // Partial Fisher-Yates within the user's rows: the first numFoldIn become fold-in.
      for (let t = 0; t < numFoldIn; t++) {
        const pick = a + t + foldRng.nextInt(d - t);
        const tmp = rows[a + t];
        rows[a + t] = rows[pick];
        rows[pick] = tmp;
      }
    }
    const foldInCode = role[j] === ROLE_TEST ? PART_TEST_FOLD_IN : PART_VALIDATION_FOLD_IN;
    for (let t = 0; t < d; t++) part[rows[a + t]] = t < numFoldIn ? foldInCode : foldInCode + 1;
  }

  const parts = subsetsByCode(data, part);
  const users = {
    train: usersWithRole(deg, role, ROLE_TRAIN),
    validation: usersWithRole(deg, role, ROLE_VALIDATION),
    test: usersWithRole(deg, role, ROLE_TEST),
  };
  return {
    train: parts[PART_TRAIN],
    validation: numValidation === 0 ? null : { foldIn: parts[PART_VALIDATION_FOLD_IN], test: parts[PART_VALIDATION_FOLD_IN + 1] },
    test: { foldIn: parts[PART_TEST_FOLD_IN], test: parts[PART_TEST_FOLD_IN + 1] },
    users,
  };
}

/** Resolves a count-or-fraction option to a number of users. */
function userCount(where: string, name: string, value: unknown, numActive: number, allowZero: boolean): number {
  const allowed = `${allowZero ? '0, ' : ''}an integer count >= 1 or a fraction in (0, 1)`;
  if (typeof value !== 'number') throw quiverError('TypeError', { where, what: `${name} must be ${allowed}`, got: describeValue(value) });
  if (value > 0 && value < 1) return Math.max(1, Math.round(value * numActive));
  if ((Number.isInteger(value) && value >= 1) || (allowZero && value === 0)) return value;
  throw quiverError('RangeError', { where, what: `${name} must be ${allowed}`, got: String(value) });
}

/** Users with at least one row and the given role, ascending. */
function usersWithRole(deg: Int32Array, role: Uint8Array, which: number): Int32Array {
  let count = 0;
  for (let j = 0; j < deg.length; j++) if (deg[j] > 0 && role[j] === which) count++;
  const out = new Int32Array(count);
  for (let j = 0, c = 0; j < deg.length; j++) if (deg[j] > 0 && role[j] === which) out[c++] = j;
  return out;
}

/** One dataset per part code (rows in input order), all sharing the dataset's id maps. */
function subsetsByCode(data: Interactions, part: Uint8Array): Interactions[] {
  const n = part.length;
  const counts = new Int32Array(NUM_PARTS);
  for (let k = 0; k < n; k++) counts[part[k]]++;
  const rowsOf: Int32Array[] = [];
  for (let c = 0; c < NUM_PARTS; c++) rowsOf.push(new Int32Array(counts[c]));
  const next = new Int32Array(NUM_PARTS);
  for (let k = 0; k < n; k++) {
    const c = part[k];
    rowsOf[c][next[c]++] = k;
  }
  return rowsOf.map((r) => data.subsetUnchecked(r));
}
