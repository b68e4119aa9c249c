import { formatMetric, formatThroughput, type BatchProgress, type EpochProgress, type ProgressReporter } from './progress-reporter.js';

/**
 * Progress as plain structured lines (logfmt) for CI logs and pipes:
 * `quiver epoch=3/20 loss=0.7123 val_rmse=0.8812 seconds=0.412 throughput=196k/s`.
 * The first and last epochs are always printed; in between, at most one line per
 * `minIntervalMs` (so 100 fast epochs do not flood a log). Batch updates are not printed.
 * @example
 * train(model, data, { progress: new LogProgress((line) => console.log(line), 0) }); // every epoch
 */
export class LogProgress implements ProgressReporter {
  readonly mode = 'log' as const;
  private readonly write: (line: string) => void;
  private readonly minIntervalMs: number;
  private lastPrinted = -Infinity;

  /**
   * @param write - Receives each line without its newline. @defaultValue a writer to process.stderr
   * @param minIntervalMs - Least time between two epoch lines (first and last always print). @defaultValue 1000
   */
  constructor(write?: (line: string) => void, minIntervalMs = 1000) {
    this.write = write ?? ((line) => process.stderr.write(`${line}\n`));
    this.minIntervalMs = minIntervalMs;
  }

  start(label: string, epochs: number, examples: number): void {
    this.write(`quiver event=start model=${label} epochs=${epochs} examples=${examples}`);
  }

  batchEnd(_progress: BatchProgress): void {}

  epochEnd(p: EpochProgress): void {
    const now = performance.now();
    if (p.epoch !== 1 && p.epoch !== p.epochs && now - this.lastPrinted < this.minIntervalMs) return;
    this.lastPrinted = now;
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
