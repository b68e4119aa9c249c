import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdMap, type IdMapJSON } from '@quiver/data';
import { interruptedSaves, loadModel, MODEL_FILES, parseJsonSafely, saveModel, type ModelDirLock, type FoldInRecommender } from '@quiver/mf';
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

/** A model folder loaded back. */
export interface StoredModel {
  readonly model: FoldInRecommender;
  readonly kind: CliModel;
  /**
   * Raw user id of each dense index. Null only for a model saved (by an old version of the
   * library) without id maps: then users can only be named by row index (`--user-index`).
   */
  readonly userIdMap: IdMap | null;
  /** Raw item id of each dense index; null as {@link StoredModel.userIdMap}. */
  readonly itemIdMap: IdMap | null;
  /** Title per item index (when the training data had titles), or null. */
  readonly titles: ReadonlyArray<string | null> | null;
  readonly run: RunInfo | null;
}

const RUN_FILE = 'run.json';
const TITLES_FILE = 'titles.json';

/**
 * Writes a trained model to `dir` with `@quiver/mf`'s `saveModel`: weights, the seen-items CSR,
 * the id maps, `run.json` (data source, relevance threshold, test metrics) and, when known,
 * `titles.json`, all listed with their checksums in `model.json`. The folder is replaced as a
 * whole (no file of a previous model survives) under the folder's lock, which the caller holds.
 * @example
 * await saveStoredModel('runs/mf', lock, model, data, titles, { data: 'ml-latest-small', builtin: 'ml-latest-small', relevantMin: null, metrics });
 */
export async function saveStoredModel(
  dir: string,
  lock: ModelDirLock,
  model: FoldInRecommender,
  maps: { userIdMap: IdMap; itemIdMap: IdMap },
  titles: ReadonlyArray<string | null> | null,
  run: RunInfo,
): Promise<void> {
  const enc = new TextEncoder();
  const files: Record<string, Uint8Array> = { [RUN_FILE]: enc.encode(`${JSON.stringify(run, null, 2)}\n`) };
  if (titles !== null) files[TITLES_FILE] = enc.encode(JSON.stringify(titles));
  await saveModel(model, dir, { idMaps: { users: maps.userIdMap, items: maps.itemIdMap }, files, lock });
}

/**
 * Loads a folder written by {@link saveStoredModel} (`loadModel` checks sizes, shapes and the
 * checksum of every file, so a truncated or edited file is rejected, naming it).
 * @throws {CliError} when the folder or a file is missing or malformed.
 * @example
 * const { model, userIdMap, titles } = await loadStoredModel('quiver recommend', 'runs/mf');
 */
export async function loadStoredModel(where: string, dir: string): Promise<StoredModel> {
  if (!existsSync(dir)) {
    const left = interruptedSaves(dir);
    const note = left.length === 0 ? '' : `; a save into it was interrupted: ${left.join(', ')} remain (one holding ${MODEL_FILES.manifest} is a complete model: rename it to ${dir})`;
    throw new CliError(`${where}: --model directory not found: ${dir}${note}`);
  }
  if (!existsSync(join(dir, MODEL_FILES.manifest))) {
    throw new CliError(`${where}: ${dir} is not a model directory (no ${MODEL_FILES.manifest}); create one with quiver train --out ${dir}`);
  }
  try {
    const { model, idMaps, files } = await loadModel(dir);
    if (!(CLI_MODELS as readonly string[]).includes(model.kind)) throw new CliError(`${where}: ${dir} holds a model of unknown kind ${JSON.stringify(model.kind)}`);
    let userIdMap: IdMap | null = null;
    let itemIdMap: IdMap | null = null;
    if (idMaps !== null) {
      userIdMap = IdMap.fromJSON(idMaps.users as IdMapJSON);
      itemIdMap = IdMap.fromJSON(idMaps.items as IdMapJSON);
      if (userIdMap.size !== model.numUsers || itemIdMap.size !== model.numItems) {
        throw new CliError(`${where}: the id maps in ${dir} (${userIdMap.size} users, ${itemIdMap.size} items) do not match the model (${model.numUsers} users, ${model.numItems} items)`);
      }
    }
    // Format 2 lists run.json / titles.json in the manifest (checksummed); format 1 kept them beside it.
    const text = async (name: string): Promise<string | null> => {
      if (Object.hasOwn(files, name)) return new TextDecoder().decode(files[name]);
      const path = join(dir, name);
      return existsSync(path) ? readFile(path, 'utf8') : null;
    };
    const json = async (name: string): Promise<unknown> => {
      const t = await text(name);
      return t === null ? null : parseJsonSafely(join(dir, name), t);
    };
    const titles = await json(TITLES_FILE);
    if (titles !== null && (!Array.isArray(titles) || titles.length !== model.numItems)) {
      throw new CliError(`${where}: ${join(dir, TITLES_FILE)} must hold one title per item (${model.numItems}), got ${Array.isArray(titles) ? `${titles.length} entries` : typeof titles}`);
    }
    const run = await json(RUN_FILE);
    if (run !== null && (typeof run !== 'object' || Array.isArray(run))) throw new CliError(`${where}: ${join(dir, RUN_FILE)} must hold a JSON object, got ${Array.isArray(run) ? 'an array' : typeof run}`);
    return { model, kind: model.kind as CliModel, userIdMap, itemIdMap, titles: titles as (string | null)[] | null, run: run as RunInfo | null };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${where}: cannot load the model in ${dir}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}
