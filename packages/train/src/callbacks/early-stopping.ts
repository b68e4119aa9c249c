import { quiverError } from '@quiver/base';
import type { ModelWeights } from '../model-types.js';
import type { Callback, EpochState, TrainingRun } from './callback.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The quantity to watch: `'loss'` or a validation metric (`'val_rmse'`, `'val_ndcg@10'`, ...). @defaultValue 'loss' */
  readonly monitor?: string;
  /** Whether smaller or larger values are better; `'auto'` picks `'min'` for loss / rmse / mae. @defaultValue 'auto' */
  readonly mode?: 'auto' | 'min' | 'max';
  /** Stop after this many epochs without improvement; null only tracks the best epoch. @defaultValue null */
  readonly patience?: number | null;
  /** The smallest change that counts as an improvement. @defaultValue 0 */
  readonly minDelta?: number;
  /** With `patience`, put back the weights of the best epoch at the end. @defaultValue true */
  readonly restoreBest?: boolean;
}

/** What {@link EarlyStopping} carries from epoch to epoch (saved in checkpoints). */
export interface EarlyStoppingProgress {
  /** The best value of the monitored quantity so far (±Infinity before any). */
  readonly best: number;
  /** 0-based index of the best epoch, or null. */
  readonly bestEpoch: number | null;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

/**
 * Tracks the best epoch of a monitored quantity (recorded as `history.bestEpoch`) and, with
 * `patience`, stops training after that many epochs without improvement and restores the best
 * epoch's weights at the end (Keras' `EarlyStopping(restore_best_weights=True)`).
 * @example
 * const es = new EarlyStopping({ monitor: 'val_rmse', patience: 2 });
 * // in a hand-written loop: es.onEpochEnd(run, state); if (run.stopRequested) break; ... es.onTrainEnd(run);
 */
export class EarlyStopping implements Callback {
  /** The monitored quantity. */
  readonly monitor: string;
  private readonly minimize: boolean;
  private readonly patience: number | null;
  private readonly minDelta: number;
  private readonly restoreBest: boolean;
  private best: number;
  private bestEpoch: number | null = null;
  private wait = 0;
  private bestState: ModelWeights | null = null;
  /** Where the weights of an improving epoch come from (the last good weights of a `DivergenceGuard`), else the model. */
  weightsSource: (() => ModelWeights | null) | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'loss';
    const mode = options.mode ?? 'auto';
    this.minimize = mode === 'auto' ? /loss|rmse|mae/.test(this.monitor) : mode === 'min';
    this.patience = options.patience ?? null;
    this.minDelta = options.minDelta ?? 0;
    this.restoreBest = options.restoreBest ?? true;
    this.best = this.minimize ? Infinity : -Infinity;
  }

  /** The state to save in a checkpoint. */
  progress(): EarlyStoppingProgress {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait };
  }

  /** The weights of the best epoch kept for `restoreBest`, or null. */
  get bestWeights(): ModelWeights | null {
    return this.bestState;
  }

  /** Continues from a checkpoint's state. */
  restore(progress: EarlyStoppingProgress, bestWeights: ModelWeights | null): void {
    this.best = progress.best;
    this.bestEpoch = progress.bestEpoch;
    this.wait = progress.wait;
    this.bestState = bestWeights;
  }

  onTrainBegin(run: TrainingRun): void {
    run.history.monitor = this.monitor;
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    const value = this.monitor === 'loss' ? state.loss : state.metrics[this.monitor];
    if (value === undefined) {
      const known = ['loss', ...Object.keys(state.metrics)].map((k) => `'${k}'`).join(', ');
      throw quiverError('RangeError', { where: 'Trainer.fit', what: `monitor must be one of ${known}`, got: `'${this.monitor}'` });
    }
    const improved = this.bestEpoch === null || (this.minimize ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = state.epoch;
      this.wait = 0;
      if (this.patience !== null && this.restoreBest) this.bestState = this.weightsSource?.() ?? run.model.getState();
    } else this.wait++;
    run.history.bestEpoch = this.bestEpoch;
    if (!improved && this.patience !== null && this.wait >= this.patience) run.stop();
  }

  onTrainEnd(run: TrainingRun): void {
    if (this.patience !== null && this.restoreBest && this.bestState !== null && this.bestEpoch !== run.history.epochs.length - 1) {
      run.model.setState(this.bestState);
      run.history.restoredBest = true;
    }
  }
}
