/**
 * Thrown when training produces a NaN or ±Infinity loss or weight: by a model's `fit` (the model
 * is then left unfitted, so it can be neither queried nor saved) and, as a subclass carrying the
 * history, by `@quiver/train`'s Trainer (which restores the last good weights).
 * @example
 * try { new BiasedMF({ lr: 5 }).fit(data); }
 * catch (e) { if (e instanceof TrainingDivergedError) console.log(e.epoch); }
 */
export class TrainingDivergedError extends Error {
  /** Always `'TrainingDivergedError'`. */
  override readonly name: string = 'TrainingDivergedError';
  /** 0-based index of the epoch that diverged. */
  readonly epoch: number;
  /** 0-based index of the first batch whose loss was not finite, when known; else null. */
  readonly batch: number | null;

  constructor(message: string, epoch: number, batch: number | null = null) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
  }
}
