// Quiver benchmark suite (benchmarks, not timed tests). Build first: `npm run build`.
// Usage: node bench/run.mjs [--quick] [--skip-load] [--epochs N] [--huge] [--results-dir DIR]
//   full:    ML-20M-shaped synthetic set, 138,000 users x 27,000 items x 20,000,000 ratings (Zipf 1)
//   --quick: 13,800 users x 2,700 items x 2,000,000 ratings (development)
// Writes results.json and RESULTS.md into --results-dir (default: this folder, bench/). Each workload prints a ceiling: the bytes one
// update must move divided by this run's measured memory bandwidth (a plain typed-array copy).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSynthetic } from '@quiver/data';
import { ALS, BPR, BiasedMF, recommendBatch } from '@quiver/mf';

const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const quick = flag('--quick');
const scale = quick ? 0.1 : 1;
const shape = { numUsers: Math.round(138_000 * scale), numItems: Math.round(27_000 * scale), numInteractions: Math.round(20_000_000 * scale) };
const epochs = Number(opt('--epochs', quick ? 4 : 3));
const here = new URL('.', import.meta.url);
const outDir = args.includes('--results-dir') ? pathToFileURL(`${resolve(opt('--results-dir'))}/`) : here;
const command = `node bench/run.mjs${args.length ? ' ' + args.join(' ') : ''}`;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const results = [];
const log = (s) => console.log(s);

function record(r) {
  results.push({ ...r, loadAverage: load() });
  const frac = r.ceiling ? ` (ceiling ${fmt(r.ceiling)} ${r.unit}: ${((100 * r.figure) / r.ceiling).toFixed(1)}%)` : '';
  log(`${r.workload.padEnd(52)} ${fmt(r.figure)} ${r.unit}${frac}  [load ${load()}]${r.note ? '  ' + r.note : ''}`);
}
function fmt(x) {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toPrecision(3);
}

// ---- memory bandwidth: best of 5 copies of a 256 MB Float32Array (read + write bytes) ----
function bandwidth() {
  const n = 64 << 20;
  const a = new Float32Array(n).fill(1);
  const b = new Float32Array(n);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    b.set(a);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (2 * 4 * n) / best;
}
const bw = bandwidth();
log(`memory bandwidth (typed-array copy, read+write): ${(bw / 1e9).toFixed(1)} GB/s`);
results.push({ workload: 'memory bandwidth (Float32Array copy, 256 MB, best of 5)', figure: bw / 1e9, unit: 'GB/s', loadAverage: load() });

// ---- data ----
let t0 = performance.now();
const syn = await generateSynthetic({ ...shape, rank: 8, zipfExponent: 1, seed: 1 });
const all = syn.interactions;
log(`generated ${all.userIds.length.toLocaleString('en')} ratings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// 90/10 split by a hash of the row index (rows come grouped by user).
function split() {
  const n = all.userIds.length;
  const isTest = new Uint8Array(n);
  let numTest = 0;
  for (let t = 0; t < n; t++) if ((Math.imul(t + 1, 2654435761) >>> 0) % 10 === 0) (isTest[t] = 1), numTest++;
  const pick = (want, m) => {
    const userIds = new Int32Array(m);
    const itemIds = new Int32Array(m);
    const ratings = new Float32Array(m);
    for (let t = 0, j = 0; t < n; t++) {
      if (isTest[t] !== want) continue;
      userIds[j] = all.userIds[t];
      itemIds[j] = all.itemIds[t];
      ratings[j++] = all.ratings[t];
    }
    return { userIds, itemIds, ratings, numUsers: shape.numUsers, numItems: shape.numItems };
  };
  return { train: pick(0, n - numTest), test: pick(1, numTest) };
}
const { train, test } = split();
const nTrain = train.userIds.length;
log(`train ${nTrain.toLocaleString('en')}, test ${test.userIds.length.toLocaleString('en')} ratings`);

function rmse(model) {
  const p = model.predict(test.userIds, test.itemIds);
  let s = 0;
  for (let t = 0; t < p.length; t++) s += (p[t] - test.ratings[t]) ** 2;
  return Math.sqrt(s / p.length);
}

/** Times `numEpochs` epochs through initialize/fitEpoch; returns per-epoch seconds, the best, the model. */
function timeEpochs(model, data, numEpochs) {
  model.initialize(data);
  const times = [];
  for (let e = 0; e < numEpochs; e++) {
    const s = performance.now();
    model.fitEpoch(data, e);
    times.push((performance.now() - s) / 1000);
  }
  return { times, best: Math.min(...times), model };
}

// Bytes one SGD update moves when nothing is cached: user and item rows read and written (4 · 4k),
// the 4-byte record (ratings with few distinct values), two biases read and written. The blocks
// schedule reuses rows from cache, so it can beat this "ceiling".
const sgdBytes = (k) => 16 * k + 4 + 16;
const sgdOpts = (k) => ({ factors: k, lr: 0.01, reg: 0.05, epochs });

// ---- workload 1/2: BiasedMF SGD ----
const rmseByRun = {};
for (const k of [64, 16, 128]) {
  const runs = [['shuffle (plain loop)', { kind: 'sgd', schedule: 'shuffle' }], ['blocks, 1 thread', { kind: 'sgd', schedule: 'blocks' }], ['blocks, 2 threads', { kind: 'sgd', schedule: 'blocks', threads: 2 }]];
  for (const [label, o] of runs) {
    const n = k === 64 || o.schedule === 'blocks' ? epochs : 1;
    const r = timeEpochs(new BiasedMF({ ...sgdOpts(k), solver: o }), train, n);
    const err = rmse(r.model);
    if (n === epochs) rmseByRun[`${k} ${label}`] = err;
    record({
      workload: `BiasedMF SGD k=${k}, ${label}`,
      figure: nTrain / r.best,
      unit: 'ratings/s',
      ceiling: bw / sgdBytes(k),
      note: `epochs ${r.times.map((x) => x.toFixed(2)).join(', ')} s; test RMSE after ${n} epoch(s) ${err.toFixed(4)}`,
      epochSeconds: r.times,
      testRmse: err,
      epochs: n,
    });
  }
}

// ---- workload 3: BPR ----
{
  const bytes = 3 * 64 * 4 * 4; // user + two item rows, read and written, plus Adagrad state of each
  const model = new BPR({ factors: 64 });
  const r = timeEpochs(model, { ...train, ratings: null }, 1);
  record({ workload: 'BPR (Adagrad) k=64, 1 thread', figure: nTrain / r.best, unit: 'triples/s', ceiling: bw / (2 * bytes), note: `epoch ${r.best.toFixed(2)} s (one triple per training pair)`, epochSeconds: r.times });
}

// ---- workload 4: ALS ----
{
  const model = new ALS({ factors: 64, computeLoss: false });
  const r = timeEpochs(model, { ...train, ratings: null }, 2);
  // Lower bound on the time: both sweeps read every nonzero (index + value) and every factor row once.
  const bytes = 2 * nTrain * 8 + 2 * (shape.numUsers + shape.numItems) * 64 * 4;
  record({ workload: 'ALS (CG, 3 steps) k=64, seconds per iteration', figure: r.best, unit: 's/iteration', ceilingSeconds: bytes / bw, note: `default alpha 0 (every confidence 1); iterations ${r.times.map((x) => x.toFixed(2)).join(', ')} s; bandwidth floor ${(bytes / bw).toFixed(3)} s; published reference: implicit CPU ALS 0.84 s/iteration on ML-20M with 8 cores`, epochSeconds: r.times });
  const r2 = timeEpochs(new ALS({ factors: 64, computeLoss: false, solver: { kind: 'cg', threads: 2 } }), { ...train, ratings: null }, 2);
  record({ workload: 'ALS (CG, 3 steps) k=64, 2 threads, seconds per iteration', figure: r2.best, unit: 's/iteration', ceilingSeconds: bytes / bw, note: `threads: 2 (row jobs of the CG half-sweeps on a worker; same factors as 1 thread); iterations ${r2.times.map((x) => x.toFixed(2)).join(', ')} s; ${(r.best / r2.best).toFixed(2)}x one thread`, epochSeconds: r2.times });
  const r10 = timeEpochs(new ALS({ factors: 64, computeLoss: false, alpha: 10 }), { ...train, ratings: null }, 2);
  record({ workload: 'ALS (CG, 3 steps) k=64 alpha=10, seconds per iteration', figure: r10.best, unit: 's/iteration', ceilingSeconds: bytes / bw, note: `confidence 11: every nonzero costs a dot + axpy per CG step; iterations ${r10.times.map((x) => x.toFixed(2)).join(', ')} s`, epochSeconds: r10.times });
}

// ---- workload 5: recommendBatch ----
{
  const model = new BiasedMF({ factors: 64, solver: { kind: 'sgd', schedule: 'blocks' }, epochs: 1 });
  model.fit(train);
  const numQuery = quick ? 1000 : 3000;
  const users = Int32Array.from({ length: numQuery }, (_, j) => Math.floor((j * shape.numUsers) / numQuery));
  recommendBatch(model, users.subarray(0, 50), 10);
  const s = performance.now();
  recommendBatch(model, users, 10);
  const sec = (performance.now() - s) / 1000;
  const perUser = shape.numItems * 64 * 4;
  record({ workload: `recommendBatch top-10 (${numQuery} users, filterSeen)`, figure: numQuery / sec, unit: 'users/s', ceiling: bw / perUser, note: `ceiling = item table (${(perUser / 1e6).toFixed(1)} MB) streamed once per user; recommendBatch streams it once per block of 32 users, so this is not a hard limit` });
}

// ---- workload 6: loading (the data package's benchmark, same kind of file) ----
let loadOutput = '';
if (!flag('--skip-load')) {
  const script = fileURLToPath(new URL('../packages/data/bench/data-bench.mjs', here));
  loadOutput = execFileSync(process.execPath, [script, '--rows', String(shape.numInteractions)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  log(loadOutput);
  for (const line of loadOutput.split('\n')) {
    const m = /^(CSV|arrow|parquet)\s+(\d+) MB, (\d+) rows: ([\d.]+) s/.exec(line);
    if (m) {
      const bytes = Number(m[2]) * 1e6;
      record({ workload: `load ${shape.numInteractions.toLocaleString('en')} rows from ${m[1]} (${m[2]} MB)`, figure: Number(m[4]), unit: 's', ceilingSeconds: bytes / bw, note: line.slice(line.indexOf(';') + 2) });
    }
  }
}

// ---- memory: a child trains k=64 blocks on the same shape and reports its peak RSS ----
// (--huge: also a 100,000,000-rating set, 690,000 users x 135,000 items, 2 epochs; about 2 minutes.)
const shapes = [[shape.numUsers, shape.numItems, shape.numInteractions, 1]];
if (flag('--huge')) shapes.push([690_000, 135_000, 100_000_000, 2]);
for (const [nu, ni, nr, ep] of shapes) {
  const out = execFileSync(process.execPath, [fileURLToPath(new URL('memory-child.mjs', here)), String(nu), String(ni), String(nr), String(ep)], { encoding: 'utf8' });
  const m = JSON.parse(out.trim().split('\n').pop());
  const mb = (b) => (b / 1e6).toFixed(0);
  record({
    workload: `peak RSS training k=64 blocks (${ep} epoch${ep > 1 ? 's' : ''}, ${nr.toLocaleString('en')} ratings) / raw bytes`,
    figure: m.peakRss / m.rawBytes,
    unit: 'x raw',
    note: `training process (columns read from files; the generator ran in another process): peak ${mb(m.peakRss)} MB, of which ${mb(m.runtimeRss)} MB is Node and the packages before any data ((peak − that) / raw = ${((m.peakRss - m.runtimeRss) / m.rawBytes).toFixed(2)}x); RSS before training ${mb(m.beforeRss)} MB; raw ${mb(m.rawBytes)} MB (columns u,i,r ${mb(m.columnBytes)} MB + weights and biases ${mb(m.weightBytes)} MB); epochs ${m.epochSeconds.map((x) => x.toFixed(2)).join(', ')} s (the first includes building the blocks); weights finite: ${m.finite}`,
    ...m,
  });
}

// ---- write ----
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${os.platform()} ${os.release()}` };
const date = new Date().toISOString();
const doc = { command, date, machine, shape, quick, rmseByRun, results };
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('results.json', outDir), JSON.stringify(doc, null, 2) + '\n');
const rows = results.map((r) => `| ${r.workload} | ${r.unit === 'GB/s' || r.unit === 's' || r.unit === 's/iteration' || r.unit === 'x raw' ? r.figure.toFixed(2) : fmt(r.figure)} ${r.unit} | ${r.ceiling ? `${fmt(r.ceiling)} ${r.unit} (${((100 * r.figure) / r.ceiling).toFixed(1)}%)` : r.ceilingSeconds ? `${r.ceilingSeconds.toFixed(3)} s` : ''} | ${r.loadAverage} | ${(r.note ?? '').replace(/\|/g, '/')} |`);
writeFileSync(new URL('RESULTS.md', outDir), [
  `# Quiver benchmark results${quick ? ' (quick mode)' : ''}`,
  '',
  `Command: \`${command}\` (after \`npm run build\`). Date: ${date}.`,
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}.`,
  `Data: generateSynthetic ${shape.numUsers.toLocaleString('en')} users × ${shape.numItems.toLocaleString('en')} items × ${shape.numInteractions.toLocaleString('en')} ratings (rank 8, Zipf 1, seed 1), 90/10 split by row hash.`,
  'The machine is shared with other jobs: the load average (1/5/15 min) is recorded with every figure; figures are the best epoch of the run.',
  '',
  '| workload | figure | ceiling (bytes moved ÷ measured bandwidth) | load average | notes |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n'));
log(`wrote ${fileURLToPath(new URL('results.json', outDir))} and RESULTS.md`);
