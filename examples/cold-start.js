// Cold start: a brand-new user rates a handful of movies; fold them into the trained BiasedMF
// (a MAP estimate against the fixed item factors: ridge regression with a Gaussian prior fitted
// to the trained users, no retraining) and recommend. Then the same for real users held out
// of training entirely: fold each in from 3 to 50 of their ratings and score all their other
// ratings, against the best prediction without user information (global mean + item bias). The
// table it prints is the measurement; the README quotes it next to this command.
//
//   node examples/cold-start.js
//   QUIVER_EPOCHS=3 node examples/cold-start.js   # fewer epochs (the smoke test)
import { loadMovieLens } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';
import { train } from '@quiver/train';
import { findTitle, intFromEnv, titleOf } from './lib/env.js';

const epochs = intFromEnv('cold-start', 'QUIVER_EPOCHS', undefined);
const { interactions: data, items } = await loadMovieLens('ml-latest-small');
const title = titleOf(data, items);

// Hold every third user with at least 150 ratings out of training entirely (the fold-in check below).
const count = new Int32Array(data.numUsers);
for (const u of data.userIds) count[u]++;
const heldOut = new Set([...count.keys()].filter((u) => count[u] >= 150).filter((_, j) => j % 3 === 0));
const rows = [];
for (let k = 0; k < data.length; k++) if (!heldOut.has(data.userIds[k])) rows.push(k);
const trainPart = data.subset(Int32Array.from(rows));
const model = new BiasedMF({ seed: 42 });
train(model, trainPart, epochs === undefined ? {} : { epochs });

// ---- a brand-new user: five ratings
const likes = [
  ['Star Wars: Episode IV - A New Hope (1977)', 5],
  ['Matrix, The (1999)', 5],
  ['Blade Runner (1982)', 4.5],
  ['Alien (1979)', 4.5],
  ['Notting Hill (1999)', 1],
];
const newItems = Int32Array.from(likes, ([t]) => findTitle(items, t));
const newRatings = Float32Array.from(likes, ([, r]) => r);
console.log('A new user rated:');
likes.forEach(([t, r]) => console.log(`  ${r}  ${t}`));
const recs = model.recommendForNew(newItems, newRatings, 10, { exclude: newItems });
// recommendForNew ranks by the unclipped score; predictNew gives the rating, clipped to 0.5–5.
const predicted = model.predictNew(model.foldIn(newItems, newRatings), recs.ids);
console.log('Recommended without retraining (predicted rating):');
recs.ids.forEach((id, r) => console.log(`  ${String(r + 1).padStart(2)}. ${title(id)}  ${predicted[r].toFixed(2)}`));

// ---- users held out of training: how good is fold-in from n ratings?
// Every third user with at least 150 ratings was left out of training above. Each
// gives n ratings (every 7th of theirs, a fixed choice) and is scored on all their other ratings;
// the reference is the best prediction without any user information: mean + item bias.
const byUser = new Map();
for (let k = 0; k < data.length; k++) if (heldOut.has(data.userIds[k])) (byUser.get(data.userIds[k]) ?? byUser.set(data.userIds[k], []).get(data.userIds[k])).push(k);
const noUser = new Float32Array(model.foldIn(Int32Array.of(0), Float32Array.of(3)).length); // zero factors and bias
const rmse = (n) => {
  let seFold = 0;
  let seBias = 0;
  let m = 0;
  for (const ks of byUser.values()) {
    const given = ks.filter((_, j) => j % 7 === 0).slice(0, n);
    const scored = ks.filter((k) => !given.includes(k));
    const targets = Int32Array.from(scored, (k) => data.itemIds[k]);
    const folded = model.predictNew(model.foldIn(Int32Array.from(given, (k) => data.itemIds[k]), Float32Array.from(given, (k) => data.ratings[k])), targets);
    const bias = model.predictNew(noUser, targets);
    scored.forEach((k, j) => {
      seFold += (folded[j] - data.ratings[k]) ** 2;
      seBias += (bias[j] - data.ratings[k]) ** 2;
    });
    m += scored.length;
  }
  return { fold: Math.sqrt(seFold / m), bias: Math.sqrt(seBias / m), m };
};
console.log(`\n${byUser.size} users held out of training, each folded in from n of their ratings and scored on the rest:`);
console.log('  ratings given   RMSE folded in   RMSE mean + item bias (no user information)');
for (const n of [3, 5, 10, 20, 50]) {
  const r = rmse(n);
  console.log(`  ${String(n).padStart(13)}   ${r.fold.toFixed(4).padStart(16)}   ${r.bias.toFixed(4)}`);
}
