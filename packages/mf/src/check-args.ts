import { checkNonNegativeInt, checkOptionNames, describeValue } from '@quiver/core';
import type { RecommendOptions } from './recommender.js';

/**
 * Throws unless `id` is an integer in `[0, bound)`. `RangeError` names the value and the range.
 * @throws {TypeError} when `id` is not a number.
 * @throws {RangeError} when it is out of range or not an integer.
 */
export function checkId(where: string, name: string, id: unknown, bound: number): number {
  if (typeof id !== 'number') throw new TypeError(`${where}: ${name} must be an integer id, got ${describeValue(id)}`);
  if (!Number.isInteger(id) || id < 0 || id >= bound) {
    throw new RangeError(`${where}: ${name} must be in [0, ${bound - 1}], got ${id}`);
  }
  return id;
}

/**
 * Throws unless `ids` is an Int32Array whose entries are all in `[0, bound)`.
 * @throws {TypeError} when `ids` is not an Int32Array.
 * @throws {RangeError} naming the first bad position and value.
 */
export function checkIdArray(where: string, name: string, ids: unknown, bound: number): Int32Array {
  if (!(ids instanceof Int32Array)) throw new TypeError(`${where}: ${name} must be an Int32Array, got ${describeValue(ids)}`);
  for (let n = 0; n < ids.length; n++) {
    const v = ids[n];
    if (v < 0 || v >= bound) throw new RangeError(`${where}: ${name}[${n}] must be in [0, ${bound - 1}], got ${v}`);
  }
  return ids;
}

/** Throws unless `ratings` is a Float32Array of finite values and of length `n`. */
export function checkRatings(where: string, ratings: unknown, n: number): Float32Array {
  if (!(ratings instanceof Float32Array)) {
    throw new TypeError(`${where}: ratings must be a Float32Array, got ${describeValue(ratings)}`);
  }
  if (ratings.length !== n) throw new RangeError(`${where}: ratings must have the length of items (${n}), got ${ratings.length}`);
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(ratings[k])) throw new RangeError(`${where}: ratings[${k}] must be a finite number, got ${ratings[k]}`);
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
  if (typeof filterSeen !== 'boolean') throw new TypeError(`${where}: filterSeen must be a boolean, got ${describeValue(filterSeen)}`);
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
