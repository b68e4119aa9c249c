import { Precision, Type, isArrowTable, util, type Data, type Table, type Vector } from 'apache-arrow';
import { describeValue, MAX_ABS_RATING, RATING_RULE, quiverError } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import { firstOutOfRange } from '../kernels/first-out-of-range.js';

/** Typed-array columns taken from an Arrow table (see {@link columnsFromTable}). */
export interface InteractionColumns {
  /** User index per row (Int32). */
  readonly userIds: Int32Array;
  /** Item index per row (Int32). */
  readonly itemIds: Int32Array;
  /** Rating per row (Float32), or null when no rating column was named. */
  readonly ratings: Float32Array | null;
  /** True when at least one column had to be copied (several chunks, or a converted type). */
  readonly copied: boolean;
}

/** Column names for {@link columnsFromTable}. */
export interface ColumnNames {
  /** Name of the Int32 user index column. */
  readonly user: string;
  /** Name of the Int32 item index column. */
  readonly item: string;
  /** Name of the Float32 rating column. @defaultValue none */
  readonly rating?: string;
}

/** Options of {@link columnsFromTable}. */
export interface ColumnsFromTableOptions {
  /** Convert Int64/Int16/Int8/Uint* id columns and Float64 ratings (a copy) instead of throwing. @defaultValue false */
  readonly convert?: boolean;
}

/**
 * Takes already-dense index columns out of an Arrow table as typed arrays, without copying
 * when possible: a single-chunk Int32 / Float32 column gives a view of its buffer (never write
 * into it; `.slice()` first); a multi-chunk column is copied once and `copied` is true.
 * Int64 (BigInt64Array) and Float64 columns are refused unless `{ convert: true }`.
 * Columns with nulls are refused (apache-arrow's `toArray()` would turn them into 0 silently),
 * and so are ratings that are not finite numbers with |rating| <= {@link MAX_ABS_RATING}
 * (checked before any float32 conversion; one pass over the column).
 * @throws {TypeError} when table is not an Arrow table, a column has another type, or
 *   (without convert) Int64/Float64 (a `QuiverError` (from `@quiver/base`) with the hint `convert`).
 * @throws {RangeError} when a rating is out of range or a converted id does not fit in Int32.
 * @throws {Error} when a column is missing or has nulls.
 * @example
 * const { userIds, itemIds, ratings, copied } = columnsFromTable(table, { user: 'user', item: 'item', rating: 'rating' });
 */
export function columnsFromTable(table: Table, names: ColumnNames, options?: ColumnsFromTableOptions): InteractionColumns {
  const where = 'columnsFromTable';
  if (!isArrowTable(table)) throw quiverError('TypeError', { where, what: 'table must be an Arrow Table', got: describeValue(table) });
  if (names === null || typeof names !== 'object' || typeof names.user !== 'string' || typeof names.item !== 'string') {
    throw quiverError('TypeError', { where, what: 'names must be { user: string, item: string, rating?: string }', got: describeValue(names) });
  }
  return takeColumns(where, table, names, options?.convert ?? false, true);
}

/**
 * @internal columnsFromTable without the argument checks; `checkRatings: false` leaves the
 * rating range to the caller (fromTable checks it with its onInvalid policy).
 */
export function takeColumns(where: string, table: Table, names: ColumnNames, convert: boolean, checkRatings: boolean): InteractionColumns {
  const user = int32Column(where, table, names.user, convert);
  const item = int32Column(where, table, names.item, convert);
  const rating = names.rating === undefined ? null : float32Column(where, table, names.rating, convert, checkRatings);
  return { userIds: user.values, itemIds: item.values, ratings: rating?.values ?? null, copied: user.copied || item.copied || (rating?.copied ?? false) };
}

/** The named column, checked for presence and nulls. */
export function getColumn(where: string, table: Table, name: string): Vector {
  const col = table.getChild(name);
  if (col === null) {
    const have = table.schema.fields.map((f) => JSON.stringify(f.name)).join(', ');
    throw quiverError('Error', { where, what: `column ${JSON.stringify(name)} must exist`, got: `columns ${have || '(none)'}` });
  }
  if (col.nullCount > 0) throw quiverError('Error', { where, what: `column ${JSON.stringify(name)} has ${col.nullCount} nulls; drop or fill them first` });
  return col;
}

function int32Column(where: string, table: Table, name: string, convert: boolean): { values: Int32Array; copied: boolean } {
  const col = getColumn(where, table, name);
  const t = col.type;
  if (t.typeId === Type.Int && t.bitWidth === 32 && t.isSigned) return concat(col.data as Data[], Int32Array) as { values: Int32Array; copied: boolean };
  if (t.typeId === Type.Int) {
    if (!convert) {
      throw dataInputError('TypeError', where, `column ${JSON.stringify(name)} must be Int32, got ${t}`, { option: 'convert', value: 'true' }, '; cast it to Int32 or pass { convert: true } to copy-convert');
    }
    const out = new Int32Array(col.length);
    let k = 0;
    for (const d of col.data) {
      const v = d.values as ArrayLike<number | bigint>;
      for (let j = 0; j < d.length; j++) {
        const x = Number(v[j]);
        if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) throw quiverError('RangeError', { where, what: `column ${JSON.stringify(name)}[${k}] must fit in Int32`, got: String(x) });
        out[k++] = x;
      }
    }
    return { values: out, copied: true };
  }
  throw quiverError('TypeError', { where, what: `column ${JSON.stringify(name)} must be Int32`, got: String(t) });
}

function float32Column(where: string, table: Table, name: string, convert: boolean, check: boolean): { values: Float32Array; copied: boolean } {
  const col = getColumn(where, table, name);
  const t = col.type;
  if (t.typeId === Type.Float && String(t) === 'Float32') {
    const got = concat(col.data as Data[], Float32Array) as { values: Float32Array; copied: boolean };
    if (check) checkRatings(where, name, got.values, firstOutOfRange(got.values, got.values.length, MAX_ABS_RATING));
    return got;
  }
  if (t.typeId === Type.Float || t.typeId === Type.Int) {
    if (!convert) {
      throw dataInputError('TypeError', where, `column ${JSON.stringify(name)} must be Float32, got ${t}`, { option: 'convert', value: 'true' }, '; cast it to Float32 or pass { convert: true } to copy-convert');
    }
    // Checked on the source values: 1e39 would become Infinity in float32, 3.5e38 would not but its square would.
    const out = new Float32Array(col.length);
    const bad = copyNumbers(col, out, MAX_ABS_RATING);
    if (check && bad >= 0) checkRatings(where, name, sourceNumber(col, bad), bad);
    return { values: out, copied: true };
  }
  throw quiverError('TypeError', { where, what: `column ${JSON.stringify(name)} must be Float32`, got: String(t) });
}

/** Throws for the rating at row `bad` (when >= 0) that is out of range. */
function checkRatings(where: string, name: string, values: ArrayLike<number> | number, bad: number): void {
  if (bad < 0) return;
  const r = typeof values === 'number' ? values : values[bad];
  throw dataInputError('RangeError', where, `column ${JSON.stringify(name)}[${bad}] must be ${RATING_RULE}, got ${r}`);
}

/** The value at row k of a numeric column as a number (before any float32 conversion). */
function sourceNumber(col: Vector, k: number): number {
  const v = col.get(k) as number | bigint;
  return Number(v);
}

/**
 * One chunk: a zero-copy view; several: one copy. (In apache-arrow 21 a chunk's `values` is
 * already sliced to the chunk: `offset` only concerns the validity bitmap.)
 */
export function concat<T extends Int32Array | Float32Array | Float64Array>(chunks: Data[], Ctor: { new (n: number): T }): { values: T; copied: boolean } {
  if (chunks.length === 1) {
    const d = chunks[0];
    return { values: (d.values as T).subarray(0, d.length) as T, copied: false };
  }
  let n = 0;
  for (const d of chunks) n += d.length;
  const out = new Ctor(n);
  let k = 0;
  for (const d of chunks) {
    out.set((d.values as T).subarray(0, d.length), k);
    k += d.length;
  }
  return { values: out, copied: true };
}

/**
 * Copies a numeric (Int or Float) column into `out` as numbers, chunk by chunk. Float16 values
 * are stored as raw half-precision bits and are decoded here (reading them as numbers would
 * give the bit patterns, e.g. 15872 for 1.5). Returns the first row whose value (before it is
 * stored in `out`) is NaN or has |value| > bound, or -1.
 */
export function copyNumbers(col: Vector, out: Float32Array | Float64Array, bound = Infinity): number {
  const half = col.type.typeId === Type.Float && col.type.precision === Precision.HALF;
  const lo = -bound;
  let bad = -1;
  let k = 0;
  for (const d of col.data as Data[]) {
    const v = d.values as ArrayLike<number | bigint>;
    for (let j = 0; j < d.length; j++) {
      const x = half ? util.uint16ToFloat64(v[j] as number) : Number(v[j]);
      if (bad < 0 && !(x <= bound && x >= lo)) bad = k;
      out[k++] = x;
    }
  }
  return bad;
}
