import { checkOneOf, checkOptionNames, describeValue, quiverError } from '@quiver/base';
import type { Interactions } from '@quiver/data';
import { crossValidate, type CrossValidateOptions } from './cross-validate.js';
import type { TrainableModel } from './model-types.js';

/** Options of {@link gridSearch}: those of {@link crossValidate} plus what to optimise. */
export interface GridSearchOptions extends CrossValidateOptions {
  /** The metric that ranks the candidates. @defaultValue the first metric reported (`'rmse'` for explicit models, `precision@k` otherwise) */
  readonly metric?: string;
  /** Whether smaller or larger is better; `'auto'` picks `'min'` for rmse / mae. @defaultValue 'auto' */
  readonly mode?: 'auto' | 'min' | 'max';
}

/** One candidate of a {@link GridSearchResult}. */
export interface GridCandidate<P> {
  /** The hyper-parameters tried. */
  readonly params: P;
  /** Mean of each metric over folds. */
  readonly mean: Readonly<Record<string, number>>;
  /** Standard deviation of each metric over folds. */
  readonly std: Readonly<Record<string, number>>;
  /** 1-based rank by the chosen metric (1 is best; ties keep grid order). */
  readonly rank: number;
}

/** The result of {@link gridSearch}. */
export interface GridSearchResult<P> {
  /** The metric candidates were ranked by. */
  readonly metric: string;
  /** The metric's direction: `'min'` when smaller is better (the resolved `mode` option). */
  readonly mode: 'min' | 'max';
  /** Every candidate in grid order (the first key varies slowest). */
  readonly candidates: readonly GridCandidate<P>[];
  /** The best candidate. */
  readonly best: GridCandidate<P>;
}

/**
 * Exhaustive search over a hyper-parameter grid: every combination of the listed values is
 * cross-validated with {@link crossValidate} (same folds for every candidate) and ranked by
 * one metric.
 * @param makeModel - Builds an untrained model from one combination of parameters.
 * @param grid - Parameter name → the values to try, e.g. `{ factors: [32, 64], reg: [0.02, 0.05] }`.
 * @param data - The dataset.
 * @returns All candidates with their rank, and the best one.
 * @throws {TypeError} when the grid is not an object of non-empty arrays.
 * @example
 * const gs = gridSearch((p) => new BiasedMF(p), { factors: [32, 64], reg: [0.02, 0.05] }, data, { folds: 3 });
 * gs.best.params; // { factors: 64, reg: 0.05 }
 */
export function gridSearch<P extends Record<string, unknown>>(
  makeModel: (params: P) => TrainableModel,
  grid: { readonly [K in keyof P]: readonly P[K][] },
  data: Interactions,
  options?: GridSearchOptions,
): GridSearchResult<P> {
  const where = 'gridSearch';
  checkOptionNames(where, options, ['folds', 'seed', 'metrics', 'k', 'relevantMin', 'coldStart', 'train', 'metric', 'mode']);
  if (typeof makeModel !== 'function') throw quiverError('TypeError', { where, what: 'makeModel must be a function returning a model', got: describeValue(makeModel) });
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) throw quiverError('TypeError', { where, what: 'grid must be an object of value arrays', got: describeValue(grid) });
  const keys = Object.keys(grid) as (keyof P & string)[];
  for (const key of keys) {
    const values = grid[key];
    if (!Array.isArray(values) || values.length === 0) throw quiverError('TypeError', { where, what: `grid.${key} must be a non-empty array`, got: describeValue(values) });
  }
  const { metric: metricOption, mode: modeOption, ...cvOptions } = options ?? {};
  const modeSetting = modeOption === undefined ? 'auto' : checkOneOf(where, 'options.mode', modeOption, ['auto', 'min', 'max'] as const);

  const combos: P[] = [{} as P];
  for (const key of keys) {
    const next: P[] = [];
    for (const c of combos) for (const v of grid[key]) next.push({ ...c, [key]: v });
    combos.splice(0, combos.length, ...next);
  }
  const partial: { params: P; mean: Record<string, number>; std: Record<string, number> }[] = [];
  for (const params of combos) {
    const cv = crossValidate(() => makeModel(params), data, cvOptions);
    partial.push({ params, mean: { ...cv.mean }, std: { ...cv.std } });
  }
  const metric = metricOption ?? Object.keys(partial[0].mean)[0];
  if (!(metric in partial[0].mean)) {
    throw quiverError('RangeError', { where, what: `options.metric must be one of ${Object.keys(partial[0].mean).map((m) => `'${m}'`).join(', ')}`, got: `'${metric}'` });
  }
  const mode = modeSetting === 'auto' ? (/rmse|mae|loss/.test(metric) ? 'min' : 'max') : modeSetting;
  const order = partial.map((_, i) => i).sort((a, b) => {
    const d = mode === 'min' ? partial[a].mean[metric] - partial[b].mean[metric] : partial[b].mean[metric] - partial[a].mean[metric];
    return d !== 0 && !Number.isNaN(d) ? d : a - b;
  });
  const rank = new Array<number>(partial.length);
  order.forEach((i, r) => (rank[i] = r + 1));
  const candidates = partial.map((p, i) => ({ ...p, rank: rank[i] }));
  return { metric, mode, candidates, best: candidates[order[0]] };
}
