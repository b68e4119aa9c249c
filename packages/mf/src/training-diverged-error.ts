import { QuiverError, type QuiverErrorInit } from '@quiver/base';

/**
 * Thrown when training produces a NaN or ±Infinity loss or weight: by a model's `fit` (the model
 * is then left unfitted, so it can be neither queried nor saved) and, as a subclass carrying the
 * history, by `@quiver/train`'s Trainer (which restores the last good weights). A
 * `QuiverError` (`@quiver/base`): `what` says where training diverged, `tail` what was done and what to try.
 * @example
 * try { new BiasedMF({ lr: 5 }).fit(data); }
 * catch (e) { if (e instanceof TrainingDivergedError) console.log(e.epoch, e.what); }
 */
export class TrainingDivergedError extends QuiverError {
  /** Always `'TrainingDivergedError'`. */
  override readonly name: string = 'TrainingDivergedError';
  /** 0-based index of the epoch that diverged. */
  readonly epoch: number;
  /** 0-based index of the first batch whose loss was not finite, when known; else null. */
  readonly batch: number | null;

  constructor(init: QuiverErrorInit, epoch: number, batch: number | null = null) {
    super(init);
    this.epoch = epoch;
    this.batch = batch;
  }
}
