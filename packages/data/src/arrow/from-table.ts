import { Type, isArrowTable, type Data, type Table, type Vector } from 'apache-arrow';
import { checkOneOf, checkOptions, describeValue, MAX_ABS_RATING, RATING_RULE, quiverError } from '@quiver/base';
import { ALIASES, norm } from '../csv/csv-layout.js';
import { dataInputError } from '../data-input-error.js';
import { applyDuplicatePolicy } from '../duplicates.js';
import { checkDuplicatePolicy } from '../finish-interactions.js';
import { fromArraysImpl } from '../from-arrays.js';
import { IdMap, type RawId } from '../id-map.js';
import { Interactions } from '../interactions.js';
import type { DuplicatePolicy, SkippedRow } from '../load-report.js';
import { firstOutOfRange } from '../kernels/first-out-of-range.js';
import { concat, copyNumbers, getColumn, takeColumns } from './columns-from-table.js';
import { META_ITEM_ID_MAP, META_UNIQUE_PAIRS, META_USER_ID_MAP } from './quiver-metadata.js';

/** Which table column is user, item, rating, timestamp. */
export interface TableColumnNames {
  /** User id column. @defaultValue detected by name (user, userId, user_id, ...) */
  readonly user?: string;
  /** Item id column. @defaultValue detected by name (item, itemId, movieId, ...) */
  readonly item?: string;
  /** Rating column, or null to ignore. @defaultValue detected by name (rating, score, ...), else none */
  readonly rating?: string | null;
  /** Timestamp column, or null to ignore. @defaultValue detected by name (timestamp, time, ...), else none */
  readonly timestamp?: string | null;
}

/** Options of {@link fromTable}, `readArrow` and `readParquet`. */
export interface FromTableOptions {
  /** Column mapping. @defaultValue detected by name */
  readonly columns?: TableColumnNames;
  /** Policy for repeated (user, item) pairs. @defaultValue 'keep-last' */
  readonly duplicates?: DuplicatePolicy;
  /** `'error'` throws on the first invalid row, `'skip'` drops it. @defaultValue 'error' */
  readonly onInvalid?: 'error' | 'skip';
  /** Look users up in this map (unknown users are invalid rows). @defaultValue a new map */
  readonly userIdMap?: IdMap;
  /** Look items up in this map (unknown items are invalid rows). @defaultValue a new map */
  readonly itemIdMap?: IdMap;
  /**
   * Memory budget of `readArrow` / `readParquet`: refuse (with a `RangeError`, before reading
   * or decoding anything) a file or bytes larger than this many bytes. Ignored by `fromTable`.
   * @defaultValue Infinity (no limit)
   */
  readonly maxBytes?: number;
}

/**
 * Builds an {@link Interactions} dataset from an Arrow table, such as one written by pandas,
 * Polars, DuckDB or Spark. Id columns of any type (integers, bigints, strings, dictionaries)
 * go through id maps; Int64 ids that are safe integers become numbers. Timestamp/Date
 * columns become seconds since the epoch.
 *
 * A table written by Quiver (`writeArrow` / `writeParquet` of an Interactions) carries its id
 * maps in the schema metadata: its Int32 user/item and Float32 rating columns are then used
 * without copying (when single-chunk), and the duplicate check is skipped when the writer
 * recorded unique pairs.
 * @throws {TypeError} when table is not an Arrow table or a column has an unusable type.
 * @throws {Error} when a column is missing or has nulls, the table is empty, or a row is invalid.
 * @example
 * const data = fromTable(tableFromArrays({ user: ['a', 'b'], item: [1, 2], rating: new Float32Array([4, 5]) }));
 */
export function fromTable(table: Table, options?: FromTableOptions): Interactions {
  return fromTableImpl('fromTable', 'table', table, options, null);
}

/**
 * @internal fromTable with the caller's name and source in messages; `file` (the path or
 * `<bytes>` of readArrow / readParquet, else null) goes before row numbers in messages.
 */
export function fromTableImpl(where: string, source: string, table: Table, options: FromTableOptions | undefined, file: string | null): Interactions {
  if (!isArrowTable(table)) throw quiverError('TypeError', { where, what: 'table must be an Arrow Table', got: describeValue(table) });
  const o = checkOptions(where, options, ['columns', 'duplicates', 'onInvalid', 'userIdMap', 'itemIdMap', 'maxBytes']);
  const duplicates = checkDuplicatePolicy(where, o.duplicates);
  const onInvalid = o.onInvalid === undefined ? 'error' : checkOneOf(where, 'options.onInvalid', o.onInvalid, ['error', 'skip'] as const);
  if (o.columns !== undefined && (o.columns === null || typeof o.columns !== 'object')) {
    throw quiverError('TypeError', { where, what: 'options.columns must be an object', got: describeValue(o.columns) });
  }
  if (table.numRows === 0) throw quiverError('Error', { where, what: `${source} must contain at least one row`, got: '0' });
  const names = table.schema.fields.map((f) => f.name);
  const pick = (key: 'user' | 'item' | 'rating' | 'timestamp'): string | null => {
    const given = o.columns?.[key];
    if (given === null) return null;
    if (typeof given === 'string') {
      if (!names.includes(given)) {
        throw quiverError('Error', { where, what: `columns.${key} must name a column of ${source}`, got: JSON.stringify(given), tail: `; the table has ${names.map((n) => JSON.stringify(n)).join(', ')}` });
      }
      return given;
    }
    if (given !== undefined) throw quiverError('TypeError', { where, what: `columns.${key} must be a column name or null`, got: describeValue(given) });
    const found = names.find((n) => ALIASES[key].includes(norm(n)));
    if (found === undefined && (key === 'user' || key === 'item')) {
      throw dataInputError(
        'Error',
        where,
        `${source} must have a ${key} column (named like ${ALIASES[key].slice(0, 3).join(', ')}), got columns ${names.map((n) => JSON.stringify(n)).join(', ')}`,
        { option: 'columns', value: `{ ${key}: '<name>' }` },
      );
    }
    return found ?? null;
  };
  const user = pick('user')!;
  const item = pick('item')!;
  const rating = pick('rating');
  const timestamp = pick('timestamp');

  const meta = table.schema.metadata;
  const userJson = meta.get(META_USER_ID_MAP);
  const itemJson = meta.get(META_ITEM_ID_MAP);
  const userCol = getColumn(where, table, user);
  const itemCol = getColumn(where, table, item);
  const isInt32 = (v: Vector) => v.type.typeId === Type.Int && String(v.type) === 'Int32';
  const ratingIsF32 = rating === null || String(getColumn(where, table, rating).type) === 'Float32';
  if (userJson !== undefined && itemJson !== undefined && isInt32(userCol) && isInt32(itemCol) && ratingIsF32 && !o.userIdMap && !o.itemIdMap) {
    // A corrupted file fails in the helpers below: name the reader and the source in the message.
    const inSource = <T>(f: () => T): T => {
      try {
        return f();
      } catch (err) {
        const E = err instanceof TypeError ? TypeError : err instanceof RangeError ? RangeError : Error;
        throw new E(`${where}: ${source} holds inconsistent Quiver data (${(err as Error).message})`);
      }
    };
    const userIdMap = inSource(() => IdMap.fromJSON(userJson));
    const itemIdMap = inSource(() => IdMap.fromJSON(itemJson));
    const cols = inSource(() => takeColumns(where, table, { user, item, ...(rating !== null ? { rating } : {}) }, false, false));
    const timestamps = timestamp === null ? null : timeColumn(where, table, timestamp);
    // Validates index ranges against the maps.
    const checked = inSource(() => new Interactions({ userIds: cols.userIds, itemIds: cols.itemIds, ratings: cols.ratings, timestamps, userIdMap, itemIdMap }));
    // The file's ratings and timestamps are used as they are: check them as every reader does.
    const valid = dropInvalidRows(where, file, { userIds: checked.userIds, itemIds: checked.itemIds, ratings: checked.ratings, timestamps: checked.timestamps }, userIdMap, itemIdMap, onInvalid);
    const unique = meta.get(META_UNIQUE_PAIRS) === 'true';
    const { columns, merged } = unique ? { columns: valid.columns, merged: 0 } : applyDuplicatePolicy(where, valid.columns, userIdMap, itemIdMap, duplicates);
    return Interactions.trusted({
      ...columns,
      userIdMap,
      itemIdMap,
      report: { source, rowsRead: table.numRows, rowsSkipped: valid.rowsSkipped, skippedExamples: valid.skippedExamples, duplicatesMerged: merged, duplicates },
    });
  }
  return fromArraysImpl(
    where,
    source,
    {
      userIds: idValues(where, userCol, user),
      itemIds: idValues(where, itemCol, item),
      ratings: rating === null ? null : numberValues(where, getColumn(where, table, rating), rating),
      timestamps: timestamp === null ? null : timeColumn(where, table, timestamp),
    },
    { duplicates, onInvalid, userIdMap: o.userIdMap, itemIdMap: o.itemIdMap },
    file,
  );
}

interface DenseColumns {
  userIds: Int32Array;
  itemIds: Int32Array;
  ratings: Float32Array | null;
  timestamps: Float64Array | null;
}

/**
 * Checks the ratings (finite, |r| <= MAX_ABS_RATING) and timestamps (finite) of dense columns
 * taken from a Quiver-written table. Valid columns come back as they are (no copy); otherwise
 * the first invalid row is refused (`onInvalid: 'error'`) or the invalid rows are dropped.
 */
function dropInvalidRows(
  where: string,
  file: string | null,
  cols: DenseColumns,
  userIdMap: IdMap,
  itemIdMap: IdMap,
  onInvalid: 'error' | 'skip',
): { columns: DenseColumns; rowsSkipped: number; skippedExamples: SkippedRow[] } {
  const n = cols.userIds.length;
  const badRating = cols.ratings === null ? -1 : firstOutOfRange(cols.ratings, n, MAX_ABS_RATING);
  const badTime = cols.timestamps === null ? -1 : firstOutOfRange(cols.timestamps, n, Number.MAX_VALUE);
  if (badRating < 0 && badTime < 0) return { columns: cols, rowsSkipped: 0, skippedExamples: [] };
  const reason = (k: number): string | null => {
    if (cols.ratings !== null && !(cols.ratings[k] <= MAX_ABS_RATING && cols.ratings[k] >= -MAX_ABS_RATING)) {
      const r = cols.ratings[k];
      return r !== r ? `rating must be a finite number, got NaN` : `rating must be ${RATING_RULE}, got ${r}`;
    }
    if (cols.timestamps !== null && !Number.isFinite(cols.timestamps[k])) return `timestamp must be a finite number, got ${cols.timestamps[k]}`;
    return null;
  };
  if (onInvalid === 'error') {
    const k = badRating < 0 ? badTime : badTime < 0 ? badRating : Math.min(badRating, badTime);
    throw dataInputError('RangeError', where, `${file === null ? '' : `${file}: `}row ${k}: ${reason(k)}`, { option: 'onInvalid', value: 'skip' }, "; pass onInvalid: 'skip' to drop such rows");
  }
  const keep = new Uint8Array(n);
  const skippedExamples: SkippedRow[] = [];
  let m = 0;
  for (let k = 0; k < n; k++) {
    const why = reason(k);
    if (why === null) {
      keep[k] = 1;
      m++;
    } else if (skippedExamples.length < 20) {
      skippedExamples.push({ line: k, text: `${describeValue(userIdMap.toRaw(cols.userIds[k]))}, ${describeValue(itemIdMap.toRaw(cols.itemIds[k]))}`, reason: why });
    }
  }
  const out: DenseColumns = {
    userIds: new Int32Array(m),
    itemIds: new Int32Array(m),
    ratings: cols.ratings === null ? null : new Float32Array(m),
    timestamps: cols.timestamps === null ? null : new Float64Array(m),
  };
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (keep[k] === 0) continue;
    out.userIds[j] = cols.userIds[k];
    out.itemIds[j] = cols.itemIds[k];
    if (out.ratings !== null) out.ratings[j] = cols.ratings![k];
    if (out.timestamps !== null) out.timestamps[j] = cols.timestamps![k];
    j++;
  }
  return { columns: out, rowsSkipped: n - m, skippedExamples };
}

function idValues(where: string, col: Vector, name: string): ArrayLike<RawId> {
  const t = col.type;
  if (t.typeId === Type.Int) {
    const out: RawId[] = new Array(col.length);
    let k = 0;
    for (const d of col.data as Data[]) {
      const v = d.values as ArrayLike<number | bigint>;
      for (let j = 0; j < d.length; j++) {
        const x = v[j];
        out[k++] = typeof x === 'bigint' && x >= -9007199254740991n && x <= 9007199254740991n ? Number(x) : x;
      }
    }
    return out;
  }
  if (t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8 || t.typeId === Type.Dictionary || t.typeId === Type.Float || t.typeId === Type.Utf8View) {
    return Array.from(col as Iterable<RawId>);
  }
  throw quiverError('TypeError', { where, what: `column ${JSON.stringify(name)} must hold integer or string ids`, got: String(t) });
}

function numberValues(where: string, col: Vector, name: string): Float32Array | Float64Array {
  const t = col.type;
  if (t.typeId !== Type.Int && t.typeId !== Type.Float) throw quiverError('TypeError', { where, what: `column ${JSON.stringify(name)} must be numeric`, got: String(t) });
  if (String(t) === 'Float32') return concat(col.data as Data[], Float32Array).values;
  const out = new Float64Array(col.length);
  copyNumbers(col, out);
  return out;
}

/** Timestamps as Float64 seconds-or-whatever-unit-the-column-has; Timestamp/Date types become seconds. */
function timeColumn(where: string, table: Table, name: string): Float64Array {
  const col = getColumn(where, table, name);
  const t = col.type;
  if (String(t) === 'Float64') return concat(col.data as Data[], Float64Array).values;
  if (t.typeId === Type.Int || t.typeId === Type.Float) {
    const v = numberValues(where, col, name);
    return v instanceof Float64Array ? v : Float64Array.from(v);
  }
  if (t.typeId === Type.Timestamp || t.typeId === Type.Date) {
    const out = new Float64Array(col.length);
    for (let k = 0; k < col.length; k++) {
      const v = col.get(k) as number | Date | bigint;
      out[k] = (v instanceof Date ? v.getTime() : Number(v)) / 1000;
    }
    return out;
  }
  throw quiverError('TypeError', { where, what: `column ${JSON.stringify(name)} must be numeric, a Timestamp or a Date`, got: String(t) });
}
