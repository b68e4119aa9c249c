/**
 * What every search function returns ({@link SearchResult}) and the rule that picks its best
 * evaluation.
 */
import { quiverError } from '@quiver/base';
import type { Params } from './search-space.js';

/** Whether the objective is minimised (`'min'`, a loss or an RMSE) or maximised (`'max'`, a recall). */
export type SearchMode = 'min' | 'max';

/** What a search tells the objective besides the parameters. */
export interface ObjectiveContext {
  /** Index of this evaluation in {@link SearchResult.trials} (0-based). */
  readonly trial: number;
  /** The budget to train with (epochs) for successive halving and hyperband; null for random search. */
  readonly budget: number | null;
}

/**
 * The function a search optimises: trains with `params` (for `context.budget` epochs, when
 * there is a budget) and returns the validation metric. Synchronous. It should be
 * deterministic for given params and budget: a point evaluated twice at one budget (a repeated
 * draw, or one already in the journal) is evaluated only once.
 */
export type Objective<P extends Params = Params> = (params: P, context: ObjectiveContext) => number;

/** One evaluation of a search. */
export interface SearchTrial<P extends Params = Params> {
  /** Position in {@link SearchResult.trials} (0-based). */
  readonly index: number;
  /** The parameters evaluated (a frozen object, keys in the space's declaration order). */
  readonly params: P;
  /** What the objective returned; NaN and ±Infinity are kept but never chosen as best. */
  readonly value: number;
  /** The budget of the evaluation; null for random search. */
  readonly budget: number | null;
}

/** The best evaluation of a search. */
export interface SearchBest<P extends Params = Params> {
  /** Its parameters. */
  readonly params: P;
  /** Its objective value (finite). */
  readonly value: number;
  /** Its index in {@link SearchResult.trials}. */
  readonly index: number;
}

/** The result of {@link randomSearch}, {@link successiveHalving} and {@link hyperband}. */
export interface SearchResult<P extends Params = Params> {
  /** The direction the objective was optimised in. */
  readonly mode: SearchMode;
  /** Every evaluation, in the order the search made them (a repeated one is listed each time). */
  readonly trials: readonly SearchTrial<P>[];
  /**
   * The best finite value among the evaluations at the largest budget that has a finite value
   * (all evaluations for random search); ties go to the lower index.
   */
  readonly best: SearchBest<P>;
}

/**
 * Picks the best evaluation: only finite values count; among them, only those at the largest
 * budget (random search has none, so all count); then the smallest (`'min'`) or largest
 * (`'max'`) value, ties to the lower index.
 * @throws {Error} when no evaluation has a finite value.
 * @example
 * pickBest('randomSearch', 'min', result.trials); // { params, value, index }
 */
export function pickBest<P extends Params>(where: string, mode: SearchMode, trials: readonly SearchTrial<P>[]): SearchBest<P> {
  let top = -Infinity;
  for (const t of trials) if (Number.isFinite(t.value)) top = Math.max(top, t.budget ?? 0);
  let best: SearchTrial<P> | null = null;
  for (const t of trials) {
    if (!Number.isFinite(t.value) || (t.budget ?? 0) !== top) continue;
    if (best === null || (mode === 'min' ? t.value < best.value : t.value > best.value)) best = t;
  }
  if (best === null) {
    throw quiverError('Error', { where, what: 'the objective must return a finite value for at least one evaluation', got: `${trials.length} evaluation(s), all NaN or infinite` });
  }
  return Object.freeze({ params: best.params, value: best.value, index: best.index });
}
