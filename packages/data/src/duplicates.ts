import { describeValue, RATING_RULE, isValidRating } from '@quiver/base';
import { dataInputError } from './data-input-error.js';
import type { IdMap } from './id-map.js';
import type { DuplicatePolicy } from './load-report.js';
import { checkGroupedUnique } from './kernels/check-grouped-unique.js';
import { sortByRowCol } from './kernels/sort-by-row-col.js';

/** Dense columns before the duplicate policy is applied. */
export interface RawColumns {
  userIds: Int32Array;
  itemIds: Int32Array;
  ratings: Float32Array | null;
  timestamps: Float64Array | null;
}

/**
 * Applies a duplicate policy to dense columns. Returns the same object when there is no
 * duplicate; otherwise new columns in input order with one row per pair (the last row of each
 * group) and the number of rows removed. O(n + numUsers + numItems): one pass when the rows
 * are grouped by user, else two counting sorts.
 * @throws {Error} on a duplicate pair when the policy is `'error'`.
 */
export function applyDuplicatePolicy(
  where: string,
  cols: RawColumns,
  userIdMap: IdMap,
  itemIdMap: IdMap,
  policy: DuplicatePolicy,
): { columns: RawColumns; merged: number } {
  const { userIds, itemIds } = cols;
  const n = userIds.length;
  const numUsers = userIdMap.size;
  const numItems = itemIdMap.size;
  if (n < 2) return { columns: cols, merged: 0 };
  // Fast path: rows grouped by user (the usual file order) are checked in one pass.
  if (checkGroupedUnique(userIds, itemIds, new Uint8Array(numUsers), new Int32Array(numItems)) === 0) return { columns: cols, merged: 0 };
  const indptr = new Int32Array(numUsers + 1);
  const order = new Int32Array(n);
  const tmp = new Int32Array(n);
  const counts = new Int32Array(Math.max(numUsers, numItems) + 1);
  sortByRowCol(userIds, itemIds, numUsers, numItems, indptr, order, tmp, counts);
  // Groups of equal (user, item) are adjacent in `order`, positions ascending within a group.
  let merged = 0;
  for (let k = 1; k < n; k++) {
    if (userIds[order[k]] === userIds[order[k - 1]] && itemIds[order[k]] === itemIds[order[k - 1]]) merged++;
  }
  if (merged === 0) return { columns: cols, merged: 0 };
  if (policy === 'error') {
    for (let k = 1; k < n; k++) {
      const a = order[k - 1];
      const b = order[k];
      if (userIds[a] === userIds[b] && itemIds[a] === itemIds[b]) {
        throw dataInputError(
          'Error',
          where,
          `(user, item) pairs must be unique with duplicates: 'error', got user ${describeValue(userIdMap.toRaw(userIds[a]))} and item ` +
            `${describeValue(itemIdMap.toRaw(itemIds[a]))} at rows ${a} and ${b} (${merged} duplicate rows in all)`,
          { option: 'duplicates', value: 'keep-last|mean|sum' },
          `; pass duplicates: 'keep-last', 'mean' or 'sum'`,
        );
      }
    }
  }
  const keep = new Uint8Array(n);
  const ratingsIn = cols.ratings;
  const aggregate = policy === 'mean' || policy === 'sum';
  // With 'sum' and no ratings, the result's ratings are the counts of each pair.
  const outRatingsFull = ratingsIn !== null ? (aggregate ? ratingsIn.slice() : ratingsIn) : policy === 'sum' ? new Float32Array(n) : null;
  let g = 0;
  while (g < n) {
    let e = g + 1;
    const u = userIds[order[g]];
    const it = itemIds[order[g]];
    while (e < n && userIds[order[e]] === u && itemIds[order[e]] === it) e++;
    const last = order[e - 1];
    keep[last] = 1;
    if (aggregate && outRatingsFull !== null) {
      let sum = 0;
      if (ratingsIn !== null) for (let k = g; k < e; k++) sum += ratingsIn[order[k]];
      else sum = e - g;
      const value = policy === 'mean' ? sum / (e - g) : sum;
      // A sum of valid ratings can leave the range the readers enforce (checked before float32).
      if (!isValidRating(value)) {
        throw dataInputError(
          'RangeError',
          where,
          `the ${policy} of the ${e - g} ratings of user ${describeValue(userIdMap.toRaw(u))} and item ${describeValue(itemIdMap.toRaw(it))} must be ${RATING_RULE}, got ${value}`,
          { option: 'duplicates', value: 'keep-last|mean' },
          `; pass duplicates: 'keep-last' or 'mean'`,
        );
      }
      outRatingsFull[last] = value;
    }
    g = e;
  }
  const m = n - merged;
  const out: RawColumns = {
    userIds: new Int32Array(m),
    itemIds: new Int32Array(m),
    ratings: outRatingsFull !== null ? new Float32Array(m) : null,
    timestamps: cols.timestamps !== null ? new Float64Array(m) : null,
  };
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (keep[k] === 0) continue;
    out.userIds[j] = userIds[k];
    out.itemIds[j] = itemIds[k];
    if (out.ratings !== null) out.ratings[j] = outRatingsFull![k];
    if (out.timestamps !== null) out.timestamps[j] = cols.timestamps![k];
    j++;
  }
  return { columns: out, merged };
}
