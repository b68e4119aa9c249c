/**
 * Argument checks of @quiver/train that `@quiver/base`'s do not cover. Messages follow the repo
 * form `where: name must be allowed, got bad`.
 */
import { checkInt32Array, describeValue, quiverError } from '@quiver/base';

/**
 * Throws `TypeError` unless `value` is a Float32Array or a Float64Array.
 * @example
 * checkFloatArray('f', 'scores', new Float32Array(3));
 */
export function checkFloatArray(where: string, name: string, value: unknown): Float32Array | Float64Array {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw quiverError('TypeError', { where, what: `${name} must be a Float32Array or a Float64Array`, got: describeValue(value) });
  }
  return value;
}

/**
 * Checks a relevant-item set: an Int32Array of ids sorted ascending without duplicates (the
 * layout of one CSR row).
 * @throws {TypeError} when it is not an Int32Array.
 * @throws {RangeError} when it is not strictly increasing.
 * @example
 * checkSortedSet('f', 'relevant', Int32Array.of(1, 4, 9)); // ok; Int32Array.of(4, 1) throws
 */
export function checkSortedSet(where: string, name: string, value: unknown): Int32Array {
  const a = checkInt32Array(where, name, value);
  for (let i = 1; i < a.length; i++) {
    if (a[i] <= a[i - 1]) {
      throw quiverError('RangeError', { where, what: `${name} must be sorted ascending without duplicates`, got: `${a[i - 1]} then ${a[i]} at [${i - 1}], [${i}]` });
    }
  }
  return a;
}
