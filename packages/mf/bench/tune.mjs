// The tuning script behind the defaults: evaluates a grid of option sets for one model on
// ml-latest-small. Explicit models: RMSE on the first --folds of the 5-fold split (seed 42).
// Implicit models: P@10 / NDCG@10 / AUC on the random 80/20 split (seed 42).
//   node bench/tune.mjs biased-mf '{"lr":0.01,"epochs":60}' '{"lr":0.005,"epochs":100}' [--folds 2] [--data ratings.csv]
//   node bench/tune.mjs als '{"reg":1}' '{"reg":10}'
//   node bench/tune.mjs bpr '{"optimizer":"sgd","lr":0.05}' '{"optimizer":"adagrad","lr":0.1}'
// With no option sets it runs the grid that chose the current defaults.
import { createModel } from '@quiver/mf';
import { kFolds, loadRatings, mean, randomSplit, rankingMetrics, rmse } from './movielens.mjs';

const GRIDS = {
  'biased-mf': [
    { factors: 64, lr: 0.01, epochs: 20, reg: 0.1, regBias: 0.1, initStd: 0.1 }, // Surprise "tuned"
    { factors: 64, lr: 0.005, epochs: 60, reg: 0.1, regBias: 0.02, initStd: 0.1 },
    { factors: 64, lr: 0.005, epochs: 100, reg: 0.08, regBias: 0.02, initStd: 0.05 },
    { factors: 64, lr: 0.01, epochs: 60, reg: 0.08, regBias: 0.02, initStd: 0.03 },
    { factors: 128, lr: 0.01, epochs: 60, reg: 0.08, regBias: 0.02, initStd: 0.03 },
    { factors: 128, lr: 0.01, epochs: 60, reg: 0.1, regBias: 0.02, initStd: 0.03 },
    { factors: 64, lr: 0.01, epochs: 40, reg: 0.1, regBias: 0.02, lrDecay: 0.93 },
  ],
  baseline: [{}, { reg: 0.05 }, { epochs: 40 }],
  bpr: [
    { optimizer: 'sgd', lr: 0.05 },
    { optimizer: 'sgd', lr: 0.1 },
    { optimizer: 'adagrad', lr: 0.05 },
    { optimizer: 'adagrad', lr: 0.1 },
    { optimizer: 'adagrad', lr: 0.2 },
    { optimizer: 'adagrad', lr: 0.1, negativeSampling: 'popularity' },
  ],
  als: [{ reg: 0.01, alpha: 0 }, { reg: 1, alpha: 0 }, { reg: 5, alpha: 0 }, { reg: 10, alpha: 0 }, { reg: 20, alpha: 0 }, { reg: 10, alpha: 1 }],
};

const args = process.argv.slice(2);
const kind = args[0];
if (!(kind in GRIDS)) throw new Error(`tune.mjs: first argument must be one of ${Object.keys(GRIDS).join(', ')}, got ${kind}`);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const numFolds = Number(flag('--folds', 2));
const dataPath = flag('--data', new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname);
const sets = args.filter((a, i) => i > 0 && !a.startsWith('--') && !args[i - 1].startsWith('--')).map((a) => JSON.parse(a));
const grid = sets.length > 0 ? sets : GRIDS[kind];
const data = loadRatings(dataPath);
const explicit = kind === 'biased-mf' || kind === 'baseline';
const folds = explicit ? kFolds(data, 5, 42).slice(0, numFolds) : null;
const split = explicit ? null : randomSplit(data, 0.2, 42);

for (const config of grid) {
  const t0 = performance.now();
  if (explicit) {
    const r = folds.map(({ train, test }) => {
      const m = createModel(kind, config);
      m.fit(train);
      return rmse(m, test);
    });
    console.log(`${kind} ${JSON.stringify(config)} RMSE ${mean(r).toFixed(4)} (${r.map((x) => x.toFixed(4)).join(' ')}) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    const m = createModel(kind, config);
    m.fit({ ...split.train, ratings: null });
    const r = rankingMetrics(m, split.train, split.test, 10, 4);
    console.log(
      `${kind} ${JSON.stringify(config)} P@10 ${r.precision.toFixed(4)} P@10(implicit) ${r.precisionImplicit.toFixed(4)} NDCG@10 ${r.ndcg.toFixed(4)} AUC ${r.auc.toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}
