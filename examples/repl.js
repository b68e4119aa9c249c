// Quiver's notebook-style REPL: `npm run repl` (or `node examples/repl.js`). A Node REPL with
// the four packages loaded, top-level await, and the shipped dataset one call away:
//
//   quiver> const { data, train: tr, test, items } = await ml()
//   quiver> const m = new BiasedMF({ epochs: 5 }); train(m, tr)     // History { … }
//   quiver> evaluateRatings(m, test)
//   quiver> titled(m.recommend(data.userIdMap.toIndex(1), 5), items)
//
// Every main object prints a one-line summary (Interactions, models, History, Tensor,
// Embedding, IdMap); `core`, `data`, `mf` and `train` hold everything else. `train` is both
// the training function and the @quiver/train namespace (`train.Trainer`, `train.report`, …).
import repl from 'node:repl';
import { inspect } from 'node:util';
import * as core from '@quiver/core';
import * as data from '@quiver/data';
import * as mf from '@quiver/mf';
import * as trainNs from '@quiver/train';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The shipped ml-latest-small, split 80/20 (seed 42): `{ data, train, test, items }`. */
async function ml(options = {}) {
  const { testFraction = 0.2, seed = 42 } = options;
  const { interactions, items } = await data.loadMovieLens('ml-latest-small');
  const split = data.randomSplit(interactions, { testFraction, seed });
  const itemsView = {
    titles: items.titles,
    genres: items.genres,
    [INSPECT]: () => `MovieLensItems { ${items.titles.length.toLocaleString('en-US')} titles, genres such as ${[...new Set(items.genres.flat())].slice(0, 4).join(', ')}, … }`,
  };
  return {
    data: interactions,
    train: split.train,
    test: split.test,
    items: itemsView,
    [INSPECT]: (depth, opts) =>
      `ml-latest-small {\n  data: ${inspect(interactions, opts)},\n  train: ${split.train.length.toLocaleString('en-US')} rows, test: ${split.test.length.toLocaleString('en-US')} rows (random ${Math.round(100 * (1 - testFraction))}/${Math.round(100 * testFraction)}, seed ${seed}),\n  items: ${itemsView[INSPECT]()}\n}`,
  };
}

/** A top-k result `{ ids, scores }` as readable lines with titles (`items` from `ml()`). */
function titled(topk, items) {
  return Array.from(topk.ids, (id, r) => `${r + 1}. ${id < 0 ? '(none)' : (items?.titles[id] ?? `item ${id}`)}  ${topk.scores[r].toFixed(3)}`);
}

const trainFn = (...args) => trainNs.train(...args);
Object.assign(trainFn, trainNs);

const context = {
  core,
  data,
  mf,
  train: trainFn,
  ml,
  titled,
  // common names
  Tensor: core.Tensor,
  tensor: core.tensor,
  Embedding: core.Embedding,
  EmbeddingBag: core.EmbeddingBag,
  SparseAdam: core.SparseAdam,
  Adam: core.Adam,
  SGD: core.SGD,
  Adagrad: core.Adagrad,
  createRng: core.createRng,
  readWordVectors: core.readWordVectors,
  loadMovieLens: data.loadMovieLens,
  loadInteractions: data.loadInteractions,
  randomSplit: data.randomSplit,
  fromArrays: data.fromArrays,
  BiasedMF: mf.BiasedMF,
  Baseline: mf.Baseline,
  BPR: mf.BPR,
  ALS: mf.ALS,
  Popularity: mf.Popularity,
  saveModel: mf.saveModel,
  loadModel: mf.loadModel,
  Trainer: trainNs.Trainer,
  evaluateRatings: trainNs.evaluateRatings,
  evaluateRanking: trainNs.evaluateRanking,
  evaluateSampled: trainNs.evaluateSampled,
  evaluateHeldOutUsers: trainNs.evaluateHeldOutUsers,
  compareModels: trainNs.compareModels,
  pairedTest: trainNs.pairedTest,
  bootstrapCi: trainNs.bootstrapCi,
  randomSearch: trainNs.randomSearch,
  hyperband: trainNs.hyperband,
  leaveLastOut: data.leaveLastOut,
  temporalSplit: data.temporalSplit,
  strongGeneralizationSplit: data.strongGeneralizationSplit,
  report: trainNs.report,
  writeReport: trainNs.writeReport,
};

const quiet = process.env.QUIVER_REPL_QUIET === '1';
if (!quiet) {
  process.stdout.write(
    'Quiver REPL: core, data, mf, train loaded; top-level await works.\n' +
      '  const { data, train: tr, test, items } = await ml()   // ml-latest-small, 80/20 split\n' +
      '  const m = new BiasedMF({ epochs: 10 }); train(m, tr); evaluateRatings(m, test)\n' +
      '  titled(m.recommend(0, 10), items)                      // .help for REPL commands\n' +
      "  compareModels(data, { models: ['ease', 'popularity'], trials: 2 }).rows   // tuned, with intervals\n",
  );
}
const server = repl.start({ prompt: 'quiver> ', useGlobal: false, ignoreUndefined: true });
Object.assign(server.context, context);
