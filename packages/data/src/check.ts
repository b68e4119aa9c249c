/**
 * Argument checks for the public entry points of `@quiver/data` (the package keeps its own
 * copy: it must not import `@quiver/core`). Messages read `where: what must be allowed, got bad`.
 */
import { dataInputError } from './data-input-error.js';

/** Formats a value for an error message without dumping megabytes. */
export function describe(value: unknown): string {
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

/** Throws unless `value` is an integer >= 1. */
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

/** Throws unless `value` is a finite number. */
export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: ${name} must be a finite number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`${where}: ${name} must be a finite number, got ${value}`);
  return value;
}

/** Throws unless `lo <= value <= hi` (bounds open when asked); the range prints as `(0, 1)`. */
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
  if (belowLo || aboveHi) throw new RangeError(`${where}: ${name} must be in ${range}, got ${value}`);
  return value;
}

/** Throws `TypeError` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `'${JSON.stringify(a).slice(1, -1)}'`).join(' | ');
    throw new TypeError(`${where}: ${name} must be ${list}, got ${describe(value)}`);
  }
  return value as T;
}

/** Throws `TypeError` unless `value` is an `Int32Array`. */
export function checkInt32Array(where: string, name: string, value: unknown): Int32Array {
  if (!(value instanceof Int32Array)) throw new TypeError(`${where}: ${name} must be an Int32Array, got ${describe(value)}`);
  return value;
}

/** Throws `TypeError` unless `value` is a plain options object (or undefined, which gives `{}`). */
export function checkOptions<T extends object>(where: string, value: T | undefined, allowed?: readonly string[]): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(value)}`);
  }
  if (allowed !== undefined) {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; the options are ${allowed.map((k) => JSON.stringify(k)).join(', ')}`);
      }
    }
  }
  return value;
}

/**
 * Throws when an input of `size` bytes is larger than the caller's memory budget `maxBytes`
 * (checked before anything is read).
 * @throws {RangeError} (a DataInputError with the hint `maxBytes`) naming the source, its size and the budget.
 */
export function checkMaxBytes(where: string, source: string, size: number, maxBytes: number | undefined): void {
  if (maxBytes !== undefined && size > maxBytes) {
    throw dataInputError(
      'RangeError',
      where,
      `${source} is ${size} bytes, over the memory budget options.maxBytes = ${maxBytes}`,
      { option: 'maxBytes', value: String(size) },
      '; raise maxBytes, or split the file',
    );
  }
}

/** Checks an optional `maxBytes` option (a positive integer or Infinity). */
export function checkMaxBytesOption(where: string, value: unknown): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  return checkPositiveInt(where, 'options.maxBytes', value);
}
