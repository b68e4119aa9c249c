// The seed idea written with @quiver/core only, the way a PyTorch user writes nn.Embedding +
// an optimizer: user and item Embedding tables with sparse gradients, a hand-written forward
// and backward for biased matrix factorisation, and SparseAdam. A validation part carved from
// the training data picks the epoch to stop at (early stopping with patience, best weights
// restored); the test part is scored once, at the end. Then EmbeddingBag: a user represented as
// the mean of the (learned) embeddings of the movies they watched.
//
//   node examples/custom-training-loop.js
//   QUIVER_EPOCHS=2 node examples/custom-training-loop.js   # at most 2 epochs (the smoke test)
//
// (@quiver/data only reads the ratings and cuts mini-batches; the model is all core.)
import { Embedding, EmbeddingBag, SparseAdam, Tensor } from '@quiver/core';
import { batches, loadMovieLens, randomSplit } from '@quiver/data';
import { intFromEnv, titleOf } from './lib/env.js';

const epochs = intFromEnv('custom-training-loop', 'QUIVER_EPOCHS', 30);
const patience = 2; // stop after this many epochs without a better validation RMSE
const k = 32;
const lambda = 0.02; // L2 on the looked-up rows
const { interactions: data, items } = await loadMovieLens('ml-latest-small');
const { train: trainAll, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });
// Validation comes out of the training part: the test part plays no role in choosing the epoch.
const { train, test: valid } = randomSplit(trainAll, { testFraction: 0.1, seed: 7 });

let mu = 0;
for (const r of train.ratings) mu += r;
mu /= train.length;

// nn.Embedding(numUsers, k, sparse=True) and friends; small normal init, zero biases.
const init = { name: 'normal', std: 0.05 };
const P = new Embedding(data.numUsers, k, { sparse: true, init, seed: 1, name: 'user' });
const Q = new Embedding(data.numItems, k, { sparse: true, init, seed: 2, name: 'item' });
const bu = new Embedding(data.numUsers, 1, { sparse: true, init: 'zeros', name: 'user_bias' });
const bi = new Embedding(data.numItems, 1, { sparse: true, init: 'zeros', name: 'item_bias' });
const opt = new SparseAdam([...P.parameters(), ...Q.parameters(), ...bu.parameters(), ...bi.parameters()], { lr: 0.01 });

/** Forward pass: predicted ratings for (users[n], items[n]) plus the looked-up rows. */
function forward(users, itemIds) {
  const p = P.forward(users); // Tensor [B, k]
  const q = Q.forward(itemIds);
  const b1 = bu.forward(users); // [B, 1]
  const b2 = bi.forward(itemIds);
  const n = users.length;
  const pred = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let dot = 0;
    for (let j = 0; j < k; j++) dot += p.data[r * k + j] * q.data[r * k + j];
    pred[r] = mu + b1.data[r] + b2.data[r] + dot;
  }
  return { pred, p, q };
}

function rmseOn(part) {
  const { pred } = forward(part.userIds, part.itemIds);
  let s = 0;
  for (let r = 0; r < pred.length; r++) s += (Math.min(5, Math.max(0.5, pred[r])) - part.ratings[r]) ** 2;
  return Math.sqrt(s / pred.length);
}

const tables = [P, Q, bu, bi];
const snapshot = () => tables.map((t) => t.weight.data.slice());
console.log(`custom loop: ${k} factors, SparseAdam lr 0.01, batch 1024, at most ${epochs} epochs, patience ${patience}; validation RMSE before training ${rmseOn(valid).toFixed(4)}`);
let best = { rmse: Infinity, epoch: 0, weights: snapshot() };
for (let epoch = 0; epoch < epochs; epoch++) {
  let loss = 0;
  for (const batch of batches(train, { batchSize: 1024, seed: 42 + epoch })) {
    const n = batch.size;
    const { pred, p, q } = forward(batch.userIds, batch.itemIds);
    // loss = mean (pred − r)² + λ/B · Σ (‖p‖² + ‖q‖²); its gradients, by hand:
    const gP = new Float32Array(n * k);
    const gQ = new Float32Array(n * k);
    const gB = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const err = pred[r] - batch.ratings[r];
      loss += err * err;
      const g = (2 * err) / n;
      gB[r] = g;
      for (let j = 0; j < k; j++) {
        gP[r * k + j] = g * q.data[r * k + j] + ((2 * lambda) / n) * p.data[r * k + j];
        gQ[r * k + j] = g * p.data[r * k + j] + ((2 * lambda) / n) * q.data[r * k + j];
      }
    }
    // backward(): accumulate row-sparse gradients (one row per looked-up index, as torch).
    P.backward(batch.userIds, new Tensor(gP, [n, k]));
    Q.backward(batch.itemIds, new Tensor(gQ, [n, k]));
    bu.backward(batch.userIds, new Tensor(gB, [n, 1]));
    bi.backward(batch.itemIds, new Tensor(gB.slice(), [n, 1]));
    opt.step(); // lazy Adam: only the rows in this batch move
    opt.zeroGrad();
  }
  const v = rmseOn(valid);
  const better = v < best.rmse;
  if (better) best = { rmse: v, epoch: epoch + 1, weights: snapshot() };
  console.log(`epoch ${epoch + 1}/${epochs}  train MSE ${(loss / train.length).toFixed(4)}  validation RMSE ${v.toFixed(4)}${better ? '  (best so far)' : ''}`);
  if (epoch + 1 - best.epoch >= patience) {
    console.log(`no better validation RMSE for ${patience} epochs: stopping`);
    break;
  }
}
tables.forEach((t, j) => t.weight.data.set(best.weights[j])); // restore the best epoch
console.log(`best epoch ${best.epoch} (validation RMSE ${best.rmse.toFixed(4)}); test RMSE with its weights ${rmseOn(test).toFixed(4)}`);

// EmbeddingBag: each user as the bag (mean) of the learned embeddings of the movies they rated.
const csr = train.toCsr(); // indptr / indices: user → items
const bag = EmbeddingBag.fromPretrained(Q.weight, { mode: 'mean', includeLastOffset: true }); // frozen; shares Q's weights
const profiles = bag.forward(csr.indices, csr.indptr); // CSR offsets: one bag per user → [numUsers, k]
console.log(`\nEmbeddingBag(mode 'mean'): ${csr.indices.length} watched movies → user profiles of shape [${profiles.shape.join(', ')}]`);

const rawUser = 1;
const u = data.userIdMap.toIndex(rawUser);
const profile = profiles.row(u);
const seen = new Set(csr.indices.subarray(csr.indptr[u], csr.indptr[u + 1]));
const scores = [];
for (let i = 0; i < data.numItems; i++) {
  if (seen.has(i)) continue;
  const row = Q.weight.row(i);
  let s = 0;
  for (let j = 0; j < k; j++) s += row[j] * profile[j];
  scores.push([s, i]);
}
scores.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
const title = titleOf(data, items);
console.log(`Closest unseen movies to the bag of the ${seen.size} movies user ${rawUser} rated:`);
scores.slice(0, 5).forEach(([s, i], r) => console.log(`  ${r + 1}. ${title(i)}  ${s.toFixed(3)}`));
