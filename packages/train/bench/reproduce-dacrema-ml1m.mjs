// Reproduces Dacrema, Cremonesi & Jannach (RecSys 2019, "Are we really making much progress?"),
// Table 3, MovieLens-1M under the NCF protocol (He et al. 2017): each user's latest interaction
// is held out and ranked in a list of 100 items: itself and 99 sampled items the user never
// interacted with (NCF's ml-1m.test.negative holds 99 negatives per user); HR@10, NDCG@10.
// Every rating is an interaction (implicit feedback), as in NCF's ml-1m files.
//
//   node packages/train/bench/reproduce-dacrema-ml1m.mjs PATH [--trials 20] [--seed 42]
//
// PATH: the ml-1m folder (or its ratings.dat) as GroupLens distributes it (quiver cannot ship it:
// `node -e "import('@quiver/data').then(d => d.downloadMovieLens('ml-1m'))"` fetches it into the
// datasets folder), or a builtin name such as ml-latest-small to run the same protocol on the
// shipped data. Each model is tuned by random search (`--trials`) on a leave-last-out validation
// split of the training part, then evaluated once on the test part, as Dacrema et al. tuned
// their baselines (Bayesian search, 35 cases) on a validation split.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadInteractions, loadMovieLens, MOVIELENS_NAMES } from '@quiver/data';
import { compareModels } from '@quiver/train';

const { values, positionals } = parseArgs({ options: { trials: { type: 'string' }, seed: { type: 'string' } }, allowPositionals: true, strict: true });
if (positionals.length !== 1) {
  process.stderr.write('usage: reproduce-dacrema-ml1m.mjs PATH [--trials N] [--seed S]   (PATH: the ml-1m folder, its ratings.dat, or a builtin dataset name)\n');
  process.exit(2);
}
const source = positionals[0];
const trials = values.trials === undefined ? 20 : Number(values.trials);
const seed = values.seed === undefined ? 42 : Number(values.seed);
const log = (s) => process.stderr.write(`${s}\n`);

let data;
if (MOVIELENS_NAMES.includes(source) && !existsSync(source)) data = (await loadMovieLens(source)).interactions;
else {
  const file = existsSync(source) && statSync(source).isDirectory() ? join(source, 'ratings.dat') : source;
  data = await loadInteractions(file);
}
log(`${source}: ${data.length.toLocaleString('en-US')} interactions, ${data.numUsers.toLocaleString('en-US')} users, ${data.numItems.toLocaleString('en-US')} items`);

// Dacrema et al. 2019, Table 3 (NCF's MovieLens-1M, HR@10 / NDCG@10).
const PAPER = { puresvd: [0.6896, 0.4294], itemknn: [0.6596, 0.39], popularity: [0.4531, 0.2542] };
const NAMES = { puresvd: 'PureSVD', itemknn: 'ItemKNN-CF', popularity: 'TopPop' };
const t0 = performance.now();
const result = compareModels(data, { models: ['puresvd', 'itemknn', 'popularity'], protocol: 'loo-sampled', negatives: 99, k: 10, trials, seed, onProgress: log });
const hr = 'hitRate@10(sampled 99)';
const ndcg = 'ndcg@10(sampled 99)';
const isMl1m = data.length === 1000209 && data.numUsers === 6040 && data.numItems === 3706;
if (!isMl1m) console.log(`\nnote: ${source} is not MovieLens-1M (1,000,209 ratings, 6,040 users, 3,706 items): the paper columns are ML-1M's, shown for reference only`);
console.log(`\n${source}, NCF protocol (leave the latest out, ranked among 99 sampled negatives), ${result.data.evaluatedUsers} users; ${trials} random-search trials per model; ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
console.log('| Model | HR@10 [95% CI] | NDCG@10 [95% CI] | paper HR@10 | paper NDCG@10 | ΔHR | ΔNDCG | params |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of result.rows) {
  const [phr, pndcg] = PAPER[row.model];
  const f = (x) => x.toFixed(4);
  const ci = (name) => `${f(row.metrics[name])} [${f(row.intervals[name].lo)}, ${f(row.intervals[name].hi)}]`;
  console.log(`| ${NAMES[row.model]} | ${ci(hr)} | ${ci(ndcg)} | ${phr} | ${pndcg} | ${(row.metrics[hr] - phr >= 0 ? '+' : '') + f(row.metrics[hr] - phr)} | ${(row.metrics[ndcg] - pndcg >= 0 ? '+' : '') + f(row.metrics[ndcg] - pndcg)} | ${JSON.stringify(row.params)} |`);
}
