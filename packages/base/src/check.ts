/**
 * Argument checks shared by every public entry point of Quiver.
 *
 * Messages follow one form: `where: what must be allowed, got bad`, and every check throws a
 * {@link QuiverError} carrying those parts. `TypeError` means the wrong kind of value,
 * `RangeError` a value out of bounds. Messages that would be built on a per-batch path are
 * built lazily, only when the check fails.
 */
import { quiverError } from './quiver-error.js';

/**
 * Formats a value for an error message without dumping megabytes: strings quoted (cut at 80
 * characters), typed arrays and arrays as `Float32Array(3)`, objects by class name.
 * @example
 * describeValue(new Float64Array(3)); // 'Float64Array(3)'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'function') return 'function';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? name : 'object';
}

/** The TypeError of a check: `where: name must be allowed, got describe(value)`. */
function wrongKind(where: string, name: string, allowed: string, value: unknown): Error {
  return quiverError('TypeError', { where, what: `${name} must be ${allowed}`, got: describeValue(value) });
}

/** The RangeError of a check: `where: name must be allowed, got value`. */
function outOfRange(where: string, name: string, allowed: string, value: unknown): Error {
  return quiverError('RangeError', { where, what: `${name} must be ${allowed}`, got: typeof value === 'number' ? String(value) : describeValue(value) });
}

/**
 * Throws unless `value` is an integer >= 1 (a size or a count).
 * @returns `value`.
 * @throws {TypeError} when value is not a number; {@link RangeError} when it is not an integer >= 1.
 * @example
 * checkPositiveInt('Embedding', 'numEmbeddings', 10); // 10
 */
export function checkPositiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw wrongKind(where, name, 'a positive integer', value);
  if (!Number.isInteger(value) || value < 1) throw outOfRange(where, name, 'a positive integer', value);
  return value;
}

/**
 * Throws unless `value` is an integer >= 0.
 * @returns `value`.
 * @example
 * checkNonNegativeInt('BiasedMF', 'epochs', 0); // 0
 */
export function checkNonNegativeInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw wrongKind(where, name, 'a non-negative integer', value);
  if (!Number.isInteger(value) || value < 0) throw outOfRange(where, name, 'a non-negative integer', value);
  return value;
}

/**
 * Throws unless `value` is a finite number (not NaN, not ±Infinity).
 * @returns `value`.
 * @example
 * checkFinite('evaluateRanking', 'options.relevantMin', 4); // 4
 */
export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw wrongKind(where, name, 'a finite number', value);
  if (!Number.isFinite(value)) throw outOfRange(where, name, 'a finite number', value);
  return value;
}

/**
 * Throws unless `lo <= value <= hi` (bounds open when asked). The range is printed the way
 * mathematicians write it: `[0, 1)`.
 * @returns `value`.
 * @example
 * checkInRange('Adam', 'betas[1]', 0.999, 0, 1, { hiOpen: true });
 */
export function checkInRange(
  where: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  options: { loOpen?: boolean; hiOpen?: boolean } = {},
): number {
  const range = `${options.loOpen ? '(' : '['}${lo}, ${hi}${options.hiOpen ? ')' : ']'}`;
  if (typeof value !== 'number') throw wrongKind(where, name, `a number in ${range}`, value);
  const belowLo = options.loOpen ? !(value > lo) : !(value >= lo);
  const aboveHi = options.hiOpen ? !(value < hi) : !(value <= hi);
  if (belowLo || aboveHi) throw outOfRange(where, name, `in ${range}`, value);
  return value;
}

/**
 * Throws unless `value` is a boolean.
 * @returns `value`.
 * @example
 * checkBoolean('Embedding', 'sparse', true);
 */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw wrongKind(where, name, 'a boolean', value);
  return value;
}

/**
 * Throws `RangeError` unless `value` is one of `allowed`.
 * @returns `value`, typed as one of `allowed`.
 * @example
 * checkOneOf('ALS', 'solver', 'cg', ['cg', 'cholesky'] as const); // 'cg'
 */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `'${JSON.stringify(a).slice(1, -1)}'`).join(', ');
    throw quiverError('RangeError', { where, what: `${name} must be one of ${list}`, got: describeValue(value) });
  }
  return value as T;
}

/**
 * Rejects option names that `where` does not know, so a typo such as `paddingIndex` fails
 * loudly instead of being ignored. `undefined` is accepted (no options).
 * @throws {TypeError} for a non-object or an unknown name (the message lists the known ones).
 * @example
 * checkOptionNames('Trainer', options, ['epochs', 'seed']);
 */
export function checkOptionNames(where: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw wrongKind(where, 'options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw quiverError('TypeError', { where, what: `unknown option ${JSON.stringify(key)}; the options are ${known.map((k) => JSON.stringify(k)).join(', ')}` });
    }
  }
}

/**
 * {@link checkOptionNames}, returning the options (`{}` for undefined) so a caller can read them.
 * @example
 * const o = checkOptions('readCsv', options, ['delimiter', 'header']);
 */
export function checkOptions<T extends object>(where: string, value: T | undefined, known?: readonly string[]): T {
  if (value === undefined) return {} as T;
  if (known === undefined) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw wrongKind(where, 'options', 'an object', value);
  } else checkOptionNames(where, value, known);
  return value;
}

/**
 * Throws `TypeError` unless `value` is an `Int32Array`.
 * @example
 * checkInt32Array('fromArrays', 'userIds', ids);
 */
export function checkInt32Array(where: string, name: string, value: unknown): Int32Array {
  if (!(value instanceof Int32Array)) throw wrongKind(where, name, 'an Int32Array', value);
  return value;
}

/**
 * Throws unless `id` is an integer in `[0, bound)` (a dense user or item index). `RangeError`
 * names the value and the range.
 * @example
 * checkId('BiasedMF.recommend', 'user', 3, 610); // 3
 * @throws {TypeError} when `id` is not a number.
 * @throws {RangeError} when it is out of range or not an integer.
 */
export function checkId(where: string, name: string, id: unknown, bound: number): number {
  if (typeof id !== 'number') throw wrongKind(where, name, 'an integer id', id);
  if (!Number.isInteger(id) || id < 0 || id >= bound) throw outOfRange(where, name, `in [0, ${bound - 1}]`, id);
  return id;
}

/**
 * Throws unless `ids` is an Int32Array whose entries are all in `[0, bound)`.
 * @example
 * checkIdArray('BiasedMF.predict', 'items', items, 9724);
 * @throws {TypeError} when `ids` is not an Int32Array.
 * @throws {RangeError} naming the first bad position and value.
 */
export function checkIdArray(where: string, name: string, ids: unknown, bound: number): Int32Array {
  if (!(ids instanceof Int32Array)) throw wrongKind(where, name, 'an Int32Array', ids);
  for (let n = 0; n < ids.length; n++) {
    const v = ids[n];
    if (v < 0 || v >= bound) throw outOfRange(where, `${name}[${n}]`, `in [0, ${bound - 1}]`, v);
  }
  return ids;
}

/**
 * Checks every entry of `indices` is an integer in `[0, bound)`. The message names the bad
 * value, its flat position (and its multi-dimensional position when `shape` is given) and the
 * allowed range. One pass, no allocation when everything is valid.
 * @throws {RangeError} at the first bad entry.
 * @example
 * checkIndices('Embedding.forward', 'input', ids, 10, [2, 3]);
 */
export function checkIndices(where: string, name: string, indices: ArrayLike<number>, bound: number, shape?: readonly number[]): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!(v >= 0 && v < bound && Math.floor(v) === v)) {
      const at = shape && shape.length > 1 ? `[${unravel(i, shape).join(', ')}]` : `[${i}]`;
      const what = Number.isInteger(v) ? 'out of range' : 'not an integer';
      throw quiverError('RangeError', { where, what: `${name}${at} = ${v} is ${what}; indices must be integers in [0, ${bound - 1}]` });
    }
  }
}

/**
 * Turns a flat row-major position into a multi-index for `shape`.
 * @example
 * unravel(5, [2, 3]); // [1, 2]
 */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return out;
}

/**
 * Product of a shape's dimensions (1 for a scalar shape `[]`).
 * @example
 * shapeSize([2, 3]); // 6
 */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * `[2, 3]` → `"[2, 3]"`, for messages.
 * @example
 * formatShape([2, 3]); // '[2, 3]'
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
