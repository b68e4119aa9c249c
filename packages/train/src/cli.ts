import { readFileSync } from 'node:fs';
import { CliError } from './cli/cli-error.js';
import { compareCommand } from './cli/compare-command.js';
import { evalCommand } from './cli/eval-command.js';
import { SPARK_EXPORT_HELP, SPARK_IMPORT_HELP, sparkExportCommand, sparkImportCommand } from './cli/spark-command.js';
import { COMPARE_HELP, EVAL_HELP, MAIN_HELP, RECOMMEND_HELP, TRAIN_HELP } from './cli/help-text.js';
import { processIo, type CliIo } from './cli/output.js';
import { recommendCommand } from './cli/recommend-command.js';
import { trainCommand } from './cli/train-command.js';

// `quiver serve` loads its HTTP stack (fastify, prom-client, usearch) only when it runs: every
// other command starts without it.
const loadServe = () => import('@quiver/serve');

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; help: string | (() => Promise<string>) }> = {
  train: { run: trainCommand, help: TRAIN_HELP },
  eval: { run: evalCommand, help: EVAL_HELP },
  recommend: { run: recommendCommand, help: RECOMMEND_HELP },
  compare: { run: compareCommand, help: COMPARE_HELP },
  serve: { run: async (args, io) => (await loadServe()).serveCommand(args, io), help: async () => (await loadServe()).SERVE_HELP },
  'spark-import': { run: sparkImportCommand, help: SPARK_IMPORT_HELP },
  'spark-export': { run: sparkExportCommand, help: SPARK_EXPORT_HELP },
};

/**
 * Runs the `quiver` command line and resolves to the process exit code. Every error is
 * reported as one line on stderr without a stack trace (set `QUIVER_DEBUG=1` to see it):
 * exit code 2 for usage errors (unknown flag, bad number), 1 for failures (missing file,
 * unknown user, bad format).
 * @param argv - The arguments after the program name (`process.argv.slice(2)`).
 * @param io - Output streams. @defaultValue the process's stdout / stderr
 * @returns The exit code.
 * @example
 * process.exitCode = await runCli(['train', '--data', 'ml-latest-small', '--json']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) throw new CliError('quiver: a command is required (train, eval, recommend, compare, serve, spark-import or spark-export); see quiver --help', 2);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(MAIN_HELP);
      return 0;
    }
    if (command === '--version' || command === '-v') {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      io.out(`${pkg.version}\n`);
      return 0;
    }
    const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (entry === undefined) {
      throw new CliError(`quiver: unknown command ${JSON.stringify(command)}; commands are train, eval, recommend, compare, serve, spark-import, spark-export (see quiver --help)`, 2);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(typeof entry.help === 'string' ? entry.help : await entry.help());
      return 0;
    }
    return await entry.run([...rest], io);
  } catch (e) {
    if (process.env.QUIVER_DEBUG === '1' && e instanceof Error) io.err(`${e.stack}\n`);
    if (e instanceof CliError) {
      io.err(`${e.message}\n`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.err(`quiver${command !== undefined && Object.hasOwn(COMMANDS, command) ? ` ${command}` : ''}: ${message}\n`);
    return 1;
  }
}
