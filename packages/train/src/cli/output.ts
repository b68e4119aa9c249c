/** Where a command writes: JSON on stdout, human text on stderr. */
export interface CliIo {
  /** Writes to stdout. */
  readonly out: (text: string) => void;
  /** Writes to stderr. */
  readonly err: (text: string) => void;
  /** The stream progress bars are drawn on (stderr). */
  readonly errStream: NodeJS.WritableStream;
}

/**
 * The process's own streams.
 * @example
 * await trainCommand(args, processIo());
 */
export function processIo(): CliIo {
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), errStream: process.stderr };
}

/**
 * `1234567` → `1,234,567`.
 * @example
 * fmtInt(100836); // '100,836'
 */
export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A metric value for humans: 4 decimals.
 * @example
 * fmtMetric(0.84661); // '0.8466'
 */
export function fmtMetric(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/**
 * Replaces non-finite numbers (NaN, ±Infinity) by null and bigints by strings, so the object is valid JSON.
 * @example
 * jsonSafe({ auc: NaN }); // { auc: null }
 */
export function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : typeof v === 'bigint' ? String(v) : v)));
}
