/**
 * The schedules of successive halving (Jamieson & Talwalkar 2016) and hyperband (Li et al.
 * 2018): how many configurations each rung evaluates, and at which budget. Pure arithmetic,
 * so a search's cost can be read before it runs.
 */
import { checkFinite, checkOptionNames, checkPositiveInt, quiverError } from '@quiver/base';

/** The default reduction factor `eta` of successive halving and hyperband. */
export const DEFAULT_ETA = 3;

/** One rung of a successive-halving schedule. */
export interface Rung {
  /** How many configurations are evaluated at this rung. */
  readonly numConfigs: number;
  /** The budget (epochs) each gets: an integer. */
  readonly budget: number;
}

/** One bracket of hyperband: a successive-halving run. */
export interface HyperbandBracket {
  /** The bracket's `s` (from `sMax` down to 0): it has `s + 1` rungs. */
  readonly s: number;
  /** Its rungs, smallest budget first. */
  readonly rungs: readonly Rung[];
}

/** Budgets shared by {@link successiveHalvingSchedule} and {@link hyperbandSchedule}. */
export interface HalvingBudgets {
  /** The smallest budget (epochs): an integer >= 1. */
  readonly minBudget: number;
  /** The largest budget: an integer >= minBudget. */
  readonly maxBudget: number;
  /** The reduction factor: each rung keeps the best 1/eta and multiplies the budget by eta. A number >= 2. @defaultValue 3 */
  readonly eta?: number;
}

/** Options of {@link successiveHalvingSchedule}. */
export interface SuccessiveHalvingScheduleOptions extends HalvingBudgets {
  /** Configurations of the first rung. @defaultValue eta^(rungs − 1) (rounded up), so that one reaches the last rung */
  readonly candidates?: number;
}

/**
 * Checks `minBudget`, `maxBudget` and `eta` of a halving search's options.
 * @returns The budgets, with `eta` defaulted.
 * @throws {TypeError} for a value that is not a number; {@link RangeError} for a budget that is
 * not an integer >= 1, `maxBudget < minBudget`, or `eta` not finite or below 2.
 * @example
 * checkHalvingBudgets('hyperband', { minBudget: 1, maxBudget: 81 }); // { minBudget: 1, maxBudget: 81, eta: 3 }
 */
export function checkHalvingBudgets(where: string, options: HalvingBudgets): Required<HalvingBudgets> {
  const minBudget = checkPositiveInt(where, 'options.minBudget', options.minBudget);
  const maxBudget = checkPositiveInt(where, 'options.maxBudget', options.maxBudget);
  if (maxBudget < minBudget) throw quiverError('RangeError', { where, what: `options.maxBudget must be >= options.minBudget (${minBudget})`, got: String(maxBudget) });
  const eta = options.eta === undefined ? DEFAULT_ETA : checkFinite(where, 'options.eta', options.eta);
  if (eta < 2) throw quiverError('RangeError', { where, what: 'options.eta must be a number >= 2', got: String(eta) });
  return { minBudget, maxBudget, eta };
}

/** Relative slack for floor / ceil of ratios that are integers in exact arithmetic (non-integer eta). */
const SLACK = 1e-12;

/** Number of budgets minBudget·eta^k (k = 0, 1, …) that are <= maxBudget. */
function numRungs(minBudget: number, maxBudget: number, eta: number): number {
  let k = 0;
  while (minBudget * eta ** (k + 1) <= maxBudget * (1 + SLACK)) k++;
  return k + 1;
}

/**
 * The rungs of successive halving: rung i evaluates `floor(candidates · eta^−i)` configurations
 * at budget `round(minBudget · eta^i)`, for every i with `minBudget · eta^i <= maxBudget`. The
 * schedule ends early at the first rung that would keep no configuration (fewer candidates
 * than `eta^(rungs − 1)`), so its last budget is then below the largest one allowed. Budgets
 * are epochs, so they are rounded to integers (exact for an integer eta).
 * @returns The rungs, smallest budget first.
 * @throws {TypeError} / {@link RangeError} for bad options (see {@link checkHalvingBudgets}; candidates must be an integer >= 1).
 * @example
 * successiveHalvingSchedule({ minBudget: 1, maxBudget: 27, eta: 3 });
 * // [{ numConfigs: 27, budget: 1 }, { numConfigs: 9, budget: 3 }, { numConfigs: 3, budget: 9 }, { numConfigs: 1, budget: 27 }]
 */
export function successiveHalvingSchedule(options: SuccessiveHalvingScheduleOptions): Rung[] {
  const where = 'successiveHalvingSchedule';
  checkOptionNames(where, options, ['candidates', 'minBudget', 'maxBudget', 'eta']);
  const { minBudget, maxBudget, eta } = checkHalvingBudgets(where, options);
  const k = numRungs(minBudget, maxBudget, eta);
  const n = options.candidates === undefined ? Math.ceil(eta ** (k - 1) * (1 - SLACK)) : checkPositiveInt(where, 'options.candidates', options.candidates);
  const rungs: Rung[] = [];
  for (let i = 0; i < k; i++) {
    const numConfigs = Math.floor((n / eta ** i) * (1 + SLACK));
    if (numConfigs < 1) break;
    rungs.push({ numConfigs, budget: Math.min(maxBudget, Math.round(minBudget * eta ** i)) });
  }
  return rungs;
}

/**
 * The brackets of hyperband (Li et al. 2018, Algorithm 1): with `sMax = floor(log_eta(maxBudget
 * / minBudget))`, bracket s (from sMax down to 0) starts `n = ceil((sMax + 1) / (s + 1) · eta^s)`
 * configurations at budget `maxBudget · eta^−s` and runs successive halving to `maxBudget`:
 * rung i evaluates `floor(n · eta^−i)` configurations at `maxBudget · eta^(i − s)`, rounded to
 * an integer (exact when maxBudget is minBudget times a power of an integer eta).
 * @returns The brackets, s = sMax first.
 * @throws {TypeError} / {@link RangeError} for bad options (see {@link checkHalvingBudgets}).
 * @example
 * hyperbandSchedule({ minBudget: 1, maxBudget: 81, eta: 3 }).map((b) => b.rungs[0]);
 * // n = 81, 34, 15, 8, 5 at r = 1, 3, 9, 27, 81 (Table 1 of Li et al.)
 */
export function hyperbandSchedule(options: HalvingBudgets): HyperbandBracket[] {
  const where = 'hyperbandSchedule';
  checkOptionNames(where, options, ['minBudget', 'maxBudget', 'eta']);
  const { minBudget, maxBudget, eta } = checkHalvingBudgets(where, options);
  const sMax = numRungs(minBudget, maxBudget, eta) - 1;
  const brackets: HyperbandBracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    const n = Math.ceil((((sMax + 1) * eta ** s) / (s + 1)) * (1 - SLACK));
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) {
      rungs.push({ numConfigs: Math.floor((n / eta ** i) * (1 + SLACK)), budget: Math.max(minBudget, Math.round(maxBudget / eta ** (s - i))) });
    }
    brackets.push({ s, rungs });
  }
  return brackets;
}
