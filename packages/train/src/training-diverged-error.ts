import type { QuiverErrorInit } from '@quiver/base';
import { TrainingDivergedError as ModelTrainingDivergedError } from '@quiver/mf';
import type { History } from './history.js';

/**
 * Thrown by the {@link Trainer} when an epoch's loss or any weight becomes NaN or ±Infinity.
 * The model holds the weights of the last good epoch when it is thrown. A subclass of
 * `@quiver/mf`'s `TrainingDivergedError` (what a model's own `fit` throws), carrying the history.
 * @example
 * try { train(model, data, { epochs: 10 }); }
 * catch (e) { if (e instanceof TrainingDivergedError) console.log(e.epoch, e.history.loss); }
 */
export class TrainingDivergedError extends ModelTrainingDivergedError {
  /** The epochs completed before the divergence. */
  readonly history: History;

  constructor(init: QuiverErrorInit, epoch: number, history: History, batch: number | null = null) {
    super(init, epoch, batch);
    this.history = history;
  }
}
