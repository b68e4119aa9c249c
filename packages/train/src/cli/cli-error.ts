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
