/**
 * The memory-budget checks of `@quiver/data`'s readers (the general argument checks live in
 * `@quiver/base`).
 */
import { checkPositiveInt } from '@quiver/base';
import { dataInputError } from './data-input-error.js';

/**
 * Throws when an input of `size` bytes is larger than the caller's memory budget `maxBytes`
 * (checked before anything is read).
 * @throws {RangeError} (a QuiverError with the hint `maxBytes`) naming the source, its size and the budget.
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
