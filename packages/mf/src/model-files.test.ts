import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@quiver/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plantedData } from '../test/fixtures.js';
import { BiasedMF } from './biased-mf.js';
import { loadModel, saveModel } from './model-files.js';
import { parseJsonSafely } from './safe-json.js';

describe('saveModel / loadModel', () => {
  let dir = '';
  const model = new BiasedMF({ factors: 3, epochs: 5 });
  model.fit(plantedData());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quiver-mf-files-'));
    await saveModel(model, dir, { idMaps: { items: ['m1', 'm2'] } });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes PyTorch-style tensor names, a manifest, and no temporary files', async () => {
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'seen_indices.npy', 'seen_indptr.npy', 'weights.safetensors']);
    const { tensors, metadata } = decodeSafetensors(await readFile(join(dir, 'weights.safetensors')));
    expect(Object.keys(tensors).sort()).toEqual(['global_mean', 'item_bias', 'item_embedding.weight', 'rating_noise', 'rating_range', 'user_bias', 'user_embedding.weight']);
    expect(tensors['user_embedding.weight'].shape).toEqual([12, 3]);
    expect(metadata.format).toBe('pt');
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'quiver-mf', formatVersion: 1, kind: 'biased-mf', numUsers: 12, numItems: 10 });
    expect(manifest.config.factors).toBe(3);
    expect(manifest.files['weights.safetensors'].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a truncated weights file', async () => {
    const p = join(dir, 'weights.safetensors');
    const bytes = await readFile(p);
    await writeFile(p, bytes.subarray(0, bytes.length - 8));
    await expect(loadModel(dir)).rejects.toThrow(/weights.safetensors must have \d+ bytes as model.json records, got \d+ \(truncated/);
  });

  it('rejects an edited weights file by its checksum', async () => {
    const p = join(dir, 'weights.safetensors');
    const bytes = await readFile(p);
    bytes[bytes.length - 1] ^= 0x40;
    await writeFile(p, bytes);
    await expect(loadModel(dir)).rejects.toThrow(/weights.safetensors checksum mismatch \(the file was modified\): expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}/);
  });

  it('rejects sizes that do not match the weights', async () => {
    const p = join(dir, 'model.json');
    const m = JSON.parse(await readFile(p, 'utf8'));
    m.numUsers = 13;
    await writeFile(p, JSON.stringify(m));
    await expect(loadModel(dir)).rejects.toThrow(/weights must be for 13 users × 10 items as model.json records, got 12 × 10/);
  });

  it('rejects a wrong format version, a missing file and malformed JSON', async () => {
    const p = join(dir, 'model.json');
    const text = await readFile(p, 'utf8');
    await writeFile(p, text.replace('"formatVersion": 1', '"formatVersion": 2'));
    await expect(loadModel(dir)).rejects.toThrow(/formatVersion must be 1 .*got 2/);
    await writeFile(p, text.slice(0, 40));
    await expect(loadModel(dir)).rejects.toThrow(/model.json is not valid JSON/);
    await rm(p);
    await expect(loadModel(dir)).rejects.toThrow(/cannot read .*model.json/);
  });

  it('refuses __proto__ keys in model.json', async () => {
    const p = join(dir, 'model.json');
    const text = await readFile(p, 'utf8');
    await writeFile(p, text.replace('"config": {', '"config": {"__proto__": {"polluted": true},'));
    await expect(loadModel(dir)).rejects.toThrow(/"__proto__" key is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects unknown hyper-parameters in model.json through the model constructor', async () => {
    const p = join(dir, 'model.json');
    const m = JSON.parse(await readFile(p, 'utf8'));
    m.config.dims = 3;
    await writeFile(p, JSON.stringify(m));
    await expect(loadModel(dir)).rejects.toThrow(/BiasedMF: unknown option "dims"/);
  });

  it('refuses to save an unfitted model or non-JSON id maps', async () => {
    await expect(saveModel(new BiasedMF(), dir)).rejects.toThrow(/saveModel: the model is not fitted/);
    await expect(saveModel(model, dir, { idMaps: { n: 1n } })).rejects.toThrow(/idMaps must be plain JSON/);
  });
});

describe('parseJsonSafely', () => {
  it('returns prototype-free objects', () => {
    const v = parseJsonSafely('t', '{"a": {"b": [1, {"c": 2}]}}') as Record<string, Record<string, unknown[]>>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.a.b[1])).toBeNull();
    expect(JSON.stringify(v)).toBe('{"a":{"b":[1,{"c":2}]}}');
  });
});
