// A training run in its own process, for the determinism and kill tests (uses the built dist/).
// argv[2]: JSON { model, epochs, users, items, rows, seed, checkpoint?, every?, keep?, resume?, out?, progress? }
// With progress: true it writes `epoch N` on stderr as each epoch ends (the kill test times its SIGKILLs from these).
// Prints one JSON line { sha256, epochs, loss } with the SHA-256 of every weight's bytes.
import { createHash } from 'node:crypto';
import { writeFileSync, writeSync } from 'node:fs';
import { generateSynthetic } from '@quiver/data';
import { ALS, BPR, Baseline, BiasedMF, Popularity, RandomRecommender } from '@quiver/mf';
import { Trainer, latestCheckpoint } from '../../dist/index.js';

const MODELS = {
  'biased-mf-sgd': () => new BiasedMF({ factors: 8 }),
  'biased-mf-sparse-adam': () => new BiasedMF({ factors: 8, solver: { kind: 'minibatch', optimizer: 'sparse-adam', batchSize: 64 } }),
  'biased-mf-adagrad': () => new BiasedMF({ factors: 8, solver: { kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 } }),
  baseline: () => new Baseline(),
  bpr: () => new BPR({ factors: 8 }),
  'als-cg': () => new ALS({ factors: 8, reg: 0.1 }),
  'als-cholesky': () => new ALS({ factors: 8, reg: 0.1, solver: 'cholesky' }),
  popularity: () => new Popularity(),
  random: () => new RandomRecommender(),
};

export function weightsHash(state) {
  const h = createHash('sha256');
  for (const name of Object.keys(state).sort()) {
    h.update(name);
    h.update(new Uint8Array(state[name].data.buffer, state[name].data.byteOffset, state[name].data.byteLength));
  }
  return h.digest('hex');
}

const a = JSON.parse(process.argv[2]);
const { interactions } = await generateSynthetic({ numUsers: a.users ?? 300, numItems: a.items ?? 200, numInteractions: a.rows ?? 6000, seed: 7 });
const model = MODELS[a.model]();
const options = { epochs: a.epochs, seed: a.seed ?? 42 };
if (a.checkpoint) options.checkpoint = { dir: a.checkpoint, every: a.every ?? 1, keep: a.keep ?? 2 };
if (a.resume === true || (a.resume === 'auto' && latestCheckpoint(a.checkpoint).checkpoint !== null)) options.resumeFrom = a.checkpoint;
const perEpoch = [];
options.onEpochEnd = (epoch) => {
  if (a.perEpoch) perEpoch.push(weightsHash(model.getState()));
  if (a.progress) writeSync(2, `epoch ${epoch}\n`);
};
const history = new Trainer(options).fit(model, interactions);
const result = { sha256: weightsHash(model.getState()), epochs: history.epochs.length, loss: history.loss, perEpoch };
if (a.out) writeFileSync(a.out, JSON.stringify(result));
process.stdout.write(`${JSON.stringify(result)}\n`);
