import cliProgress from 'cli-progress';
import { formatMetric, formatThroughput, type BatchProgress, type EpochProgress, type ProgressReporter } from './progress-reporter.js';

/**
 * A cli-progress bar over the epochs, showing the last loss, the validation metrics and the
 * throughput; it advances within an epoch when the model reports mini-batches. The bar stays
 * on screen when training ends. Meant for a terminal (TTY) on stderr.
 * @example
 * train(model, data, { progress: new BarProgress(process.stderr) });
 */
export class BarProgress implements ProgressReporter {
  readonly mode = 'bar' as const;
  private bar: cliProgress.SingleBar | null = null;
  private readonly stream: NodeJS.WritableStream;
  private epochs = 0;

  /** @param stream - Where the bar is drawn. @defaultValue process.stderr */
  constructor(stream?: NodeJS.WritableStream) {
    this.stream = stream ?? process.stderr;
  }

  start(label: string, epochs: number, _examples: number): void {
    this.stop();
    this.epochs = epochs;
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| epoch {epochText} | {metrics} | {throughput} | ETA {eta_formatted}`,
        stream: this.stream,
        hideCursor: false,
        barsize: 24,
        etaBuffer: 4,
        fps: 8,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(epochs, 0, { epochText: `0/${epochs}`, metrics: 'loss -', throughput: '-' });
  }

  batchEnd(p: BatchProgress): void {
    if (this.bar === null) return;
    this.bar.update(p.epoch - 1 + (p.batch + 1) / p.numBatches, {
      epochText: `${p.epoch}/${this.epochs}`,
      metrics: `loss ${formatMetric(p.loss)}`,
    });
  }

  epochEnd(p: EpochProgress): void {
    if (this.bar === null) return;
    const metrics = Object.keys(p.logs)
      .map((k) => `${k} ${formatMetric(p.logs[k])}`)
      .join(' ');
    this.bar.update(p.epoch, {
      epochText: `${p.epoch}/${p.epochs}`,
      metrics,
      throughput: formatThroughput(p.examples, p.seconds),
    });
  }

  message(line: string): void {
    if (this.bar !== null) {
      // cli-progress redraws on the current line: finish it, print, the bar redraws on the next tick.
      this.stream.write(`\n${line}\n`);
    } else this.stream.write(`${line}\n`);
  }

  stop(): void {
    if (this.bar !== null) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
