// Pretrained vectors into Embedding.fromPretrained: item vectors are written in the word2vec
// text, word2vec binary, GloVe and .npy formats (here from an ALS run on the training part,
// standing in for vectors trained elsewhere, e.g. item2vec), read back with @quiver/core's
// readers, frozen, and only what sits on top (user vectors and biases) is trained.
//
//   node examples/pretrained-embeddings.js
//   QUIVER_EPOCHS=2 node examples/pretrained-embeddings.js        # fewer epochs (the smoke test)
//   QUIVER_VECTORS=vectors.txt node examples/pretrained-embeddings.js   # your own word2vec/GloVe
//       file whose words are MovieLens movieIds (movies missing from it get zero vectors)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embedding, SparseAdam, Tensor, readNpy, readWordVectors, writeNpy } from '@quiver/core';
import { batches, loadMovieLens, randomSplit } from '@quiver/data';
import { ALS } from '@quiver/mf';
import { intFromEnv } from './lib/env.js';

const epochs = intFromEnv('pretrained-embeddings', 'QUIVER_EPOCHS', 8);
const { interactions: data } = await loadMovieLens('ml-latest-small');
const { train, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });
const dir = mkdtempSync(join(tmpdir(), 'quiver-pretrained-'));

try {
  let vectorsFile = process.env.QUIVER_VECTORS;
  if (!vectorsFile) {
    // ---- write the "pretrained" vectors in each format
    const als = new ALS({ factors: 24, epochs: 5, seed: 7 });
    als.fit(train);
    const itemVectors = als.getState()['item_embedding.weight']; // Tensor [numItems, 24]
    const [n, dim] = itemVectors.shape;
    const lines = [`${n} ${dim}`];
    const bin = [Buffer.from(`${n} ${dim}\n`)];
    for (let i = 0; i < n; i++) {
      const word = String(data.itemIdMap.toRaw(i));
      const row = itemVectors.row(i);
      lines.push(`${word} ${Array.from(row, (x) => x.toPrecision(9)).join(' ')}`);
      bin.push(Buffer.from(`${word} `), Buffer.from(row.buffer, row.byteOffset, row.byteLength), Buffer.from('\n'));
    }
    writeFileSync(join(dir, 'items.w2v.txt'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'items.glove.txt'), `${lines.slice(1).join('\n')}\n`); // GloVe: no header
    writeFileSync(join(dir, 'items.w2v.bin'), Buffer.concat(bin));
    await writeNpy(join(dir, 'items.npy'), itemVectors);

    const w2v = await readWordVectors(join(dir, 'items.w2v.txt'));
    const glove = await readWordVectors(join(dir, 'items.glove.txt'));
    const binary = await readWordVectors(join(dir, 'items.w2v.bin'), { format: 'word2vec-binary' });
    const npy = await readNpy(join(dir, 'items.npy'));
    const same = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);
    console.log(`word2vec text: ${w2v.words.length} × ${w2v.vectors.shape[1]}, GloVe: ${glove.words.length} × ${glove.vectors.shape[1]}, ` +
      `word2vec binary: ${binary.words.length} × ${binary.vectors.shape[1]}, .npy: [${npy.shape.join(', ')}]`);
    console.log(`all four formats give the same matrix: ${same(w2v.vectors.data, glove.vectors.data) && same(w2v.vectors.data, binary.vectors.data) && same(w2v.vectors.data, npy.data)}`);
    vectorsFile = join(dir, 'items.w2v.txt');
  }

  // ---- align the file's rows with the dataset's item indices (words are movieIds)
  const { vocabulary, vectors } = await readWordVectors(vectorsFile);
  const dim = vectors.shape[1];
  const aligned = new Float32Array(data.numItems * dim);
  let found = 0;
  for (let i = 0; i < data.numItems; i++) {
    const row = vocabulary.get(String(data.itemIdMap.toRaw(i)));
    if (row === undefined) continue;
    aligned.set(vectors.row(row), i * dim);
    found++;
  }
  console.log(`${found} of ${data.numItems} movies have a pretrained ${dim}-dimensional vector`);

  // ---- frozen item table, trainable user table and biases on top
  const items = Embedding.fromPretrained(new Tensor(aligned, [data.numItems, dim])); // freeze: true
  const users = new Embedding(data.numUsers, dim, { sparse: true, init: { name: 'normal', std: 0.05 }, seed: 3 });
  const userBias = new Embedding(data.numUsers, 1, { sparse: true, init: 'zeros' });
  const itemBias = new Embedding(data.numItems, 1, { sparse: true, init: 'zeros' });
  const opt = new SparseAdam([...users.parameters(), ...userBias.parameters(), ...itemBias.parameters(), ...items.parameters()], { lr: 0.01 });
  let mu = 0;
  for (const r of train.ratings) mu += r;
  mu /= train.length;
  const before = items.weight.data.slice();

  const predict = (u, it) => {
    const p = users.forward(u);
    const q = items.forward(it);
    const b1 = userBias.forward(u);
    const b2 = itemBias.forward(it);
    const out = new Float32Array(u.length);
    for (let r = 0; r < u.length; r++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += p.data[r * dim + j] * q.data[r * dim + j];
      out[r] = mu + b1.data[r] + b2.data[r] + dot;
    }
    return { out, q };
  };
  const rmse = (part) => {
    const { out } = predict(part.userIds, part.itemIds);
    let s = 0;
    for (let r = 0; r < out.length; r++) s += (Math.min(5, Math.max(0.5, out[r])) - part.ratings[r]) ** 2;
    return Math.sqrt(s / out.length);
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const batch of batches(train, { batchSize: 1024, seed: epoch })) {
      const n = batch.size;
      const { out, q } = predict(batch.userIds, batch.itemIds);
      const p = users.forward(batch.userIds);
      const gP = new Float32Array(n * dim);
      const gQ = new Float32Array(n * dim);
      const gB = new Float32Array(n);
      for (let r = 0; r < n; r++) {
        const g = (2 * (out[r] - batch.ratings[r])) / n;
        gB[r] = g;
        for (let j = 0; j < dim; j++) {
          gP[r * dim + j] = g * q.data[r * dim + j] + (0.04 / n) * p.data[r * dim + j];
          gQ[r * dim + j] = g * p.data[r * dim + j];
        }
      }
      users.backward(batch.userIds, new Tensor(gP, [n, dim]));
      items.backward(batch.itemIds, new Tensor(gQ, [n, dim])); // frozen: accumulates nothing
      userBias.backward(batch.userIds, new Tensor(gB, [n, 1]));
      itemBias.backward(batch.itemIds, new Tensor(gB.slice(), [n, 1]));
      opt.step(); // skips the frozen table
      opt.zeroGrad();
    }
    console.log(`epoch ${epoch + 1}/${epochs}  test RMSE ${rmse(test).toFixed(4)}`);
  }
  const unchanged = items.weight.data.every((x, k) => x === before[k]);
  console.log(`pretrained item table frozen: ${items.weight.requiresGrad === false}, unchanged after training: ${unchanged}`);
  if (!unchanged) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
