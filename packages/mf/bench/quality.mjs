// Explicit quality of the default models, the figures in README.md (ranking quality is
// @quiver/train's bench: `npm run bench:quality` at the repository root).
//   node bench/quality.mjs                          ml-latest-small: 5-fold RMSE
//   node bench/quality.mjs --data path/to/ratings.csv
//   node bench/quality.mjs --ml100k path/to/ml-100k  MovieLens-100K u1..u5 base/test folds
// Build first: (cd ../core && npx tsc -p tsconfig.build.json) && npx tsc -p tsconfig.build.json
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Baseline, BiasedMF } from '@quiver/mf';
import { kFolds, loadRatings, mean, rmse, std, subset } from './movielens.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dataPath = opt('--data') ?? new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname;
const ml100k = opt('--ml100k');
const seed = Number(opt('--seed') ?? 42);
const results = {};

function mae(model, test) {
  const p = model.predict(test.userIds, test.itemIds);
  let s = 0;
  for (let n = 0; n < p.length; n++) s += Math.abs(p[n] - test.ratings[n]);
  return s / p.length;
}

function explicit(name, folds) {
  for (const [label, make] of [['Baseline', () => new Baseline()], ['BiasedMF', () => new BiasedMF()]]) {
    const r = [];
    const a = [];
    const t0 = performance.now();
    for (const { train, test } of folds) {
      const m = make();
      m.fit(train);
      r.push(rmse(m, test));
      a.push(mae(m, test));
    }
    const secs = (performance.now() - t0) / 1000 / folds.length;
    results[`${name} ${label}`] = { rmse: mean(r), rmseStd: std(r), mae: mean(a), folds: r.map((x) => +x.toFixed(4)), fitSecondsPerFold: +secs.toFixed(1) };
    console.log(`${name} ${label.padEnd(9)} RMSE ${mean(r).toFixed(4)} ± ${std(r).toFixed(4)}  MAE ${mean(a).toFixed(4)}  folds ${r.map((x) => x.toFixed(4)).join(' ')}  (${secs.toFixed(1)} s/fold)`);
  }
}

/** MovieLens-100K's five given folds: u{f}.base / u{f}.test, keyed into one id space per fold. */
function ml100kFolds(dir) {
  const folds = [];
  for (let f = 1; f <= 5; f++) {
    const d = loadRatings([join(dir, `u${f}.base`), join(dir, `u${f}.test`)]);
    const idx = Int32Array.from({ length: d.userIds.length }, (_, i) => i);
    folds.push({ train: subset(d, idx.subarray(0, d.counts[0])), test: subset(d, idx.subarray(d.counts[0])) });
  }
  return folds;
}

if (ml100k !== undefined) {
  if (!existsSync(join(ml100k, 'u1.base'))) throw new Error(`--ml100k: ${ml100k} has no u1.base`);
  explicit('ml-100k u1-u5', ml100kFolds(ml100k));
} else {
  const data = loadRatings(dataPath);
  console.log(`${dataPath}: ${data.userIds.length} ratings, ${data.numUsers} users, ${data.numItems} items`);
  explicit('5-fold', kFolds(data, 5, seed));
  // Ranking quality (BPR, ALS, Popularity) is measured end to end through @quiver/data's split and
  // @quiver/train's evaluateRanking: `npm run bench:quality` at the repository root.
}
if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
