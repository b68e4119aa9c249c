/** What a {@link ProgressReporter} receives at the end of an epoch. */
export interface EpochProgress {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Total epochs planned. */
  readonly epochs: number;
  /** Training loss and validation metrics of the epoch (`loss`, `val_rmse`, ...). */
  readonly logs: Readonly<Record<string, number>>;
  /** Wall-clock seconds of the epoch (training + validation). */
  readonly seconds: number;
  /** Training examples processed in the epoch (for the throughput). */
  readonly examples: number;
}

/** What a {@link ProgressReporter} receives after a mini-batch (models with a batch API). */
export interface BatchProgress {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** 0-based batch index within the epoch. */
  readonly batch: number;
  /** Number of batches in the epoch. */
  readonly numBatches: number;
  /** Mean loss of the batch. */
  readonly loss: number;
}

/**
 * Where training progress goes. {@link createProgress} picks an implementation: a cli-progress
 * bar on a terminal, plain structured log lines otherwise, nothing when quiet.
 */
export interface ProgressReporter {
  /** Which implementation this is. */
  readonly mode: 'bar' | 'log' | 'none';
  /** Training begins: `epochs` epochs over `examples` interactions per epoch. */
  start(label: string, epochs: number, examples: number): void;
  /** After a mini-batch (only models that train in mini-batches report these). */
  batchEnd(progress: BatchProgress): void;
  /** After an epoch, with its loss and validation metrics. */
  epochEnd(progress: EpochProgress): void;
  /** A free-form human line (stderr); dropped in `'none'` mode. */
  message(line: string): void;
  /** Training ended (normally, early or by an error); closes the bar. Safe to call twice. */
  stop(): void;
}

/** How {@link createProgress} reports: `'auto'` is `'bar'` on a TTY and `'log'` otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'log' | 'none';

/**
 * Formats one metric value for progress output: 4 significant decimals, integers kept.
 * @example
 * formatMetric(0.912345); // '0.9123'
 */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const a = Math.abs(value);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? value.toExponential(3) : value.toFixed(4);
}

/**
 * Formats a throughput in examples per second: `184k/s`, `1.2M/s`, `950/s`.
 * @example
 * formatThroughput(250_000, 0.5); // '500k/s'
 */
export function formatThroughput(examples: number, seconds: number): string {
  if (!(seconds > 0)) return '-';
  const r = examples / seconds;
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)}M/s`;
  if (r >= 1e4) return `${Math.round(r / 1e3)}k/s`;
  return `${Math.round(r)}/s`;
}
