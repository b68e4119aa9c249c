import { describeValue, quiverError } from '@quiver/base';

/**
 * Checks a sample for the statistics functions: a Float64Array (or, with `arrayLike`, any
 * array-like of numbers) of at least `minLength` finite numbers.
 * @returns The values.
 * @throws {TypeError} for another kind of value; {@link RangeError} when it is too short (the
 * message names the length and the minimum) or holds a non-finite value (the message names the
 * index and the value).
 * @example
 * checkSample('bootstrapCi', 'values', Float64Array.of(0.2, 0.4), 1);
 */
export function checkSample(where: string, name: string, values: unknown, minLength: number, arrayLike = false): ArrayLike<number> {
  const ok = arrayLike
    ? Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array))
    : values instanceof Float64Array;
  if (!ok) throw quiverError('TypeError', { where, what: `${name} must be ${arrayLike ? 'an array or a typed array of numbers' : 'a Float64Array'}`, got: describeValue(values) });
  const v = values as ArrayLike<unknown>;
  if (v.length < minLength) {
    throw quiverError('RangeError', { where, what: `${name} must hold at least ${minLength} value${minLength === 1 ? '' : 's'}`, got: `${v.length}` });
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw quiverError(typeof x === 'number' ? 'RangeError' : 'TypeError', { where, what: `${name}[${i}] must be a finite number`, got: describeValue(x) });
    }
  }
  return v as ArrayLike<number>;
}
