import type { History } from './history.js';

/**
 * Thrown by the {@link Trainer} when an epoch's loss or any weight becomes NaN or ±Infinity.
 * The model holds the weights of the last good epoch when it is thrown.
 * @example
 * try { train(model, data, { epochs: 10 }); }
 * catch (e) { if (e instanceof TrainingDivergedError) console.log(e.epoch, e.history.loss); }
 */
export class TrainingDivergedError extends Error {
  /** Always `'TrainingDivergedError'`. */
  override readonly name = 'TrainingDivergedError';
  /** 0-based index of the epoch that diverged. */
  readonly epoch: number;
  /** The epochs completed before the divergence. */
  readonly history: History;
  /** 0-based index of the first batch whose loss was not finite, when the model reports batches; else null. */
  readonly batch: number | null;

  constructor(message: string, epoch: number, history: History, batch: number | null = null) {
    super(message);
    this.epoch = epoch;
    this.history = history;
    this.batch = batch;
  }
}
