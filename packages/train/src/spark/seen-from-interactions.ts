import { buildCsr, checkInteractionData, quiverError, type InteractionData } from '@quiver/base';
import { IdMap, type RawId } from '@quiver/data';

/** The seen-items CSR built from interactions, over a model's dense rows. */
export interface SeenFromInteractions {
  /** Row offsets, length `numUsers + 1`. */
  readonly indptr: Int32Array;
  /** Item rows, ascending within each user, each pair once. */
  readonly indices: Int32Array;
  /** Rows of the interactions whose user and item the model knows. */
  readonly used: number;
  /** Rows left out because their user or item is not in the model. */
  readonly skipped: number;
}

/**
 * The model row of a raw id: numbers as they are; bigints and canonical integer strings
 * (`"42"`, not `"042"`) as the integer they spell, since Spark's ids are ints; -1 when unknown.
 * @example
 * sparkRow(IdMap.fromRawIds([7, 42]), '42'); // 1
 */
export function sparkRow(map: IdMap, raw: RawId): number {
  if (typeof raw === 'number') return map.get(raw);
  if (typeof raw === 'bigint') return raw >= -2147483648n && raw <= 2147483647n ? map.get(Number(raw)) : -1;
  const n = Number(raw);
  return Number.isSafeInteger(n) && String(n) === raw ? map.get(n) : map.get(raw);
}

/** Model row of every dense index of `data` (through its id map), or of each raw id itself. */
function rowsOf(ids: Int32Array, dataMap: IdMap | null, size: number, model: IdMap, out: Int32Array): void {
  if (dataMap === null) {
    for (let n = 0; n < ids.length; n++) out[n] = model.get(ids[n]);
    return;
  }
  const table = new Int32Array(size);
  for (let u = 0; u < size; u++) table[u] = sparkRow(model, dataMap.toRaw(u));
  for (let n = 0; n < ids.length; n++) out[n] = table[ids[n]];
}

/**
 * Maps interactions onto a model's dense rows by raw id and builds the seen-items CSR that
 * `filterSeen` uses. An `Interactions` of `@quiver/data` is mapped through its id maps; a plain
 * `InteractionData` (no id maps) holds the raw Spark ids themselves in `userIds` / `itemIds`.
 * Rows whose user or item the model does not know are left out and counted.
 * @param where - Prefix of error messages.
 * @throws {TypeError} / {RangeError} for malformed interactions (as `checkInteractionData`).
 * @throws {Error} when no row has a known user and item (the raw ids do not match: a number /
 *   string mix-up, or another dataset).
 * @example
 * const seen = seenFromInteractions('importSparkAls', train, userIdMap, itemIdMap);
 * model.setSeen(seen.indptr, seen.indices);
 */
export function seenFromInteractions(where: string, data: InteractionData, users: IdMap, items: IdMap): SeenFromInteractions {
  checkInteractionData(`${where}: options.interactions`, data, false);
  const maps = data as InteractionData & { userIdMap?: unknown; itemIdMap?: unknown };
  const userMap = maps.userIdMap instanceof IdMap ? maps.userIdMap : null;
  const itemMap = maps.itemIdMap instanceof IdMap ? maps.itemIdMap : null;
  const n = data.userIds.length;
  const u = new Int32Array(n);
  const i = new Int32Array(n);
  rowsOf(data.userIds, userMap, data.numUsers, users, u);
  rowsOf(data.itemIds, itemMap, data.numItems, items, i);
  let used = 0;
  for (let k = 0; k < n; k++) {
    if (u[k] >= 0 && i[k] >= 0) {
      u[used] = u[k];
      i[used] = i[k];
      used++;
    }
  }
  if (used === 0) {
    const raw = (map: IdMap | null, id: number): string => {
      const r = map === null ? id : map.toRaw(id);
      return typeof r === 'string' ? JSON.stringify(r) : String(r);
    };
    throw quiverError('Error', {
      where,
      what: `options.interactions must share raw ids with the Spark factors (user ids ${users.toRaw(0)}…, item ids ${items.toRaw(0)}…)`,
      got: `none of its ${n} rows does, the first being user ${raw(userMap, data.userIds[0])}, item ${raw(itemMap, data.itemIds[0])}`,
    });
  }
  const m = buildCsr(u.subarray(0, used), i.subarray(0, used), null, users.size, items.size, { duplicates: 'sum' });
  return { indptr: m.indptr, indices: m.indices, used, skipped: n - used };
}
