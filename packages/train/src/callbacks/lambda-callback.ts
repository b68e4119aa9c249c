import type { BatchState, Callback, EpochState, TrainingRun } from './callback.js';

/** The user's own per-epoch and per-batch functions (Trainer options `onEpochEnd` / `onBatchEnd`). */
export interface LambdaCallbackOptions {
  /** After every epoch with its index and logs (`loss`, `val_...`); returning `false` stops training. */
  readonly onEpochEnd?: ((epoch: number, logs: Readonly<Record<string, number>>) => void | boolean) | null;
  /** After every reported mini-batch. */
  readonly onBatchEnd?: ((batch: number, logs: { readonly epoch: number; readonly numBatches: number; readonly loss: number }) => void) | null;
}

/**
 * Calls plain functions from the loop (Keras' `LambdaCallback`).
 * @example
 * new LambdaCallback({ onEpochEnd: (e, logs) => console.log(e, logs.loss) });
 */
export class LambdaCallback implements Callback {
  constructor(private readonly fns: LambdaCallbackOptions) {}

  /** True when there is a batch function (the loop then asks the model for batches). */
  get wantsBatches(): boolean {
    return typeof this.fns.onBatchEnd === 'function';
  }

  onBatchEnd(_run: TrainingRun, b: BatchState): void {
    this.fns.onBatchEnd?.(b.batch, { epoch: b.epoch, numBatches: b.numBatches, loss: b.loss });
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    if (this.fns.onEpochEnd?.(state.epoch, { loss: state.loss, ...state.metrics }) === false) run.stop();
  }
}
