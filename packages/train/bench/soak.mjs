// Soak test: train on a large synthetic set with checkpoints while SIGKILLing the training
// process at random (seeded) moments, then check that nothing was lost.
//
//   node packages/train/bench/soak.mjs [--rows 20000000] [--users 200000] [--items 50000]
//        [--epochs 4] [--factors 16] [--kills 8] [--seed 1] [--dir /tmp/quiver-soak]
//
// Needs the built packages (npm run build). Steps:
//  1. writeSynthetic → <dir>/data.arrow (once; reused when present with the same sizes);
//  2. a reference run in a child process, uninterrupted, recording the SHA-256 of the weights
//     after every epoch;
//  3. training runs in child processes with checkpoints every epoch, each resuming from the
//     newest checkpoint and SIGKILLed after a random delay, until one finishes;
//     after every kill the newest checkpoint must verify and equal the reference at its epoch;
//  4. the final weights must be bit-identical to the reference run's.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@quiver/base';
import { readArrow, writeSynthetic } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';
import { Trainer, latestCheckpoint } from '../dist/index.js';

const { values: a } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000000' },
    users: { type: 'string', default: '200000' },
    items: { type: 'string', default: '50000' },
    epochs: { type: 'string', default: '4' },
    factors: { type: 'string', default: '16' },
    kills: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string', default: '/tmp/quiver-soak' },
    child: { type: 'string' },
  },
});
const rows = Number(a.rows);
const epochs = Number(a.epochs);
const factors = Number(a.factors);

function weightsHash(state) {
  const h = createHash('sha256');
  for (const name of Object.keys(state).sort()) {
    h.update(name);
    h.update(new Uint8Array(state[name].data.buffer, state[name].data.byteOffset, state[name].data.byteLength));
  }
  return h.digest('hex');
}

// ---- child: one training run ----------------------------------------------------------------
if (a.child !== undefined) {
  const job = JSON.parse(a.child);
  const data = await readArrow(job.data);
  const model = new BiasedMF({ factors, seed: 7 });
  const perEpoch = [];
  // onEpochEnd runs just before the trainer writes the epoch's checkpoint: tell the parent.
  const options = { epochs, seed: 7, onEpochEnd: (e) => { if (job.reference) perEpoch.push(weightsHash(model.getState())); process.stderr.write(`epoch-end ${e}\n`); } };
  if (job.checkpoint) {
    options.checkpoint = { dir: job.checkpoint, every: 1, keep: 2 };
    if (latestCheckpoint(job.checkpoint).checkpoint !== null) options.resumeFrom = job.checkpoint;
  }
  process.stderr.write(`child ${process.pid}: ${options.resumeFrom ? `resuming from ${latestCheckpoint(job.checkpoint).checkpoint.path}` : 'starting'}\n`);
  new Trainer(options).fit(model, data);
  writeFileSync(job.out, JSON.stringify({ sha256: weightsHash(model.getState()), perEpoch }));
  process.exit(0);
}

// ---- parent ---------------------------------------------------------------------------------
const self = fileURLToPath(import.meta.url);
const dir = a.dir;
mkdirSync(dir, { recursive: true });
const dataPath = join(dir, `data-${rows}-${a.users}-${a.items}.arrow`);
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
if (!existsSync(dataPath)) {
  await writeSynthetic(dataPath, { numUsers: Number(a.users), numItems: Number(a.items), numInteractions: rows, seed: 2024 });
}
console.log(`[${seconds()} s] data: ${rows.toLocaleString('en')} interactions, ${Number(a.users).toLocaleString('en')} users × ${Number(a.items).toLocaleString('en')} items (${dataPath})`);

/** Runs a child; kills it `kill.ms` after the start, or `kill.ms` after it reports its first epoch end (a checkpoint write begins then). */
function run(job, kill) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [self, ...process.argv.slice(2), '--child', JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let timer = null;
    p.stderr.on('data', (d) => {
      err += d;
      if (kill !== null && kill.atWrite && timer === null && err.includes('epoch-end')) timer = setTimeout(() => p.kill('SIGKILL'), kill.ms);
    });
    const started = performance.now();
    if (kill !== null && !kill.atWrite) timer = setTimeout(() => p.kill('SIGKILL'), kill.ms);
    p.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      const ms = performance.now() - started;
      if (signal === 'SIGKILL') resolve({ killed: true, ms, log: err });
      else if (code === 0) resolve({ killed: false, ms, log: err });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

const refOut = join(dir, 'reference.json');
const ref = await run({ data: dataPath, reference: true, out: refOut }, null);
const reference = JSON.parse(readFileSync(refOut, 'utf8'));
console.log(`[${seconds()} s] reference run: ${epochs} epochs uninterrupted in ${(ref.ms / 1000).toFixed(1)} s; final weights sha256 ${reference.sha256.slice(0, 16)}…`);

const ckpt = join(dir, 'checkpoints');
rmSync(ckpt, { recursive: true, force: true });
const rng = createRng(Number(a.seed));
const maxKills = Number(a.kills);
const events = [];
let kills = 0;
let midWrite = 0;
let verified = 0;
let finalHash = null;
const leftovers = new Set();
for (let attempt = 0; finalHash === null; attempt++) {
  const out = join(dir, 'run.json');
  rmSync(out, { force: true });
  // Alternately kill somewhere in the run (startup and data loading included) or 0–150 ms into
  // the next checkpoint write; no more kills after maxKills.
  const atWrite = attempt % 2 === 1;
  const kill = kills >= maxKills ? null : { atWrite, ms: Math.round(atWrite ? rng.nextFloat() * 150 : 200 + rng.nextFloat() * ref.ms) };
  const r = await run({ data: dataPath, checkpoint: ckpt, out }, kill);
  // Partial folders this run left behind (earlier leftovers are removed by the next successful write).
  const partial = existsSync(ckpt) ? readdirSync(ckpt).filter((n) => n.startsWith('.tmp-') && !leftovers.has(n)) : [];
  for (const n of partial) leftovers.add(n);
  const { checkpoint, skipped } = latestCheckpoint(ckpt);
  if (skipped.length > 0) throw new Error(`LOST: a checkpoint did not verify after a kill: ${skipped.map((s) => s.reason).join('; ')}`);
  if (checkpoint !== null) {
    const want = reference.perEpoch[checkpoint.epoch - 1];
    if (weightsHash(checkpoint.state.weights) !== want) throw new Error(`LOST: checkpoint ${checkpoint.path} differs from the reference at epoch ${checkpoint.epoch}`);
    verified++;
  }
  if (r.killed) {
    kills++;
    if (partial.length > 0) midWrite++;
    events.push(`kill ${kills} ${kill.atWrite ? `${kill.ms} ms after an epoch ended (checkpoint write)` : 'at a random moment'}, ${(r.ms / 1000).toFixed(1)} s into the run: newest checkpoint ${checkpoint === null ? 'none yet' : `epoch ${checkpoint.epoch} (verified, equals the reference)`}${partial.length > 0 ? '; a checkpoint write was interrupted (partial folder ignored)' : ''}`);
  } else {
    finalHash = JSON.parse(readFileSync(out, 'utf8')).sha256;
    events.push(`run ${attempt + 1} finished after ${(r.ms / 1000).toFixed(1)} s from ${r.log.includes('resuming') ? 'the newest checkpoint' : 'scratch'}`);
  }
  console.log(`[${seconds()} s] ${events[events.length - 1]}`);
}
const same = finalHash === reference.sha256;
console.log('');
console.log(`soak summary: BiasedMF (SGD, ${factors} factors) on ${rows.toLocaleString('en')} synthetic interactions, ${epochs} epochs, checkpoint every epoch`);
console.log(`  SIGKILLs: ${kills} (seed ${a.seed}); ${midWrite} interrupted a checkpoint write; ${verified} post-kill checkpoint checks passed (checksums + weights equal to the reference run at that epoch)`);
console.log(`  final weights ${same ? 'bit-identical to' : 'DIFFERENT FROM'} the uninterrupted run (sha256 ${finalHash.slice(0, 16)}…)`);
console.log(`  ${same ? 'nothing was lost' : 'SOMETHING WAS LOST'}; total ${seconds()} s`);
process.exit(same ? 0 : 1);
