import { formatMetric, formatThroughput, type BatchProgress, type EpochProgress, type ProgressReporter } from './progress-reporter.js';

/**
 * Progress as plain structured lines (logfmt), one per epoch, for CI logs and pipes:
 * `quiver epoch=3/20 loss=0.7123 val_rmse=0.8812 seconds=0.412 throughput=196k/s`.
 * Batch updates are not printed.
 */
export class LogProgress implements ProgressReporter {
  readonly mode = 'log' as const;
  private readonly write: (line: string) => void;

  /** @param write - Receives each line without its newline. @defaultValue a writer to process.stderr */
  constructor(write?: (line: string) => void) {
    this.write = write ?? ((line) => process.stderr.write(`${line}\n`));
  }

  start(label: string, epochs: number, examples: number): void {
    this.write(`quiver event=start model=${label} epochs=${epochs} examples=${examples}`);
  }

  batchEnd(_progress: BatchProgress): void {}

  epochEnd(p: EpochProgress): void {
    const parts = [`quiver epoch=${p.epoch}/${p.epochs}`];
    for (const key of Object.keys(p.logs)) parts.push(`${key}=${formatMetric(p.logs[key])}`);
    parts.push(`seconds=${p.seconds.toFixed(3)}`, `throughput=${formatThroughput(p.examples, p.seconds)}`);
    this.write(parts.join(' '));
  }

  message(line: string): void {
    this.write(line);
  }

  stop(): void {}
}
