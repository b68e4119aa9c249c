import { checkInRange, checkPositiveInt, quiverError } from '@quiver/base';

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(where: string, name: string, value: unknown): number {
  return checkInRange(where, name, value, 0, Infinity, { loOpen: true, hiOpen: true });
}

/** Throws unless `value` is a finite number >= 0. */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  return checkInRange(where, name, value, 0, Infinity, { hiOpen: true });
}

/** Throws unless `value` is a finite number (any sign). */
export function checkSeed(where: string, value: unknown): number {
  return checkInRange(where, 'seed', value, -Infinity, Infinity, { loOpen: true, hiOpen: true });
}

/**
 * Checks a `threads` option: an integer in [1, 16], and more than 1 only when `factors` is a
 * multiple of 4 (the multi-threaded paths run the wasm SIMD kernels).
 * @returns The thread count.
 */
export function checkThreads(where: string, value: unknown, factors: number): number {
  const threads = checkInRange(where, 'threads', checkPositiveInt(where, 'threads', value), 1, 16);
  if (threads > 1 && factors % 4 !== 0) {
    throw quiverError('RangeError', { where, what: 'threads > 1 requires factors to be a multiple of 4 (the SIMD kernels)', got: `factors ${factors}` });
  }
  return threads;
}

/**
 * Checks a `threads` option of a model whose threads run plain kernels (no SIMD condition): an
 * integer in [1, 16].
 * @returns The thread count.
 */
export function checkPlainThreads(where: string, value: unknown): number {
  return checkInRange(where, 'threads', checkPositiveInt(where, 'threads', value), 1, 16);
}
