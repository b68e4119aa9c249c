import { checkPositiveInt, createRng } from '@quiver/base';
import { SearchJournal } from './search-journal.js';
import { checkSearchSetup } from './search-options.js';
import { pickBest, type Objective, type SearchMode, type SearchResult } from './search-result.js';
import { drawParams, type ParamsOf, type SearchSpace } from './search-space.js';
import { TrialRunner } from './trial-runner.js';

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions {
  /** Number of points to draw and evaluate: an integer >= 1. */
  readonly trials: number;
  /** Seed of the draws. @defaultValue 42 */
  readonly seed?: number | string;
  /** `'min'` when smaller objective values are better, `'max'` when larger are. */
  readonly mode: SearchMode;
  /**
   * Path of a journal file that makes the search resumable: each finished evaluation is
   * appended to it, and a rerun takes the evaluations it holds instead of calling the
   * objective again. Its header holds the search kind, seed, mode and space, which must match
   * on a rerun; `trials` is not in it, so a finished search can be extended with more trials.
   * @defaultValue none
   */
  readonly journal?: string;
}

/**
 * Random search (Bergstra & Bengio 2012): draws `trials` points of the space and evaluates
 * each once. The points are drawn in order from one generator seeded with `seed` before any
 * evaluation, so point i is the same whatever the objective returns, and the first points of
 * a longer search are those of a shorter one.
 *
 * A NaN or infinite value is recorded but never chosen as best. A point drawn twice is
 * evaluated once (the objective is taken to be deterministic): the repeat reuses the value.
 * @param space - The parameters and how to draw them.
 * @param objective - Trains with the params and returns the validation metric; `context.budget` is null.
 * @returns Every trial in draw order, and the best one (ties to the lower index).
 * @throws {TypeError} / {@link RangeError} for a bad space or options; {@link Error} when no
 * trial has a finite value, or when the journal belongs to a different search. Whatever the
 * objective throws is passed on (the journal keeps what finished).
 * @example
 * const result = randomSearch(
 *   { lr: { kind: 'loguniform', low: 1e-4, high: 0.1 }, factors: { kind: 'int', low: 8, high: 128, log: true } },
 *   (p) => trainAndScore(p.lr, p.factors),
 *   { trials: 30, mode: 'min', seed: 1, journal: 'runs/search.jsonl' },
 * );
 * result.best.params; // { lr: 0.0031…, factors: 57 }
 */
export function randomSearch<S extends SearchSpace>(space: S, objective: Objective<ParamsOf<S>>, options: RandomSearchOptions): SearchResult<ParamsOf<S>> {
  const where = 'randomSearch';
  const setup = checkSearchSetup(where, space, objective, options, ['trials', 'seed', 'mode', 'journal']);
  const trials = checkPositiveInt(where, 'options.trials', options.trials);
  const rng = createRng(setup.seed);
  const points: ParamsOf<S>[] = [];
  for (let i = 0; i < trials; i++) points.push(drawParams(setup.space, rng) as ParamsOf<S>);
  const journal = setup.journal === null ? null : SearchJournal.open(where, setup.journal, { search: 'random', seed: setup.seed, mode: setup.mode, space: setup.space });
  const runner = new TrialRunner(where, objective, journal);
  for (const p of points) runner.run(p, null);
  return { mode: setup.mode, trials: runner.trials, best: pickBest(where, setup.mode, runner.trials) };
}
