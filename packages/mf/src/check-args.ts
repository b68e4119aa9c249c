import { checkIdArray, checkNonNegativeInt, checkOptionNames, describeValue, quiverError } from '@quiver/base';
import type { RecommendOptions } from './recommender.js';

/** Throws unless `ratings` is a Float32Array of finite values and of length `n`. */
export function checkRatings(where: string, ratings: unknown, n: number): Float32Array {
  if (!(ratings instanceof Float32Array)) {
    throw quiverError('TypeError', { where, what: 'ratings must be a Float32Array', got: describeValue(ratings) });
  }
  if (ratings.length !== n) throw quiverError('RangeError', { where, what: `ratings must have the length of items (${n})`, got: String(ratings.length) });
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(ratings[k])) throw quiverError('RangeError', { where, what: `ratings[${k}] must be a finite number`, got: String(ratings[k]) });
  }
  return ratings;
}

/** Recommend options after checking: ids validated, allow-list deduplicated. */
export interface ResolvedRecommendOptions {
  readonly filterSeen: boolean;
  /** Sorted unique allow-list, or null. */
  readonly items: Int32Array | null;
  readonly exclude: Int32Array | null;
}

/** Checks `k` and the recommend options against `numItems`. */
export function resolveRecommendOptions(where: string, k: number, options: RecommendOptions | undefined, numItems: number): ResolvedRecommendOptions {
  checkNonNegativeInt(where, 'k', k);
  checkOptionNames(where, options, ['filterSeen', 'items', 'exclude']);
  const o = options ?? {};
  const filterSeen = o.filterSeen ?? true;
  if (typeof filterSeen !== 'boolean') throw quiverError('TypeError', { where, what: 'filterSeen must be a boolean', got: describeValue(filterSeen) });
  let items: Int32Array | null = null;
  if (o.items !== undefined) {
    checkIdArray(where, 'items', o.items, numItems);
    const sorted = o.items.slice().sort();
    let w = 0;
    for (let n = 0; n < sorted.length; n++) if (n === 0 || sorted[n] !== sorted[n - 1]) sorted[w++] = sorted[n];
    items = sorted.subarray(0, w);
  }
  const exclude = o.exclude === undefined ? null : checkIdArray(where, 'exclude', o.exclude, numItems);
  return { filterSeen, items, exclude };
}
