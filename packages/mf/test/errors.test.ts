import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { ALS, BiasedMF, Popularity, RandomRecommender, createModel, loadModel, saveModel } from '../src/index.js';
import { plantedData, resealManifest } from './fixtures.js';

const data = plantedData();

describe('argument errors shared by every model', () => {
  const m = new BiasedMF({ factors: 2, epochs: 2 });
  m.fit(data);

  it('fit / initialize options', () => {
    expect(() => new BiasedMF().fit(data, { verbose: 1 as never })).toThrow(/BiasedMF.fit: verbose must be a boolean, got 1/);
    expect(() => new BiasedMF().fit(data, { onEpochEnd: 3 as never })).toThrow(/BiasedMF.fit: onEpochEnd must be a function, got 3/);
    expect(() => new BiasedMF().initialize(data, { seed: Infinity })).toThrow(/BiasedMF.initialize: seed must be a finite number, got Infinity/);
    expect(() => new BiasedMF().initialize(data, { seed: 's' as never })).toThrow(TypeError);
    expect(() => m.fitEpoch(data, -1)).toThrow(/BiasedMF.fitEpoch: epoch must be a non-negative integer, got -1/);
  });

  it('ids of the wrong kind', () => {
    expect(() => m.recommend('0' as never, 3)).toThrow(/BiasedMF.recommend: user must be an integer id, got "0"/);
    expect(() => m.predict([0] as never, Int32Array.of(0))).toThrow(/BiasedMF.predict: users must be an Int32Array, got Array\(1\)/);
    expect(() => m.recommend(0, 3, { items: Int32Array.of(1, 10) })).toThrow(/items\[1\] must be in \[0, 9\], got 10/);
  });

  it('fold-in ratings and vectors', () => {
    expect(() => m.foldIn(Int32Array.of(1, 2), Float32Array.of(4))).toThrow(/BiasedMF.foldIn: ratings must have the length of items \(2\), got 1/);
    expect(() => m.foldIn(Int32Array.of(1), Float32Array.of(NaN))).toThrow(/ratings\[0\] must be a finite number, got NaN/);
    expect(() => m.foldIn(Int32Array.of(1), [4] as never)).toThrow(/ratings must be a Float32Array, got Array\(1\)/);
    expect(() => m.predictNew([0, 0, 0] as never, Int32Array.of(0))).toThrow(/userVector must be a Float32Array, got Array\(3\)/);
  });

  it('setState and setSeen', () => {
    const state = m.getState();
    expect(() => m.setState(null as never)).toThrow(/BiasedMF.setState: state must be a record of tensors, got null/);
    const missing = { ...state };
    delete missing.item_bias;
    expect(() => m.setState(missing)).toThrow(/state must contain tensor "item_bias", missing/);
    expect(() => m.setState({ ...state, extra: new Tensor(new Float32Array(1), [1]) })).toThrow(/unknown tensor "extra"/);
    expect(() => m.setState({ ...state, item_bias: state.item_bias.data as never })).toThrow(/BiasedMF.setState: state\["item_bias"\] must be a Tensor, got Float32Array\(10\)/);
    expect(() => m.setState({ ...state, item_bias: null as never })).toThrow(/state\["item_bias"\] must be a Tensor, got null/);
    const other = new BiasedMF({ factors: 2, epochs: 1 });
    other.fit({ ...data, numUsers: 13 });
    expect(() => m.setState(other.getState())).toThrow(/state must be for 12 users × 10 items \(this model's sizes\), got 13 × 10/);
    expect(() => new BiasedMF().setState({})).toThrow(/state must contain tensor "user_embedding.weight" with at least one row, got none/);
    expect(() => m.setSeen(new Int32Array(3), new Int32Array(0))).toThrow(/BiasedMF.setSeen: indptr must be an Int32Array of length numUsers \+ 1 = 13/);
    expect(() => m.setSeen(new Int32Array(13).fill(1), Int32Array.of(0))).toThrow(/indptr must start at 0 and end at indices.length \(1\), got 1 and 1/);
    const down = new Int32Array(13);
    down[1] = 2;
    down[12] = 1;
    expect(() => m.setSeen(down, Int32Array.of(0))).toThrow(/indptr must be non-decreasing, got indptr\[2\] = 0 < 2/);
    expect(() => new Popularity().setState({})).toThrow(/Popularity.setState: state must contain 1-D tensors "item_popularity" and "user_activity"/);
    expect(() => new RandomRecommender().setState({})).toThrow(/RandomRecommender.setState: state must contain tensor "sizes"/);
  });

  it('createModel', () => {
    expect(() => createModel('svd' as never)).toThrow(/createModel: kind must be one of 'biased-mf', 'baseline', 'bpr', 'als', 'popularity', 'random', 'itemknn', 'rp3beta', 'p3alpha', 'userknn', 'ease', 'puresvd', 'slim', 'svdpp', 'bayesian-mf', got "svd"/);
    expect(createModel('als', { factors: 3 })).toBeInstanceOf(ALS);
  });
});

describe('model.json validation', () => {
  const model = new Popularity();
  model.fit(data);

  /** Saves the model, edits its model.json, and loads it back. */
  async function withManifest(edit: (m: Record<string, unknown>) => void): Promise<unknown> {
    const dir = await mkdtemp(join(tmpdir(), 'quiver-mf-json-'));
    try {
      await saveModel(model, dir);
      const p = join(dir, 'model.json');
      // Resealed: the manifest's own checksum is recomputed so that each field's check is reached.
      await writeFile(p, resealManifest(await readFile(p, 'utf8'), edit));
      return await loadModel(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('rejects each malformed field', async () => {
    await expect(withManifest((m) => void (m.format = 'other'))).rejects.toThrow(/model.json format must be "quiver-mf", got "other"/);
    await expect(withManifest((m) => void (m.kind = 'svd'))).rejects.toThrow(/model.json kind must be one of .*got "svd"/);
    await expect(withManifest((m) => void (m.numItems = 0))).rejects.toThrow(/model.json numItems must be a positive integer, got 0/);
    await expect(withManifest((m) => void (m.config = []))).rejects.toThrow(/model.json config must be an object, got Array\(0\)/);
    await expect(withManifest((m) => void ((m.files as Record<string, unknown>)['weights.safetensors'] = { bytes: 1 }))).rejects.toThrow(
      /files\["weights.safetensors"\] must be \{ bytes: number, sha256: 64 hex digits \}/,
    );
    await expect(withManifest((m) => void delete (m.files as Record<string, unknown>)['seen_indptr.npy'])).rejects.toThrow(
      /model.json must list file "seen_indptr.npy", missing/,
    );
    await expect(withManifest((m) => void (m.formatVersion = 1))).resolves.toMatchObject({ idMaps: null });
  });
});
