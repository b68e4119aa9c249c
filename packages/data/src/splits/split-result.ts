import { checkOneOf, describeValue, quiverError } from '@quiver/base';
import { Interactions } from '../interactions.js';

/**
 * What a split does with test rows whose user or item has no row in train (cold start):
 * - `'drop'`: remove them from test (default: a factor model has nothing to score them with);
 * - `'keep'`: leave them in test (evaluate cold-start handling yourself);
 * - `'train'`: move them to train, so every test user and item is warm and no row is lost.
 */
export type ColdStartPolicy = 'drop' | 'keep' | 'train';

/** The allowed cold-start policies. */
export const COLD_START_POLICIES: readonly ColdStartPolicy[] = ['drop', 'keep', 'train'];

/** A train/test split of one dataset. Both parts share the dataset's id maps. */
export interface Split {
  /** Training rows (in input order). */
  readonly train: Interactions;
  /** Test rows (in input order), disjoint from train. */
  readonly test: Interactions;
  /** The cold-start policy that was applied and how many test rows it dropped or moved. */
  readonly coldStart: {
    /** The policy applied (the `coldStart` option, default `'drop'`). */
    readonly policy: ColdStartPolicy;
    /** Number of cold test rows dropped (`'drop'`) or moved to train (`'train'`); always 0 for `'keep'`. */
    readonly numRows: number;
  };
}

/** Checks a `coldStart` option (default `'drop'`). */
export function checkColdStart(where: string, value: unknown): ColdStartPolicy {
  return value === undefined ? 'drop' : checkOneOf(where, 'options.coldStart', value, COLD_START_POLICIES);
}

/** Checks that the argument is an Interactions dataset. */
export function checkInteractions(where: string, data: unknown): Interactions {
  if (!(data instanceof Interactions)) {
    throw quiverError('TypeError', { where, what: 'data must be an Interactions dataset', got: describeValue(data) });
  }
  return data;
}

/**
 * Builds a split from a per-row test flag (1 = test), applying the cold-start policy.
 * Rows keep their input order in both parts.
 */
export function assembleSplit(data: Interactions, isTest: Uint8Array, policy: ColdStartPolicy): Split {
  const n = data.length;
  const seenUser = new Uint8Array(data.numUsers);
  const seenItem = new Uint8Array(data.numItems);
  const u = data.userIds;
  const it = data.itemIds;
  for (let k = 0; k < n; k++) {
    if (isTest[k] === 0) {
      seenUser[u[k]] = 1;
      seenItem[it[k]] = 1;
    }
  }
  let numCold = 0;
  if (policy !== 'keep') {
    for (let k = 0; k < n; k++) {
      if (isTest[k] === 1 && (seenUser[u[k]] === 0 || seenItem[it[k]] === 0)) {
        isTest[k] = policy === 'drop' ? 2 : 0;
        numCold++;
      }
    }
  }
  let numTest = 0;
  let numTrain = 0;
  for (let k = 0; k < n; k++) {
    if (isTest[k] === 1) numTest++;
    else if (isTest[k] === 0) numTrain++;
  }
  const trainRows = new Int32Array(numTrain);
  const testRows = new Int32Array(numTest);
  let a = 0;
  let b = 0;
  for (let k = 0; k < n; k++) {
    if (isTest[k] === 0) trainRows[a++] = k;
    else if (isTest[k] === 1) testRows[b++] = k;
  }
  return { train: data.subsetUnchecked(trainRows), test: data.subsetUnchecked(testRows), coldStart: { policy, numRows: numCold } };
}
