// The weights every model and solver path trains, as SHA-256 hashes: the reference the
// architecture refactor (issue 11) must keep bit-identical. `weights-golden.test.ts` recomputes
// them; `node test/golden/weights.mjs --write` (after a build) rewrites weights-sha256.json and
// must only be run when a change of the weights is intended and explained.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsv } from '@quiver/data';
import { ALS, BPR, Baseline, BiasedMF, Popularity, RandomRecommender } from '@quiver/mf';

/** Every model and solver path, each with few epochs. */
export const CONFIGS = {
  'biased-mf sgd shuffle': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7 }),
  'biased-mf sgd shuffle k=6 (no SIMD width)': () => new BiasedMF({ factors: 6, epochs: 3, seed: 7 }),
  'biased-mf sgd blocks 1 thread': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'sgd', schedule: 'blocks' } }),
  'biased-mf sgd blocks 2 threads': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } }),
  'biased-mf sgd blocks k=6': () => new BiasedMF({ factors: 6, epochs: 3, seed: 7, solver: { kind: 'sgd', schedule: 'blocks' } }),
  'biased-mf sgd lrDecay': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, lrDecay: 0.9 }),
  'biased-mf minibatch sgd': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'minibatch', optimizer: 'sgd' } }),
  'biased-mf minibatch adagrad': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'minibatch', optimizer: 'adagrad' } }),
  'biased-mf minibatch sparse-adam': () => new BiasedMF({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'minibatch', optimizer: 'sparse-adam' } }),
  baseline: () => new Baseline({ epochs: 3, seed: 7 }),
  'bpr adagrad k=16 (wasm)': () => new BPR({ factors: 16, epochs: 3, seed: 7 }),
  'bpr adagrad k=6 (plain)': () => new BPR({ factors: 6, epochs: 3, seed: 7 }),
  'bpr sgd': () => new BPR({ factors: 16, epochs: 3, seed: 7, optimizer: 'sgd', lr: 0.05 }),
  'bpr popularity negatives, no item bias': () => new BPR({ factors: 16, epochs: 3, seed: 7, negativeSampling: 'popularity', itemBias: false }),
  'als cg k=16 (wasm)': () => new ALS({ factors: 16, epochs: 3, seed: 7 }),
  'als cg k=16 2 threads': () => new ALS({ factors: 16, epochs: 3, seed: 7, solver: { kind: 'cg', threads: 2 } }),
  'als cg k=6 (plain)': () => new ALS({ factors: 6, epochs: 3, seed: 7 }),
  'als cg alpha 2': () => new ALS({ factors: 16, epochs: 3, seed: 7, alpha: 2 }),
  'als cholesky': () => new ALS({ factors: 16, epochs: 3, seed: 7, solver: 'cholesky' }),
  popularity: () => new Popularity(),
  random: () => new RandomRecommender({ seed: 7 }),
};

/** The first 30,000 ratings of the shipped ml-latest-small, as read by @quiver/data. */
export async function goldenData() {
  const path = fileURLToPath(new URL('../../../../datasets/ml-latest-small/ratings.csv', import.meta.url));
  const all = await readCsv(path);
  const rows = Int32Array.from({ length: 30_000 }, (_, k) => k);
  return all.subset(rows);
}

/** SHA-256 over the state tensors in name order: name, shape and float32 bytes of each. */
export function weightsHash(model) {
  const state = model.getState();
  const h = createHash('sha256');
  for (const name of Object.keys(state).sort()) {
    const t = state[name];
    h.update(`${name}:${t.shape.join('x')};`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return h.digest('hex');
}

/** Trains every configuration and returns its hash. */
export async function computeHashes() {
  const data = await goldenData();
  const implicit = { ...data, ratings: null, userIds: data.userIds, itemIds: data.itemIds, numUsers: data.numUsers, numItems: data.numItems };
  const out = {};
  for (const [name, make] of Object.entries(CONFIGS)) {
    const model = make();
    const explicit = name.startsWith('biased-mf') || name === 'baseline';
    model.fit(explicit ? data : implicit);
    out[name] = weightsHash(model);
  }
  return out;
}

if (process.argv.includes('--write')) {
  const hashes = await computeHashes();
  writeFileSync(new URL('./weights-sha256.json', import.meta.url), `${JSON.stringify(hashes, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(hashes, null, 2)}\n`);
}
