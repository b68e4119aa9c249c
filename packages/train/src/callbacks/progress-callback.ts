import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { BatchState, Callback, EpochState, TrainingRun } from './callback.js';

/**
 * Records each epoch in the run's history (loss, metrics, seconds) and reports it, and each
 * batch, to a {@link ProgressReporter} (a bar on a terminal, log lines otherwise, or nothing).
 * @example
 * new ProgressCallback(createProgress('log'));
 */
export class ProgressCallback implements Callback {
  constructor(private readonly reporter: ProgressReporter) {}

  /** True when the reporter draws batches (a bar), so the loop asks the model for them. */
  get wantsBatches(): boolean {
    return this.reporter.mode === 'bar';
  }

  onTrainBegin(run: TrainingRun): void {
    this.reporter.start(run.model.kind, run.epochs, run.train.userIds.length);
  }

  onBatchEnd(_run: TrainingRun, b: BatchState): void {
    this.reporter.batchEnd({ epoch: b.epoch + 1, batch: b.batch, numBatches: b.numBatches, loss: b.loss });
  }

  onEpochEnd(run: TrainingRun, state: EpochState): void {
    const seconds = (performance.now() - state.startedAt) / 1000;
    run.history.push({ epoch: state.epoch, loss: state.loss, metrics: { ...state.metrics }, seconds });
    this.reporter.epochEnd({ epoch: state.epoch + 1, epochs: run.epochs, logs: { loss: state.loss, ...state.metrics }, seconds, examples: run.train.userIds.length });
  }

  /** Closes the reporter (a bar); safe after an error too. */
  close(): void {
    this.reporter.stop();
  }
}
