import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpyInt32, decodeSafetensors, describeValue, encodeNpy, encodeSafetensors, writeFileAtomic } from '@quiver/core';
import { MODEL_KINDS, createModel } from './create-model.js';
import type { ModelKind, Recommender } from './recommender.js';
import { parseJsonSafely } from './safe-json.js';

/** Version of the `model.json` layout written by {@link saveModel}. */
export const MODEL_FORMAT_VERSION = 1;

/** File names inside a model directory. */
export const MODEL_FILES = {
  /** The manifest ({@link ModelManifest}): kind, sizes, config, file checksums, id maps. */
  manifest: 'model.json',
  /** The weights (`getState()`), a safetensors file. */
  weights: 'weights.safetensors',
  /** The seen-items CSR row offsets, an int32 `.npy` of length `numUsers + 1`. */
  seenIndptr: 'seen_indptr.npy',
  /** The seen-items CSR item indices, an int32 `.npy` (one entry per seen interaction). */
  seenIndices: 'seen_indices.npy',
} as const;

/** A data file listed in `model.json`, with its size and SHA-256. */
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
  /** The model kind (`model.kind`), which `loadModel` uses to build the model. */
  readonly kind: ModelKind;
  /** Number of users (dense user indices are 0..numUsers-1). */
  readonly numUsers: number;
  /** Number of items (dense item indices are 0..numItems-1). */
  readonly numItems: number;
  /** The model's hyper-parameters (`getConfig()`). */
  readonly config: Record<string, unknown>;
  /** The data files, by name. */
  readonly files: Record<string, ModelFileEntry>;
  /** Whatever the caller passed as `idMaps` (plain JSON), or null. */
  readonly idMaps: unknown;
}

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * Plain JSON stored in `model.json` as `idMaps`, typically the raw ids of each dense index
   * (`{ users: [...], items: [...] }`); `@quiver/mf` does not interpret it.
   * @defaultValue null
   */
  idMaps?: unknown;
}

/** What {@link loadModel} returns. */
export interface LoadedModel {
  /** The model, fitted, with its seen-items matrix restored. */
  readonly model: Recommender;
  /** The `idMaps` passed to `saveModel` (prototype-free JSON), or null. */
  readonly idMaps: unknown;
  /** The parsed `model.json`. */
  readonly manifest: ModelManifest;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Saves a fitted model into directory `dir` (created if needed): `weights.safetensors` (the
 * tensors of `getState()`, float32, loadable by `safetensors.torch.load_file` or numpy, named
 * `user_embedding.weight`, `item_embedding.weight`, `user_bias`, `item_bias`, `global_mean`, …),
 * `seen_indptr.npy` / `seen_indices.npy` (int32 CSR of the training items, for `filterSeen`)
 * and `model.json` (format version, kind, sizes, hyper-parameters, optional id maps and the
 * size and SHA-256 of each data file). Every file is written atomically (temporary file, then
 * rename), `model.json` last, so a reader never sees a manifest whose files are missing.
 *
 * @param model - A fitted model.
 * @param dir - Destination directory; existing model files are replaced.
 * @returns Resolves once every file is in place.
 * @throws {Error} when the model is not fitted.
 * @throws {TypeError} when `idMaps` cannot be written as JSON.
 * @example
 * await saveModel(model, 'out/model', { idMaps: { users: userKeys, items: itemKeys } });
 */
export async function saveModel(model: Recommender, dir: string, options: SaveModelOptions = {}): Promise<void> {
  const where = 'saveModel';
  if (!model.isFitted) throw new Error(`${where}: the model is not fitted; call fit(data) first`);
  let idMapsJson: string;
  try {
    idMapsJson = JSON.stringify(options.idMaps ?? null);
  } catch (err) {
    throw new TypeError(`${where}: idMaps must be plain JSON, got ${describeValue(options.idMaps)} (${(err as Error).message})`);
  }
  if (idMapsJson === undefined) throw new TypeError(`${where}: idMaps must be plain JSON, got ${describeValue(options.idMaps)}`);
  const weights = encodeSafetensors(model.getState(), { format: 'pt', producer: '@quiver/mf', kind: model.kind });
  const seen = model.seenItems()!;
  const indptr = encodeNpy({ data: seen.indptr, shape: [seen.indptr.length] });
  const indices = encodeNpy({ data: seen.indices, shape: [seen.indices.length] });
  const files: Record<string, ModelFileEntry> = {
    [MODEL_FILES.weights]: { bytes: weights.length, sha256: sha256(weights) },
    [MODEL_FILES.seenIndptr]: { bytes: indptr.length, sha256: sha256(indptr) },
    [MODEL_FILES.seenIndices]: { bytes: indices.length, sha256: sha256(indices) },
  };
  const manifest = {
    format: 'quiver-mf',
    formatVersion: MODEL_FORMAT_VERSION,
    kind: model.kind,
    numUsers: model.numUsers,
    numItems: model.numItems,
    config: model.getConfig(),
    files,
  };
  const json = `${JSON.stringify(manifest, null, 2).slice(0, -2)},\n  "idMaps": ${idMapsJson}\n}\n`;
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, MODEL_FILES.weights), weights);
  await writeFileAtomic(join(dir, MODEL_FILES.seenIndptr), indptr);
  await writeFileAtomic(join(dir, MODEL_FILES.seenIndices), indices);
  await writeFileAtomic(join(dir, MODEL_FILES.manifest), new TextEncoder().encode(json));
}

/**
 * Loads a model saved by {@link saveModel}. Checks, before building anything: the manifest's
 * format, version, kind and sizes; each data file's size and SHA-256 against the manifest (so
 * a truncated or edited file is rejected); then the tensor names and shapes against the
 * model. JSON is parsed without prototypes (`__proto__` keys are rejected).
 *
 * @param dir - A directory written by `saveModel`.
 * @returns The model (fitted), the id maps and the manifest.
 * @throws {Error} for a missing file, malformed JSON, a wrong format or version, or a size or
 *   checksum mismatch (the message names the file and says what differs).
 * @throws {RangeError} for tensors whose names or shapes do not fit the model.
 * @example
 * const { model, idMaps } = await loadModel('out/model');
 * model.recommend(0, 10);
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const where = 'loadModel';
  if (typeof dir !== 'string') throw new TypeError(`${where}: dir must be a string, got ${describeValue(dir)}`);
  const manifestPath = join(dir, MODEL_FILES.manifest);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new Error(`${where}: cannot read ${manifestPath}: ${(err as Error).message}`);
  }
  const manifest = checkManifest(where, parseJsonSafely(`${where}: ${MODEL_FILES.manifest}`, text));
  const read = async (name: string): Promise<Uint8Array> => {
    const entry = manifest.files[name];
    if (entry === undefined) throw new Error(`${where}: ${MODEL_FILES.manifest} must list file "${name}", missing`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(dir, name));
    } catch (err) {
      throw new Error(`${where}: cannot read ${join(dir, name)}: ${(err as Error).message}`);
    }
    if (bytes.length !== entry.bytes) {
      throw new Error(`${where}: ${name} must have ${entry.bytes} bytes as ${MODEL_FILES.manifest} records, got ${bytes.length} (truncated or replaced file)`);
    }
    const sum = sha256(bytes);
    if (sum !== entry.sha256) {
      throw new Error(`${where}: ${name} checksum mismatch (the file was modified): expected sha256 ${entry.sha256}, got ${sum}`);
    }
    return bytes;
  };
  const weights = decodeSafetensors(await read(MODEL_FILES.weights), { copy: true });
  const indptr = decodeNpyInt32(await read(MODEL_FILES.seenIndptr)).data;
  const indices = decodeNpyInt32(await read(MODEL_FILES.seenIndices)).data;
  const model = createModel(manifest.kind, manifest.config);
  model.setState(weights.tensors);
  if (model.numUsers !== manifest.numUsers || model.numItems !== manifest.numItems) {
    throw new RangeError(
      `${where}: weights must be for ${manifest.numUsers} users × ${manifest.numItems} items as ${MODEL_FILES.manifest} records, got ${model.numUsers} × ${model.numItems}`,
    );
  }
  model.setSeen(indptr, indices);
  return { model, idMaps: manifest.idMaps, manifest };
}

function checkManifest(where: string, value: unknown): ModelManifest {
  const bad = (what: string): never => {
    throw new Error(`${where}: ${MODEL_FILES.manifest} ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`must hold a JSON object, got ${describeValue(value)}`);
  const m = value as Record<string, unknown>;
  if (m.format !== 'quiver-mf') bad(`format must be "quiver-mf", got ${describeValue(m.format)}`);
  if (m.formatVersion !== MODEL_FORMAT_VERSION) {
    bad(`formatVersion must be ${MODEL_FORMAT_VERSION} (this version of @quiver/mf reads ${MODEL_FORMAT_VERSION}), got ${describeValue(m.formatVersion)}`);
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
  }
  return { ...(m as unknown as ModelManifest), idMaps: m.idMaps ?? null };
}
