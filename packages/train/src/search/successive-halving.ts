import { checkPositiveInt, createRng, type Rng } from '@quiver/base';
import { checkHalvingBudgets, hyperbandSchedule, successiveHalvingSchedule, type Rung } from './halving-schedule.js';
import { SearchJournal } from './search-journal.js';
import { checkSearchSetup } from './search-options.js';
import { pickBest, type Objective, type SearchMode, type SearchResult } from './search-result.js';
import { drawParams, type ParamsOf, type SearchSpace } from './search-space.js';
import { TrialRunner } from './trial-runner.js';

/** Options of {@link hyperband}. */
export interface HyperbandOptions {
  /** The smallest budget (epochs) a configuration is trained for: an integer >= 1. */
  readonly minBudget: number;
  /** The largest budget: an integer >= minBudget. */
  readonly maxBudget: number;
  /** Reduction factor: each rung keeps the best 1/eta and multiplies the budget by eta; a number >= 2. @defaultValue 3 */
  readonly eta?: number;
  /** Seed of the configurations' draws. @defaultValue 42 */
  readonly seed?: number | string;
  /** `'min'` when smaller objective values are better, `'max'` when larger are. */
  readonly mode: SearchMode;
  /**
   * Path of a journal file that makes the search resumable (see {@link RandomSearchOptions.journal});
   * its header holds the search kind, seed, mode, space and the schedule options, which must
   * all match on a rerun.
   * @defaultValue none
   */
  readonly journal?: string;
}

/** Options of {@link successiveHalving}. */
export interface SuccessiveHalvingOptions extends HyperbandOptions {
  /**
   * Configurations drawn for the first rung: an integer >= 1.
   * @defaultValue eta^(rungs − 1) (rounded up), so that exactly one reaches the last rung
   */
  readonly candidates?: number;
}

/**
 * Runs one successive-halving bracket: every live configuration at each rung's budget, then
 * keeps the next rung's number of them, best values first (finite values only; ties to the
 * earlier configuration), in their original order. Stops early when a rung has no finite value.
 */
function runBracket<P extends ParamsOf<SearchSpace>>(runner: TrialRunner<P>, mode: SearchMode, configs: readonly P[], rungs: readonly Rung[]): void {
  let live = configs.map((_, i) => i);
  for (let r = 0; r < rungs.length; r++) {
    const values = live.map((c) => runner.run(configs[c], rungs[r].budget).value);
    if (r + 1 === rungs.length) break;
    const order = live.map((_, j) => j).filter((j) => Number.isFinite(values[j]));
    order.sort((a, b) => (mode === 'min' ? values[a] - values[b] : values[b] - values[a]) || a - b);
    live = order.slice(0, rungs[r + 1].numConfigs).sort((a, b) => a - b).map((j) => live[j]);
    if (live.length === 0) break;
  }
}

function drawConfigs<S extends SearchSpace>(space: SearchSpace, rng: Rng, n: number): ParamsOf<S>[] {
  const out: ParamsOf<S>[] = [];
  for (let i = 0; i < n; i++) out.push(drawParams(space, rng) as ParamsOf<S>);
  return out;
}

/**
 * Successive halving (Jamieson & Talwalkar 2016): draws `candidates` configurations, evaluates
 * them all at `minBudget`, keeps the best 1/eta, multiplies the budget by eta, and repeats up to
 * `maxBudget`. The schedule is {@link successiveHalvingSchedule}: rung i keeps
 * `floor(candidates · eta^−i)` configurations at budget `round(minBudget · eta^i)` (budgets are
 * epochs, so integers), for every such budget <= maxBudget, stopping early at a rung that
 * would keep none. The objective gets the budget in `context.budget`.
 *
 * Configurations are drawn in order from one generator seeded with `seed` before any
 * evaluation. Only finite values are promoted (a NaN configuration is dropped, so a rung may
 * hold fewer than scheduled); ties go to the earlier configuration. `best` is chosen among the
 * evaluations at the largest budget reached (the largest with a finite value).
 * @param space - The parameters and how to draw them.
 * @param objective - Trains with the params for `context.budget` epochs and returns the validation metric.
 * @returns Every evaluation with its budget (rung by rung, configurations in draw order), and the best.
 * @throws {TypeError} / {@link RangeError} for a bad space or options; {@link Error} when no
 * evaluation has a finite value, or when the journal belongs to a different search. Whatever
 * the objective throws is passed on (the journal keeps what finished).
 * @example
 * const result = successiveHalving(space, (p, { budget }) => trainAndScore(p, budget!), { minBudget: 1, maxBudget: 27, mode: 'min' });
 * // 27 configurations for 1 epoch, the best 9 for 3, the best 3 for 9, the best for 27
 */
export function successiveHalving<S extends SearchSpace>(space: S, objective: Objective<ParamsOf<S>>, options: SuccessiveHalvingOptions): SearchResult<ParamsOf<S>> {
  const where = 'successiveHalving';
  const setup = checkSearchSetup(where, space, objective, options, ['candidates', 'minBudget', 'maxBudget', 'eta', 'seed', 'mode', 'journal']);
  const budgets = checkHalvingBudgets(where, options);
  const rungs = successiveHalvingSchedule({ ...budgets, ...(options.candidates === undefined ? {} : { candidates: checkPositiveInt(where, 'options.candidates', options.candidates) }) });
  const configs = drawConfigs<S>(setup.space, createRng(setup.seed), rungs[0].numConfigs);
  const journal = setup.journal === null ? null : SearchJournal.open(where, setup.journal, {
    search: 'successive-halving', seed: setup.seed, mode: setup.mode, space: setup.space, candidates: rungs[0].numConfigs, ...budgets,
  });
  const runner = new TrialRunner(where, objective, journal);
  runBracket(runner, setup.mode, configs, rungs);
  return { mode: setup.mode, trials: runner.trials, best: pickBest(where, setup.mode, runner.trials) };
}

/**
 * Hyperband (Li et al. 2018): runs successive halving in the brackets s = sMax … 0 of
 * {@link hyperbandSchedule}, bracket s with `ceil((sMax + 1) / (s + 1) · eta^s)` fresh
 * configurations starting at budget `maxBudget · eta^−s` (rounded to an integer), so it hedges
 * between many short runs and few long ones. Every bracket ends at `maxBudget`.
 *
 * Configurations are drawn in order (bracket sMax first) from one generator seeded with
 * `seed` before any evaluation. `best` is chosen among the evaluations at the largest budget
 * (`maxBudget`, in every bracket; the largest with a finite value); ties go to the lower index.
 * @param space - The parameters and how to draw them.
 * @param objective - Trains with the params for `context.budget` epochs and returns the validation metric.
 * @returns Every evaluation with its budget (bracket by bracket, rung by rung), and the best.
 * @throws {TypeError} / {@link RangeError} for a bad space or options; {@link Error} when no
 * evaluation has a finite value, or when the journal belongs to a different search. Whatever
 * the objective throws is passed on (the journal keeps what finished).
 * @example
 * const result = hyperband(space, (p, { budget }) => trainAndScore(p, budget!), { minBudget: 1, maxBudget: 81, mode: 'max', journal: 'hb.jsonl' });
 * result.best; // the best configuration trained for 81 epochs
 */
export function hyperband<S extends SearchSpace>(space: S, objective: Objective<ParamsOf<S>>, options: HyperbandOptions): SearchResult<ParamsOf<S>> {
  const where = 'hyperband';
  const setup = checkSearchSetup(where, space, objective, options, ['minBudget', 'maxBudget', 'eta', 'seed', 'mode', 'journal']);
  const budgets = checkHalvingBudgets(where, options);
  const brackets = hyperbandSchedule(budgets);
  const rng = createRng(setup.seed);
  const configs = brackets.map((b) => drawConfigs<S>(setup.space, rng, b.rungs[0].numConfigs));
  const journal = setup.journal === null ? null : SearchJournal.open(where, setup.journal, {
    search: 'hyperband', seed: setup.seed, mode: setup.mode, space: setup.space, ...budgets,
  });
  const runner = new TrialRunner(where, objective, journal);
  brackets.forEach((b, i) => runBracket(runner, setup.mode, configs[i], b.rungs));
  return { mode: setup.mode, trials: runner.trials, best: pickBest(where, setup.mode, runner.trials) };
}
