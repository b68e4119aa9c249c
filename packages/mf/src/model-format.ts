import { decodeNpyInt32, decodeSafetensors } from '@quiver/core';
import { describeValue, MODEL_KINDS, type ModelKind, quiverError } from '@quiver/base';
import { createModel } from './create-model.js';
import type { FoldInRecommender } from './fold-in-recommender.js';
import type { ModelIdMaps } from './model-id-maps.js';
import { RecommenderBase } from './recommender-base.js';
import { parseJsonSafely } from './safe-json.js';
import { upgradeModelConfig } from './upgrade-config.js';

// The model folder format, with no file system and no hash library: what `saveModel` writes and
// every loader checks, shared by `loadModel` (files, node:crypto) and `loadModelFromUrl` (fetch,
// Web Crypto). A loader supplies the bytes of a file by name and a SHA-256.

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

/** The model's own file names; any other listed file is an extra file of `saveModel`'s `files`. */
export const RESERVED_FILES: ReadonlySet<string> = new Set<string>(Object.values(MODEL_FILES));

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

/** What {@link loadModel} (and `loadModelFromUrl`) returns. */
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

/** Lower-case hex SHA-256 of some bytes, computed now (node:crypto) or later (Web Crypto). */
export type Sha256Hex = (bytes: Uint8Array) => string | Promise<string>;

/** Reads the bytes of one file of the folder by name; its errors name the file (path or URL). */
export type ModelFileReader = (name: string) => Promise<Uint8Array>;

/**
 * The text of a manifest: 2-space JSON and a newline; the checksum covers it without `checksum`.
 * @example
 * manifestText({ format: 'quiver-mf', ... }); // '{\n  "format": "quiver-mf",\n ...}\n'
 */
export function manifestText(m: Omit<ModelManifest, 'checksum'>): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/**
 * Checks `{ users, items }` id maps against the model's sizes.
 * @returns Their JSON text.
 * @throws {TypeError} for maps that are not IdMaps or their JSON form.
 * @throws {RangeError} for a map whose size differs from the model's.
 * @example
 * idMapsJson('saveModel', identityIdMaps(3, 5), 3, 5); // '{"users":{...},"items":{...}}'
 */
export function idMapsJson(where: string, maps: ModelIdMaps, numUsers: number, numItems: number): string {
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

/**
 * Parses and checks the text of `model.json`: JSON without prototypes, the format, the version,
 * its own checksum (format ≥ 2), the kind, the sizes, the config and every file entry.
 * @returns The manifest (a shallow copy).
 * @throws {Error} naming `model.json` and what is wrong with it.
 * @example
 * const manifest = await parseManifest('loadModel', text, sha256);
 */
export async function parseManifest(where: string, text: string, sha256: Sha256Hex): Promise<ModelManifest> {
  const value = parseJsonSafely(`${where}: ${MODEL_FILES.manifest}`, text);
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
    const sum = await sha256(new TextEncoder().encode(manifestText(rest as Omit<ModelManifest, 'checksum'>)));
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

/**
 * Builds the model of a checked manifest: reads each listed file through `readFile` and checks
 * its size and SHA-256 against the manifest; checks that the weights record the manifest's kind;
 * decodes the weights (safetensors), the seen-items CSR (int32 `.npy`) and the id maps; builds
 * the model with `createModel` and restores its state, seen items and id maps. The extra files
 * come back verified.
 * @param readFile - The bytes of a file of the folder by name.
 * @returns The fitted model, its id maps, the manifest and the extra files.
 * @throws {Error} for a file missing from the manifest, a size or checksum mismatch (naming the
 *   file), or weights of another kind.
 * @throws {RangeError} for tensors whose names or shapes do not fit the model.
 * @example
 * const loaded = await assembleModel('loadModel', manifest, (name) => readFile(join(dir, name)), sha256);
 */
export async function assembleModel(where: string, manifest: ModelManifest, readFile: ModelFileReader, sha256: Sha256Hex): Promise<LoadedModel> {
  const read = async (name: string): Promise<Uint8Array> => {
    const entry = manifest.files[name];
    if (entry === undefined) throw quiverError('Error', { where, what: `${MODEL_FILES.manifest} must list file "${name}", missing` });
    const bytes = await readFile(name);
    if (bytes.length !== entry.bytes) {
      throw quiverError('Error', { where, what: `${name} must have ${entry.bytes} bytes as ${MODEL_FILES.manifest} records`, got: `${bytes.length} (truncated or replaced file)` });
    }
    const sum = await sha256(bytes);
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
    if (!RESERVED_FILES.has(name)) files[name] = await read(name);
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
