import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * `--seed -1` → `--seed=-1`: node's parseArgs reads a value that starts with `-` as a flag
 * ("does not take a value"), but a negative number after a flag that takes a value is that
 * flag's value (a seed, a raw user id). Only numbers are joined, so `--model --json` still
 * says that --model needs a value.
 */
function joinNegativeValues(args: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let n = 0; n < args.length; n++) {
    const a = args[n];
    const next = args[n + 1];
    const name = a.startsWith('--') ? a.slice(2) : a.length === 2 && a[0] === '-' ? Object.keys(options).find((k) => options[k].short === a[1]) : undefined;
    const spec = name !== undefined && Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`);
      n++;
    } else out.push(a);
  }
  return out;
}

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
    const config: ParseArgsConfig = { args: joinNegativeValues(args, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false };
    return { values: parseArgs(config).values as ParsedFlags<O> };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const msg = String(err.message ?? e);
    const flag = /'([^']+)'/.exec(msg)?.[1];
    const cmd = where.replace(/^quiver /, '');
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new CliError(`${where}: unknown option ${flag ?? msg}; see quiver ${cmd} --help`, 2);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
        const name = flag?.split(' ')[0] ?? '';
        // node's three cases: a flag with no value, a value that starts with '-', a value for a switch.
        if (/argument missing/.test(msg)) throw new CliError(`${where}: option ${name} needs a value`, 2);
        if (/ambiguous/.test(msg)) throw new CliError(`${where}: option ${name} needs a value; write a value that starts with '-' as ${name}=-value`, 2);
        throw new CliError(`${where}: option ${name} does not take a value`, 2);
      }
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new CliError(`${where}: unexpected argument ${flag ?? ''}; flags take the form --name value`.replace(/\s+/g, ' '), 2);
      default:
        throw new CliError(`${where}: ${msg.split('\n')[0]}`, 2);
    }
  }
}
