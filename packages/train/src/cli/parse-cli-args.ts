import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The parsed flags: strings for string options, booleans for boolean ones. */
export type ParsedFlags<O extends OptionSpec> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };

/**
 * `node:util` parseArgs in strict mode (unknown flags, missing values and positionals are
 * errors), with its multi-line messages turned into one `CliError` line.
 * @throws {CliError} exit code 2.
 * @example
 * const { values } = parseCliArgs('quiver eval', args, { model: { type: 'string' }, json: { type: 'boolean' } });
 */
export function parseCliArgs<O extends OptionSpec>(where: string, args: string[], options: O): { values: ParsedFlags<O> } {
  try {
    const config: ParseArgsConfig = { args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false };
    return { values: parseArgs(config).values as ParsedFlags<O> };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const msg = String(err.message ?? e);
    const flag = /'([^']+)'/.exec(msg)?.[1];
    const cmd = where.replace(/^quiver /, '');
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new CliError(`${where}: unknown option ${flag ?? msg}; see quiver ${cmd} --help`, 2);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new CliError(`${where}: option ${flag?.split(' ')[0] ?? ''} ${/argument missing/.test(msg) ? 'needs a value' : 'does not take a value'}`.replace(/\s+/g, ' ').trim(), 2);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new CliError(`${where}: unexpected argument ${flag ?? ''}; flags take the form --name value`.replace(/\s+/g, ' '), 2);
      default:
        throw new CliError(`${where}: ${msg.split('\n')[0]}`, 2);
    }
  }
}
