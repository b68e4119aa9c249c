import type { QuiverError } from '@quiver/base';
import { cliHint } from './data-error-hint.js';

/**
 * An error the `quiver` command reports as one line on stderr, without a stack trace.
 * `exitCode` 2 means a usage error (bad flag or value), 1 a runtime failure (missing file,
 * unknown user, bad format).
 * @example
 * throw new CliError('quiver train: --epochs must be a positive integer, got "ten"', 2);
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** Process exit code. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * A library error (`QuiverError` (`@quiver/base`)) in the command line's words, built from its fields and
 * never from its message text: `where` becomes the command, `what` and `got` stay, and the
 * library's advice (`tail`) gives way to the flag that sets the hinted option, when one does.
 * @example
 * catch (e) { if (e instanceof QuiverError) throw cliErrorFrom('quiver train', e); }
 */
export function cliErrorFrom(where: string, e: QuiverError, exitCode = 1, context = ''): CliError {
  const flag = cliHint(e.hint);
  const got = e.got === null ? '' : `, got ${e.got}`;
  return new CliError(`${where}: ${context}${e.what}${got}${flag !== '' ? flag : e.tail}`, exitCode);
}
