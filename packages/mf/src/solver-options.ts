import { describeValue, quiverError } from '@quiver/base';

/**
 * The checks every tagged-union option shares (a model's `solver`, ItemKNN's `similarity` and
 * `weighting`): a kind (`'cg'`) or an object tagged by its kind (`{ kind: 'cg', steps: 3 }`)
 * holding the options that belong to it.
 */

/**
 * A `solver` option as an object: a kind alone becomes `{ kind }`.
 * @throws {TypeError} unless `value` is a string or a plain object.
 */
export function solverObject(where: string, value: unknown, kinds: readonly string[], option = 'solver'): Record<string, unknown> {
  const s = typeof value === 'string' ? { kind: value } : value;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    const list = kinds.map((k) => `'${k}'`).join(', ');
    throw quiverError('TypeError', { where, what: `${option} must be one of ${list} or an object { kind, ... }`, got: describeValue(value) });
  }
  return s as Record<string, unknown>;
}

/**
 * Refuses a solver option its kind does not have, naming the option, the kind and the options it has.
 * @throws {RangeError}
 */
export function checkSolverKeys(where: string, s: Record<string, unknown>, known: readonly string[], of: string, tail = '', option = 'solver'): void {
  for (const key of Object.keys(s)) {
    if (!known.includes(key)) {
      throw quiverError('RangeError', { where, what: `${of} has no option ${JSON.stringify(key)}; its options are ${known.map((k) => JSON.stringify(k)).join(', ')}`, got: `${option} ${JSON.stringify(s)}`, tail });
    }
  }
}

/**
 * Refuses a top-level option that moved into `solver`, saying where it goes.
 * @throws {TypeError}
 */
export function refuseMoved(where: string, o: object, moved: Record<string, string>): void {
  if (o === null || typeof o !== 'object') return; // checkOptionNames names the wrong kind
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(moved, key)) {
      throw quiverError('TypeError', { where, what: `option ${JSON.stringify(key)} belongs inside solver`, hint: { option: 'solver', value: moved[key] } });
    }
  }
}
