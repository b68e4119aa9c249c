import type { IdMap, RawId } from '@quiver/data';

/**
 * An id as JSON carries it: a string or a number. Bigint raw ids travel as their decimal
 * strings.
 */
export type JsonId = string | number;

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * The dense index of an id given as JSON or in a URL, or -1 when the map does not hold it.
 * Ids are matched as given first; then a string that spells a number (`"42"`, in its canonical
 * form) is tried as that number and, for integers, as a bigint; a number is tried as its string.
 * So `?user=42` finds the raw number 42 of a MovieLens map, and `"18446744073709551616"` finds a
 * bigint id. A map holding both `42` and `"42"` answers the kind that was given.
 * @example
 * lookupId(IdMap.fromRawIds([7, 42]), '42'); // 1
 */
export function lookupId(map: IdMap, id: JsonId): number {
  const direct = map.get(id);
  if (direct >= 0) return direct;
  if (typeof id === 'number') {
    if (!Number.isFinite(id)) return -1;
    const asString = map.get(String(id));
    if (asString >= 0 || !Number.isSafeInteger(id)) return asString;
    return map.get(BigInt(id));
  }
  if (id.length === 0 || id.length > 400) return -1;
  const n = Number(id);
  if (Number.isFinite(n) && String(n) === id) {
    const asNumber = map.get(n);
    if (asNumber >= 0) return asNumber;
  }
  return INTEGER.test(id) ? map.get(BigInt(id)) : -1;
}

/**
 * A raw id in its JSON form: strings and numbers as themselves, bigints as decimal strings.
 * @example
 * toJsonId(18446744073709551616n); // '18446744073709551616'
 */
export function toJsonId(raw: RawId): JsonId {
  return typeof raw === 'bigint' ? raw.toString() : raw;
}
