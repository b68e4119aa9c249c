import { checkOneOf, checkOptionNames, checkSeed, describeValue, quiverError } from '@quiver/base';
import type { SearchMode } from './search-result.js';
import { checkSearchSpace, type SearchSpace } from './search-space.js';

/** The checked arguments every search function shares. */
export interface SearchSetup {
  /** The normalised space ({@link checkSearchSpace}). */
  readonly space: SearchSpace;
  /** The direction of the objective. */
  readonly mode: SearchMode;
  /** The seed (the default seed when none was given). */
  readonly seed: number | string;
  /** The journal's path, or null for none. */
  readonly journal: string | null;
}

/**
 * Checks what every search function takes: the space, the objective, the option names, and
 * the options `mode`, `seed` and `journal`.
 * @param names - The option names the function knows.
 * @returns The checked values.
 * @throws {TypeError} for a bad space, an objective that is not a function, unknown options or
 * a journal that is not a non-empty string; {@link RangeError} for a bad space or a mode other
 * than 'min' / 'max'.
 * @example
 * const { space, mode, seed, journal } = checkSearchSetup('randomSearch', space, objective, options, ['trials', 'seed', 'mode', 'journal']);
 */
export function checkSearchSetup(where: string, space: unknown, objective: unknown, options: unknown, names: readonly string[]): SearchSetup {
  const checked = checkSearchSpace(where, space);
  if (typeof objective !== 'function') {
    throw quiverError('TypeError', { where, what: 'objective must be a function (params, context) => number', got: describeValue(objective) });
  }
  checkOptionNames(where, options as object | undefined, names);
  const o = (options ?? {}) as Record<string, unknown>;
  const mode = checkOneOf(where, 'options.mode', o.mode, ['min', 'max'] as const);
  const seed = checkSeed(where, 'options.seed', o.seed);
  let journal: string | null = null;
  if (o.journal !== undefined) {
    if (typeof o.journal !== 'string' || o.journal.length === 0) {
      throw quiverError('TypeError', { where, what: 'options.journal must be a file path (a non-empty string)', got: describeValue(o.journal) });
    }
    journal = o.journal;
  }
  return { space: checked, mode, seed, journal };
}
