// Reproduces Steck (WWW 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"), Table 1,
// EASE on MovieLens-20M: Recall@20 0.391, Recall@50 0.521, NDCG@100 0.420, under the
// strong-generalization protocol and preprocessing of Liang et al. 2018 (Mult-VAE):
// - ratings >= 4 are the interactions (binarised), users with fewer than 5 of them are dropped;
// - 10,000 validation and 10,000 test users are held out of training (here: seeded);
// - 80% of each held-out user's interactions are folded in, the rest predicted; held-out rows
//   of items no training user has are dropped (Liang's preprocessing keeps only training items);
// - Recall@k is Liang's: hits / min(k, relevant items of the user), averaged over users (not
//   hits / relevant, the recall@k of evaluateRanking); NDCG@100 with binary gains.
// EASE's λ is chosen on the validation users from --lambdas (Steck reports λ = 500 on ML-20M).
//
//   node packages/train/bench/reproduce-steck-ml20m.mjs PATH [--lambdas 250,500,1000] [--held-out 10000] [--threads 2]
//
// PATH: the ml-20m folder (or its ratings.csv) as GroupLens distributes it (not redistributable;
// `node -e "import('@quiver/data').then(d => d.downloadMovieLens('ml-20m'))"` fetches it), or a
// builtin name such as ml-latest-small with a smaller --held-out (e.g. 60) to run the protocol on
// the shipped data. EASE on ML-20M's ~20,000 items needs ~5 GB and, on 2 cores, tens of minutes
// per λ (one dense inverse each).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fromArrays, loadInteractions, loadMovieLens, MOVIELENS_NAMES, strongGeneralizationSplit } from '@quiver/data';
import { EASE } from '@quiver/mf';
import { evaluateHeldOutUsers } from '@quiver/train';

const { values, positionals } = parseArgs({ options: { lambdas: { type: 'string' }, 'held-out': { type: 'string' }, threads: { type: 'string' }, seed: { type: 'string' } }, allowPositionals: true, strict: true });
if (positionals.length !== 1) {
  process.stderr.write('usage: reproduce-steck-ml20m.mjs PATH [--lambdas L1,L2] [--held-out N] [--threads T]   (PATH: the ml-20m folder, its ratings.csv, or a builtin dataset name)\n');
  process.exit(2);
}
const source = positionals[0];
const lambdas = (values.lambdas ?? '250,500,1000').split(',').map(Number);
const heldOut = Number(values['held-out'] ?? 10000);
const threads = Number(values.threads ?? 2);
const seed = Number(values.seed ?? 98765);
const log = (s) => process.stderr.write(`${s}\n`);

let raw;
if (MOVIELENS_NAMES.includes(source) && !existsSync(source)) raw = (await loadMovieLens(source)).interactions;
else raw = await loadInteractions(existsSync(source) && statSync(source).isDirectory() ? join(source, 'ratings.csv') : source);

// Liang et al.'s preprocessing: keep ratings > 3.5, then users with at least 5 of them.
const keep = [];
const perUser = new Int32Array(raw.numUsers);
for (let n = 0; n < raw.length; n++) if (raw.ratings[n] > 3.5) perUser[raw.userIds[n]]++;
for (let n = 0; n < raw.length; n++) if (raw.ratings[n] > 3.5 && perUser[raw.userIds[n]] >= 5) keep.push(n);
const data = fromArrays({
  userIds: Int32Array.from(keep, (n) => raw.userIds[n]),
  itemIds: Int32Array.from(keep, (n) => raw.itemIds[n]),
  timestamps: raw.timestamps === null ? null : Float64Array.from(keep, (n) => raw.timestamps[n]),
});
log(`${source}: ${data.length.toLocaleString('en-US')} interactions (ratings >= 4, users with >= 5), ${data.numUsers.toLocaleString('en-US')} users, ${data.numItems.toLocaleString('en-US')} items`);

const split = strongGeneralizationSplit(data, { testUsers: heldOut, validationUsers: heldOut, foldInFraction: 0.8, seed });
const trainItems = new Uint8Array(data.numItems);
for (let n = 0; n < split.train.length; n++) trainItems[split.train.itemIds[n]] = 1;
const onTrainItems = (d) => {
  const rows = [];
  for (let n = 0; n < d.length; n++) if (trainItems[d.itemIds[n]] === 1) rows.push(n);
  return { userIds: Int32Array.from(rows, (n) => d.userIds[n]), itemIds: Int32Array.from(rows, (n) => d.itemIds[n]), ratings: null, numUsers: d.numUsers, numItems: d.numItems };
};
const validation = { foldIn: onTrainItems(split.validation.foldIn), test: onTrainItems(split.validation.test) };
const test = { foldIn: onTrainItems(split.test.foldIn), test: onTrainItems(split.test.test) };

/** Liang's Recall@k (hits / min(k, relevant)) and NDCG@k of a fitted model on held-out users. */
function scores(model, part) {
  const out = {};
  for (const k of [20, 50, 100]) {
    const r = evaluateHeldOutUsers(model, split.train, part.foldIn, part.test, { k, auc: false, perUser: true });
    const { hits, numRelevant } = r.perUser;
    let recall = 0;
    for (let e = 0; e < hits.length; e++) recall += hits[e] / Math.min(k, numRelevant[e]);
    out[`recall@${k}`] = recall / hits.length;
    out[`ndcg@${k}`] = r.metrics[`ndcg@${k}`];
    out.users = r.evaluatedUsers;
  }
  return out;
}

let best = null;
for (const lambda of lambdas) {
  const t0 = performance.now();
  const model = new EASE({ lambda, threads });
  model.fit(split.train);
  const v = scores(model, validation);
  log(`λ = ${lambda}: fitted in ${((performance.now() - t0) / 1000).toFixed(0)} s; validation NDCG@100 ${v['ndcg@100'].toFixed(4)}`);
  if (best === null || v['ndcg@100'] > best.v['ndcg@100']) best = { lambda, model, v };
}
const t = scores(best.model, test);
const f = (x) => x.toFixed(3);
const isMl20m = raw.length === 20000263 && raw.numUsers === 138493;
if (!isMl20m) console.log(`\nnote: ${source} is not MovieLens-20M (20,000,263 ratings, 138,493 users): Steck's row is ML-20M's, shown for reference only`);
console.log(`\n${source}, strong generalization (Liang et al. 2018), ${t.users.toLocaleString('en-US')} test users; EASE λ = ${best.lambda} (chosen on validation from ${lambdas.join(', ')})\n`);
console.log('| | Recall@20 | Recall@50 | NDCG@100 |');
console.log('|---|---|---|---|');
console.log(`| Quiver EASE | ${f(t['recall@20'])} | ${f(t['recall@50'])} | ${f(t['ndcg@100'])} |`);
console.log('| Steck 2019, Table 1 (ML-20M) | 0.391 | 0.521 | 0.420 |');
