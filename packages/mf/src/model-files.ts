import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeNpy, encodeSafetensors, type Tensor } from '@quiver/core';
import { describeValue, quiverError } from '@quiver/base';
import { ModelDirLock } from './model-dir-lock.js';
import { identityIdMaps, type ModelIdMaps } from './model-id-maps.js';
import type { FoldInRecommender } from './fold-in-recommender.js';
import { RecommenderBase } from './recommender-base.js';
import {
  assembleModel, idMapsJson, manifestText, MODEL_FILES, MODEL_FORMAT_VERSION, parseManifest, RESERVED_FILES,
  type LoadedModel, type ModelFileEntry, type ModelManifest,
} from './model-format.js';
import { checkFolderTarget, interruptedSaves, writeFolderAtomic } from './write-folder-atomic.js';

// The format itself (names, manifest, parsing) lives in model-format.ts, shared with the
// browser's loadModelFromUrl; this file adds the file system: saving, locking, reading.
export { MODEL_FORMAT_VERSION, MODEL_FILES, type LoadedModel, type ModelFileEntry, type ModelManifest };

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * The raw id of each dense index, `{ users, items }` in `@quiver/data`'s IdMap JSON form (an
   * `IdMap` itself works: it serialises to that form). Each map's `size` must equal the model's
   * number of users / items.
   * @defaultValue the id maps of the training data when it had them (`Interactions` does), else
   *   identity maps (raw id = dense index)
   */
  idMaps?: ModelIdMaps;
  /**
   * Further files to store in the folder (such as a run log or item titles), by plain file name.
   * They are checksummed in the manifest like the model's own files and come back from
   * {@link loadModel} in `files`.
   * @defaultValue none
   */
  files?: Readonly<Record<string, Uint8Array>>;
  /**
   * The folder's lock when the caller already holds it (taken with `ModelDirLock.acquire(dir)`
   * before a long training run, say); otherwise `saveModel` takes and releases it itself.
   * @defaultValue undefined
   */
  lock?: ModelDirLock;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Throws naming the first tensor with a NaN or ±Infinity. */
function checkFiniteWeights(where: string, state: Record<string, Tensor>): void {
  for (const name of Object.keys(state)) {
    const d = state[name].data;
    for (let i = 0; i < d.length; i++) {
      // rating_range may legitimately be ±Infinity before a rating was seen (implicit models).
      if (!Number.isFinite(d[i]) && !(name === 'rating_range' && Math.abs(d[i]) === Infinity)) {
        throw quiverError('RangeError', { where, what: 'every weight must be finite', got: `${d[i]} in "${name}" at [${i}]`, tail: '; the model diverged (train with a lower learning rate) and is not saved' });
      }
    }
  }
}

/** A model folder: `model.json` plus files. */
function isModelFolder(names: readonly string[]): boolean {
  return names.includes(MODEL_FILES.manifest);
}

/**
 * Checks, before a long training run, that {@link saveModel} will be allowed to write `dir`: it
 * is a new path, an empty folder or a model folder (never a file or a folder of other things).
 * Writes nothing.
 * @param dir - The folder a model will be saved to.
 * @param where - Prefix of error messages. @defaultValue 'saveModel'
 * @throws {Error} as `saveModel` would for `dir`.
 * @example
 * checkSaveTarget('runs/als', 'quiver train'); // throws now rather than after training
 */
export function checkSaveTarget(dir: string, where = 'saveModel'): void {
  if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where, what: 'dir must be a non-empty string', got: describeValue(dir) });
  checkFolderTarget(where, dir, isModelFolder);
}

/**
 * Saves a fitted model into folder `dir`, replacing whatever model was there as a whole:
 * `weights.safetensors` (the tensors of `getState()`, float32, loadable by
 * `safetensors.torch.load_file` or numpy, named `user_embedding.weight`, `item_embedding.weight`,
 * `user_bias`, `item_bias`, `global_mean`, …; its metadata records the model kind),
 * `seen_indptr.npy` / `seen_indices.npy` (int32 CSR of the training items, for `filterSeen`),
 * `id_maps.json` (the raw id of every user and item), any further `files`, and `model.json` (format
 * version, kind, sizes, hyper-parameters and the size and SHA-256 of every other file, plus its
 * own checksum).
 *
 * The folder is written as a sibling temporary folder, fsynced and swapped in by rename, so no
 * file of an older model survives and a reader sees either the old model or the new one. The
 * folder's lock (see `ModelDirLock`) is held while writing, so two processes never save into one
 * folder at once. A folder that exists and holds other things than a model is never replaced.
 *
 * @param model - A fitted model with finite weights.
 * @param dir - Destination folder (created with its parents when missing).
 * @returns Resolves once the new folder is in place.
 * @throws {Error} when the model is not fitted, `dir` is not a model folder, or another process
 *   holds the folder's lock.
 * @throws {RangeError} when a weight is NaN or ±Infinity (a diverged model), or the id maps'
 *   sizes differ from the model's.
 * @throws {TypeError} for id maps that are not IdMaps / JSON, or a bad file name in `files`.
 * @example
 * await saveModel(model, 'out/model');                       // id maps of the training data
 * await saveModel(model, 'out/model', { files: { 'notes.txt': new TextEncoder().encode('run 7') } });
 */
export async function saveModel(model: FoldInRecommender, dir: string, options: SaveModelOptions = {}): Promise<void> {
  const where = 'saveModel';
  if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where, what: 'dir must be a non-empty string', got: describeValue(dir) });
  if (typeof options !== 'object' || options === null) throw quiverError('TypeError', { where, what: 'options must be an object', got: describeValue(options) });
  for (const key of Object.keys(options)) {
    if (!['idMaps', 'files', 'lock'].includes(key)) throw quiverError('TypeError', { where, what: `unknown option "${key}"; expected idMaps, files or lock` });
  }
  if (!model.isFitted) throw quiverError('Error', { where, what: 'the model is not fitted; call fit(data) first' });
  const state = model.getState();
  checkFiniteWeights(where, state);
  const remembered = model instanceof RecommenderBase ? model.idMaps : null;
  const maps = options.idMaps ?? remembered ?? identityIdMaps(model.numUsers, model.numItems);
  const enc = new TextEncoder();
  const idMapsBytes = enc.encode(`${idMapsJson(where, maps, model.numUsers, model.numItems)}\n`);
  const extra = options.files ?? {};
  if (typeof extra !== 'object' || extra === null) throw quiverError('TypeError', { where, what: 'files must be a record of file name → Uint8Array', got: describeValue(extra) });
  for (const name of Object.keys(extra)) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(name) || RESERVED_FILES.has(name)) {
      throw quiverError('TypeError', { where, what: `files names must be plain file names (letters, digits, _ . -) other than ${[...RESERVED_FILES].join(', ')}`, got: JSON.stringify(name) });
    }
    if (!(extra[name] instanceof Uint8Array)) throw quiverError('TypeError', { where, what: `files["${name}"] must be a Uint8Array`, got: describeValue(extra[name]) });
  }
  const lock = options.lock;
  if (lock !== undefined) {
    if (!(lock instanceof ModelDirLock) || !lock.isHeld) throw quiverError('TypeError', { where, what: 'lock must be a held ModelDirLock', got: describeValue(lock) });
    if (lock.dir !== ModelDirLock.folderOf(dir)) throw quiverError('RangeError', { where, what: `lock must be the lock of ${dir}`, got: `the lock of ${lock.dir}` });
  }

  const weights = encodeSafetensors(state, { format: 'pt', producer: '@quiver/mf', kind: model.kind });
  const seen = model.seenItems()!;
  const bytes: Record<string, Uint8Array> = {
    [MODEL_FILES.weights]: weights,
    [MODEL_FILES.seenIndptr]: encodeNpy({ data: seen.indptr, shape: [seen.indptr.length] }),
    [MODEL_FILES.seenIndices]: encodeNpy({ data: seen.indices, shape: [seen.indices.length] }),
    [MODEL_FILES.idMaps]: idMapsBytes,
    ...extra,
  };
  const files: Record<string, ModelFileEntry> = {};
  for (const name of Object.keys(bytes)) files[name] = { bytes: bytes[name].length, sha256: sha256(bytes[name]) };
  const manifest: Omit<ModelManifest, 'checksum'> = {
    format: 'quiver-mf',
    formatVersion: MODEL_FORMAT_VERSION,
    kind: model.kind,
    numUsers: model.numUsers,
    numItems: model.numItems,
    config: model.getConfig(),
    files,
  };
  const full: ModelManifest = { ...manifest, checksum: sha256(enc.encode(manifestText(manifest))) };
  bytes[MODEL_FILES.manifest] = enc.encode(manifestText(full));

  const held = lock ?? ModelDirLock.acquire(dir, where);
  try {
    await writeFolderAtomic(where, dir, bytes, isModelFolder);
  } finally {
    if (lock === undefined) held.release();
  }
}

/**
 * Loads a model saved by {@link saveModel}. Checks, before building anything: the manifest's
 * format, version, own checksum, kind and sizes; each listed file's size and SHA-256 (so a
 * truncated or edited file, id maps included, is rejected); that the weights file records the
 * same kind as the manifest; then the tensor names and shapes against the model. JSON is parsed
 * without prototypes (`__proto__` keys are rejected). Version-1 folders (no manifest checksum,
 * id maps inside `model.json`) still load.
 *
 * @param dir - A folder written by `saveModel`.
 * @returns The model (fitted), the id maps, the manifest and the further files.
 * @throws {Error} for a missing folder or file (naming an interrupted save when one is found),
 *   malformed JSON, a wrong format or version, a checksum or size mismatch, or a kind that
 *   differs between `model.json` and the weights (the message names the file and what differs).
 * @throws {RangeError} for tensors whose names or shapes do not fit the model.
 * @example
 * const { model, idMaps } = await loadModel('out/model');
 * model.recommend(0, 10);
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const where = 'loadModel';
  if (typeof dir !== 'string') throw quiverError('TypeError', { where, what: 'dir must be a string', got: describeValue(dir) });
  const manifestPath = join(dir, MODEL_FILES.manifest);
  if (!existsSync(dir)) {
    const left = interruptedSaves(dir);
    const note = left.length === 0 ? '' : `; a save into it was interrupted: ${left.join(', ')} remain (a folder holding ${MODEL_FILES.manifest} is a complete model: rename it to ${dir})`;
    throw quiverError('Error', { where, what: `cannot read ${manifestPath}: the folder ${dir} does not exist${note}` });
  }
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot read ${manifestPath}: ${(err as Error).message}` });
  }
  const manifest = await parseManifest(where, text, sha256);
  return assembleModel(where, manifest, async (name) => {
    try {
      return await readFile(join(dir, name));
    } catch (err) {
      throw quiverError('Error', { where, what: `cannot read ${join(dir, name)}: ${(err as Error).message}` });
    }
  }, sha256);
}
