import { describeValue, quiverError } from '@quiver/base';
import type { SearchJournal } from './search-journal.js';
import type { Objective, SearchTrial } from './search-result.js';
import { paramsKey, type Params } from './search-space.js';

/**
 * Runs the evaluations of one search and records them in order. An evaluation (a point at a
 * budget) already made in this run, or already in the journal, takes the recorded value
 * instead of calling the objective; a new one calls the objective and, with a journal, is
 * appended to it as soon as it returns. So a restarted search calls the objective exactly for
 * the evaluations its journal lacks.
 * @example
 * const runner = new TrialRunner('randomSearch', objective, journal);
 * runner.run(params, null); // { index: 0, params, value, budget: null }
 */
export class TrialRunner<P extends Params> {
  /** The evaluations so far, in order. */
  readonly trials: SearchTrial<P>[] = [];
  private readonly where: string;
  private readonly objective: Objective<P>;
  private readonly journal: SearchJournal | null;
  private readonly seen = new Map<string, number>();

  /**
   * @param where - The search function, named in error messages.
   * @param objective - The checked objective.
   * @param journal - The open journal, or null.
   */
  constructor(where: string, objective: Objective<P>, journal: SearchJournal | null) {
    this.where = where;
    this.objective = objective;
    this.journal = journal;
  }

  /**
   * Evaluates `params` at `budget` (or takes the recorded value) and appends the trial.
   * @returns The new trial.
   * @throws {TypeError} when the objective returns something other than a number; whatever the objective throws.
   * @example
   * runner.run({ x: 0.5 }, 3).value;
   */
  run(params: P, budget: number | null): SearchTrial<P> {
    const index = this.trials.length;
    const key = paramsKey(params);
    const seenKey = `${budget === null ? '-' : budget}\t${key}`;
    let value = this.seen.get(seenKey) ?? this.journal?.get(key, budget);
    if (value === undefined) {
      const v: unknown = this.objective(params, Object.freeze({ trial: index, budget }));
      if (typeof v !== 'number') {
        throw quiverError('TypeError', { where: this.where, what: `the objective must return a number (the validation metric); trial ${index} returned something else`, got: describeValue(v) });
      }
      value = v;
      this.journal?.append(key, budget, value);
    }
    this.seen.set(seenKey, value);
    const trial: SearchTrial<P> = Object.freeze({ index, params, value, budget });
    this.trials.push(trial);
    return trial;
  }
}
