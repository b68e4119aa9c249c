// The load test CI runs: bench/serve.mjs --ci in a child process, on a model trained here (3 s of concurrent
// GET /v1/recommend, sampled answers against model.recommend, RSS growth), and `quiver serve`
// (serveCommand) as a real process stopped by SIGTERM while a request is in flight. Both run
// the built package, so dist/ is rebuilt first when a source file is newer than its output.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMovieLens, type IdMap } from '@quiver/data';
import { createModel, saveModel, type FoldInRecommender } from '@quiver/mf';

const root = fileURLToPath(new URL('..', import.meta.url));
let tmp: string;
let model: FoldInRecommender;
let users: IdMap;
let items: IdMap;

/** True when some `src/**.ts` (not a test) is newer than its `dist/**.js`, or has none. */
function distIsStale(): boolean {
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      if (!e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) return false;
      const out = join(root, 'dist', p.slice(join(root, 'src').length).replace(/\.ts$/, '.js'));
      return !existsSync(out) || statSync(out).mtimeMs < statSync(p).mtimeMs;
    });
  return walk(join(root, 'src'));
}

beforeAll(async () => {
  if (distIsStale()) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  tmp = mkdtempSync(join(tmpdir(), 'quiver-serve-load-'));
  const ds = await loadMovieLens('ml-latest-small');
  users = ds.interactions.userIdMap;
  items = ds.interactions.itemIdMap;
  model = createModel('als', { factors: 8, epochs: 2, seed: 5 });
  model.fit(ds.interactions);
  await saveModel(model, join(tmp, 'model'), { idMaps: { users, items } });
}, 120_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('load', () => {
  it('bench/serve.mjs --ci: no failed request, answers equal the library, no RSS growth', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bench/serve.mjs', join(tmp, 'model'), '--ci'], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr });
      });
    });
    expect(stderr).toBe('');
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/requests: [1-9]\d* \(\d+ req\/s\), failed: 0\n/);
    expect(stdout).toMatch(/sampled answers equal to model\.recommend: 100\/100\n/);
    expect(stdout).toMatch(/latency \(client-side, per response\): p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(stdout).toMatch(/\n {2}ok\n$/);
  });

  it('quiver serve stops on SIGTERM after answering the request in flight, exit code 0', async () => {
    const script = "import { serveCommand } from '@quiver/serve'; process.exitCode = await serveCommand(process.argv.slice(1), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });";
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', '--model', join(tmp, 'model'), '--port', '0', '--log-level', 'info'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const t0 = Date.now();
    while (!/listening on (http:\/\/\S+)/.test(out)) {
      if (Date.now() - t0 > 20_000 || child.exitCode !== null) throw new Error(`the server did not start: ${out}${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = /listening on (http:\/\/\S+)/.exec(out)![1];
    const body = JSON.stringify({ user: 3, k: 4 });
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`);
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    while (!err.includes('shutting down')) await new Promise((r) => setTimeout(r, 10));
    expect(child.exitCode).toBeNull(); // still finishing the request in flight
    socket.write(body.slice(4));
    await closed;
    expect(await exited).toBe(0);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const top = model.recommend(users.toIndex(3), 4);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ user: 3, items: Array.from(top.ids, (i, n) => ({ item: items.toRaw(i), score: top.scores[n] })) });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
