// Explicit ratings: BiasedMF on the shipped MovieLens ml-latest-small, held-out RMSE / MAE next
// to the Baseline (biases only), recommendations with titles, then save, load and check that
// the reloaded model predicts exactly the same.
//
//   node examples/explicit-ratings.js
//   QUIVER_EPOCHS=3 node examples/explicit-ratings.js        # fewer epochs (the smoke test)
//   QUIVER_REPORT=report.html node examples/explicit-ratings.js   # also write the HTML report
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMovieLens, randomSplit } from '@quiver/data';
import { Baseline, BiasedMF, loadModel, saveModel } from '@quiver/mf';
import { evaluateRatings, train, writeReport } from '@quiver/train';
import { intFromEnv, titleOf } from './lib/env.js';

const epochs = intFromEnv('explicit-ratings', 'QUIVER_EPOCHS', undefined);

const { interactions: data, items } = await loadMovieLens('ml-latest-small');
const { train: trainPart, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });
console.log(`${data.length} ratings; train ${trainPart.length}, test ${test.length}`);

const baseline = new Baseline();
train(baseline, trainPart, epochs === undefined ? {} : { epochs });
const mf = new BiasedMF();
const history = train(mf, trainPart, { validationData: test, progress: 'auto', ...(epochs === undefined ? {} : { epochs }) });

const b = evaluateRatings(baseline, test).metrics;
const m = evaluateRatings(mf, test).metrics;
console.log('\nmodel      RMSE    MAE');
console.log(`Baseline   ${b.rmse.toFixed(4)}  ${b.mae.toFixed(4)}`);
console.log(`BiasedMF   ${m.rmse.toFixed(4)}  ${m.mae.toFixed(4)}   (${history.epochs.length} epochs, ${mf.getConfig().factors} factors)`);

const title = titleOf(data, items);
const user = data.userIdMap.toIndex(1);
const { ids, scores } = mf.recommend(user, 5);
console.log('\nTop 5 for MovieLens user 1 (movies they have not rated in train), by raw score (the unclipped predicted rating, which can pass 5):');
ids.forEach((id, r) => console.log(`  ${r + 1}. ${title(id)}  ${scores[r].toFixed(2)}`));

const dir = mkdtempSync(join(tmpdir(), 'quiver-explicit-'));
try {
  await saveModel(mf, dir, { idMaps: { users: data.userIdMap.toJSON(), items: data.itemIdMap.toJSON() } });
  const { model: loaded } = await loadModel(dir);
  const a = mf.predict(test.userIds, test.itemIds);
  const c = loaded.predict(test.userIds, test.itemIds);
  const same = a.every((x, k) => x === c[k]);
  console.log(`\nsaved to ${dir} and loaded back: ${loaded.kind}, predictions on the ${test.length} test pairs ${same ? 'identical' : 'DIFFERENT'}`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.QUIVER_REPORT) {
  await writeReport(process.env.QUIVER_REPORT, history, mf, { train: trainPart, test, titles: items.titles, genres: items.genres, metrics: m, source: 'ml-latest-small' });
  console.log(`report written to ${process.env.QUIVER_REPORT}`);
}
