import { checkInRange, checkOptions, toRng, quiverError } from '@quiver/base';
import type { Interactions } from '../interactions.js';
import { assembleSplit, checkColdStart, checkInteractions, type ColdStartPolicy, type Split } from './split-result.js';

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Number of folds, an integer in [2, length]. @defaultValue 5 */
  readonly k?: number;
  /** Seed of the shuffle. @defaultValue 42 */
  readonly seed?: number | string;
  /** Test rows whose user or item is absent from that fold's train. @defaultValue 'drop' */
  readonly coldStart?: ColdStartPolicy;
}

/**
 * K-fold cross-validation: rows are shuffled once (seeded) and cut into k folds whose sizes
 * differ by at most one; split f tests on fold f and trains on the rest. Every row is in
 * exactly one test fold (before the cold-start policy).
 * @returns k splits, sharing the dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset.
 * @throws {RangeError} when k is not an integer in [2, length].
 * @example
 * for (const { train, test } of kFold(data, { k: 5 })) evaluate(fit(train), test);
 */
export function kFold(data: Interactions, options?: KFoldOptions): Split[] {
  const where = 'kFold';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['k', 'seed', 'coldStart']);
  const n = data.length;
  const k = o.k === undefined ? 5 : checkInRange(where, 'options.k', o.k, 2, Math.max(2, n));
  if (!Number.isInteger(k)) throw quiverError('RangeError', { where, what: `options.k must be an integer in [2, ${n}]`, got: String(k) });
  if (k > n) throw quiverError('RangeError', { where, what: `options.k must be an integer in [2, ${n}] (the number of rows)`, got: String(k) });
  const policy = checkColdStart(where, o.coldStart);
  const rng = toRng(where, o.seed);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  rng.shuffle(perm);
  const fold = new Int32Array(n);
  // Fold f holds perm positions [floor(f*n/k), floor((f+1)*n/k)).
  for (let f = 0; f < k; f++) {
    const a = Math.floor((f * n) / k);
    const b = Math.floor(((f + 1) * n) / k);
    for (let j = a; j < b; j++) fold[perm[j]] = f;
  }
  const splits: Split[] = [];
  for (let f = 0; f < k; f++) {
    const isTest = new Uint8Array(n);
    for (let j = 0; j < n; j++) if (fold[j] === f) isTest[j] = 1;
    splits.push(assembleSplit(data, isTest, policy));
  }
  return splits;
}
