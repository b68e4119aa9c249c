// Throughput of one BiasedMF SGD epoch (ratings per second), and of ALS / BPR epochs, at k = 64.
// Usage: node bench/speed.mjs [--ratings 5000000] [--epochs 3]
// Build first: (cd ../core && npx tsc -p tsconfig.build.json) && npx tsc -p tsconfig.build.json
import { createRng } from '@quiver/base';
import { ALS, BPR, BiasedMF } from '@quiver/mf';
import { loadRatings } from './movielens.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const numRatings = arg('--ratings', 5_000_000);
const epochs = arg('--epochs', 3);
const k = 64;

function synthetic(n, numUsers, numItems, seed) {
  const rng = createRng(seed);
  const userIds = new Int32Array(n);
  const itemIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    userIds[t] = rng.nextInt(numUsers);
    // Skewed item popularity, as in real logs.
    itemIds[t] = Math.floor(numItems * rng.nextFloat() ** 2);
    ratings[t] = 1 + rng.nextInt(9) / 2;
  }
  return { userIds, itemIds, ratings, numUsers, numItems };
}

function timeEpochs(model, data, label) {
  model.initialize(data);
  const times = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    model.fitEpoch(data, e);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const n = data.userIds.length;
  console.log(`${label}: ${n.toLocaleString('en')} interactions, median epoch ${median.toFixed(3)} s, ${(n / median / 1e6).toFixed(2)} M interactions/s`);
}

const ml = loadRatings(new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname);
timeEpochs(new BiasedMF({ factors: k }), ml, 'BiasedMF sgd  k=64  ml-latest-small');
timeEpochs(new BiasedMF({ factors: k, solver: { kind: 'minibatch', optimizer: 'sparse-adam', batchSize: 1024 } }), ml, 'BiasedMF minibatch(sparse-adam, 1024) k=64 ml-latest-small');
timeEpochs(new ALS({ factors: k, computeLoss: false }), ml, 'ALS cg(3)     k=64  ml-latest-small');
timeEpochs(new BPR({ factors: k }), ml, 'BPR adagrad   k=64  ml-latest-small');
const big = synthetic(numRatings, 100_000, 20_000, 1);
timeEpochs(new BiasedMF({ factors: k }), big, `BiasedMF sgd  k=64  synthetic ${numRatings.toLocaleString('en')} ratings (100k users × 20k items)`);
