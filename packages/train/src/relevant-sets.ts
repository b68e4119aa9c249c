import { quiverError, type CsrMatrix } from '@quiver/base';
import { sortedContains } from './kernels/sorted-contains.js';

/** What an evaluation does with a test pair that is also a training pair of the same user. */
export type TrainOverlapPolicy = 'error' | 'drop';

/** The allowed {@link TrainOverlapPolicy} values. */
export const TRAIN_OVERLAP_POLICIES: readonly TrainOverlapPolicy[] = ['error', 'drop'];

/** Each evaluated user's relevant test items, as a CSR over the evaluated users. */
export interface RelevantSets {
  /** The evaluated users (ascending): those with at least one relevant test item. */
  readonly users: Int32Array;
  /** Row pointers into `items`, length `users.length + 1`. */
  readonly indptr: Int32Array;
  /** Relevant items, ascending and distinct within a user. */
  readonly items: Int32Array;
  /** Users with test rows but no relevant one. */
  readonly skipped: number;
  /** Test pairs also in the user's training rows (dropped under `'drop'`). */
  readonly overlap: number;
}

/**
 * The relevant test items of every user: test pairs with rating ≥ `relevantMin` (every pair when
 * it is null or the test set has no ratings), repeated pairs once. A test pair that is also one
 * of the user's training pairs is leakage: under `'error'` (the default of the evaluations) it is
 * refused, naming the first such pair and how many there are; under `'drop'` it is left out and
 * counted. Overlap is checked on every test pair, relevant or not.
 * @param where - The calling function (for messages).
 * @param excludedName - What the exclusion rows are called in messages (`'train'`, `'foldIn'`).
 * @param canDrop - Whether the caller has a `trainOverlap` option (the message then names it).
 * @returns The relevant sets over evaluated users.
 * @throws {RangeError} under `'error'` when a test pair is also a training pair.
 * @example
 * const rel = relevantSets('evaluateRanking', userItemCsr(test), userItemCsr(train), 4, 'error', 'train');
 */
export function relevantSets(where: string, test: CsrMatrix, excluded: CsrMatrix, relevantMin: number | null, policy: TrainOverlapPolicy, excludedName: string, canDrop = true): RelevantSets {
  const numUsers = test.indptr.length - 1;
  const users: number[] = [];
  const indptr: number[] = [0];
  const items: number[] = [];
  let skipped = 0;
  let overlap = 0;
  let first: [number, number] | null = null;
  const values = relevantMin === null ? null : test.values;
  for (let u = 0; u < numUsers; u++) {
    const lo = test.indptr[u];
    const hi = test.indptr[u + 1];
    if (lo === hi) continue;
    const before = items.length;
    const xlo = excluded.indptr[u];
    const xhi = excluded.indptr[u + 1];
    for (let a = lo; a < hi; a++) {
      const item = test.indices[a];
      if (xhi > xlo && sortedContains(excluded.indices, xlo, xhi, item)) {
        overlap++;
        first ??= [u, item];
        continue;
      }
      if (values !== null && !(values[a] >= (relevantMin as number))) continue;
      if (items.length > before && items[items.length - 1] === item) continue; // repeated test pair
      items.push(item);
    }
    if (items.length === before) skipped++;
    else {
      users.push(u);
      indptr.push(items.length);
    }
  }
  if (overlap > 0 && policy === 'error' && first !== null) {
    throw quiverError('RangeError', {
      where,
      what: `the test set must not overlap ${excludedName}: ${overlap.toLocaleString('en-US')} test pair(s) are also ${excludedName} pairs of the same user (leakage: an item the model trained on for that user would count as a hit); split the data so the parts are disjoint${canDrop ? ", or pass trainOverlap: 'drop' to leave those pairs out" : ''}`,
      got: `user ${first[0]}, item ${first[1]} in both`,
    });
  }
  return { users: Int32Array.from(users), indptr: Int32Array.from(indptr), items: Int32Array.from(items), skipped, overlap };
}
