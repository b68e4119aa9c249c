import type { BatchProgress, EpochProgress, ProgressReporter } from './progress-reporter.js';

/**
 * Reports nothing (`--json`, quiet runs, tests, cross-validation folds).
 * @example
 * train(model, data, { progress: new SilentProgress() }); // same as progress: 'none'
 */
export class SilentProgress implements ProgressReporter {
  readonly mode = 'none' as const;
  start(_label: string, _epochs: number, _examples: number): void {}
  batchEnd(_progress: BatchProgress): void {}
  epochEnd(_progress: EpochProgress): void {}
  message(_line: string): void {}
  stop(): void {}
}
