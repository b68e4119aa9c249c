import { withReportSummary } from './report-summary.js';
import { checkOptionNames, quiverError } from '@quiver/base';
import { checkSizes } from './evaluate-ranking.js';
import { mae } from './metrics/mae.js';
import { rmse } from './metrics/rmse.js';
import type { InteractionData, ScoringModel } from './model-types.js';

/** Options of {@link evaluateRatings}. */
export interface EvaluateRatingsOptions {
  /**
   * Clip predictions to `[min, max]` before scoring (Surprise clips to the rating scale by
   * default); `null` scores the raw predictions.
   * @defaultValue null
   */
  readonly clip?: readonly [number, number] | null;
}

/** The result of {@link evaluateRatings}. */
export interface RatingReport {
  /** `rmse` and `mae` over every test interaction. */
  readonly metrics: {
    /** Root mean squared error between predicted and true ratings (in rating units). */
    readonly rmse: number;
    /** Mean absolute error between predicted and true ratings (in rating units). */
    readonly mae: number;
  };
  /** Number of test interactions scored. */
  readonly count: number;
}

/**
 * Rating-prediction accuracy: predicts every `(user, item)` pair of `test` with
 * `model.predict` and compares with its rating.
 * @param model - A fitted explicit model (BiasedMF, Baseline).
 * @param test - Held-out interactions with ratings, in the model's id space.
 * @returns RMSE, MAE and the number of pairs.
 * @throws {TypeError} when test has no ratings.
 * @throws {RangeError} when test is empty, disagrees with the model on numUsers / numItems, has
 *   columns of different lengths or an id outside the model's id space.
 * @example
 * const { metrics } = evaluateRatings(model, test); // { rmse: 0.86, mae: 0.66 }
 */
export function evaluateRatings(model: ScoringModel, test: InteractionData, options?: EvaluateRatingsOptions): RatingReport {
  const where = 'evaluateRatings';
  checkOptionNames(where, options, ['clip']);
  checkSizes(where, model, null, test);
  if (test.ratings === null) throw quiverError('TypeError', { where, what: 'test.ratings must be a Float32Array (an explicit test set)', got: 'null' });
  if (test.userIds.length === 0) throw quiverError('RangeError', { where, what: 'test must hold at least 1 interaction', got: '0' });
  const clip = options?.clip ?? null;
  if (clip !== null && !(Array.isArray(clip) && clip.length === 2 && clip[0] <= clip[1])) {
    throw quiverError('RangeError', { where, what: 'options.clip must be [min, max] with min <= max', got: JSON.stringify(clip) });
  }
  const predicted = model.predict(test.userIds, test.itemIds);
  if (clip !== null) {
    for (let i = 0; i < predicted.length; i++) predicted[i] = Math.min(clip[1], Math.max(clip[0], predicted[i]));
  }
  const n = test.userIds.length;
  return withReportSummary({ metrics: { rmse: rmse(predicted, test.ratings), mae: mae(predicted, test.ratings) }, count: n }, 'RatingReport', `${n.toLocaleString('en-US')} ratings`);
}
