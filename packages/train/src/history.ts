import { formatMetric } from './progress/progress-reporter.js';

/** One epoch of a {@link History}. */
export interface EpochRecord {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** Training loss of the epoch (as returned by the model's `fitEpoch`). */
  readonly loss: number;
  /** Validation metrics of the epoch, keyed `val_rmse`, `val_ndcg@10`, ... (empty without validation). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall-clock seconds of the epoch, validation included. */
  readonly seconds: number;
}

/** The JSON form of a {@link History} (what `quiver train --json` prints as `history`). */
export interface HistoryJSON {
  /** Every completed epoch, in order ({@link History.epochs}). */
  readonly epochs: readonly EpochRecord[];
  /** The monitored quantity (`'loss'`, `'val_rmse'`, ...), or null when nothing was monitored. */
  readonly monitor: string | null;
  /** 0-based index of the best epoch of `monitor`, or null. */
  readonly bestEpoch: number | null;
  /** True when early stopping (or a callback returning false) ended training before the last epoch. */
  readonly stoppedEarly: boolean;
  /** True when the weights of `bestEpoch` were restored at the end. */
  readonly restoredBest: boolean;
}

/**
 * The per-epoch record of a training run (Keras' `History`): losses, validation metrics and
 * timings, plus what early stopping decided. Printed in the REPL as a one-line summary.
 * @example
 * const history = train(model, data, { epochs: 20, validationSplit: 0.1, patience: 3 });
 * history.loss;               // [0.93, 0.81, ...]
 * history.metric('val_rmse'); // [0.95, 0.91, ...]
 * history.bestEpoch;          // 0-based index of the best epoch
 */
export class History {
  /** Every completed epoch, in order. */
  readonly epochs: EpochRecord[] = [];
  /** The monitored quantity (`'loss'`, `'val_rmse'`, ...), or null when nothing is monitored. */
  monitor: string | null = null;
  /** 0-based index of the best epoch of `monitor`, or null. */
  bestEpoch: number | null = null;
  /** True when early stopping (or a callback returning false) ended training before the last epoch. */
  stoppedEarly = false;
  /** True when the weights of `bestEpoch` were restored at the end. */
  restoredBest = false;

  /** Appends an epoch. */
  push(record: EpochRecord): void {
    this.epochs.push(record);
  }

  /** Training loss per epoch. */
  get loss(): number[] {
    return this.epochs.map((e) => e.loss);
  }

  /** Seconds per epoch. */
  get seconds(): number[] {
    return this.epochs.map((e) => e.seconds);
  }

  /** Total seconds over all epochs. */
  get totalSeconds(): number {
    let s = 0;
    for (const e of this.epochs) s += e.seconds;
    return s;
  }

  /**
   * One quantity per epoch: `'loss'` or a metric name such as `'val_rmse'` (NaN where an epoch
   * lacks it).
   */
  metric(name: string): number[] {
    return this.epochs.map((e) => (name === 'loss' ? e.loss : e.metrics[name] ?? NaN));
  }

  /** The names of the metrics recorded in any epoch. */
  get metricNames(): string[] {
    const names = new Set<string>();
    for (const e of this.epochs) for (const k of Object.keys(e.metrics)) names.add(k);
    return [...names];
  }

  /** A plain object for JSON output. */
  toJSON(): HistoryJSON {
    return { epochs: this.epochs, monitor: this.monitor, bestEpoch: this.bestEpoch, stoppedEarly: this.stoppedEarly, restoredBest: this.restoredBest };
  }

  /** One line: `History { 12 epochs, loss 0.93 → 0.71, val_rmse 0.95 → 0.88 (best 0.8790 at epoch 9, restored), 4.2 s }`. */
  toString(): string {
    const n = this.epochs.length;
    if (n === 0) return 'History { no epochs }';
    const parts = [`${n} epoch${n === 1 ? '' : 's'}${this.stoppedEarly ? ' (stopped early)' : ''}`];
    const span = (xs: number[]) => (xs.length === 1 ? formatMetric(xs[0]) : `${formatMetric(xs[0])} → ${formatMetric(xs[xs.length - 1])}`);
    parts.push(`loss ${span(this.loss)}`);
    for (const name of this.metricNames) {
      let text = `${name} ${span(this.metric(name))}`;
      if (name === this.monitor && this.bestEpoch !== null) {
        text += ` (best ${formatMetric(this.metric(name)[this.bestEpoch])} at epoch ${this.bestEpoch + 1}${this.restoredBest ? ', restored' : ''})`;
      }
      parts.push(text);
    }
    parts.push(`${this.totalSeconds.toFixed(1)} s`);
    return `History { ${parts.join(', ')} }`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
