// Tunes ALS the way Rendle, Krichene, Zhang & Koren (RecSys 2022) tune iALS, on ml-latest-small,
// without looking at the test split: the README protocol's training part (random 80/20 split,
// seed 42) is split again 80/20 (seed 1); every setting trains on the inner part and is scored by
// NDCG@10 on the inner validation part (relevant = rating >= 4, full ranking, training items
// excluded). Two families are tuned the same way:
//   iALS   frequency-scaled regularisation, in Rendle et al.'s parametrisation (ialsOptions):
//          unobserved weight α0 × λ at ν = 1, then the best at more factors;
//   Hu     a uniform λ (today's ALS): alpha × reg, then the best at more factors.
// Only then is the chosen setting of each family trained on the whole training part and scored
// once on the test part (P@10, NDCG@10, AUC as bench/tune.mjs prints them).
//
// Usage (in packages/mf, after `npx tsc -p tsconfig.build.json`):
//   node bench/tune-ials.mjs                  grid on validation, then one test figure per family
//   node bench/tune-ials.mjs --no-test        grid on validation only
//   node bench/tune-ials.mjs --speed 128,256,512 [--threads 2]
//                                              median ALS epoch time (CG, 3 steps, iALS recipe) on
//                                              the whole of ml-latest-small at those factor counts
import { ALS } from '../dist/als.js';
import { ialsOptions } from '../dist/als-options.js';
import { recommendBatch } from '../dist/index.js';
import { loadRatings, randomSplit, rankingMetrics } from './movielens.mjs';

const args = process.argv.slice(2);
const flag = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const dataPath = flag('--data', new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname);
const data = loadRatings(dataPath);
const implicit = (d) => ({ ...d, ratings: null });

if (args.includes('--speed')) {
  const threads = Number(flag('--threads', 1));
  for (const k of flag('--speed', '128,256,512').split(',').map(Number)) {
    const m = new ALS({ ...ialsOptions({ factors: k, computeLoss: false }), solver: { kind: 'cg', steps: 3, threads } });
    const d = implicit(data);
    m.initialize(d);
    const times = [];
    for (let e = 0; e < 3; e++) {
      const t0 = performance.now();
      m.fitEpoch(d, e);
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    console.log(`ALS cg(3) iALS recipe k=${k} threads=${threads} ml-latest-small (${data.userIds.length} ratings): median epoch ${times[1].toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(' ')})`);
  }
  process.exit(0);
}

const outer = randomSplit(data, 0.2, 42);
const inner = randomSplit(outer.train, 0.2, 1);

/** P@10 and NDCG@10 as `rankingMetrics` computes them, without its (slow) AUC. */
function validationMetrics(model, train, test, k = 10, relevantMin = 4) {
  const relevant = Array.from({ length: train.numUsers }, () => []);
  for (let n = 0; n < test.userIds.length; n++) if (test.ratings[n] >= relevantMin) relevant[test.userIds[n]].push(test.itemIds[n]);
  const users = [];
  for (let u = 0; u < train.numUsers; u++) if (relevant[u].length > 0) users.push(u);
  const top = recommendBatch(model, Int32Array.from(users), k);
  let prec = 0;
  let ndcg = 0;
  for (let t = 0; t < users.length; t++) {
    const rel = new Set(relevant[users[t]]);
    let hits = 0;
    let dcg = 0;
    let idcg = 0;
    for (let j = 0; j < k; j++) {
      if (rel.has(top.ids[t * k + j])) {
        hits++;
        dcg += 1 / Math.log2(j + 2);
      }
    }
    for (let j = 0; j < Math.min(k, rel.size); j++) idcg += 1 / Math.log2(j + 2);
    prec += hits / k;
    ndcg += dcg / idcg;
  }
  return { precision: prec / users.length, ndcg: ndcg / users.length };
}

/** Trains `setting` on the inner training part and scores it on validation. */
function validate(family, setting) {
  const t0 = performance.now();
  const m = new ALS({ ...family.options(setting), computeLoss: false });
  m.fit(implicit(inner.train));
  const r = validationMetrics(m, inner.train, inner.test);
  console.log(`${family.name} ${JSON.stringify(setting)} valid P@10 ${r.precision.toFixed(4)} NDCG@10 ${r.ndcg.toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r.ndcg;
}

const families = [
  {
    name: 'iALS',
    options: (s) => ialsOptions(s),
    grid: [0.1, 0.2, 0.3, 0.5, 1].flatMap((unobservedWeight) =>
      [0.003, 0.005, 0.007, 0.01, 0.014, 0.02].map((reg) => ({ unobservedWeight, reg, regExponent: 1 }))),
  },
  {
    name: 'Hu',
    options: (s) => s,
    grid: [0, 1, 3, 10].flatMap((alpha) => [5, 10, 20, 30, 40, 60, 80].map((reg) => ({ alpha, reg }))),
  },
];

const chosen = [];
for (const family of families) {
  let best = null;
  for (const setting of family.grid) {
    const ndcg = validate(family, setting);
    if (best === null || ndcg > best.ndcg) best = { setting, ndcg };
  }
  // Then the best at more factors (Rendle et al.: larger embeddings pay off once λ is tuned).
  for (const factors of [128, 256]) {
    const setting = { ...best.setting, factors };
    const ndcg = validate(family, setting);
    if (ndcg > best.ndcg) best = { setting, ndcg };
  }
  console.log(`${family.name} chosen by validation NDCG@10 ${best.ndcg.toFixed(4)}: ${JSON.stringify(best.setting)}`);
  chosen.push({ family, best });
}

if (!args.includes('--no-test')) {
  for (const { family, best } of chosen) {
    const t0 = performance.now();
    const options = family.options(best.setting);
    const m = new ALS(options);
    m.fit(implicit(outer.train));
    const r = rankingMetrics(m, outer.train, outer.test, 10, 4);
    console.log(
      `TEST ${family.name} ${JSON.stringify(best.setting)} = ALS ${JSON.stringify(options)}: P@10 ${r.precision.toFixed(4)} P@10(implicit) ${r.precisionImplicit.toFixed(4)} NDCG@10 ${r.ndcg.toFixed(4)} AUC ${r.auc.toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}
