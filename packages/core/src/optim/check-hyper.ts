import { checkFinite, checkInRange, describeValue as describe, quiverError } from '@quiver/base';

/**
 * Hyperparameter checks shared by the optimizers and schedules. Messages follow the
 * `where: name must be allowed, got bad` form of `check.ts`.
 */

/** Throws unless `value` is a finite number `>= 0`. */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  checkFinite(where, name, value);
  if ((value as number) < 0) throw quiverError('RangeError', { where, what: `${name} must be >= 0`, got: String(value) });
  return value as number;
}

/** Throws unless `value` is a finite number `> 0`. */
export function checkPositive(where: string, name: string, value: unknown): number {
  checkFinite(where, name, value);
  if (!((value as number) > 0)) throw quiverError('RangeError', { where, what: `${name} must be > 0`, got: String(value) });
  return value as number;
}

/** Checks Adam-style `betas`: a pair, each in `[0, 1)`. Returns a fresh tuple. */
export function checkBetas(where: string, name: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw quiverError('TypeError', { where, what: `${name} must be a pair [beta1, beta2]`, got: describe(value) });
  }
  checkInRange(where, `${name}[0]`, value[0], 0, 1, { hiOpen: true });
  checkInRange(where, `${name}[1]`, value[1], 0, 1, { hiOpen: true });
  return [value[0], value[1]];
}
