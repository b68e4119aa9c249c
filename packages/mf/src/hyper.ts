import { checkInRange } from '@quiver/core';

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
