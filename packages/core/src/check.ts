/**
 * Argument checks shared by every public entry point of Quiver.
 *
 * Messages follow one form: `where: what must be allowed, got bad`. `TypeError` means the
 * wrong kind of value, `RangeError` a value out of bounds. Messages that would be built on a
 * per-batch path are built lazily, only when the check fails.
 */

/** Formats a value for an error message without dumping megabytes. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
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

/**
 * Throws `RangeError` unless `value` is an integer >= 1 (a size or a count).
 * @throws {TypeError} when value is not a number.
 */
export function checkPositiveInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: ${name} must be a positive integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is an integer >= 0. */
export function checkNonNegativeInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: ${name} must be a non-negative integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a finite number (not NaN, not ±Infinity). */
export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number, got ${value}`);
  }
  return value;
}

/**
 * Throws unless `lo <= value <= hi` (or `< hi` when `hiOpen`). The range is printed the way
 * mathematicians write it: `[0, 1)`.
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
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: ${name} must be a number in ${range}, got ${describe(value)}`);
  }
  const belowLo = options.loOpen ? !(value > lo) : !(value >= lo);
  const aboveHi = options.hiOpen ? !(value < hi) : !(value <= hi);
  if (belowLo || aboveHi) {
    throw new RangeError(`${where}: ${name} must be in ${range}, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `'${a}'`).join(', ');
    throw new RangeError(`${where}: ${name} must be one of ${list}, got ${describe(value)}`);
  }
  return value as T;
}

/**
 * Rejects option names that `where` does not know, so a typo such as `paddingIndex` fails
 * loudly instead of being ignored.
 */
export function checkOptionNames(where: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where}: unknown option "${key}"; known options are ${known.map((k) => `"${k}"`).join(', ')}`,
      );
    }
  }
}

/**
 * Checks every entry of `indices` is an integer in `[0, bound)`. The message names the bad
 * value, its flat position (and its multi-dimensional position when `shape` is given) and the
 * allowed range. One pass, no allocation when everything is valid.
 */
export function checkIndices(
  where: string,
  name: string,
  indices: ArrayLike<number>,
  bound: number,
  shape?: readonly number[],
): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!(v >= 0 && v < bound && Math.floor(v) === v)) {
      const at = shape && shape.length > 1 ? `[${unravel(i, shape).join(', ')}]` : `[${i}]`;
      const what = Number.isInteger(v) ? 'out of range' : 'not an integer';
      throw new RangeError(
        `${where}: ${name}${at} = ${v} is ${what}; indices must be integers in [0, ${bound - 1}]`,
      );
    }
  }
}

/** Turns a flat row-major position into a multi-index for `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return out;
}

/** Product of a shape's dimensions (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** `[2, 3]` → `"[2, 3]"`, for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
