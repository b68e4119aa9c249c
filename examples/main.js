// The main job (`npm start`): train BiasedMF with its default settings on the shipped
// MovieLens ml-latest-small, report test RMSE / MAE and the top-10 movies for one user.
//
//   npm start                       # builds the packages, then runs this file
//   QUIVER_EPOCHS=3 node examples/main.js   # fewer epochs (used by the smoke test)
//   QUIVER_USER=414 node examples/main.js   # another user (a MovieLens userId)
//
// Progress goes to stderr (a bar on a terminal, plain lines otherwise); results go to stdout.
import { loadMovieLens, randomSplit } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';
import { evaluateRatings, Trainer } from '@quiver/train';

const started = performance.now();
const epochsEnv = process.env.QUIVER_EPOCHS;
const epochs = epochsEnv === undefined || epochsEnv === '' ? undefined : Number(epochsEnv);
if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) {
  process.stderr.write(`main: QUIVER_EPOCHS must be a positive integer, got ${JSON.stringify(epochsEnv)}\n`);
  process.exit(2);
}
const rawUser = Number(process.env.QUIVER_USER ?? 1);

const { interactions: data, items } = await loadMovieLens('ml-latest-small');
const { train, test, coldStart } = randomSplit(data, { testFraction: 0.2, seed: 42 });
console.log(`ml-latest-small: ${data.length.toLocaleString('en-US')} ratings, ${data.numUsers} users, ${data.numItems.toLocaleString('en-US')} movies`);
console.log(
  `random 80/20 split (seed 42): ${train.length.toLocaleString('en-US')} train, ${test.length.toLocaleString('en-US')} test` +
    (coldStart.numRows > 0 ? ` (${coldStart.numRows} test ratings of movies absent from train dropped)` : ''),
);

const model = new BiasedMF();
const trainer = new Trainer({ progress: 'auto', ...(epochs === undefined ? {} : { epochs }) });
const history = trainer.fit(model, train);
const { metrics, count } = evaluateRatings(model, test);
const fitSeconds = history.totalSeconds;
console.log(`BiasedMF (defaults: ${model.config.factors} factors, ${history.epochs.length} epochs, lr ${model.config.lr}, reg ${model.config.reg}) trained in ${fitSeconds.toFixed(1)} s`);
console.log(`Test RMSE: ${metrics.rmse.toFixed(4)}`);
console.log(`Test MAE:  ${metrics.mae.toFixed(4)}   (${count.toLocaleString('en-US')} test ratings)`);

const user = data.userIdMap.get(rawUser);
if (user < 0) {
  process.stderr.write(`main: QUIVER_USER ${rawUser} is not a user of ml-latest-small\n`);
  process.exit(2);
}
const title = (i) => items?.titles[i] ?? `movie ${data.itemIdMap.toRaw(i)}`;
const { ids, scores } = model.recommend(user, 10); // leaves out the movies the user rated in train
// recommend ranks by the model's raw score mu + b_u + b_i + p·q, which can pass the top of the
// scale; predict gives the predicted rating, clipped to the training ratings' range (0.5–5).
const predicted = model.predict(new Int32Array(ids.length).fill(user), ids);
console.log(`\nTop 10 movies for user ${rawUser} (not among the ${train.userDegrees()[user]} movies they rated in train):`);
console.log('predicted rating (clipped to 0.5–5 stars) and the raw score the list is ranked by (unclipped)');
for (let r = 0; r < ids.length; r++) {
  console.log(`${String(r + 1).padStart(2)}. ${title(ids[r])}  (predicted ${predicted[r].toFixed(2)}, raw score ${scores[r].toFixed(2)})`);
}
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
