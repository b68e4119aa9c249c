import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpyInt32, decodeSafetensors, encodeNpy, encodeSafetensors, type Tensor } from '@quiver/core';
import { describeValue, MODEL_KINDS, type ModelKind, quiverError } from '@quiver/base';
import { createModel } from './create-model.js';
import { upgradeModelConfig } from './upgrade-config.js';
import { ModelDirLock } from './model-dir-lock.js';
import { identityIdMaps, type ModelIdMaps } from './model-id-maps.js';
import type { FoldInRecommender } from './fold-in-recommender.js';
import { RecommenderBase } from './recommender-base.js';
import { parseJsonSafely } from './safe-json.js';
import { checkFolderTarget, interruptedSaves, writeFolderAtomic } from './write-folder-atomic.js';

/**
 * Version of the model folder layout written by {@link saveModel}; 1 and 2 are still read.
 * 2 added `id_maps.json` and the manifest checksum; 3 moved solver options inside `config.solver`.
 */
export const MODEL_FORMAT_VERSION = 3;

/** File names inside a model folder. */
export const MODEL_FILES = {
  /** The manifest ({@link ModelManifest}): kind, sizes, config, the checksum of every other file, and its own checksum. */
  manifest: 'model.json',
  /** The weights (`getState()`), a safetensors file whose metadata records the model kind. */
  weights: 'weights.safetensors',
  /** The seen-items CSR row offsets, an int32 `.npy` of length `numUsers + 1`. */
  seenIndptr: 'seen_indptr.npy',
  /** The seen-items CSR item indices, an int32 `.npy` (one entry per seen interaction). */
  seenIndices: 'seen_indices.npy',
  /** The id maps (`{ users, items }` in `@quiver/data`'s IdMap JSON form), raw id of each dense index. */
  idMaps: 'id_maps.json',
} as const;

const RESERVED = new Set<string>(Object.values(MODEL_FILES));

/** A file listed in `model.json`, with its size and SHA-256. */
export interface ModelFileEntry {
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** The contents of `model.json`. */
export interface ModelManifest {
  /** Always `'quiver-mf'`. */
  readonly format: 'quiver-mf';
  /** {@link MODEL_FORMAT_VERSION} when written. */
  readonly formatVersion: number;
  /** The model kind (`model.kind`), which `loadModel` uses to build the model; the weights file records it too. */
  readonly kind: ModelKind;
  /** Number of users (dense user indices are 0..numUsers-1). */
  readonly numUsers: number;
  /** Number of items (dense item indices are 0..numItems-1). */
  readonly numItems: number;
  /** The model's hyper-parameters (`getConfig()`). */
  readonly config: Record<string, unknown>;
  /** Every other file of the folder, by name. */
  readonly files: Record<string, ModelFileEntry>;
  /** Version 1 only: the id maps, stored inside the manifest (unchecked). */
  readonly idMaps?: unknown;
  /**
   * Version 2: the SHA-256 of this manifest written without this field (`JSON.stringify(m, null, 2)`),
   * so an edited manifest (config, sizes, the checksums themselves) is detected too.
   */
  readonly checksum?: string;
}

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

/** What {@link loadModel} returns. */
export interface LoadedModel {
  /** The model, fitted, with its seen-items matrix and id maps restored. */
  readonly model: FoldInRecommender;
  /** The id maps (prototype-free JSON); null only for a version-1 folder saved without them. */
  readonly idMaps: ModelIdMaps | null;
  /** The parsed `model.json`. */
  readonly manifest: ModelManifest;
  /** The further files passed to `saveModel` in `files`, verified against their checksums. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The text of a manifest: 2-space JSON and a newline; the checksum covers it without `checksum`. */
function manifestText(m: Omit<ModelManifest, 'checksum'>): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

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

/** Checks `{ users, items }` id maps against the model's sizes; returns their JSON text. */
function idMapsJson(where: string, maps: ModelIdMaps, numUsers: number, numItems: number): string {
  if (typeof maps !== 'object' || maps === null) throw quiverError('TypeError', { where, what: 'idMaps must be { users, items }', got: describeValue(maps) });
  let text: string | undefined;
  try {
    text = JSON.stringify({ users: maps.users, items: maps.items });
  } catch (err) {
    throw quiverError('TypeError', { where, what: 'idMaps must be plain JSON', got: `${describeValue(maps)} (${(err as Error).message})` });
  }
  const parsed = JSON.parse(text) as Record<'users' | 'items', { format?: unknown; size?: unknown } | null | undefined>;
  for (const [key, size] of [['users', numUsers], ['items', numItems]] as const) {
    const m = parsed[key];
    if (typeof m !== 'object' || m === null || m.format !== 'quiver.id-map') {
      throw quiverError('TypeError', { where, what: `idMaps.${key} must be an IdMap or its JSON form (format "quiver.id-map")`, got: describeValue(maps[key]) });
    }
    if (m.size !== size) throw quiverError('RangeError', { where, what: `idMaps.${key} must map the model's ${size} ${key}`, got: `a map of ${describeValue(m.size)} ids` });
  }
  return text;
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
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(name) || RESERVED.has(name)) {
      throw quiverError('TypeError', { where, what: `files names must be plain file names (letters, digits, _ . -) other than ${[...RESERVED].join(', ')}`, got: JSON.stringify(name) });
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
  const full: ModelManifest = { ...manifest, checksum: sha256(manifestText(manifest)) };
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
  const manifest = checkManifest(where, parseJsonSafely(`${where}: ${MODEL_FILES.manifest}`, text));
  const read = async (name: string): Promise<Uint8Array> => {
    const entry = manifest.files[name];
    if (entry === undefined) throw quiverError('Error', { where, what: `${MODEL_FILES.manifest} must list file "${name}", missing` });
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(dir, name));
    } catch (err) {
      throw quiverError('Error', { where, what: `cannot read ${join(dir, name)}: ${(err as Error).message}` });
    }
    if (bytes.length !== entry.bytes) {
      throw quiverError('Error', { where, what: `${name} must have ${entry.bytes} bytes as ${MODEL_FILES.manifest} records`, got: `${bytes.length} (truncated or replaced file)` });
    }
    const sum = sha256(bytes);
    if (sum !== entry.sha256) {
      throw quiverError('Error', { where, what: `${name} checksum mismatch (the file was modified): expected sha256 ${entry.sha256}`, got: String(sum) });
    }
    return bytes;
  };
  const weights = decodeSafetensors(await read(MODEL_FILES.weights), { copy: true });
  const recordedKind = weights.metadata.kind;
  if (recordedKind !== manifest.kind && (recordedKind !== undefined || manifest.formatVersion >= 2)) {
    throw quiverError('Error', { where, what: `${MODEL_FILES.weights} must hold a '${manifest.kind}' model as ${MODEL_FILES.manifest} says`, got: `weights of kind ${describeValue(recordedKind)}` });
  }
  const indptr = decodeNpyInt32(await read(MODEL_FILES.seenIndptr)).data;
  const indices = decodeNpyInt32(await read(MODEL_FILES.seenIndices)).data;
  let idMaps: ModelIdMaps | null;
  if (manifest.formatVersion >= 2) {
    const value = parseJsonSafely(`${where}: ${MODEL_FILES.idMaps}`, new TextDecoder().decode(await read(MODEL_FILES.idMaps)));
    idMapsJson(`${where}: ${MODEL_FILES.idMaps}`, value as ModelIdMaps, manifest.numUsers, manifest.numItems);
    idMaps = value as ModelIdMaps;
  } else {
    const legacy = manifest.idMaps as ModelIdMaps | null | undefined;
    idMaps = legacy !== null && legacy !== undefined && typeof legacy === 'object' && legacy.users !== undefined && legacy.items !== undefined ? legacy : null;
  }
  const files: Record<string, Uint8Array> = Object.create(null);
  for (const name of Object.keys(manifest.files)) {
    if (!RESERVED.has(name)) files[name] = await read(name);
  }
  // Formats 1 and 2 kept solver options at the top level of the config.
  const model = createModel(manifest.kind, manifest.formatVersion < 3 ? upgradeModelConfig(manifest.kind, manifest.config) : manifest.config);
  model.setState(weights.tensors);
  if (model.numUsers !== manifest.numUsers || model.numItems !== manifest.numItems) {
    throw quiverError('RangeError', { where, what: `weights must be for ${manifest.numUsers} users × ${manifest.numItems} items as ${MODEL_FILES.manifest} records`, got: `${model.numUsers} × ${model.numItems}` });
  }
  model.setSeen(indptr, indices);
  if (idMaps !== null && model instanceof RecommenderBase) model.setIdMaps(idMaps);
  return { model, idMaps, manifest, files };
}

function checkManifest(where: string, value: unknown): ModelManifest {
  const bad = (what: string): never => {
    throw quiverError('Error', { where, what: `${MODEL_FILES.manifest} ${what}` });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`must hold a JSON object, got ${describeValue(value)}`);
  const m = value as Record<string, unknown>;
  if (m.format !== 'quiver-mf') bad(`format must be "quiver-mf", got ${describeValue(m.format)}`);
  if (m.formatVersion !== 1 && m.formatVersion !== 2 && m.formatVersion !== MODEL_FORMAT_VERSION) {
    bad(`formatVersion must be 1, 2 or ${MODEL_FORMAT_VERSION} (this version of @quiver/mf reads them all), got ${describeValue(m.formatVersion)}`);
  }
  if (m.formatVersion !== 1) {
    const { checksum, ...rest } = m;
    if (typeof checksum !== 'string') bad(`checksum must be the SHA-256 of the manifest, got ${describeValue(checksum)}`);
    const sum = sha256(manifestText(rest as Omit<ModelManifest, 'checksum'>));
    if (sum !== checksum) bad(`checksum mismatch (the manifest was modified): expected sha256 ${String(checksum)}, got ${sum}`);
  }
  if (!(MODEL_KINDS as readonly unknown[]).includes(m.kind)) bad(`kind must be one of ${MODEL_KINDS.join(', ')}, got ${describeValue(m.kind)}`);
  for (const key of ['numUsers', 'numItems']) {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(`${key} must be a positive integer, got ${describeValue(v)}`);
  }
  if (typeof m.config !== 'object' || m.config === null || Array.isArray(m.config)) bad(`config must be an object, got ${describeValue(m.config)}`);
  if (typeof m.files !== 'object' || m.files === null || Array.isArray(m.files)) bad(`files must be an object, got ${describeValue(m.files)}`);
  const files = m.files as Record<string, unknown>;
  for (const name of Object.keys(files)) {
    const e = files[name] as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.bytes !== 'number' || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      bad(`files["${name}"] must be { bytes: number, sha256: 64 hex digits }, got ${JSON.stringify(e)}`);
    }
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(name)) bad(`files must name plain files in the folder, got ${JSON.stringify(name)}`);
  }
  return { ...(m as unknown as ModelManifest) };
}
