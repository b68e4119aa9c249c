import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync as writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, readdir, mkdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@quiver/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idMapJson, plantedData, resealManifest } from '../test/fixtures.js';
import { ALS } from './als.js';
import { BiasedMF } from './biased-mf.js';
import { BPR } from './bpr.js';
import { lockPath, ModelDirLock } from './model-dir-lock.js';
import { loadModel, saveModel } from './model-files.js';
import { parseJsonSafely } from './safe-json.js';

const enc = new TextEncoder();
const users12 = idMapJson('user', Array.from({ length: 12 }, (_, u) => `u${u}`));
const items10 = idMapJson('item', Array.from({ length: 10 }, (_, i) => `m${i}`));

describe('saveModel / loadModel', () => {
  let root = '';
  let dir = '';
  const model = new BiasedMF({ factors: 3, epochs: 5 });
  model.fit(plantedData());

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'quiver-mf-files-'));
    dir = join(root, 'model');
    await saveModel(model, dir, { idMaps: { users: users12, items: items10 } });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes PyTorch-style tensor names, id maps, a sealed manifest, and no temporary files', async () => {
    expect((await readdir(dir)).sort()).toEqual(['id_maps.json', 'model.json', 'seen_indices.npy', 'seen_indptr.npy', 'weights.safetensors']);
    expect((await readdir(root)).sort()).toEqual(['model']); // no temporary folder, and the lock is released
    const { tensors, metadata } = decodeSafetensors(await readFile(join(dir, 'weights.safetensors')));
    expect(Object.keys(tensors).sort()).toEqual(['global_mean', 'item_bias', 'item_embedding.weight', 'rating_noise', 'rating_range', 'user_bias', 'user_embedding.weight']);
    expect(tensors['user_embedding.weight'].shape).toEqual([12, 3]);
    expect(metadata).toMatchObject({ format: 'pt', kind: 'biased-mf' });
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'quiver-mf', formatVersion: 3, kind: 'biased-mf', numUsers: 12, numItems: 10 });
    expect(manifest.config.factors).toBe(3);
    expect(Object.keys(manifest.files).sort()).toEqual(['id_maps.json', 'seen_indices.npy', 'seen_indptr.npy', 'weights.safetensors']);
    expect(manifest.files['id_maps.json'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(await readFile(join(dir, 'id_maps.json'), 'utf8'))).toEqual({ users: users12, items: items10 });
  });

  it('replaces the whole folder: no file of an older model survives', async () => {
    await saveModel(model, dir, { files: { 'titles.json': enc.encode('["Old title"]'), 'run.json': enc.encode('{}') } });
    expect((await readdir(dir)).sort()).toContain('titles.json');
    const { files } = await loadModel(dir);
    expect(new TextDecoder().decode(files['titles.json'])).toBe('["Old title"]');
    await saveModel(model, dir, { files: { 'run.json': enc.encode('{"n":2}') } });
    expect((await readdir(dir)).sort()).toEqual(['id_maps.json', 'model.json', 'run.json', 'seen_indices.npy', 'seen_indptr.npy', 'weights.safetensors']);
    expect(Object.keys((await loadModel(dir)).files)).toEqual(['run.json']);
    expect((await readdir(root)).sort()).toEqual(['model']);
  });

  it('never replaces a folder that holds something other than a model, nor a file', async () => {
    const other = join(root, 'photos');
    await mkdir(other);
    await writeFile(join(other, 'cat.jpg'), 'meow');
    await expect(saveModel(model, other)).rejects.toThrow(/photos must be a model folder, an empty folder or a new path, got a folder holding other files \(cat.jpg\); it is left untouched/);
    expect(await readdir(other)).toEqual(['cat.jpg']);
    await writeFile(join(root, 'plain'), 'x');
    await expect(saveModel(model, join(root, 'plain'))).rejects.toThrow(/must be a folder \(or not exist\), got an existing file/);
    await mkdir(join(root, 'empty'));
    await saveModel(model, join(root, 'empty'));
    expect((await loadModel(join(root, 'empty'))).model.isFitted).toBe(true);
  });

  it('removes the leftovers of an interrupted save, and names them when the folder is missing', async () => {
    // A crash between the two renames leaves the old model aside and no folder under the name.
    const aside = join(root, '.model.old-123-abcd');
    const half = join(root, '.model.tmp-124-ef01');
    await rm(dir, { recursive: true });
    await mkdir(aside);
    await mkdir(half);
    await expect(loadModel(dir)).rejects.toThrow(/the folder .*model does not exist; a save into it was interrupted: .*\.model\.old-123-abcd, .*\.model\.tmp-124-ef01 remain/);
    await saveModel(model, dir);
    expect((await readdir(root)).sort()).toEqual(['model']);
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

  it('rejects edited id maps, an edited manifest and an edited checksum list', async () => {
    const p = join(dir, 'id_maps.json');
    const maps = await readFile(p, 'utf8');
    await writeFile(p, maps.replace('"u1"', '"u9"').replace('"u9"', '"u1"').replace('"u2"', '"u7"'));
    await expect(loadModel(dir)).rejects.toThrow(/id_maps.json checksum mismatch \(the file was modified\)/);
    await writeFile(p, maps);
    const m = join(dir, 'model.json');
    const text = await readFile(m, 'utf8');
    for (const [from, to] of [['"numUsers": 12', '"numUsers": 13'], ['"kind": "biased-mf"', '"kind": "baseline"'], ['"factors": 3', '"factors": 4']]) {
      expect(text.includes(from)).toBe(true);
      await writeFile(m, text.replace(from, to));
      await expect(loadModel(dir)).rejects.toThrow(/^loadModel: model.json checksum mismatch \(the manifest was modified\)/);
    }
    const forged = JSON.parse(text);
    forged.files['id_maps.json'].sha256 = '0'.repeat(64);
    await writeFile(m, JSON.stringify(forged, null, 2));
    await expect(loadModel(dir)).rejects.toThrow(/model.json checksum mismatch/);
    // Whitespace does not matter: the checksum is of the parsed manifest.
    await writeFile(m, JSON.stringify(JSON.parse(text)));
    expect((await loadModel(dir)).model.isFitted).toBe(true);
  });

  it('cross-checks the kind recorded in the weights file: ALS weights never load as BPR', async () => {
    const als = new ALS({ factors: 3, epochs: 2 });
    als.fit({ ...plantedData(), ratings: null });
    const alsDir = join(root, 'als');
    await saveModel(als, alsDir);
    const m = join(alsDir, 'model.json');
    await writeFile(m, resealManifest(await readFile(m, 'utf8'), (o) => {
      o.kind = 'bpr';
      o.config = new BPR({ factors: 3, itemBias: false }).getConfig();
    }));
    await expect(loadModel(alsDir)).rejects.toThrow(/^loadModel: weights.safetensors must hold a 'bpr' model as model.json says, got weights of kind "als"/);
  });

  it('rejects sizes that do not match the weights', async () => {
    const p = join(dir, 'model.json');
    await writeFile(p, resealManifest(await readFile(p, 'utf8'), (m) => {
      m.numUsers = 13;
    }));
    await expect(loadModel(dir)).rejects.toThrow(/idMaps.users must map the model's 13 users, got a map of 12 ids/);
  });

  it('rejects a wrong format version, a missing file and malformed JSON', async () => {
    const p = join(dir, 'model.json');
    const text = await readFile(p, 'utf8');
    await writeFile(p, text.replace('"formatVersion": 3', '"formatVersion": 4'));
    await expect(loadModel(dir)).rejects.toThrow(/formatVersion must be 1, 2 or 3 .*got 4/);
    await writeFile(p, text.slice(0, 40));
    await expect(loadModel(dir)).rejects.toThrow(/model.json is not valid JSON/);
    await rm(p);
    await expect(loadModel(dir)).rejects.toThrow(/cannot read .*model.json/);
  });

  it('still loads a version-1 folder (id maps inside model.json, no manifest checksum)', async () => {
    const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    delete m.checksum;
    delete m.files['id_maps.json'];
    await rm(join(dir, 'id_maps.json'));
    const v1 = { ...m, formatVersion: 1, idMaps: { users: users12, items: items10 } };
    await writeFile(join(dir, 'model.json'), JSON.stringify(v1, null, 2));
    const loaded = await loadModel(dir);
    expect(JSON.parse(JSON.stringify(loaded.idMaps))).toEqual({ users: users12, items: items10 });
    expect([...loaded.model.recommend(0, 3).ids]).toEqual([...model.recommend(0, 3).ids]);
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...v1, idMaps: null }, null, 2));
    expect((await loadModel(dir)).idMaps).toBeNull();
  });

  it('reads the top-level solver options of format 1 and 2 configs into solver, and refuses them in format 3', async () => {
    const p = join(dir, 'model.json');
    const text = await readFile(p, 'utf8');
    // What format 2 wrote for a mini-batch BiasedMF: every option at the top level.
    const flat = (m: Record<string, unknown>) => {
      const { solver: _, ...rest } = m.config as Record<string, unknown>;
      m.config = { ...rest, solver: 'minibatch', optimizer: 'adagrad', batchSize: 64, schedule: 'shuffle', threads: 1, grid: 0 };
    };
    await writeFile(p, resealManifest(text, (m) => {
      m.formatVersion = 2;
      flat(m);
    }));
    const loaded = await loadModel(dir);
    expect((loaded.model as BiasedMF).config.solver).toEqual({ kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 });
    expect([...loaded.model.recommend(0, 3).ids]).toEqual([...model.recommend(0, 3).ids]);
    await writeFile(p, resealManifest(text, flat));
    await expect(loadModel(dir)).rejects.toThrow(/BiasedMF: option "optimizer" belongs inside solver; pass solver: \{ kind: 'minibatch', optimizer: 'adagrad' \}/);
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
    await writeFile(p, resealManifest(await readFile(p, 'utf8'), (m) => {
      (m.config as Record<string, unknown>).dims = 3;
    }));
    await expect(loadModel(dir)).rejects.toThrow(/BiasedMF: unknown option "dims"/);
  });

  it('refuses an unfitted model, non-finite weights, bad id maps and bad extra files, writing nothing', async () => {
    const fresh = join(root, 'fresh');
    await expect(saveModel(new BiasedMF(), fresh)).rejects.toThrow(/saveModel: the model is not fitted/);
    await expect(saveModel(model, fresh, { idMaps: { users: { n: 1n }, items: items10 } as never })).rejects.toThrow(/idMaps must be plain JSON/);
    await expect(saveModel(model, fresh, { idMaps: { users: ['a'], items: items10 } as never })).rejects.toThrow(/idMaps.users must be an IdMap or its JSON form/);
    await expect(saveModel(model, fresh, { idMaps: { users: idMapJson('user', ['a']), items: items10 } })).rejects.toThrow(/idMaps.users must map the model's 12 users, got a map of 1 ids/);
    await expect(saveModel(model, fresh, { files: { '../x': new Uint8Array(1) } })).rejects.toThrow(/files names must be plain file names/);
    await expect(saveModel(model, fresh, { files: { 'model.json': new Uint8Array(1) } })).rejects.toThrow(/files names must be plain file names .* other than/);
    const bad = new BiasedMF({ factors: 3, epochs: 1 });
    bad.fit(plantedData());
    const state = bad.getState();
    state['item_embedding.weight'].data[7] = NaN;
    bad.setState(state);
    await expect(saveModel(bad, fresh)).rejects.toThrow(/^saveModel: every weight must be finite, got NaN in "item_embedding.weight" at \[7\]; the model diverged/);
    expect(existsSync(fresh)).toBe(false);
    expect((await readdir(root)).sort()).toEqual(['model']);
  });

  it('saves the id maps of the training data by default, identity maps when it had none', async () => {
    const data = plantedData();
    const withMaps = new BiasedMF({ factors: 2, epochs: 1 });
    // @quiver/data's Interactions carries IdMaps, which serialise themselves with toJSON().
    const asIdMap = (j: ReturnType<typeof idMapJson>) => ({ size: j.size, toJSON: () => j });
    withMaps.fit({ ...data, userIdMap: asIdMap(users12), itemIdMap: asIdMap(items10) } as never);
    await saveModel(withMaps, join(root, 'a'));
    expect(JSON.parse(await readFile(join(root, 'a', 'id_maps.json'), 'utf8'))).toEqual({ users: users12, items: items10 });
    const plain = new BiasedMF({ factors: 2, epochs: 1 });
    plain.fit(data);
    await saveModel(plain, join(root, 'b'));
    const { idMaps, model: back } = await loadModel(join(root, 'b'));
    expect(JSON.parse(JSON.stringify(idMaps))).toEqual({
      users: { format: 'quiver.id-map', version: 1, name: 'user', type: 'identity', size: 12, ids: [] },
      items: { format: 'quiver.id-map', version: 1, name: 'item', type: 'identity', size: 10, ids: [] },
    });
    // A loaded model keeps its maps, so saving it again keeps them too.
    await saveModel(back, join(root, 'c'));
    expect(await readFile(join(root, 'c', 'id_maps.json'), 'utf8')).toBe(await readFile(join(root, 'b', 'id_maps.json'), 'utf8'));
  });
});

describe('ModelDirLock', () => {
  let root = '';
  const model = new BiasedMF({ factors: 2, epochs: 1 });
  model.fit(plantedData());
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'quiver-mf-lock-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a second writer in this process is refused, the holder saves with its lock', async () => {
    const dir = join(root, 'm');
    const lock = ModelDirLock.acquire(dir, 'quiver train');
    expect(existsSync(lockPath(dir))).toBe(true);
    await expect(saveModel(model, dir)).rejects.toThrow(/must not be written by two writers at once, got a lock held by this process \(quiver train, since .*\); wait for it to finish/);
    expect(() => ModelDirLock.acquire(dir)).toThrow(/lock held by this process/);
    await saveModel(model, dir, { lock });
    expect(lock.isHeld).toBe(true);
    lock.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    await saveModel(model, dir); // takes and releases the lock itself
    expect(existsSync(lockPath(dir))).toBe(false);
    await expect(saveModel(model, join(root, 'other'), { lock: ModelDirLock.acquire(dir) })).rejects.toThrow(/lock must be the lock of .*other, got the lock of .*m$/);
  });

  it('a lock held by another live process is refused, naming its pid; a dead writer\'s lock is taken over', async () => {
    const dir = join(root, 'm');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeSync(lockPath(dir), JSON.stringify({ pid: child.pid, host: hostname(), startedAt: '2026-12-03T10:00:00Z', purpose: 'quiver train' }));
      await expect(saveModel(model, dir)).rejects.toThrow(new RegExp(`got a lock held by process ${child.pid} on .* \\(quiver train, since 2026-12-03T10:00:00Z\\)`));
      expect(existsSync(dir)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
    // A process that has exited: its pid is free (stale lock).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeSync(lockPath(dir), JSON.stringify({ pid: Number(gone.stdout), host: hostname(), startedAt: 'x', purpose: 'quiver train' }));
    await saveModel(model, dir);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
    // A corrupt lock file is stale too.
    writeSync(lockPath(dir), 'garbage');
    await saveModel(model, dir);
    expect(existsSync(lockPath(dir))).toBe(false);
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
