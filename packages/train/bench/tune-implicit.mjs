// How the implicit models' defaults are chosen (not a test): nested holdout on ml-latest-small.
//
//   node packages/train/bench/tune-implicit.mjs [--models ease,itemknn,...] [--inner 2]   # after npm run build
//
// Outer split: the README protocol (random 80/20, seed 42, cold-start test rows dropped,
// relevant = test rating >= 4, full ranking, k = 10). The grid never sees that test part: each
// configuration is scored by NDCG@10 on --inner validation splits of the 80 % training part
// alone (random 80/20 of it, seeds 1..inner, same protocol), and the best mean validation NDCG@10
// is chosen. Only then is the chosen configuration (and the model's current default, for
// comparison) trained on the whole training part and scored once on the test part.
import { parseArgs } from 'node:util';
import { loadMovieLens, randomSplit } from '@quiver/data';
import { createModel } from '@quiver/mf';
import { evaluateRanking, Trainer } from '@quiver/train';

const GRIDS = {
  ease: [50, 100, 200, 400, 800, 1600, 3200].map((lambda) => ({ lambda })),
  itemknn: [10, 25, 50, 100, 200, 400].flatMap((neighbors) =>
    [0, 10, 50, 100, 200, 400, 800].flatMap((shrink) => ['none', 'tfidf', 'bm25'].map((weighting) => ({ neighbors, shrink, weighting })))),
  userknn: [25, 50, 100, 200].flatMap((neighbors) =>
    [0, 10].flatMap((shrink) => ['none', 'tfidf', 'bm25'].flatMap((weighting) => ['cosine', 'jaccard'].map((similarity) => ({ neighbors, shrink, weighting, similarity }))))),
  rp3beta: [100, 200, 400, 800].flatMap((neighbors) =>
    [0.4, 0.6, 0.8, 1].flatMap((alpha) => [0.1, 0.2, 0.3, 0.5].map((beta) => ({ neighbors, alpha, beta })))),
  p3alpha: [100, 200, 400, 800].flatMap((neighbors) => [0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6].map((alpha) => ({ neighbors, alpha }))),
};

const { values } = parseArgs({ options: { models: { type: 'string' }, inner: { type: 'string' } }, strict: true });
const models = values.models === undefined ? Object.keys(GRIDS) : values.models.split(',');
for (const m of models) if (!(m in GRIDS)) throw new Error(`tune-implicit: --models must name some of ${Object.keys(GRIDS).join(', ')}, got ${m}`);
const inner = Number(values.inner ?? 2);
if (!Number.isInteger(inner) || inner < 1) throw new Error(`tune-implicit: --inner must be an integer >= 1, got ${values.inner}`);

const log = (s) => process.stderr.write(`${s}\n`);
const { interactions: data } = await loadMovieLens('ml-latest-small');
const { train, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });
const folds = Array.from({ length: inner }, (_, f) => randomSplit(train, { testFraction: 0.2, seed: f + 1 }));

function ndcg(kind, config, fit, evalOn) {
  const model = createModel(kind, config);
  new Trainer({ seed: 42 }).fit(model, fit);
  return evaluateRanking(model, fit, evalOn, { k: 10, relevantMin: 4, auc: false }).metrics['ndcg@10'];
}

const lines = [];
for (const kind of models) {
  log(`${kind}: ${GRIDS[kind].length} configurations × ${inner} validation splits of the training part`);
  let best = null;
  for (const config of GRIDS[kind]) {
    const scores = folds.map((f) => ndcg(kind, config, f.train, f.test));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    log(`  ${JSON.stringify(config)}  validation NDCG@10 ${mean.toFixed(4)}`);
    if (best === null || mean > best.mean) best = { config, mean };
  }
  const chosen = ndcg(kind, best.config, train, test);
  const current = ndcg(kind, {}, train, test);
  const line = `${kind}: chosen ${JSON.stringify(best.config)} (validation NDCG@10 ${best.mean.toFixed(4)}); test NDCG@10 ${chosen.toFixed(4)}; current defaults ${JSON.stringify(createModel(kind).getConfig())} test NDCG@10 ${current.toFixed(4)}`;
  log(line);
  lines.push(line);
}
process.stdout.write(`${lines.join('\n')}\n`);
