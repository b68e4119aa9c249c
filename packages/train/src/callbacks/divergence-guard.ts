import type { ModelWeights } from '../model-types.js';
import { TrainingDivergedError } from '../training-diverged-error.js';
import { firstNonFinite } from '@quiver/mf';
import type { BatchState, Callback, EpochState, TrainingRun } from './callback.js';

/** Thrown through a model's `fitEpoch` by the batch check to stop a diverged epoch. */
class DivergedBatch {
  constructor(readonly batch: BatchState) {}
}

/**
 * Stops training when the loss (of an epoch, or of a reported batch) or any weight becomes NaN
 * or ±Infinity: the weights of the last good epoch are restored and a `TrainingDivergedError`
 * names the epoch (and batch), the restored weights, the last checkpoint and what to try. Models
 * that report no loss (ALS with `computeLoss: false`) have only their weights checked.
 * @example
 * const guard = new DivergenceGuard();
 * guard.onTrainBegin(run); ... guard.onEpochEnd(run, { epoch, loss, metrics: {}, startedAt });
 */
export class DivergenceGuard implements Callback {
  private lastGood: ModelWeights | null = null;
  private reportsLoss = true;

  /** The weights after the last epoch that passed the check (the initial ones before any). */
  get lastGoodWeights(): ModelWeights | null {
    return this.lastGood;
  }

  onTrainBegin(run: TrainingRun): void {
    this.lastGood = run.model.getState();
    this.reportsLoss = run.config.computeLoss !== false;
  }

  onBatchEnd(_run: TrainingRun, batch: BatchState): void {
    if (this.reportsLoss && !Number.isFinite(batch.loss)) throw new DivergedBatch(batch);
  }

  onEpochError(run: TrainingRun, epoch: number, error: unknown): unknown {
    if (!(error instanceof DivergedBatch)) return error;
    const b = error.batch;
    return this.diverged(run, epoch, `the loss is ${b.loss}`, `, batch ${b.batch + 1} of ${b.numBatches}`, b.batch);
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    const weights = run.model.getState();
    const bad = this.reportsLoss && !Number.isFinite(state.loss) ? `the loss is ${state.loss}` : firstNonFinite(weights);
    if (bad !== null) throw this.diverged(run, state.epoch, bad, '', null);
    this.lastGood = weights;
  }

  private diverged(run: TrainingRun, epoch: number, what: string, at: string, batch: number | null): TrainingDivergedError {
    run.model.setState(this.lastGood as ModelWeights);
    const restored = epoch === 0 ? 'the initial weights were restored' : `the weights after epoch ${epoch} were restored`;
    const saved = run.lastCheckpoint === null ? '' : ` (the last checkpoint is ${run.lastCheckpoint})`;
    const lr = run.config.lr;
    const hint = typeof lr === 'number' ? `try a lower learning rate (lr is ${lr})` : 'try a larger regularisation (reg)';
    return new TrainingDivergedError({ where: 'Trainer.fit', what: `training diverged at epoch ${epoch + 1}${at}: ${what}`, tail: `; ${restored}${saved}; ${hint}` }, epoch, run.history, batch);
  }
}
