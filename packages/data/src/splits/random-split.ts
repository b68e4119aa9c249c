import { checkInRange, checkOptions, toRng } from '@quiver/base';
import type { Interactions } from '../interactions.js';
import { assembleSplit, checkColdStart, checkInteractions, type ColdStartPolicy, type Split } from './split-result.js';

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Fraction of rows that go to test, in (0, 1). @defaultValue 0.2 */
  readonly testFraction?: number;
  /** Seed of the shuffle. @defaultValue 42 */
  readonly seed?: number | string;
  /** Test rows whose user or item is absent from train. @defaultValue 'drop' */
  readonly coldStart?: ColdStartPolicy;
}

/**
 * Random holdout: exactly `round(length * testFraction)` rows, chosen uniformly with a seeded
 * shuffle, go to test (before the cold-start policy; with `'keep'` the test size is exact).
 * Train and test are disjoint row sets and pairs are unique, so no pair is in both.
 * @returns `{ train, test, coldStart }`, sharing the dataset's id maps.
 * @throws {TypeError} when data is not an Interactions dataset.
 * @throws {RangeError} when testFraction is not in (0, 1).
 * @example
 * const { train, test } = randomSplit(data, { testFraction: 0.1, seed: 7 });
 */
export function randomSplit(data: Interactions, options?: RandomSplitOptions): Split {
  const where = 'randomSplit';
  checkInteractions(where, data);
  const o = checkOptions(where, options, ['testFraction', 'seed', 'coldStart']);
  const testFraction = o.testFraction === undefined ? 0.2 : checkInRange(where, 'options.testFraction', o.testFraction, 0, 1, { loOpen: true, hiOpen: true });
  const policy = checkColdStart(where, o.coldStart);
  const rng = toRng(where, o.seed);
  const n = data.length;
  const numTest = Math.round(n * testFraction);
  // Partial Fisher-Yates: the first numTest entries of perm are a uniform random subset.
  const perm = new Int32Array(n);
  for (let k = 0; k < n; k++) perm[k] = k;
  for (let k = 0; k < numTest; k++) {
    const j = k + rng.nextInt(n - k);
    const t = perm[k];
    perm[k] = perm[j];
    perm[j] = t;
  }
  const isTest = new Uint8Array(n);
  for (let k = 0; k < numTest; k++) isTest[perm[k]] = 1;
  return assembleSplit(data, isTest, policy);
}
