import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, writeFileAtomic, writeSafetensors } from '@quiver/core';
import { IdMap, type IdMapJSON } from '@quiver/data';
import type { Recommender } from '@quiver/mf';
import { CliError } from './cli-error.js';
import { CLI_MODELS, createCliModel, type CliModel } from './create-model.js';

/** What `quiver train --out DIR` records next to the weights for `eval` and `recommend`. */
export interface RunInfo {
  /** `--data` as given. */
  readonly data: string;
  /** Builtin dataset name, or null. */
  readonly builtin: string | null;
  /** `--relevant-min` used for the ranking metrics, or null. */
  readonly relevantMin: number | null;
  /** The test metrics of the run. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** A model directory loaded back. */
export interface StoredModel {
  readonly model: Recommender;
  readonly kind: CliModel;
  readonly userIdMap: IdMap;
  readonly itemIdMap: IdMap;
  /** Title per item index (when the training data had titles), or null. */
  readonly titles: ReadonlyArray<string | null> | null;
  readonly run: RunInfo | null;
}

const FORMAT = 'quiver.cli-model';
const VERSION = 1;

/**
 * Writes a trained model to `dir`: `weights.safetensors` (the model's named weights),
 * `model.json` (format version, kind, hyper-parameters, sizes, id maps, the training
 * user × item matrix used to filter seen items), `run.json` and, when known, `titles.json`.
 * Every file is written atomically.
 */
export async function saveStoredModel(
  dir: string,
  model: Recommender,
  maps: { userIdMap: IdMap; itemIdMap: IdMap },
  titles: ReadonlyArray<string | null> | null,
  run: RunInfo,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, 'weights.safetensors'), model.getState(), { format: 'pt', kind: model.kind });
  const seen = model.seenItems();
  const json = {
    format: FORMAT,
    version: VERSION,
    kind: model.kind,
    config: model.getConfig(),
    numUsers: model.numUsers,
    numItems: model.numItems,
    userIds: maps.userIdMap.toJSON(),
    itemIds: maps.itemIdMap.toJSON(),
    seen: seen === null ? null : { indptr: Array.from(seen.indptr), indices: Array.from(seen.indices) },
  };
  const enc = new TextEncoder();
  await writeFileAtomic(join(dir, 'model.json'), enc.encode(JSON.stringify(json)));
  await writeFileAtomic(join(dir, 'run.json'), enc.encode(`${JSON.stringify(run, null, 2)}\n`));
  if (titles !== null) await writeFileAtomic(join(dir, 'titles.json'), enc.encode(JSON.stringify(titles)));
}

/**
 * Loads a directory written by {@link saveStoredModel}.
 * @throws {CliError} when the directory or a file is missing or malformed.
 */
export async function loadStoredModel(where: string, dir: string): Promise<StoredModel> {
  if (!existsSync(dir)) throw new CliError(`${where}: --model directory not found: ${dir}`);
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new CliError(`${where}: ${dir} is not a model directory (no model.json); create one with quiver train --out ${dir}`);
  let json: {
    format: string; version: number; kind: string; config: Record<string, unknown>;
    userIds: IdMapJSON; itemIds: IdMapJSON; seen: { indptr: number[]; indices: number[] } | null;
  };
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (e) {
    throw new CliError(`${where}: ${jsonPath} is not valid JSON: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
  if (json.format !== FORMAT || json.version !== VERSION) {
    throw new CliError(`${where}: ${jsonPath} must have format "${FORMAT}" version ${VERSION}, got ${JSON.stringify(json.format)} version ${json.version}`);
  }
  if (!(CLI_MODELS as readonly string[]).includes(json.kind)) throw new CliError(`${where}: ${jsonPath} names an unknown model kind ${JSON.stringify(json.kind)}`);
  const kind = json.kind as CliModel;
  try {
    const { model } = createCliModel(where, kind, {});
    const rebuilt = rebuildWithConfig(kind, json.config) ?? model;
    const { tensors } = await readSafetensors(join(dir, 'weights.safetensors'));
    rebuilt.setState(tensors);
    if (json.seen !== null) rebuilt.setSeen(Int32Array.from(json.seen.indptr), Int32Array.from(json.seen.indices));
    const titlesPath = join(dir, 'titles.json');
    const runPath = join(dir, 'run.json');
    return {
      model: rebuilt,
      kind,
      userIdMap: IdMap.fromJSON(json.userIds),
      itemIdMap: IdMap.fromJSON(json.itemIds),
      titles: existsSync(titlesPath) ? JSON.parse(await readFile(titlesPath, 'utf8')) : null,
      run: existsSync(runPath) ? JSON.parse(await readFile(runPath, 'utf8')) : null,
    };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${where}: cannot load the model in ${dir}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}

/** Rebuilds a model with its saved hyper-parameters. */
function rebuildWithConfig(kind: CliModel, config: Record<string, unknown>): Recommender | null {
  const { model } = createCliModel('loadStoredModel', kind, {});
  const Ctor = (model as unknown as { constructor: new (o: Record<string, unknown>) => Recommender }).constructor;
  if (kind === 'popularity') return null;
  return new Ctor(config);
}
