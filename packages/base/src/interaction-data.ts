import { checkIdArray, describeValue } from './check.js';
import { MAX_ABS_RATING } from './max-abs-rating.js';
import { quiverError } from './quiver-error.js';

/**
 * The training data every model consumes: one interaction per position of the parallel
 * arrays. Ids are dense 0-based indices (`userIds[n]` in `[0, numUsers)`, `itemIds[n]` in
 * `[0, numItems)`). `@quiver/data`'s `Interactions` class has exactly these fields, so it can be
 * passed as it is; the models depend on this type, not on `@quiver/data`.
 *
 * @example
 * const data: InteractionData = {
 *   userIds: Int32Array.of(0, 0, 1), itemIds: Int32Array.of(0, 2, 1),
 *   ratings: Float32Array.of(4, 3.5, 5), numUsers: 2, numItems: 3,
 * };
 */
export interface InteractionData {
  /** User index of each interaction, length `numInteractions`. */
  readonly userIds: Int32Array;
  /** Item index of each interaction, same length as `userIds`. */
  readonly itemIds: Int32Array;
  /** Rating (or weight) of each interaction, or null for implicit feedback without values. */
  readonly ratings: Float32Array | null;
  /** Number of users: every user id is below it. */
  readonly numUsers: number;
  /** Number of items: every item id is below it. */
  readonly numItems: number;
}

/**
 * Checks the structure of `data` once, at the start of `fit`: typed-array kinds, equal
 * lengths, sizes, every id in range and every rating finite. One pass, no allocation.
 *
 * @param where - Prefix of error messages, such as `"BiasedMF.fit"`.
 * @param requireRatings - When true, `ratings` must be present (explicit models).
 * @returns `data`, unchanged.
 * @throws {TypeError} when `data` or one of its arrays has the wrong kind, or ratings are
 * required and null.
 * @throws {RangeError} for mismatched lengths, an empty log, non-positive sizes, an id out of
 * range or a non-finite rating or one above {@link MAX_ABS_RATING} (the message names the position and the value).
 * @example
 * checkInteractionData('BiasedMF.fit', data, true);
 */
export function checkInteractionData(where: string, data: InteractionData, requireRatings: boolean): InteractionData {
  if (typeof data !== 'object' || data === null) {
    throw quiverError('TypeError', { where, what: 'data must be an object { userIds, itemIds, ratings, numUsers, numItems }', got: describeValue(data) });
  }
  if (!(data.userIds instanceof Int32Array)) {
    throw quiverError('TypeError', { where, what: 'data.userIds must be an Int32Array', got: describeValue(data.userIds) });
  }
  if (!(data.itemIds instanceof Int32Array)) {
    throw quiverError('TypeError', { where, what: 'data.itemIds must be an Int32Array', got: describeValue(data.itemIds) });
  }
  if (data.ratings !== null && !(data.ratings instanceof Float32Array)) {
    throw quiverError('TypeError', { where, what: 'data.ratings must be a Float32Array or null', got: describeValue(data.ratings) });
  }
  if (requireRatings && data.ratings === null) {
    throw quiverError('TypeError', { where, what: 'data.ratings must be a Float32Array for an explicit-feedback model', got: 'null' });
  }
  const n = data.userIds.length;
  if (data.itemIds.length !== n) {
    throw quiverError('RangeError', { where, what: `data.itemIds must have the length of data.userIds (${n})`, got: String(data.itemIds.length) });
  }
  if (data.ratings !== null && data.ratings.length !== n) {
    throw quiverError('RangeError', { where, what: `data.ratings must have the length of data.userIds (${n})`, got: String(data.ratings.length) });
  }
  if (n === 0) throw quiverError('RangeError', { where, what: 'data must hold at least 1 interaction', got: '0' });
  checkCount(where, 'data.numUsers', data.numUsers);
  checkCount(where, 'data.numItems', data.numItems);
  checkIdArray(where, 'data.userIds', data.userIds, data.numUsers);
  checkIdArray(where, 'data.itemIds', data.itemIds, data.numItems);
  const r = data.ratings;
  if (r !== null) {
    for (let k = 0; k < n; k++) {
      const v = r[k];
      if (!(v <= MAX_ABS_RATING && v >= -MAX_ABS_RATING)) {
        throw quiverError('RangeError', { where, what: `data.ratings[${k}] must be a finite number with |rating| <= ${MAX_ABS_RATING.toPrecision(2)} (larger values overflow the squared loss in float32)`, got: String(v) });
      }
    }
  }
  return data;
}

function checkCount(where: string, name: string, value: unknown): void {
  if (typeof value !== 'number') throw quiverError('TypeError', { where, what: `${name} must be a positive integer`, got: describeValue(value) });
  if (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw quiverError('RangeError', { where, what: `${name} must be a positive integer below 2^31`, got: String(value) });
  }
}
