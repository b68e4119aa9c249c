// `quiver serve` (serveCommand) in-process: usage errors and their exit codes, token files,
// listening with a token, and a graceful shutdown that finishes a request in flight.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMovieLens, type IdMap } from '@quiver/data';
import { createModel, saveModel, type FoldInRecommender } from '@quiver/mf';
import { SERVE_HELP, serveCommand } from '../src/index.js';

let tmp: string;
let model: FoldInRecommender;
let users: IdMap;
let items: IdMap;

function capture(): { io: { out(s: string): void; err(s: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'quiver-serve-cmd-'));
  const ds = await loadMovieLens('ml-latest-small');
  users = ds.interactions.userIdMap;
  items = ds.interactions.itemIdMap;
  model = createModel('als', { factors: 8, epochs: 2, seed: 3 });
  model.fit(ds.interactions);
  await saveModel(model, join(tmp, 'model'), { idMaps: { users, items } });
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('serveCommand usage', () => {
  it('refuses bad arguments with exit code 2 and one line', async () => {
    const cases: [string[], string][] = [
      [[], 'quiver serve: --model DIR is required (a folder written by quiver train --out DIR)\n'],
      [['--model'], 'quiver serve: --model needs a value\n'],
      [['--model', 'x', '--prot', '1'], 'quiver serve: unknown option "--prot"; options are --model, --host, --port, --token-file, --static, --log-level (see quiver serve --help)\n'],
      [['--model', 'x', '--port', '70000'], 'quiver serve: --port must be an integer in [0, 65535], got "70000"\n'],
      [['--model', 'x', '--port=-1'], 'quiver serve: --port must be an integer in [0, 65535], got "-1"\n'],
      [['--model', 'x', '--log-level', 'loud'], 'quiver serve: --log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n'],
      [['--model', 'x', '--model', 'y'], 'quiver serve: --model is given twice\n'],
      [['--model='], 'quiver serve: --model must not be empty\n'],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await serveCommand(args, c.io), args.join(' ')).toBe(2);
      expect(c.err.join('')).toBe(message);
      expect(c.out).toEqual([]);
    }
    expect(SERVE_HELP).toMatch(/^quiver serve --model DIR/);
  });

  it('refuses a missing model, a missing, empty or world-readable token file with exit code 1', async () => {
    const token = join(tmp, 'token');
    const run = async (args: string[]): Promise<[number, string]> => {
      const c = capture();
      const code = await serveCommand(args, c.io);
      return [code, c.err.join('')];
    };
    expect(await run(['--model', join(tmp, 'none')])).toEqual([1, `quiver serve: --model ${join(tmp, 'none')} does not exist; create it with quiver train --out ${join(tmp, 'none')}\n`]);
    expect(await run(['--model', tmp])).toEqual([1, expect.stringMatching(/^quiver serve: cannot load the model in .*: loadModel: cannot read .*model\.json/)]);
    expect(await run(['--model', join(tmp, 'model'), '--token-file', token])).toEqual([1, `quiver serve: --token-file ${token} does not exist; write the token into it (readable by you only: chmod 600)\n`]);
    writeFileSync(token, '  \n', { mode: 0o600 });
    chmodSync(token, 0o600);
    expect(await run(['--model', join(tmp, 'model'), '--token-file', token])).toEqual([1, `quiver serve: --token-file ${token} is empty; put the token in it\n`]);
    writeFileSync(token, 'abc def\n');
    expect(await run(['--model', join(tmp, 'model'), '--token-file', token])).toEqual([1, `quiver serve: --token-file ${token} must hold one token without spaces or line breaks\n`]);
    chmodSync(token, 0o644);
    expect(await run(['--model', join(tmp, 'model'), '--token-file', token])).toEqual([1, `quiver serve: --token-file ${token} is readable by every user (mode 644); restrict it first: chmod 600 ${token}\n`]);
    expect(await run(['--model', join(tmp, 'model'), '--static', join(tmp, 'nope')])).toEqual([1, `quiver serve: --static ${join(tmp, 'nope')} must be an existing folder\n`]);
  });
});

describe('serveCommand serving', () => {
  it('listens, prints the URL, needs the token, and shuts down after finishing a request in flight', async () => {
    const token = join(tmp, 'token-ok');
    writeFileSync(token, '  tok-123\n', { mode: 0o600 });
    chmodSync(token, 0o600);
    const c = capture();
    const abort = new AbortController();
    let url = '';
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const exit = serveCommand(['--model', join(tmp, 'model'), '--port', '0', '--token-file', token, '--log-level', 'info'], c.io, {
      signal: abort.signal,
      onListening: (_server, u) => {
        url = u;
        listening();
      },
    });
    await ready;
    expect(c.out).toHaveLength(1);
    expect(c.out[0]).toMatch(/^quiver serve: listening on http:\/\/127\.0\.0\.1:\d+ \(als model, 610 users, 9724 items, bearer token required\)\n$/);
    expect(c.out[0]).toContain(url);
    expect((await fetch(`${url}/v1/recommend?user=1&k=3`)).status).toBe(401);
    const res = await fetch(`${url}/v1/recommend?user=1&k=3`, { headers: { authorization: 'Bearer tok-123' } });
    const top = model.recommend(users.toIndex(1), 3);
    expect(await res.json()).toEqual({ user: 1, items: Array.from(top.ids, (i, n) => ({ item: items.toRaw(i), score: top.scores[n] })) });

    // A request in flight: headers and half the body sent before the shutdown starts.
    const port = Number(new URL(url).port);
    const body = JSON.stringify({ user: 2, k: 2 });
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST /v1/recommend HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-123\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await new Promise((r) => setTimeout(r, 100));
    let exited = false;
    void exit.then(() => (exited = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(exited).toBe(false); // waiting for the request in flight
    socket.write(body.slice(5));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const top2 = model.recommend(users.toIndex(2), 2);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ user: 2, items: Array.from(top2.ids, (i, n) => ({ item: items.toRaw(i), score: top2.scores[n] })) });
    expect(await exit).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const logs = c.err.join('').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toContain('shutting down: no new connections, finishing the requests in flight');
  });
});
