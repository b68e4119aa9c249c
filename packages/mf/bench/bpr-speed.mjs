// BPR (Adagrad, k = 64) triples per second: ml-latest-small and an ML-20M-shaped synthetic set.
// Usage (in packages/mf, after building core, data and mf): node bench/bpr-speed.mjs [--scale 0.1] [--epochs 2] [--plain] [--skip-small]
//   --plain times the plain-loop reference kernel (bprEpoch) instead of the wasm SIMD updates
//   (it clears the model's private wasm trainer after initialize: a benchmark-only switch).
//   --scale 1 is the full 138,000 users x 27,000 items x 20,000,000 ratings shape of bench/run.mjs
//   (this times every interaction as training data; bench/run.mjs uses its 90% split).
import os from 'node:os';
import { generateSynthetic } from '@quiver/data';
import { BPR } from '@quiver/mf';
import { loadRatings } from './movielens.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const scale = arg('--scale', 0.1);
const epochs = arg('--epochs', 2);
const plain = args.includes('--plain');
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

function time(data, label) {
  const model = new BPR({ factors: 64 });
  model.initialize(data);
  if (plain) model.wasm = null;
  let best = Infinity;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    model.fitEpoch(data, e);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const n = data.userIds.length;
  console.log(`${label}${plain ? ' (plain loop)' : ''}: ${n.toLocaleString('en')} triples/epoch, best epoch ${best.toFixed(2)} s, ${(n / best / 1e6).toFixed(3)} M triples/s [load ${load()}]`);
}

const ml = loadRatings(new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname);
if (!args.includes('--skip-small')) time({ ...ml, ratings: null }, 'BPR k=64 ml-latest-small');
const shape = { numUsers: Math.round(138_000 * scale), numItems: Math.round(27_000 * scale), numInteractions: Math.round(20_000_000 * scale) };
const syn = await generateSynthetic({ ...shape, rank: 8, zipfExponent: 1, seed: 1 });
time({ ...syn.interactions, ratings: null }, `BPR k=64 synthetic ${shape.numUsers}x${shape.numItems}x${shape.numInteractions}`);
