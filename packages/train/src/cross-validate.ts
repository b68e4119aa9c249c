import { checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { Interactions, kFold, type ColdStartPolicy } from '@quiver/data';
import { evaluateRanking } from './evaluate-ranking.js';
import { evaluateRatings } from './evaluate-ratings.js';
import { isExplicitModel, type TrainableModel } from './model-types.js';
import { foldCi, type FoldInterval } from './stats/fold-ci.js';
import { Trainer, type TrainOptions } from './trainer.js';

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /** Number of folds (each interaction is tested exactly once). @defaultValue 5 */
  readonly folds?: number;
  /** Seed of the fold assignment and of every fold's training. @defaultValue 42 */
  readonly seed?: number;
  /**
   * Metrics to report. @defaultValue `['rmse', 'mae']` for explicit models, else
   * `` [`precision@${k}`, `recall@${k}`, `ndcg@${k}`, `map@${k}`, 'auc'] ``
   */
  readonly metrics?: readonly string[];
  /** Cut-off of the ranking metrics. @defaultValue 10 */
  readonly k?: number;
  /** Ranking: a test interaction is relevant when its rating is at least this; null: all. @defaultValue null */
  readonly relevantMin?: number | null;
  /**
   * Test rows whose user or item has no training row in that fold: `'keep'` scores them
   * (Surprise's KFold does), `'drop'` leaves them out.
   * @defaultValue 'keep'
   */
  readonly coldStart?: ColdStartPolicy;
  /** Options of each fold's {@link Trainer} (epochs, callbacks, progress, ...); the seed is set per fold. @defaultValue {} */
  readonly train?: Omit<TrainOptions, 'seed'>;
}

/** One fold of a {@link CrossValidationResult}. */
export interface FoldResult {
  /** The requested metrics on this fold's test part. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Seconds spent training. */
  readonly fitSeconds: number;
  /** Number of training interactions of the fold. */
  readonly numTrain: number;
  /** Number of test interactions of the fold (after the cold-start policy). */
  readonly numTest: number;
  /** Users the ranking metrics were averaged over (null for rating metrics). */
  readonly evaluatedUsers: number | null;
}

/** The result of {@link crossValidate}. */
export interface CrossValidationResult {
  /** Per-fold results, in fold order. */
  readonly folds: readonly FoldResult[];
  /** Mean of each metric over folds. */
  readonly mean: Readonly<Record<string, number>>;
  /** Population standard deviation of each metric over folds (as Surprise and scikit-learn report). */
  readonly std: Readonly<Record<string, number>>;
  /**
   * Confidence interval of each metric's mean over folds: mean ± t(0.975, folds − 1) · s / √folds
   * with s the sample standard deviation (folds share training data, so the interval is
   * optimistic: Bengio & Grandvalet 2004; read it as a measure of spread across folds).
   */
  readonly ci: Readonly<Record<string, FoldInterval>>;
}

const OPTION_NAMES = ['folds', 'seed', 'metrics', 'k', 'relevantMin', 'coldStart', 'train'];
const RATING_METRICS = ['rmse', 'mae'];

/**
 * K-fold cross-validation: splits `data` into `folds` parts with `@quiver/data`'s seeded
 * `kFold`, trains a fresh model from `makeModel` on each complement and scores the held-out
 * part. Explicit models are scored with RMSE / MAE, implicit ones with full-ranking metrics
 * ({@link evaluateRanking}). Reports each fold, the mean and the standard deviation.
 * @param makeModel - Builds an untrained model; called once per fold with the fold index.
 * @param data - The whole dataset (an `@quiver/data` `Interactions`).
 * @returns Per-fold metrics with their mean and standard deviation.
 * @throws {TypeError} for bad options or data that is not `Interactions`.
 * @throws {RangeError} when a requested metric does not exist for the model kind.
 * @example
 * const cv = crossValidate(() => new BiasedMF(), data, { folds: 5 });
 * cv.mean.rmse; cv.std.rmse;
 */
export function crossValidate(makeModel: (fold: number) => TrainableModel, data: Interactions, options?: CrossValidateOptions): CrossValidationResult {
  const where = 'crossValidate';
  checkOptionNames(where, options, OPTION_NAMES);
  if (typeof makeModel !== 'function') throw quiverError('TypeError', { where, what: 'makeModel must be a function returning a model', got: describeValue(makeModel) });
  if (!(data instanceof Interactions)) throw quiverError('TypeError', { where, what: 'data must be an @quiver/data Interactions dataset', got: describeValue(data) });
  const o = options ?? {};
  const folds = o.folds === undefined ? 5 : checkPositiveInt(where, 'options.folds', o.folds);
  if (folds < 2) throw quiverError('RangeError', { where, what: 'options.folds must be at least 2', got: String(folds) });
  const seed = o.seed ?? 42;
  const k = o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k);
  const coldStart = o.coldStart === undefined ? 'keep' : checkOneOf(where, 'options.coldStart', o.coldStart, ['drop', 'keep', 'train'] as const);
  if (o.metrics !== undefined && (!Array.isArray(o.metrics) || o.metrics.some((m) => typeof m !== 'string'))) {
    throw quiverError('TypeError', { where, what: 'options.metrics must be an array of metric names', got: describeValue(o.metrics) });
  }
  const splits = kFold(data, { k: folds, seed, coldStart });
  const results: FoldResult[] = [];
  let names: readonly string[] | null = null;
  for (let f = 0; f < splits.length; f++) {
    const { train, test } = splits[f];
    const model = makeModel(f);
    const explicit = isExplicitModel(model);
    names ??= o.metrics ?? (explicit ? RATING_METRICS : [`precision@${k}`, `recall@${k}`, `ndcg@${k}`, `map@${k}`, 'auc']);
    const t0 = performance.now();
    new Trainer({ ...(o.train ?? {}), seed: seed + f }).fit(model, train);
    const fitSeconds = (performance.now() - t0) / 1000;
    let available: Record<string, number>;
    let evaluatedUsers: number | null = null;
    if (explicit && names.every((n) => RATING_METRICS.includes(n))) {
      available = { ...evaluateRatings(model, test).metrics };
    } else {
      const r = evaluateRanking(model, train, test, { k, relevantMin: o.relevantMin ?? null, auc: names.includes('auc') });
      available = { ...r.metrics };
      evaluatedUsers = r.evaluatedUsers;
      if (explicit && test.ratings !== null) Object.assign(available, evaluateRatings(model, test).metrics);
    }
    const metrics: Record<string, number> = {};
    for (const n of names) {
      if (!(n in available)) {
        throw quiverError('RangeError', { where, what: `options.metrics must name metrics of ${Object.keys(available).map((a) => `'${a}'`).join(', ')}`, got: `'${n}'` });
      }
      metrics[n] = available[n];
    }
    results.push({ metrics, fitSeconds, numTrain: train.length, numTest: test.length, evaluatedUsers });
  }
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  const ci: Record<string, FoldInterval> = {};
  for (const n of names ?? []) {
    const xs = results.map((r) => r.metrics[n]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean[n] = m;
    std[n] = Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
    if (xs.every(Number.isFinite)) ci[n] = foldCi(xs);
  }
  return { folds: results, mean, std, ci };
}
