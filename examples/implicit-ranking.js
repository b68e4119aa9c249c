// Implicit feedback: BPR and ALS side by side with Popularity on ml-latest-small, every rating
// used as a positive, full-ranking metrics (every unseen movie ranked, no sampled negatives;
// test ratings >= 4 are the relevant ones), then similar movies for a few well-known titles.
//
//   node examples/implicit-ranking.js                 # BPR 100 epochs, ALS 15 sweeps (~30 s)
//   QUIVER_EPOCHS=2 node examples/implicit-ranking.js # fewer epochs for both (the smoke test)
import { loadMovieLens, randomSplit } from '@quiver/data';
import { ALS, BPR, Popularity } from '@quiver/mf';
import { evaluateRanking, train } from '@quiver/train';
import { findTitle, intFromEnv, titleOf } from './lib/env.js';

const epochs = intFromEnv('implicit-ranking', 'QUIVER_EPOCHS', undefined);
const withEpochs = epochs === undefined ? {} : { epochs };

const { interactions: data, items } = await loadMovieLens('ml-latest-small');
const { train: trainPart, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });

const models = { Popularity: new Popularity(), BPR: new BPR(), ALS: new ALS() };
let evaluatedUsers = 0;
console.log('model        P@10    R@10    NDCG@10  MAP@10  AUC     fit');
for (const [name, model] of Object.entries(models)) {
  const t0 = performance.now();
  train(model, trainPart, name === 'Popularity' ? {} : withEpochs);
  const seconds = (performance.now() - t0) / 1000;
  const r = evaluateRanking(model, trainPart, test, { k: 10, relevantMin: 4 });
  evaluatedUsers = r.evaluatedUsers;
  const f = (x) => x.toFixed(4);
  const m = r.metrics;
  console.log(`${name.padEnd(12)} ${f(m['precision@10'])}  ${f(m['recall@10'])}  ${f(m['ndcg@10'])}   ${f(m['map@10'])}  ${f(m.auc)}  ${seconds.toFixed(1)} s`);
}
console.log(`(means over the ${evaluatedUsers} users with a relevant test movie)`);

const title = titleOf(data, items);
for (const query of ['Toy Story (1995)', 'Matrix, The (1999)', 'Godfather, The (1972)']) {
  const item = findTitle(items, query);
  const { ids, scores } = models.ALS.similarItems(item, 5);
  console.log(`\nMost similar to ${query} (ALS, cosine):`);
  ids.forEach((id, r) => console.log(`  ${title(id)}  ${scores[r].toFixed(3)}`));
}
