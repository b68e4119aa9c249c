import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeValue, QuiverError, quiverError, type ModelKind, type TopK } from '@quiver/base';
import { IdMap, type IdMapJSON } from '@quiver/data';
import { loadModel, MODEL_FILES, parseJsonSafely, type FoldInRecommender } from '@quiver/mf';
import { FoldInError } from './fold-in-error.js';
import { lookupId, toJsonId, type JsonId } from './raw-id.js';
import { exactBackend, type BackendFactory, type TopKBackend } from './top-k-backend.js';
import { UnknownIdError, type IdKind } from './unknown-id-error.js';

/** The extra file of a model folder holding one title (or null) per item index, as `quiver train --out` writes it. */
export const TITLES_FILE = 'titles.json';

/** One recommended or similar item, in raw ids. */
export interface ServedItem {
  /** The raw item id as the model's id map holds it (bigints as decimal strings). */
  readonly item: JsonId;
  /** The model's score (a predicted rating for explicit models, a ranking score otherwise; a cosine for similar items). */
  readonly score: number;
  /** The item's title, when the model folder has titles and this item has one. */
  readonly title?: string;
}

/** Filters of {@link ServedModel.recommend} and {@link ServedModel.recommendForHistory}, in raw item ids. */
export interface ServedRecommendOptions {
  /** Never return these items. @defaultValue none */
  readonly exclude?: readonly JsonId[];
  /** Rank only these items (an allow-list; `exclude` still applies). @defaultValue every item */
  readonly items?: readonly JsonId[];
  /**
   * Leave out the items the user interacted with in training (for a history: the history's
   * items).
   * @defaultValue true
   */
  readonly filterSeen?: boolean;
}

/** One interaction of a new user, for {@link ServedModel.recommendForHistory}. */
export interface HistoryEntry {
  /** The raw item id. */
  readonly item: JsonId;
  /** The rating (explicit-feedback models need one on every entry). @defaultValue none */
  readonly rating?: number;
}

/** Options of {@link loadServedModel}. */
export interface LoadServedModelOptions {
  /** Builds the top-k backend of the loaded model. @defaultValue {@link exactBackend} */
  readonly backend?: BackendFactory;
}

/** What a {@link ServedModel} is built from (see {@link loadServedModel}, which is how one is normally made). */
export interface ServedModelInit {
  /** The folder the model was loaded from. */
  readonly dir: string;
  /** The fitted model. */
  readonly model: FoldInRecommender;
  /** Raw user id of each dense user index. */
  readonly userIdMap: IdMap;
  /** Raw item id of each dense item index. */
  readonly itemIdMap: IdMap;
  /** Title (or null) per item index, or null when the folder has none. */
  readonly titles: ReadonlyArray<string | null> | null;
  /** The manifest's SHA-256 (`model.json` `checksum`), which identifies this save of the model. */
  readonly checksum: string;
  /** Modification time of `model.json` when the model was loaded. */
  readonly modifiedAt: Date;
  /** The top-k backend. @defaultValue {@link exactBackend} of `model` */
  readonly backend?: TopKBackend;
}

/**
 * A loaded model that answers in raw ids, as the HTTP API does: the `@quiver/mf` model, its id
 * maps, the item titles, and what identifies the saved folder (manifest checksum, mtime). Every
 * query maps raw ids to dense indices (an unknown one throws {@link UnknownIdError} naming it),
 * asks the top-k backend or the model, and maps the answer back. Immutable once built, so a
 * request that holds one sees one model from start to end.
 * @example
 * const served = await loadServedModel('runs/als');
 * served.recommend(1, 10);                                  // [{ item: 318, score: 1.02, title: '...' }, ...]
 * served.recommendForHistory([{ item: 1 }, { item: 50 }], 5);
 */
export class ServedModel {
  /** The folder the model was loaded from. */
  readonly dir: string;
  /** The fitted `@quiver/mf` model. */
  readonly model: FoldInRecommender;
  /** The model kind, such as `'als'`. */
  readonly kind: ModelKind;
  /** Raw user id of each dense user index. */
  readonly userIdMap: IdMap;
  /** Raw item id of each dense item index. */
  readonly itemIdMap: IdMap;
  /** Title (or null) per item index, or null. */
  readonly titles: ReadonlyArray<string | null> | null;
  /** The manifest checksum that identifies this save of the model. */
  readonly checksum: string;
  /** Modification time of `model.json` when loaded. */
  readonly modifiedAt: Date;
  /** When this object was built. */
  readonly loadedAt: Date;
  /** The backend that answers `recommend` and `similarItems`. */
  readonly backend: TopKBackend;

  /** Wraps a loaded model; prefer {@link loadServedModel}. */
  constructor(init: ServedModelInit) {
    this.dir = init.dir;
    this.model = init.model;
    this.kind = init.model.kind;
    this.userIdMap = init.userIdMap;
    this.itemIdMap = init.itemIdMap;
    this.titles = init.titles;
    this.checksum = init.checksum;
    this.modifiedAt = init.modifiedAt;
    this.loadedAt = new Date();
    this.backend = init.backend ?? exactBackend(init.model);
  }

  /** Number of users the model knows. */
  get numUsers(): number {
    return this.model.numUsers;
  }

  /** Number of items the model knows. */
  get numItems(): number {
    return this.model.numItems;
  }

  /**
   * The dense index of a raw user id (see `lookupId` for how strings and numbers match).
   * @throws {UnknownIdError} when the model does not know the user.
   */
  userIndex(user: JsonId, where = 'ServedModel', field = 'user'): number {
    return this.index('user', user, where, field);
  }

  /**
   * The dense index of a raw item id.
   * @throws {UnknownIdError} when the model does not know the item.
   */
  itemIndex(item: JsonId, where = 'ServedModel', field = 'item'): number {
    return this.index('item', item, where, field);
  }

  /** The raw id (JSON form) of dense user index `index`. */
  userId(index: number): JsonId {
    return toJsonId(this.userIdMap.toRaw(index));
  }

  /** The raw id (JSON form) of dense item index `index`. */
  itemId(index: number): JsonId {
    return toJsonId(this.itemIdMap.toRaw(index));
  }

  /**
   * The `k` best items for a known user, best first (the backend's answer, mapped to raw ids).
   * @throws {UnknownIdError} for an unknown user or an unknown id in `exclude` / `items`.
   * @throws {RangeError} for a negative or non-integer `k`.
   */
  recommend(user: JsonId, k: number, options: ServedRecommendOptions = {}): ServedItem[] {
    const where = 'ServedModel.recommend';
    const u = this.userIndex(user, where);
    return this.items(this.backend.recommend(u, k, this.filters(where, options)));
  }

  /**
   * The `k` best items for a new user given their history, by the model's fold-in
   * (`recommendForNew`): no retraining. `filterSeen` leaves out the history's items.
   * @throws {UnknownIdError} for an unknown item in the history, `exclude` or `items`.
   * @throws {FoldInError} when the model cannot fold the history in: an explicit-feedback model
   *   without ratings, ratings on only some entries, a bad rating, an empty history.
   */
  recommendForHistory(history: readonly HistoryEntry[], k: number, options: ServedRecommendOptions = {}): ServedItem[] {
    const where = 'ServedModel.recommendForHistory';
    if (!Array.isArray(history) || history.length === 0) {
      throw new FoldInError({ where, what: 'history must be a non-empty array of { item, rating? }', got: Array.isArray(history) ? 'an empty array' : describeValue(history) });
    }
    const items = new Int32Array(history.length);
    let rated = 0;
    for (let n = 0; n < history.length; n++) {
      items[n] = this.itemIndex(history[n].item, where, `history[${n}].item`);
      if (history[n].rating !== undefined) rated++;
    }
    let ratings: Float32Array | undefined;
    if (rated > 0) {
      if (rated !== history.length) {
        throw new FoldInError({ where, what: 'history ratings must be given on every entry or on none', got: `ratings on ${rated} of ${history.length} entries` });
      }
      ratings = new Float32Array(history.length);
      for (let n = 0; n < history.length; n++) {
        const r = history[n].rating as number;
        if (typeof r !== 'number' || !Number.isFinite(r)) throw new FoldInError({ where, what: `history[${n}].rating must be a finite number`, got: describeValue(r) });
        ratings[n] = r;
      }
    }
    const filters = this.filters(where, options);
    checkK(where, k);
    let top: TopK;
    try {
      top = this.model.recommendForNew(items, ratings, k, filters);
    } catch (e) {
      // Ids and k are checked above: what the model still refuses is the history itself.
      if (e instanceof QuiverError && e.kind !== 'Error') {
        const tail = ratings === undefined ? `; a ${this.kind} model may need a rating on every history entry` : '';
        throw new FoldInError({ where, what: `the ${this.kind} model cannot fold in this history: ${e.what}`, got: e.got, tail });
      }
      throw e;
    }
    return this.items(top);
  }

  /**
   * The `k` items most similar to a known item, best first, without the item itself.
   * @throws {UnknownIdError} for an unknown item.
   */
  similarItems(item: JsonId, k: number): ServedItem[] {
    const where = 'ServedModel.similarItems';
    const i = this.itemIndex(item, where);
    return this.items(this.backend.similarItems(i, k));
  }

  /**
   * The model's score of one (user, item) pair: a predicted rating for explicit models (clipped
   * to the training range), a ranking score for implicit ones.
   * @throws {UnknownIdError} for an unknown user or item.
   */
  predict(user: JsonId, item: JsonId): number {
    const where = 'ServedModel.predict';
    const u = this.userIndex(user, where);
    const i = this.itemIndex(item, where);
    return this.model.predict(Int32Array.of(u), Int32Array.of(i))[0];
  }

  private index(kind: IdKind, id: JsonId, where: string, field: string): number {
    const map = kind === 'user' ? this.userIdMap : this.itemIdMap;
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw quiverError('TypeError', { where, what: `${field} must be a ${kind} id (a string or a number)`, got: describeValue(id) });
    }
    const i = lookupId(map, id);
    if (i < 0) throw new UnknownIdError(where, kind, id, field, map.size);
    return i;
  }

  private filters(where: string, options: ServedRecommendOptions): { filterSeen: boolean; items?: Int32Array; exclude?: Int32Array } {
    const list = (name: 'items' | 'exclude'): Int32Array | undefined => {
      const ids = options[name];
      if (ids === undefined) return undefined;
      if (!Array.isArray(ids)) throw quiverError('TypeError', { where, what: `${name} must be an array of item ids`, got: describeValue(ids) });
      const out = new Int32Array(ids.length);
      for (let n = 0; n < ids.length; n++) out[n] = this.itemIndex(ids[n], where, `${name}[${n}]`);
      return out;
    };
    const filterSeen = options.filterSeen ?? true;
    if (typeof filterSeen !== 'boolean') throw quiverError('TypeError', { where, what: 'filterSeen must be a boolean', got: describeValue(filterSeen) });
    const items = list('items');
    const exclude = list('exclude');
    return { filterSeen, ...(items === undefined ? {} : { items }), ...(exclude === undefined ? {} : { exclude }) };
  }

  private items(top: TopK): ServedItem[] {
    const out: ServedItem[] = new Array(top.ids.length);
    for (let n = 0; n < top.ids.length; n++) {
      const i = top.ids[n];
      const title = this.titles === null ? null : this.titles[i];
      out[n] = title === null || title === undefined ? { item: this.itemId(i), score: top.scores[n] } : { item: this.itemId(i), score: top.scores[n], title };
    }
    return out;
  }
}

function checkK(where: string, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw quiverError('RangeError', { where, what: 'k must be a non-negative integer', got: describeValue(k) });
}

/**
 * Loads a model folder written by `@quiver/mf`'s `saveModel` (as `quiver train --out` writes
 * it) for serving: the model (every file's checksum verified by `loadModel`), its id maps,
 * `titles.json` when present, and the manifest checksum and mtime that identify it. Then builds
 * the top-k backend and runs one query through it and through the model, so a model that loads
 * but cannot answer is refused here rather than on the first request.
 * @param dir - The model folder.
 * @returns The model, ready to serve.
 * @throws {Error} for a missing folder, a corrupt or truncated file, malformed titles, or id maps
 *   that do not match the model (the message names the file and what is wrong).
 * @example
 * const served = await loadServedModel('runs/als');
 * console.log(served.kind, served.numUsers, served.numItems, served.checksum);
 */
export async function loadServedModel(dir: string, options: LoadServedModelOptions = {}): Promise<ServedModel> {
  const where = 'loadServedModel';
  if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where, what: 'dir must be a non-empty string', got: describeValue(dir) });
  const { model, idMaps, manifest, files } = await loadModel(dir);
  const mtime = (await stat(join(dir, MODEL_FILES.manifest))).mtime;
  let userIdMap: IdMap;
  let itemIdMap: IdMap;
  if (idMaps === null) {
    userIdMap = IdMap.identity(model.numUsers, 'user');
    itemIdMap = IdMap.identity(model.numItems, 'item');
  } else {
    userIdMap = IdMap.fromJSON(idMaps.users as IdMapJSON);
    itemIdMap = IdMap.fromJSON(idMaps.items as IdMapJSON);
  }
  if (userIdMap.size !== model.numUsers || itemIdMap.size !== model.numItems) {
    throw quiverError('Error', { where, what: `the id maps in ${dir} must map the model's ${model.numUsers} users and ${model.numItems} items`, got: `${userIdMap.size} users and ${itemIdMap.size} items` });
  }
  let titles: (string | null)[] | null = null;
  if (Object.hasOwn(files, TITLES_FILE)) {
    const value = parseJsonSafely(`${where}: ${join(dir, TITLES_FILE)}`, new TextDecoder().decode(files[TITLES_FILE]));
    if (!Array.isArray(value) || value.length !== model.numItems || !value.every((t) => t === null || typeof t === 'string')) {
      throw quiverError('Error', { where, what: `${join(dir, TITLES_FILE)} must hold one title (a string or null) per item (${model.numItems})`, got: Array.isArray(value) ? `an array of ${value.length}` : describeValue(value) });
    }
    titles = value as (string | null)[];
  }
  const backend = options.backend === undefined ? exactBackend(model) : await options.backend(model, { dir, files });
  // One query through each path, so a broken model or backend fails the load, not a request.
  backend.recommend(0, 1, { filterSeen: false });
  backend.similarItems(0, 1);
  model.predict(Int32Array.of(0), Int32Array.of(0));
  const checksum = typeof manifest.checksum === 'string' ? manifest.checksum : `v${manifest.formatVersion}-${mtime.getTime()}`;
  return new ServedModel({ dir, model, userIdMap, itemIdMap, titles, checksum, modifiedAt: mtime, backend });
}
