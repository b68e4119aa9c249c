import { describeValue as describe, formatShape, quiverError } from '@quiver/base';

/** A flat row-major typed array plus its shape, as the encoders accept it. */
export interface ArrayArg {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/**
 * Checks an encoder argument: an object with `data` (a `Float32Array`, or an `Int32Array`
 * when `allowInt32`) and `shape` (non-negative safe integers whose product is `data.length`).
 * A `Tensor` passes as is.
 * @throws {TypeError} for the wrong kind of value.
 * @throws {RangeError} for a bad dimension or a size that does not match the shape.
 */
export function checkArrayArg(where: string, name: string, value: unknown, allowInt32: boolean): ArrayArg {
  const kinds = allowInt32 ? 'a Float32Array or an Int32Array' : 'a Float32Array';
  if (typeof value !== 'object' || value === null) {
    throw quiverError('TypeError', { where, what: `${name} must be a Tensor or { data, shape } with data ${kinds}`, got: describe(value) });
  }
  const { data, shape } = value as { data?: unknown; shape?: unknown };
  if (!(data instanceof Float32Array) && !(allowInt32 && data instanceof Int32Array)) {
    throw quiverError('TypeError', { where, what: `${name}.data must be ${kinds}`, got: describe(data) });
  }
  if (!Array.isArray(shape)) {
    throw quiverError('TypeError', { where, what: `${name}.shape must be an array of non-negative integers`, got: describe(shape) });
  }
  let size = 1;
  for (let d = 0; d < shape.length; d++) {
    const n: unknown = shape[d];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw quiverError('RangeError', { where, what: `${name}.shape[${d}] must be a non-negative integer`, got: describe(n) });
    }
    size *= n;
  }
  if (size !== data.length) {
    throw quiverError('RangeError', { where, what: `${name}.data has ${data.length} values but shape ${formatShape(shape as number[])} needs ${size}` });
  }
  return { data, shape: shape as number[] };
}

/**
 * Number of elements of `shape`, or -1 when `shape` needs more than `availableBytes` bytes at
 * `itemSize` bytes each. Stops multiplying as soon as the bound is passed, so a header
 * claiming 10^12 elements is refused without overflow and before anything is allocated.
 */
export function boundedSize(shape: readonly number[], itemSize: number, availableBytes: number): number {
  for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return 0;
  const maxElements = Math.floor(availableBytes / itemSize);
  let n = 1;
  for (let d = 0; d < shape.length; d++) {
    n *= shape[d];
    if (n > maxElements) return -1;
  }
  return n;
}

/** Product of `shape` as a float, for messages only (may be inexact beyond 2^53). */
export function claimedSize(shape: readonly number[]): number {
  let n = 1;
  for (let d = 0; d < shape.length; d++) n *= shape[d];
  return n;
}
