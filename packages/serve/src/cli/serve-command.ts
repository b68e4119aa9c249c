import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type QuiverServer } from '../server/create-server.js';

/** Where {@link serveCommand} writes: its one URL line on `out`, logs and errors on `err`. */
export interface ServeIo {
  /** Writes to stdout. */
  out(s: string): void;
  /** Writes to stderr. */
  err(s: string): void;
}

/** Options of {@link serveCommand} for programs that embed it (tests, supervisors). */
export interface ServeCommandOptions {
  /** Shuts the server down gracefully when aborted, as SIGTERM does. @defaultValue none */
  readonly signal?: AbortSignal;
  /** Called with the server once it listens. @defaultValue none */
  readonly onListening?: (server: QuiverServer, url: string) => void;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const FLAGS = ['--model', '--host', '--port', '--token-file', '--static', '--log-level'] as const;
type Flag = (typeof FLAGS)[number];

class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

function parseArgs(args: readonly string[]): Map<Flag, string> {
  const values = new Map<Flag, string>();
  for (let n = 0; n < args.length; n++) {
    const arg = args[n];
    const eq = arg.indexOf('=');
    const name = (arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg) as Flag;
    if (!FLAGS.includes(name)) {
      throw new UsageError(`quiver serve: unknown option ${JSON.stringify(arg.slice(0, 60))}; options are ${FLAGS.join(', ')} (see quiver serve --help)`);
    }
    let value: string;
    if (arg.startsWith('--') && eq > 0) value = arg.slice(eq + 1);
    else {
      if (n + 1 >= args.length || args[n + 1].startsWith('--')) throw new UsageError(`quiver serve: ${name} needs a value`);
      value = args[++n];
    }
    if (values.has(name)) throw new UsageError(`quiver serve: ${name} is given twice`);
    if (value === '') throw new UsageError(`quiver serve: ${name} must not be empty`);
    values.set(name, value);
  }
  return values;
}

/** The token in `file`: its content, trimmed. Refuses a missing, unreadable, world-readable or empty file. */
function readToken(file: string): string {
  if (!existsSync(file)) throw new UsageError(`quiver serve: --token-file ${file} does not exist; write the token into it (readable by you only: chmod 600)`, 1);
  const st = statSync(file);
  if (!st.isFile()) throw new UsageError(`quiver serve: --token-file ${file} must be a file`, 1);
  if (process.platform !== 'win32' && (st.mode & 0o004) !== 0) {
    throw new UsageError(`quiver serve: --token-file ${file} is readable by every user (mode ${(st.mode & 0o777).toString(8)}); restrict it first: chmod 600 ${file}`, 1);
  }
  if (st.size > 4096) throw new UsageError(`quiver serve: --token-file ${file} must hold one token (at most 4096 bytes), got ${st.size} bytes`, 1);
  const token = readFileSync(file, 'utf8').trim();
  if (token === '') throw new UsageError(`quiver serve: --token-file ${file} is empty; put the token in it`, 1);
  if (/\s/.test(token)) throw new UsageError(`quiver serve: --token-file ${file} must hold one token without spaces or line breaks`, 1);
  return token;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/**
 * `quiver serve`: loads the model in `--model DIR`, listens on `--host` / `--port`, prints one
 * line with the URL on `out`, and serves until SIGTERM or SIGINT (or `options.signal`), then stops
 * accepting connections, lets the requests in flight finish, and resolves 0. Logs (JSON lines)
 * go to `err`. SIGHUP reloads the model.
 * @param args - The arguments after `serve`.
 * @returns The exit code: 0 after a graceful shutdown, 2 for a usage error (one line
 *   `quiver serve: ...` on `err`), 1 when the model, the token file or the address is unusable.
 * @example
 * process.exitCode = await serveCommand(['--model', 'runs/als', '--port', '8080'], { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
 */
export async function serveCommand(args: string[], io: ServeIo, options: ServeCommandOptions = {}): Promise<number> {
  let app: QuiverServer;
  let url: string;
  try {
    const values = parseArgs(args);
    const modelDir = values.get('--model');
    if (modelDir === undefined) throw new UsageError('quiver serve: --model DIR is required (a folder written by quiver train --out DIR)');
    const host = values.get('--host') ?? '127.0.0.1';
    const portText = values.get('--port') ?? '8080';
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`quiver serve: --port must be an integer in [0, 65535], got ${JSON.stringify(portText)}`);
    const level = values.get('--log-level') ?? 'info';
    if (!LOG_LEVELS.includes(level)) throw new UsageError(`quiver serve: --log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
    const staticDir = values.get('--static');
    if (staticDir !== undefined && !(existsSync(staticDir) && statSync(staticDir).isDirectory())) throw new UsageError(`quiver serve: --static ${staticDir} must be an existing folder`, 1);
    const tokenFile = values.get('--token-file');
    const token = tokenFile === undefined ? undefined : readToken(tokenFile);
    if (!existsSync(modelDir)) throw new UsageError(`quiver serve: --model ${modelDir} does not exist; create it with quiver train --out ${modelDir}`, 1);
    try {
      app = await createServer({ modelDir, token, staticDir, logger: { level, stream: { write: (s: string) => io.err(s) } } });
    } catch (e) {
      throw new UsageError(`quiver serve: cannot load the model in ${modelDir}: ${firstLine(e)}`, 1);
    }
    try {
      await app.listen({ host, port: Number(portText) });
    } catch (e) {
      await app.close();
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the address is in use' : code === 'EADDRNOTAVAIL' ? 'the address is not on this machine' : code === 'EACCES' ? 'permission denied' : firstLine(e);
      throw new UsageError(`quiver serve: cannot listen on ${host}:${portText}: ${why}`, 1);
    }
    const address = app.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `http://${shown}:${address.port}`;
    const m = app.models.current;
    io.out(`quiver serve: listening on ${url} (${m.kind} model, ${m.numUsers} users, ${m.numItems} items${token === undefined ? '' : ', bearer token required'})\n`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return e.exitCode;
    }
    io.err(`quiver serve: ${firstLine(e)}\n`);
    return 1;
  }
  options.onListening?.(app, url);

  return new Promise<number>((resolveExit) => {
    let closing = false;
    const stop = (why: string): void => {
      if (closing) {
        // A second signal: drop the connections that are still open.
        app.server.closeAllConnections();
        return;
      }
      closing = true;
      app.log.info({ signal: why }, 'shutting down: no new connections, finishing the requests in flight');
      app.close().then(
        () => finish(0),
        (e: unknown) => {
          io.err(`quiver serve: shutdown failed: ${firstLine(e)}\n`);
          finish(1);
        },
      );
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    const onAbort = (): void => stop('abort');
    const finish = (code: number): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      options.signal?.removeEventListener('abort', onAbort);
      resolveExit(code);
    };
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort);
  });
}
