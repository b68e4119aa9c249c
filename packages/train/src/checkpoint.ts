import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, decodeSafetensors, encodeSafetensors } from '@quiver/core';
import { describeValue, quiverError } from '@quiver/base';
import { parseJsonSafely, upgradeModelConfig, type OptimizerBuffers, type TrainingState } from '@quiver/mf';
import type { EpochRecord, HistoryJSON } from './history.js';
import type { InteractionData, ModelWeights } from './model-types.js';

/** Version of the checkpoint layout written by {@link writeCheckpoint} (2: solver options inside `config.solver`; 1 is still read). */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** Largest `checkpoint.json` accepted by {@link readCheckpoint}, in bytes (64 MB). */
export const CHECKPOINT_MAX_JSON_BYTES = 64 * 1024 * 1024;

const STATE_FILE = 'state.safetensors';
const META_FILE = 'checkpoint.json';
const NAME = /^epoch-(\d{6,})$/;

/** The trainer's own progress, saved so that early stopping continues exactly. */
export interface TrainerProgress {
  /** Best monitored value so far (±Infinity before the first epoch). */
  readonly best: number;
  /** Epoch of `best`, or null. */
  readonly bestEpoch: number | null;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

/** What a checkpoint holds (as {@link readCheckpoint} returns it, without `path`). */
export interface CheckpointContent {
  /** The model's `kind`, such as `'biased-mf'`. */
  readonly kind: string;
  /** The model's `getConfig()` (JSON values only). */
  readonly config: Record<string, unknown>;
  /** Seed of the run (initialisation, per-epoch sampling streams, validation split). */
  readonly seed: number;
  /** Completed epochs: training continues with epoch index `epoch`. */
  readonly epoch: number;
  /** Epochs the run was asked for. */
  readonly epochs: number;
  /** True when the run ended (all epochs, or stopped early) with this checkpoint. */
  readonly finished: boolean;
  /** Identity of the training data: see {@link dataFingerprint}. */
  readonly data: DataFingerprint;
  /** Weights and optimizer state after `epoch` epochs. */
  readonly state: TrainingState;
  /** The run's history so far. */
  readonly history: HistoryJSON;
  /** Early-stopping bookkeeping. */
  readonly progress: TrainerProgress;
  /** Weights of the best epoch when early stopping with restore-best is on, else null. */
  readonly bestWeights: ModelWeights | null;
}

/** A checkpoint read back from disk. */
export interface Checkpoint extends CheckpointContent {
  /** The checkpoint's directory. */
  readonly path: string;
}

/** Sizes and SHA-256 of the training data, so a run is only resumed on the data it started on. */
export interface DataFingerprint {
  /** Number of users of the data (`data.numUsers`). */
  readonly numUsers: number;
  /** Number of items of the data (`data.numItems`). */
  readonly numItems: number;
  /** Number of interactions (rows) of the data. */
  readonly numRows: number;
  /** SHA-256 (hex) of the user ids, item ids and ratings (little-endian bytes). */
  readonly sha256: string;
}

/**
 * Sizes plus the SHA-256 of the ids and ratings of `data` (about 1 s per 100 million rows).
 * @returns The fingerprint stored in checkpoints.
 * @example
 * dataFingerprint(train).sha256; // '3f1c…'
 */
export function dataFingerprint(data: InteractionData): DataFingerprint {
  const h = createHash('sha256');
  const view = (a: Int32Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(`${data.numUsers},${data.numItems},${data.userIds.length},${data.ratings === null ? 0 : 1};`);
  h.update(view(data.userIds));
  h.update(view(data.itemIds));
  if (data.ratings !== null) h.update(view(data.ratings));
  return { numUsers: data.numUsers, numItems: data.numItems, numRows: data.userIds.length, sha256: h.digest('hex') };
}

/** The directory name of the checkpoint after `epoch` completed epochs: `epoch-000012`. */
export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(6, '0')}`;
}

/**
 * Writes a checkpoint atomically into `dir/epoch-NNNNNN/`: both files are written into a fresh
 * temporary folder in `dir` and flushed to disk (`fsync`), the folder is flushed and renamed
 * into place, and `dir` is flushed. A crash at any moment leaves either the complete new
 * checkpoint or none (a `.tmp-…` folder that readers ignore and the next write removes).
 * Then all but the newest `keep` checkpoints are removed (renamed away first, so a crash while
 * deleting never leaves a half-deleted checkpoint under a checkpoint name).
 *
 * Files: `state.safetensors` (float32 tensors `weights/<name>`, `optimizer/<key>`,
 * `best/<name>`) and `checkpoint.json` (everything else, the size and SHA-256 of the
 * safetensors file, and the SHA-256 of its own text under `sha256`).
 * @param dir - The checkpoint folder (created when missing).
 * @param content - What to save (copied into the files; not kept).
 * @param keep - How many checkpoints to keep, newest first.
 * @returns The path of the new checkpoint.
 * @throws {RangeError} for `keep` < 1; the `fs` error when the disk refuses (the temporary folder is removed).
 * @example
 * writeCheckpoint('runs/ckpt', { kind, config, seed, epoch: 3, ... }, 2); // runs/ckpt/epoch-000003
 */
export function writeCheckpoint(dir: string, content: CheckpointContent, keep = 2): string {
  const where = 'writeCheckpoint';
  if (!Number.isInteger(keep) || keep < 1) throw quiverError('RangeError', { where, what: 'keep must be a positive integer', got: describeValue(keep) });
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(content.state.weights)) tensors.set(`weights/${name}`, new Tensor(t.data, t.shape));
  const optimizerScalars: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(content.state.optimizer)) {
    if (v instanceof Float32Array) tensors.set(`optimizer/${key}`, new Tensor(v, [v.length]));
    else optimizerScalars[key] = v;
  }
  if (content.bestWeights !== null) for (const [name, t] of Object.entries(content.bestWeights)) tensors.set(`best/${name}`, new Tensor(t.data, t.shape));
  const stateBytes = encodeSafetensors(tensors);
  const body = {
    format: 'quiver-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    kind: content.kind,
    config: content.config,
    seed: content.seed,
    epoch: content.epoch,
    epochs: content.epochs,
    finished: content.finished,
    data: content.data,
    history: encodeHistory(content.history),
    progress: { best: encodeNumber(content.progress.best), bestEpoch: content.progress.bestEpoch, wait: content.progress.wait },
    optimizerScalars,
    hasBest: content.bestWeights !== null,
    files: { [STATE_FILE]: { bytes: stateBytes.length, sha256: sha256(stateBytes) } },
  };
  const text = JSON.stringify(body);
  const metaBytes = new TextEncoder().encode(JSON.stringify({ ...body, sha256: sha256(new TextEncoder().encode(text)) }));

  const finalPath = join(dir, checkpointName(content.epoch));
  const tmp = join(dir, `.tmp-${checkpointName(content.epoch)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  try {
    writeDurably(join(tmp, STATE_FILE), stateBytes);
    writeDurably(join(tmp, META_FILE), metaBytes);
    fsyncPath(tmp);
    if (existsSync(finalPath)) discard(dir, finalPath);
    renameSync(tmp, finalPath);
    fsyncPath(dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  prune(dir, keep, finalPath);
  return finalPath;
}

/**
 * Reads and verifies one checkpoint folder: `checkpoint.json` must parse (without prototypes;
 * a `__proto__` key is refused), match its own SHA-256, and name a `state.safetensors` whose
 * size and SHA-256 match; every tensor the manifest implies must be present.
 * @param path - A folder written by {@link writeCheckpoint}.
 * @returns The checkpoint.
 * @throws {Error} naming the file and what is wrong: missing, truncated, edited (checksum), wrong format or version.
 * @example
 * const ckpt = readCheckpoint('runs/ckpt/epoch-000003');
 * ckpt.epoch; // 3
 */
export function readCheckpoint(path: string): Checkpoint {
  const where = 'readCheckpoint';
  const metaPath = join(path, META_FILE);
  if (!existsSync(metaPath)) throw quiverError('Error', { where, what: `${metaPath} is missing; not a complete checkpoint` });
  const metaSize = statSync(metaPath).size;
  if (metaSize > CHECKPOINT_MAX_JSON_BYTES) throw quiverError('Error', { where, what: `${metaPath} must be at most ${CHECKPOINT_MAX_JSON_BYTES} bytes`, got: String(metaSize) });
  const raw = parseJsonSafely(`${where}: ${metaPath}`, readFileSync(metaPath, 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw quiverError('Error', { where, what: `${metaPath} must hold a JSON object`, got: describeValue(raw) });
  const meta = raw as Record<string, unknown>;
  const { sha256: claimed, ...body } = meta;
  if (typeof claimed !== 'string' || claimed !== sha256(new TextEncoder().encode(JSON.stringify(body)))) {
    throw quiverError('Error', { where, what: `${metaPath} does not match its checksum; the checkpoint is corrupted` });
  }
  if (body.format !== 'quiver-checkpoint') throw quiverError('Error', { where, what: `${metaPath} format must be "quiver-checkpoint"`, got: describeValue(body.format) });
  if (body.formatVersion !== 1 && body.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw quiverError('Error', { where, what: `${metaPath} formatVersion must be 1 or ${CHECKPOINT_FORMAT_VERSION} (this version reads both)`, got: describeValue(body.formatVersion) });
  }
  const files = body.files as Record<string, { bytes: number; sha256: string }>;
  const entry = files?.[STATE_FILE];
  const statePath = join(path, STATE_FILE);
  if (!existsSync(statePath)) throw quiverError('Error', { where, what: `${statePath} is missing` });
  const bytes = readFileSync(statePath);
  if (bytes.length !== entry?.bytes) throw quiverError('Error', { where, what: `${statePath} must be ${entry?.bytes} bytes`, got: String(bytes.length), tail: '; the checkpoint is truncated or corrupted' });
  if (sha256(bytes) !== entry.sha256) throw quiverError('Error', { where, what: `${statePath} does not match its SHA-256; the checkpoint is corrupted` });
  const { tensors } = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), { copy: true });
  const weights: Record<string, Tensor> = Object.create(null);
  const bestWeights: Record<string, Tensor> = Object.create(null);
  const optimizer = Object.create(null) as OptimizerBuffers;
  for (const name of Object.keys(tensors)) {
    const slash = name.indexOf('/');
    const group = name.slice(0, slash);
    const key = name.slice(slash + 1);
    if (group === 'weights') weights[key] = tensors[name];
    else if (group === 'best') bestWeights[key] = tensors[name];
    else if (group === 'optimizer') optimizer[key] = tensors[name].data;
    else throw quiverError('Error', { where, what: `${statePath} holds an unknown tensor "${name}"` });
  }
  const scalars = body.optimizerScalars as Record<string, unknown>;
  for (const key of Object.keys(scalars ?? {})) {
    const v = scalars[key];
    if (v !== null && typeof v !== 'number') throw quiverError('Error', { where, what: `${metaPath} optimizerScalars.${key} must be a number or null`, got: describeValue(v) });
    optimizer[key] = v;
  }
  const progress = body.progress as Record<string, unknown>;
  return {
    path,
    kind: body.kind as string,
    // Format 1 kept solver options at the top level of the config.
    config: body.formatVersion === 1 ? upgradeModelConfig(body.kind as string, body.config as Record<string, unknown>) : (body.config as Record<string, unknown>),
    seed: body.seed as number,
    epoch: body.epoch as number,
    epochs: body.epochs as number,
    finished: body.finished === true,
    data: body.data as DataFingerprint,
    state: { weights, optimizer },
    history: decodeHistory(body.history as Record<string, unknown>),
    progress: { best: decodeNumber(progress.best), bestEpoch: progress.bestEpoch as number | null, wait: progress.wait as number },
    bestWeights: body.hasBest === true ? bestWeights : null,
  };
}

/** A checkpoint folder that could not be used, and why. */
export interface SkippedCheckpoint {
  /** The checkpoint folder that was skipped. */
  readonly path: string;
  /** Why it was skipped: the message of the error raised while reading or verifying it. */
  readonly reason: string;
}

/**
 * The newest checkpoint in `dir` that reads and verifies, newest first by epoch; broken ones
 * (truncated, edited) are skipped and listed. Temporary folders of interrupted writes are ignored.
 * @param dir - A folder given as `checkpoint.dir`.
 * @returns `{ checkpoint, skipped }`; `checkpoint` is null when none verifies (or `dir` is missing).
 * @example
 * const { checkpoint } = latestCheckpoint('runs/ckpt'); // resume with Trainer({ resumeFrom: checkpoint.path })
 */
export function latestCheckpoint(dir: string): {
  /** The newest checkpoint that verifies, or null when none does (or `dir` is missing). */
  checkpoint: Checkpoint | null;
  /** The newer folders that failed to read or verify, newest first. */
  skipped: SkippedCheckpoint[];
} {
  const skipped: SkippedCheckpoint[] = [];
  if (!existsSync(dir)) return { checkpoint: null, skipped };
  const names = readdirSync(dir).filter((n) => NAME.test(n)).sort().reverse();
  for (const name of names) {
    try {
      return { checkpoint: readCheckpoint(join(dir, name)), skipped };
    } catch (err) {
      skipped.push({ path: join(dir, name), reason: (err as Error).message });
    }
  }
  return { checkpoint: null, skipped };
}

/** Whether `path` is a single checkpoint folder (it holds `checkpoint.json`). */
export function isCheckpointFolder(path: string): boolean {
  return existsSync(join(path, META_FILE));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 24));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames `path` to a trash name in `dir`, then deletes it. */
function discard(dir: string, path: string): void {
  const trash = join(dir, `.trash-${process.pid}-${randomBytes(4).toString('hex')}`);
  renameSync(path, trash);
  rmSync(trash, { recursive: true, force: true });
}

function prune(dir: string, keep: number, current: string): void {
  const names = readdirSync(dir);
  const ckpts = names.filter((n) => NAME.test(n)).sort().reverse();
  for (const name of ckpts.slice(keep)) if (join(dir, name) !== current) discard(dir, join(dir, name));
  // Leftovers of interrupted writes or deletes (one trainer per folder is assumed).
  for (const name of names) if (name.startsWith('.tmp-') || name.startsWith('.trash-')) rmSync(join(dir, name), { recursive: true, force: true });
}

function encodeNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function decodeNumber(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === 'NaN' || x === 'Infinity' || x === '-Infinity') return Number(x);
  throw quiverError('Error', { where: 'readCheckpoint', what: 'a number must be finite or "NaN" / "Infinity" / "-Infinity"', got: describeValue(x) });
}

function encodeHistory(h: HistoryJSON): unknown {
  return {
    ...h,
    epochs: h.epochs.map((e) => ({
      epoch: e.epoch,
      loss: encodeNumber(e.loss),
      seconds: e.seconds,
      metrics: Object.fromEntries(Object.entries(e.metrics).map(([k, v]) => [k, encodeNumber(v)])),
    })),
  };
}

function decodeHistory(h: Record<string, unknown>): HistoryJSON {
  const epochs = (h.epochs as Array<Record<string, unknown>>).map((e): EpochRecord => {
    const metrics: Record<string, number> = {};
    const m = e.metrics as Record<string, unknown>;
    for (const k of Object.keys(m)) metrics[k] = decodeNumber(m[k]);
    return { epoch: e.epoch as number, loss: decodeNumber(e.loss), metrics, seconds: e.seconds as number };
  });
  return {
    epochs,
    monitor: h.monitor as string | null,
    bestEpoch: h.bestEpoch as number | null,
    stoppedEarly: h.stoppedEarly === true,
    restoredBest: h.restoredBest === true,
  };
}
