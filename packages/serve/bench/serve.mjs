#!/usr/bin/env node
// Load test of `quiver serve`'s GET /v1/recommend with an ml-latest-small model.
//
//   node bench/serve.mjs [MODEL_DIR] [--seconds N] [--connections C] [--samples N] [--factors N] [--warmup N] [--ci]
//
// Trains an ALS model (--factors, default 64 as ALS's own default; 3 sweeps, seed 42) on
// ml-latest-small and saves it to a temporary folder, or serves MODEL_DIR (a folder written by
// saveModel / quiver train --out). The server runs in a child process (so the load generator
// does not share its thread), on 127.0.0.1:0. autocannon sends
// GET /v1/recommend?user=<seeded random known user>&k=10 over --connections (default 10): first
// --warmup requests (default 5000, at most 10 s), then for --seconds (default 10). It prints
// throughput and p50 / p99 latency (per response, measured by the client), then checks that
// --samples sampled answers (default 200) equal the library's own `model.recommend` (the model
// loaded from the same folder), and that the server's RSS did not grow by more than 20% between
// the first and the second half of the run (sampled every 250 ms).
// --ci: 3 seconds, 16 factors, 100 samples. Any failed request, mismatch or memory growth makes
// the exit code 1 (in the full run too). Needs the built package (npm run build -w @quiver/serve).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createRng } from '@quiver/base';
import { IdMap, loadMovieLens } from '@quiver/data';
import { createModel, loadModel, saveModel } from '@quiver/mf';

const USAGE = 'usage: node bench/serve.mjs [MODEL_DIR] [--seconds N] [--connections C] [--samples N] [--factors N] [--warmup N] [--ci]';

function parseArgs(argv) {
  const o = { dir: null, seconds: 10, connections: 10, samples: 200, factors: 64, warmup: 5000, ci: false, child: null };
  for (let n = 0; n < argv.length; n++) {
    const a = argv[n];
    const num = (name) => {
      const v = Number(argv[++n]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`bench/serve.mjs: ${name} must be a positive integer, got ${JSON.stringify(argv[n])}\n${USAGE}`);
      return v;
    };
    if (a === '--ci') o.ci = true;
    else if (a === '--seconds') o.seconds = num('--seconds');
    else if (a === '--connections') o.connections = num('--connections');
    else if (a === '--samples') o.samples = num('--samples');
    else if (a === '--factors') o.factors = num('--factors');
    else if (a === '--warmup') o.warmup = num('--warmup');
    else if (a === '--child') o.child = argv[++n];
    else if (!a.startsWith('--') && o.dir === null) o.dir = a;
    else throw new Error(`bench/serve.mjs: unknown argument ${JSON.stringify(a)}\n${USAGE}`);
  }
  if (o.ci) {
    if (!argv.includes('--seconds')) o.seconds = 3;
    if (!argv.includes('--samples')) o.samples = 100;
    if (!argv.includes('--factors')) o.factors = 16;
  }
  return o;
}

/** The server process: serves DIR on 127.0.0.1:0, reports its port and, when asked, its RSS. */
async function child(dir) {
  const { createServer } = await import('@quiver/serve');
  const app = await createServer({ modelDir: dir, watch: false, reloadOnSighup: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (m) => {
    if (m === 'rss') process.send({ rss: process.memoryUsage.rss() });
    else if (m === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send({ port: app.server.address().port });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.child !== null) return child(o.child);
  const problems = [];
  let tmp = null;
  let dir = o.dir;
  const t0 = performance.now();
  if (dir === null) {
    tmp = mkdtempSync(join(tmpdir(), 'quiver-serve-bench-'));
    dir = join(tmp, 'model');
    const ds = await loadMovieLens('ml-latest-small');
    const model = createModel('als', { factors: o.factors, epochs: 3, seed: 42 });
    model.fit(ds.interactions);
    const titles = new TextEncoder().encode(JSON.stringify(ds.items.titles));
    await saveModel(model, dir, { idMaps: { users: ds.interactions.userIdMap, items: ds.interactions.itemIdMap }, files: { 'titles.json': titles } });
  }
  // The reference: the library's own model, loaded from the same folder.
  const { model, idMaps, files } = await loadModel(dir);
  const users = IdMap.fromJSON(idMaps.users);
  const items = IdMap.fromJSON(idMaps.items);
  const titles = files['titles.json'] === undefined ? null : JSON.parse(new TextDecoder().decode(files['titles.json']));
  const json = (raw) => (typeof raw === 'bigint' ? raw.toString() : raw);
  const expected = (u) => {
    const top = model.recommend(u, 10);
    return JSON.stringify({
      user: json(users.toRaw(u)),
      items: Array.from(top.ids, (i, n) => (titles?.[i] == null ? { item: json(items.toRaw(i)), score: top.scores[n] } : { item: json(items.toRaw(i)), score: top.scores[n], title: titles[i] })),
    });
  };
  const userParam = Array.from({ length: users.size }, (_, u) => encodeURIComponent(String(json(users.toRaw(u)))));
  const setupMs = performance.now() - t0;

  const server = fork(fileURLToPath(import.meta.url), ['--child', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    server.once('message', (m) => resolve(m.port));
    server.once('exit', (code) => reject(new Error(`the server process exited with code ${code} before listening`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const rss = () => new Promise((resolve) => {
    server.once('message', (m) => resolve(m.rss));
    server.send('rss');
  });

  const rng = createRng(1);
  const run = (limit, onResponse) => {
    const instance = autocannon({
      url: base,
      connections: o.connections,
      ...limit,
      requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/recommend?user=${userParam[rng.nextInt(users.size)]}&k=10` }) }],
    });
    if (onResponse) instance.on('response', onResponse);
    return instance;
  };

  // Warm-up: JIT, and the allocator's high-water mark (each recommend allocates a score array
  // per item, 38 KiB here, plus a skip mask, which V8 frees in bulk: RSS steps up once, after
  // 2,500 to 4,000 requests, then stays flat).
  const warm = run({ amount: o.warmup });
  const cap = setTimeout(() => warm.stop(), 10_000);
  const warmResult = await warm;
  clearTimeout(cap);
  const times = [];
  const statuses = new Map();
  const memory = [];
  const started = performance.now();
  const sampler = setInterval(() => void rss().then((bytes) => memory.push({ at: performance.now() - started, bytes })), 250);
  const result = await run({ duration: o.seconds }, (_client, status, _bytes, ms) => {
    times.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  clearInterval(sampler);
  memory.push({ at: performance.now() - started, bytes: await rss() });
  times.sort((a, b) => a - b);
  const total = times.length;
  const throughput = total / result.duration;
  const errors = result.errors + result.timeouts + result.non2xx;
  if (errors > 0) problems.push(`${errors} failed requests (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; statuses ${JSON.stringify(Object.fromEntries(statuses))})`);

  // Sampled answers against the library.
  let mismatches = 0;
  for (let s = 0; s < o.samples; s++) {
    const u = rng.nextInt(users.size);
    const res = await fetch(`${base}/v1/recommend?user=${userParam[u]}&k=10`);
    const text = await res.text();
    if (res.status !== 200 || text !== expected(u)) {
      mismatches++;
      if (mismatches <= 3) problems.push(`user ${users.toRaw(u)}: the server answered ${res.status} ${text.slice(0, 160)}…, the library ${expected(u).slice(0, 160)}…`);
    }
  }
  if (mismatches > 0) problems.push(`${mismatches} of ${o.samples} sampled answers differ from model.recommend`);

  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const half = result.duration * 500;
  const first = memory.filter((m) => m.at < half).map((m) => m.bytes);
  const second = memory.filter((m) => m.at >= half).map((m) => m.bytes);
  const growth = first.length === 0 || second.length === 0 ? 0 : Math.max(...second) / Math.max(...first) - 1;
  if (growth > 0.2) problems.push(`the server's RSS grew by ${(growth * 100).toFixed(1)}% between the halves (more than 20%)`);

  server.send('stop');
  await new Promise((resolve) => server.once('exit', resolve));
  if (tmp !== null) rmSync(tmp, { recursive: true, force: true });

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`quiver serve bench: GET /v1/recommend?user=<random of ${users.size}>&k=10, ${model.kind} model (${model.getConfig().factors ?? '?'} factors, ${model.numUsers} users, ${model.numItems} items), ${o.connections} connections, ${result.duration.toFixed(1)} s after a warm-up of ${warmResult.requests.total} requests`);
  console.log(`  machine: ${availableParallelism()} cores (${cpu}), node ${process.version}; setup (train/load) ${(setupMs / 1000).toFixed(1)} s`);
  console.log(`  requests: ${total} (${throughput.toFixed(0)} req/s), failed: ${errors}`);
  console.log(`  latency (client-side, per response): p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times[total - 1]?.toFixed(2)} ms`);
  console.log(`  sampled answers equal to model.recommend: ${o.samples - mismatches}/${o.samples}`);
  console.log(`  server RSS: first half max ${mb(Math.max(...first))} MiB, second half max ${mb(Math.max(...second))} MiB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`FAIL: ${p}`);
    process.exitCode = 1;
  } else console.log('  ok');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
