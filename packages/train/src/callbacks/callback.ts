import type { History } from '../history.js';
import type { InteractionData, TrainableModel } from '../model-types.js';

/**
 * One training run as callbacks see it: the model and its data, the plan (epochs, seed), the
 * history so far, and a way to ask the loop to stop. The {@link Trainer} builds one per `fit`;
 * a hand-written loop can build its own (an object with these members) and drive the same
 * callbacks.
 */
export interface TrainingRun {
  /** The model being trained. */
  readonly model: TrainableModel;
  /** The interactions it trains on (after any validation split). */
  readonly train: InteractionData;
  /** The validation interactions, or null. */
  readonly validation: InteractionData | null;
  /** Epochs planned (the last has index `epochs - 1`). */
  readonly epochs: number;
  /** The seed of the run. */
  readonly seed: number;
  /** `model.getConfig()` at the start. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The per-epoch record so far. */
  readonly history: History;
  /** True once some callback (or `Trainer.stop`) asked to stop after this epoch. */
  readonly stopRequested: boolean;
  /** Asks the loop to stop after the current epoch (ignored for the last epoch). */
  stop(): void;
  /** The newest checkpoint written, when a `Checkpointer` runs (else null). */
  lastCheckpoint: string | null;
}

/** What an epoch's callbacks share: its loss, and the metrics callbacks add (`val_rmse`, ...). */
export interface EpochState {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** The training loss `fitEpoch` returned. */
  readonly loss: number;
  /** Validation metrics, filled by a `Validator`. */
  readonly metrics: Record<string, number>;
  /** When the epoch started (`performance.now()`), for its duration. */
  readonly startedAt: number;
}

/** The logs of one mini-batch (models whose `fitEpoch` reports batches). */
export interface BatchState {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** 0-based batch index in the epoch. */
  readonly batch: number;
  /** Number of batches in the epoch. */
  readonly numBatches: number;
  /** Mean loss of the batch. */
  readonly loss: number;
}

/**
 * A hook into the training loop (Keras' / Lightning's callbacks). Each method is optional; the
 * loop calls them in the order the callbacks are listed.
 */
export interface Callback {
  /** After `model.initialize` (and a resume), before the first epoch. */
  onTrainBegin?(run: TrainingRun): void;
  /** After every reported mini-batch; a throw stops the epoch (see `onEpochError`). */
  onBatchEnd?(run: TrainingRun, batch: BatchState): void;
  /** When `fitEpoch` threw: returns the error to throw instead (or the same one). */
  onEpochError?(run: TrainingRun, epoch: number, error: unknown): unknown;
  /** After every epoch. */
  onEpochEnd?(run: TrainingRun, state: EpochState): void;
  /** After the last epoch (or an early stop), not after an error. */
  onTrainEnd?(run: TrainingRun): void;
}
