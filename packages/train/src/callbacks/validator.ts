import { evaluateRanking } from '../evaluate-ranking.js';
import { evaluateRatings } from '../evaluate-ratings.js';
import { isExplicitModel } from '../model-types.js';
import type { Callback, EpochState, TrainingRun } from './callback.js';

/** Options of {@link Validator}. */
export interface ValidatorOptions {
  /** Cut-off of the ranking metrics (implicit models). @defaultValue 10 */
  readonly k?: number;
  /** A validation interaction is relevant when its rating is at least this; null: all relevant. @defaultValue null */
  readonly relevantMin?: number | null;
  /** Also compute AUC (one full score row per user). @defaultValue false */
  readonly auc?: boolean;
}

/**
 * Scores the run's validation data after every epoch and adds the metrics to the epoch's state
 * as `val_<metric>`: `val_rmse` / `val_mae` for explicit models, the full-ranking metrics
 * (`val_ndcg@10`, ...) for implicit ones. Does nothing without validation data.
 * @example
 * new Validator({ k: 10, relevantMin: 4 }).onEpochEnd(run, state); // state.metrics['val_ndcg@10']
 */
export class Validator implements Callback {
  private readonly k: number;
  private readonly relevantMin: number | null;
  private readonly auc: boolean;

  constructor(options: ValidatorOptions = {}) {
    this.k = options.k ?? 10;
    this.relevantMin = options.relevantMin ?? null;
    this.auc = options.auc ?? false;
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    if (run.validation === null) return;
    if (isExplicitModel(run.model)) {
      const r = evaluateRatings(run.model, run.validation).metrics;
      state.metrics.val_rmse = r.rmse;
      state.metrics.val_mae = r.mae;
      return;
    }
    const r = evaluateRanking(run.model, run.train, run.validation, { k: this.k, relevantMin: this.relevantMin, auc: this.auc });
    for (const key of Object.keys(r.metrics)) {
      if (!key.startsWith('coverage') && !key.startsWith('implicitPrecision')) state.metrics[`val_${key}`] = r.metrics[key];
    }
  }
}
