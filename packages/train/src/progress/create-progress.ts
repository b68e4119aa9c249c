import { checkOneOf } from '@quiver/base';
import { BarProgress } from './bar-progress.js';
import { LogProgress } from './log-progress.js';
import type { ProgressMode, ProgressReporter } from './progress-reporter.js';
import { SilentProgress } from './silent-progress.js';

const MODES: readonly ProgressMode[] = ['auto', 'bar', 'log', 'none'];

/**
 * Creates the progress reporter for a mode. `'auto'` draws a cli-progress bar when `stream`
 * is a terminal (TTY) and writes plain structured log lines otherwise (CI, pipes, files);
 * `'none'` reports nothing.
 * @param mode - `'auto'`, `'bar'`, `'log'` or `'none'`. @defaultValue 'auto'
 * @param stream - Where progress goes. @defaultValue process.stderr
 * @returns A {@link ProgressReporter}.
 * @throws {RangeError} for an unknown mode.
 * @example
 * const progress = createProgress(json ? 'none' : 'auto');
 */
export function createProgress(mode: ProgressMode = 'auto', stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  checkOneOf('createProgress', 'mode', mode, MODES);
  if (mode === 'none') return new SilentProgress();
  const isTty = (stream as NodeJS.WriteStream).isTTY === true;
  if (mode === 'bar' || (mode === 'auto' && isTty)) return new BarProgress(stream);
  return new LogProgress((line) => stream.write(`${line}\n`));
}
