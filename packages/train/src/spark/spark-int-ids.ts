import { quiverError } from '@quiver/base';
import type { IdMap } from '@quiver/data';

/**
 * The raw ids of `map` as Spark ALS's `id: int` column: every raw id must be an integer (a
 * number or a bigint) in the int32 range, since Spark's ALS only takes int ids.
 * @param where - Prefix of error messages.
 * @param label - Which factors they are for (`userFactors`).
 * @throws {RangeError} naming the first id that is a string, not an integer, or out of the int32
 *   range, with its dense index.
 * @example
 * sparkIntIds('exportForSpark', 'userFactors', data.userIdMap); // Int32Array of raw user ids
 */
export function sparkIntIds(where: string, label: string, map: IdMap): Int32Array {
  const n = map.size;
  const out = new Int32Array(n);
  if (map.isIdentity) {
    for (let r = 0; r < n; r++) out[r] = r;
    return out;
  }
  const raws = map.rawIds();
  for (let r = 0; r < n; r++) {
    const raw = raws[r];
    const v = typeof raw === 'bigint' && raw >= -2147483648n && raw <= 2147483647n ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      const shown = typeof raw === 'string' ? `the string ${JSON.stringify(raw)}` : typeof raw === 'bigint' ? `${raw}n` : String(raw);
      throw quiverError('RangeError', {
        where,
        what: `${label} need integer ids in [-2147483648, 2147483647]: Spark ALS ids are int`,
        got: `${shown} (${map.name} ${r})`,
        tail: typeof raw === 'string'
          ? '; give the data integer ids (e.g. load it with --id-type number, or index the strings with Spark\'s StringIndexer and train on the indices)'
          : '; re-index the ids into the int range (e.g. with Spark\'s StringIndexer) and train on those',
      });
    }
    out[r] = v;
  }
  return out;
}
