import { Precision, Type, isArrowTable, util, type Data, type Table, type Vector } from 'apache-arrow';
import { describe } from '../check.js';

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
 * Columns with nulls are refused (apache-arrow's `toArray()` would turn them into 0 silently).
 * @throws {TypeError} when table is not an Arrow table, a column has another type, or
 *   (without convert) Int64/Float64.
 * @throws {Error} when a column is missing or has nulls.
 * @example
 * const { userIds, itemIds, ratings, copied } = columnsFromTable(table, { user: 'user', item: 'item', rating: 'rating' });
 */
export function columnsFromTable(table: Table, names: ColumnNames, options?: ColumnsFromTableOptions): InteractionColumns {
  const where = 'columnsFromTable';
  if (!isArrowTable(table)) throw new TypeError(`${where}: table must be an Arrow Table, got ${describe(table)}`);
  if (names === null || typeof names !== 'object' || typeof names.user !== 'string' || typeof names.item !== 'string') {
    throw new TypeError(`${where}: names must be { user: string, item: string, rating?: string }, got ${describe(names)}`);
  }
  const convert = options?.convert ?? false;
  const user = int32Column(where, table, names.user, convert);
  const item = int32Column(where, table, names.item, convert);
  const rating = names.rating === undefined ? null : float32Column(where, table, names.rating, convert);
  return { userIds: user.values, itemIds: item.values, ratings: rating?.values ?? null, copied: user.copied || item.copied || (rating?.copied ?? false) };
}

/** The named column, checked for presence and nulls. */
export function getColumn(where: string, table: Table, name: string): Vector {
  const col = table.getChild(name);
  if (col === null) {
    const have = table.schema.fields.map((f) => JSON.stringify(f.name)).join(', ');
    throw new Error(`${where}: column ${JSON.stringify(name)} must exist, got columns ${have || '(none)'}`);
  }
  if (col.nullCount > 0) throw new Error(`${where}: column ${JSON.stringify(name)} has ${col.nullCount} nulls; drop or fill them first`);
  return col;
}

function int32Column(where: string, table: Table, name: string, convert: boolean): { values: Int32Array; copied: boolean } {
  const col = getColumn(where, table, name);
  const t = col.type;
  if (t.typeId === Type.Int && t.bitWidth === 32 && t.isSigned) return concat(col.data as Data[], Int32Array) as { values: Int32Array; copied: boolean };
  if (t.typeId === Type.Int) {
    if (!convert) {
      throw new TypeError(`${where}: column ${JSON.stringify(name)} must be Int32, got ${t}; cast it to Int32 or pass { convert: true } to copy-convert`);
    }
    const out = new Int32Array(col.length);
    let k = 0;
    for (const d of col.data) {
      const v = d.values as ArrayLike<number | bigint>;
      for (let j = 0; j < d.length; j++) {
        const x = Number(v[j]);
        if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) throw new RangeError(`${where}: column ${JSON.stringify(name)}[${k}] must fit in Int32, got ${x}`);
        out[k++] = x;
      }
    }
    return { values: out, copied: true };
  }
  throw new TypeError(`${where}: column ${JSON.stringify(name)} must be Int32, got ${t}`);
}

function float32Column(where: string, table: Table, name: string, convert: boolean): { values: Float32Array; copied: boolean } {
  const col = getColumn(where, table, name);
  const t = col.type;
  if (t.typeId === Type.Float && String(t) === 'Float32') return concat(col.data as Data[], Float32Array) as { values: Float32Array; copied: boolean };
  if (t.typeId === Type.Float || t.typeId === Type.Int) {
    if (!convert) throw new TypeError(`${where}: column ${JSON.stringify(name)} must be Float32, got ${t}; cast it to Float32 or pass { convert: true } to copy-convert`);
    const out = new Float32Array(col.length);
    copyNumbers(col, out);
    return { values: out, copied: true };
  }
  throw new TypeError(`${where}: column ${JSON.stringify(name)} must be Float32, got ${t}`);
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
 * give the bit patterns, e.g. 15872 for 1.5).
 */
export function copyNumbers(col: Vector, out: Float32Array | Float64Array): void {
  const half = col.type.typeId === Type.Float && col.type.precision === Precision.HALF;
  let k = 0;
  for (const d of col.data as Data[]) {
    const v = d.values as ArrayLike<number | bigint>;
    if (half) for (let j = 0; j < d.length; j++) out[k++] = util.uint16ToFloat64(v[j] as number);
    else for (let j = 0; j < d.length; j++) out[k++] = Number(v[j]);
  }
}
