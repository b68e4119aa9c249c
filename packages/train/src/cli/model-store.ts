import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@quiver/core';
import { IdMap, type IdMapJSON } from '@quiver/data';
import { loadModel, MODEL_FILES, saveModel, type Recommender } from '@quiver/mf';
import { CliError } from './cli-error.js';
import { CLI_MODELS, type CliModel } from './create-model.js';

/** What `quiver train --out DIR` records next to the model for `eval` and `recommend` (`run.json`). */
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

const RUN_FILE = 'run.json';
const TITLES_FILE = 'titles.json';

/**
 * Writes a trained model to `dir` with `@quiver/mf`'s `saveModel` (weights.safetensors, the
 * seen-items CSR as .npy, model.json with hyper-parameters, checksums and the id maps), plus
 * `run.json` (data source, relevance threshold, test metrics) and, when known, `titles.json`.
 * Every file is written atomically.
 * @example
 * await saveStoredModel('runs/mf', model, data, titles, { data: 'ml-latest-small', builtin: 'ml-latest-small', relevantMin: null, metrics });
 */
export async function saveStoredModel(
  dir: string,
  model: Recommender,
  maps: { userIdMap: IdMap; itemIdMap: IdMap },
  titles: ReadonlyArray<string | null> | null,
  run: RunInfo,
): Promise<void> {
  await saveModel(model, dir, { idMaps: { users: maps.userIdMap.toJSON(), items: maps.itemIdMap.toJSON() } });
  const enc = new TextEncoder();
  await writeFileAtomic(join(dir, RUN_FILE), enc.encode(`${JSON.stringify(run, null, 2)}\n`));
  if (titles !== null) await writeFileAtomic(join(dir, TITLES_FILE), enc.encode(JSON.stringify(titles)));
}

/**
 * Loads a directory written by {@link saveStoredModel} (`loadModel` checks sizes, shapes and
 * checksums, so a truncated or edited file is rejected).
 * @throws {CliError} when the directory or a file is missing or malformed.
 * @example
 * const { model, userIdMap, titles } = await loadStoredModel('quiver recommend', 'runs/mf');
 */
export async function loadStoredModel(where: string, dir: string): Promise<StoredModel> {
  if (!existsSync(dir)) throw new CliError(`${where}: --model directory not found: ${dir}`);
  if (!existsSync(join(dir, MODEL_FILES.manifest))) {
    throw new CliError(`${where}: ${dir} is not a model directory (no ${MODEL_FILES.manifest}); create one with quiver train --out ${dir}`);
  }
  try {
    const { model, idMaps } = await loadModel(dir);
    if (!(CLI_MODELS as readonly string[]).includes(model.kind)) throw new CliError(`${where}: ${dir} holds a model of unknown kind ${JSON.stringify(model.kind)}`);
    const maps = idMaps as { users?: IdMapJSON; items?: IdMapJSON } | null;
    const userIdMap = maps?.users !== undefined ? IdMap.fromJSON(maps.users) : IdMap.identity(model.numUsers, 'user');
    const itemIdMap = maps?.items !== undefined ? IdMap.fromJSON(maps.items) : IdMap.identity(model.numItems, 'item');
    if (userIdMap.size !== model.numUsers || itemIdMap.size !== model.numItems) {
      throw new CliError(`${where}: the id maps in ${dir} (${userIdMap.size} users, ${itemIdMap.size} items) do not match the model (${model.numUsers} users, ${model.numItems} items)`);
    }
    const titlesPath = join(dir, TITLES_FILE);
    const runPath = join(dir, RUN_FILE);
    return {
      model,
      kind: model.kind as CliModel,
      userIdMap,
      itemIdMap,
      titles: existsSync(titlesPath) ? JSON.parse(await readFile(titlesPath, 'utf8')) : null,
      run: existsSync(runPath) ? JSON.parse(await readFile(runPath, 'utf8')) : null,
    };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${where}: cannot load the model in ${dir}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}
