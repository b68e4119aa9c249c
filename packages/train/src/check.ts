/**
 * Argument checks of @quiver/train that @quiver/core's `check.ts` does not cover. Messages
 * follow the repo form `where: name must be allowed, got bad`.
 */
import { describeValue } from '@quiver/core';

/** Throws `TypeError` unless `value` is an Int32Array. */
export function checkInt32Array(where: string, name: string, value: unknown): Int32Array {
  if (!(value instanceof Int32Array)) {
    throw new TypeError(`${where}: ${name} must be an Int32Array, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws `TypeError` unless `value` is a Float32Array or a Float64Array. */
export function checkFloatArray(where: string, name: string, value: unknown): Float32Array | Float64Array {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw new TypeError(`${where}: ${name} must be a Float32Array or a Float64Array, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks a relevant-item set: an Int32Array of ids sorted ascending without duplicates (the
 * layout of one CSR row).
 * @throws {TypeError} when it is not an Int32Array.
 * @throws {RangeError} when it is not strictly increasing.
 */
export function checkSortedSet(where: string, name: string, value: unknown): Int32Array {
  const a = checkInt32Array(where, name, value);
  for (let i = 1; i < a.length; i++) {
    if (a[i] <= a[i - 1]) {
      throw new RangeError(`${where}: ${name} must be sorted ascending without duplicates, got ${a[i - 1]} then ${a[i]} at [${i - 1}], [${i}]`);
    }
  }
  return a;
}

/** Throws unless two arrays have the same length. */
export function checkSameLength(where: string, nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new RangeError(`${where}: ${nameB} must have the length of ${nameA} (${a.length}), got ${b.length}`);
  }
}

/** Throws `TypeError` unless `value` is a plain options object (or undefined). */
export function checkOptionsObject(where: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}
