// Hot reload: the model folder replaced by saveModel under load (every answer must be exactly one
// model's library answer, none fails), corrupt / missing folders (the old model keeps serving),
// SIGHUP and reload().
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import type { IdMap } from '@quiver/data';
import { loadMovieLens } from '@quiver/data';
import { createModel, saveModel, type FoldInRecommender } from '@quiver/mf';
import { createServer, type QuiverServer } from '../src/index.js';

let tmp: string;
let modelA: FoldInRecommender;
let modelB: FoldInRecommender;
let users: IdMap;
let items: IdMap;
const servers: QuiverServer[] = [];

const toRaw = (map: IdMap, ids: Int32Array): (string | number)[] => Array.from(ids, (i) => map.toRaw(i) as number);

/** The library's answer to GET /v1/recommend?user=raw&k=5 (no titles: saved without). */
function recommendAnswer(model: FoldInRecommender, raw: number): string {
  const top = model.recommend(users.toIndex(raw), 5);
  return JSON.stringify({ user: raw, items: toRaw(items, top.ids).map((item, n) => ({ item, score: top.scores[n] })) });
}

function similarAnswer(model: FoldInRecommender, raw: number): string {
  const top = model.similarItems(items.toIndex(raw), 5);
  return JSON.stringify({ item: raw, items: toRaw(items, top.ids).map((item, n) => ({ item, score: top.scores[n] })) });
}

async function save(model: FoldInRecommender, dir: string): Promise<void> {
  await saveModel(model, dir, { idMaps: { users, items } });
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A copy of a saved model folder with one byte of the weights flipped, renamed into place over `dir`. */
function replaceWithCorrupt(from: string, dir: string): void {
  const stage = join(tmp, `stage-${Date.now()}`);
  cpSync(from, stage, { recursive: true });
  const weights = join(stage, 'weights.safetensors');
  const bytes = readFileSync(weights);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(weights, bytes);
  const old = join(tmp, `old-${Date.now()}`);
  renameSync(dir, old);
  renameSync(stage, dir);
  rmSync(old, { recursive: true });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'quiver-serve-reload-'));
  const ds = await loadMovieLens('ml-latest-small');
  users = ds.interactions.userIdMap;
  items = ds.interactions.itemIdMap;
  modelA = createModel('als', { factors: 16, epochs: 3, seed: 1 });
  modelA.fit(ds.interactions);
  modelB = createModel('als', { factors: 16, epochs: 3, seed: 2 });
  modelB.fit(ds.interactions);
  await save(modelA, join(tmp, 'A'));
  await save(modelB, join(tmp, 'B'));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('reload under load', () => {
  it('answers every request with exactly one model while the folder is replaced 3 times', async () => {
    const dir = join(tmp, 'live');
    await save(modelA, dir);
    const app = await createServer({ modelDir: dir, reloadOnSighup: false });
    servers.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    // The users and items asked about, and both models' answers for each.
    const rng = createRng(7);
    const askUsers = Array.from({ length: 40 }, () => users.toRaw(rng.nextInt(users.size)) as number);
    const askItems = Array.from({ length: 20 }, () => items.toRaw(rng.nextInt(items.size)) as number);
    const want = new Map<string, [string, string]>();
    for (const u of askUsers) want.set(`/v1/recommend?user=${u}&k=5`, [recommendAnswer(modelA, u), recommendAnswer(modelB, u)]);
    for (const i of askItems) want.set(`/v1/similar-items?item=${i}&k=5`, [similarAnswer(modelA, i), similarAnswer(modelB, i)]);
    for (const [url, [a, b]] of want) expect(a, url).not.toBe(b);
    const paths = [...want.keys()];

    let stop = false;
    const seen = { A: 0, B: 0 };
    const problems: string[] = [];
    const worker = async (w: number): Promise<void> => {
      for (let n = w; !stop; n += 7) {
        const path = paths[n % paths.length];
        try {
          const res = await fetch(base + path);
          const text = await res.text();
          const [a, b] = want.get(path)!;
          if (res.status !== 200) problems.push(`${path}: status ${res.status} ${text.slice(0, 200)}`);
          else if (text === a) seen.A++;
          else if (text === b) seen.B++;
          else problems.push(`${path}: an answer of neither model: ${text.slice(0, 200)}`);
        } catch (e) {
          problems.push(`${path}: ${(e as Error).message}`);
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await until('first answers', () => seen.A > 50);
    const order = [modelB, modelA, modelB];
    for (let r = 0; r < order.length; r++) {
      const before = { ...seen };
      await save(order[r], dir);
      await until(`generation ${r + 2}`, () => app.models.generation === r + 2);
      const fresh = order[r] === modelB ? 'B' : 'A';
      await until(`answers of model ${fresh}`, () => seen[fresh] > before[fresh] + 30);
    }
    stop = true;
    await Promise.all(workers);
    expect(problems).toEqual([]);
    expect(seen.A).toBeGreaterThan(100);
    expect(seen.B).toBeGreaterThan(50);
    expect(app.models.reloads).toBe(3);
    expect(app.models.reloadFailures).toBe(0);
    const health = (await (await fetch(`${base}/healthz`)).json()) as { model: { generation: number; checksum: string } };
    expect(health.model.generation).toBe(4);
    expect(health.model.checksum).toBe((JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { checksum: string }).checksum);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^quiver_model_reloads_total 3$/m);
    expect(metrics).toMatch(/^quiver_model_reload_failures_total 0$/m);
  });

  it('keeps serving the old model when a corrupt folder is renamed into place', async () => {
    const dir = join(tmp, 'watched');
    await save(modelA, dir);
    const app = await createServer({ modelDir: dir, reloadOnSighup: false });
    servers.push(app);
    replaceWithCorrupt(join(tmp, 'B'), dir);
    await until('a failed reload', () => app.models.reloadFailures === 1);
    expect(app.models.generation).toBe(1);
    const res = await app.inject({ url: '/v1/recommend?user=1&k=5' });
    expect(res.body).toBe(recommendAnswer(modelA, 1));
  });
});

describe('reload() and SIGHUP', () => {
  it('a corrupt or missing folder keeps the old model; a good one replaces it', async () => {
    const dir = join(tmp, 'manual');
    await save(modelA, dir);
    const lines: string[] = [];
    const app = await createServer({ modelDir: dir, watch: false, logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } } });
    servers.push(app);
    const answer = async (): Promise<string> => (await app.inject({ url: '/v1/recommend?user=1&k=5' })).body;
    expect(await answer()).toBe(recommendAnswer(modelA, 1));

    replaceWithCorrupt(join(tmp, 'B'), dir);
    const failed = await app.models.reload();
    expect(failed.ok).toBe(false);
    expect(failed.error?.message).toMatch(/^loadModel: weights\.safetensors checksum mismatch \(the file was modified\)/);
    expect(failed.generation).toBe(1);
    expect(await answer()).toBe(recommendAnswer(modelA, 1));

    // SIGHUP: the same refusal, counted again.
    process.kill(process.pid, 'SIGHUP');
    await until('the SIGHUP reload', () => app.models.reloadFailures === 2);
    expect(await answer()).toBe(recommendAnswer(modelA, 1));

    rmSync(dir, { recursive: true });
    const missing = await app.models.reload();
    expect(missing.ok).toBe(false);
    expect(missing.error?.message).toMatch(/does not exist/);
    expect(await answer()).toBe(recommendAnswer(modelA, 1));

    const health = (await app.inject({ url: '/healthz' })).json() as { model: { generation: number }; reloads: { ok: number; failed: number; lastFailureAt: string | null } };
    expect(health.model.generation).toBe(1);
    expect(health.reloads.failed).toBe(3);
    expect(health.reloads.lastFailureAt).not.toBeNull();
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^quiver_model_reload_failures_total 3$/m);

    await save(modelB, dir);
    process.kill(process.pid, 'SIGHUP');
    await until('the good reload', () => app.models.generation === 2);
    expect(await answer()).toBe(recommendAnswer(modelB, 1));
    const logs = lines.map((l) => JSON.parse(l) as { msg: string; reason?: string; level: number });
    expect(logs.filter((l) => l.msg === 'model reload failed; the previous model keeps serving').map((l) => l.reason)).toEqual(['reload()', 'SIGHUP', 'reload()']);
    expect(logs.find((l) => l.msg === 'model reloaded')?.reason).toBe('SIGHUP');
  });

  it('coalesces reloads requested while one runs, and closing removes the SIGHUP listener', async () => {
    const dir = join(tmp, 'coalesce');
    await save(modelA, dir);
    const before = process.listenerCount('SIGHUP');
    const app = await createServer({ modelDir: dir, watch: false });
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    const outcomes = await Promise.all([app.models.reload('one'), app.models.reload('two'), app.models.reload('three')]);
    expect(outcomes.map((o) => [o.reason, o.ok, o.generation])).toEqual([['one', true, 2], ['two', true, 3], ['two', true, 3]]);
    await app.close();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});
