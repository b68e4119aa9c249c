import {
  Dictionary, Field, Float32, Float64, Int32, Int64, List, RecordBatch, Schema, Struct, Table, Utf8, makeData, vectorFromArray,
  type Data, type DataType, type Vector,
} from 'apache-arrow';
import type { IdMap } from '@quiver/data';

/** How a map's raw ids are written: the Arrow (and Parquet) type of the id column. */
export type RawIdKind = 'int32' | 'int64' | 'float64' | 'utf8';

/**
 * The raw ids of an id map by dense index, in the narrowest type that holds them as they are:
 * int32 for integers that fit, int64 for other integers (numbers up to 2^53 and bigints),
 * float64 for other numbers, else strings (numbers and bigints mixed in with strings, and
 * bigints beyond int64, as their decimal text).
 */
export interface RawIdColumn {
  /** The type chosen. */
  readonly kind: RawIdKind;
  /** Raw id of each dense index. */
  readonly values: Int32Array | BigInt64Array | Float64Array;
  /** `utf8` only: the ids as an Arrow dictionary (dense index → string), else null. */
  readonly dictionary: Vector<Utf8> | null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The raw ids of `map` by dense index, in the narrowest type that holds them exactly (see
 * {@link RawIdColumn}).
 * @example
 * rawIdColumn(IdMap.fromRawIds([10, 20])).kind; // 'int32'
 */
export function rawIdColumn(map: IdMap): RawIdColumn {
  if (map.isIdentity) return { kind: 'int32', values: Int32Array.from({ length: map.size }, (_, i) => i), dictionary: null };
  const raws = map.rawIds();
  let strings = false;
  let bigints = false;
  let int32 = true;
  let int64 = true;
  for (const r of raws) {
    if (typeof r === 'string') strings = true;
    else if (typeof r === 'bigint') {
      bigints = true;
      if (r < -2147483648n || r > 2147483647n) int32 = false;
      if (r < INT64_MIN || r > INT64_MAX) int64 = false;
    } else {
      if (!Number.isInteger(r) || r < -2147483648 || r > 2147483647) int32 = false;
      if (!Number.isSafeInteger(r)) int64 = false;
    }
  }
  if (strings || (bigints && !int64)) {
    return { kind: 'utf8', values: new Int32Array(0), dictionary: vectorFromArray(raws.map(String), new Utf8()) };
  }
  if (int32) return { kind: 'int32', values: Int32Array.from(raws, Number), dictionary: null };
  if (int64) return { kind: 'int64', values: BigInt64Array.from(raws, (r) => BigInt(r)), dictionary: null };
  return { kind: 'float64', values: Float64Array.from(raws as number[]), dictionary: null };
}

/**
 * The raw ids of the dense indices `dense` as Arrow data: a gather from the per-index values,
 * or, for strings, a dictionary column whose indices are `dense` itself (no copy).
 */
function rawIdData(col: RawIdColumn, dense: Int32Array): Data {
  const n = dense.length;
  if (col.kind === 'utf8') return makeData({ type: new Dictionary(new Utf8(), new Int32()), length: n, nullCount: 0, data: dense, dictionary: col.dictionary! });
  if (col.kind === 'int32') {
    const v = col.values as Int32Array;
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = v[dense[k]];
    return makeData({ type: new Int32(), length: n, nullCount: 0, data: out });
  }
  if (col.kind === 'int64') {
    const v = col.values as BigInt64Array;
    const out = new BigInt64Array(n);
    for (let k = 0; k < n; k++) out[k] = v[dense[k]];
    return makeData({ type: new Int64(), length: n, nullCount: 0, data: out });
  }
  const v = col.values as Float64Array;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = v[dense[k]];
  return makeData({ type: new Float64(), length: n, nullCount: 0, data: out });
}

/** One record batch of non-null columns. */
function tableOf(names: readonly string[], columns: readonly Data[]): Table {
  const fields = columns.map((d, k) => new Field(names[k], d.type as DataType, false));
  const length = columns.length === 0 ? 0 : columns[0].length;
  const data = makeData<Struct>({ type: new Struct(fields), length, nullCount: 0, children: [...columns] });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

/**
 * Rows `[start, end)` of a factor table as Spark ALS stores it: `id: int32`, `features:
 * list<float32>` (written to Parquet as a LIST of FLOAT, the 3-level encoding Spark writes),
 * neither nullable. The vectors are shared, not copied.
 * @param ids - Spark's id of each row.
 * @param vectors - Row-major `ids.length × rank`.
 * @example
 * await writeParquet(sparkFactorTable(ids, vectors, 8, 0, ids.length), 'userFactors/part-00000.parquet');
 */
export function sparkFactorTable(ids: Int32Array, vectors: Float32Array, rank: number, start: number, end: number): Table {
  const n = end - start;
  const child = makeData({ type: new Float32(), length: n * rank, nullCount: 0, data: vectors.subarray(start * rank, end * rank) });
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r <= n; r++) offsets[r] = r * rank;
  const features = makeData({ type: new List(new Field('element', new Float32(), false)), length: n, nullCount: 0, valueOffsets: offsets, child });
  const id = makeData({ type: new Int32(), length: n, nullCount: 0, data: ids.subarray(start, end) });
  return tableOf(['id', 'features'], [id, features]);
}

/** The columns of an interactions export, by dense index, with the raw ids to write. */
export interface SparkInteractionColumns {
  /** Raw user ids by dense user index. */
  readonly users: RawIdColumn;
  /** Raw item ids by dense item index. */
  readonly items: RawIdColumn;
  /** Dense user index per row. */
  readonly userIds: Int32Array;
  /** Dense item index per row. */
  readonly itemIds: Int32Array;
  /** Rating per row, or null (then every row's rating is 1). */
  readonly ratings: Float32Array | null;
  /** Timestamp per row, or null (then there is no timestamp column). */
  readonly timestamps: BigInt64Array | null;
}

/**
 * Rows `[start, end)` of interactions as Spark reads them for `ALS(userCol="user",
 * itemCol="item", ratingCol="rating")`: `user` and `item` with the raw ids (see
 * {@link RawIdColumn}), `rating: float32` (1 for data without ratings) and, when present,
 * `timestamp: int64`; no column nullable.
 * @example
 * await writeParquet(sparkInteractionsTable(cols, 0, cols.userIds.length), 'interactions/part-00000.parquet');
 */
export function sparkInteractionsTable(cols: SparkInteractionColumns, start: number, end: number): Table {
  const n = end - start;
  const names = ['user', 'item', 'rating'];
  const ratings = cols.ratings === null ? new Float32Array(n).fill(1) : cols.ratings.subarray(start, end);
  const columns: Data[] = [
    rawIdData(cols.users, cols.userIds.subarray(start, end)),
    rawIdData(cols.items, cols.itemIds.subarray(start, end)),
    makeData({ type: new Float32(), length: n, nullCount: 0, data: ratings }),
  ];
  if (cols.timestamps !== null) {
    names.push('timestamp');
    columns.push(makeData({ type: new Int64(), length: n, nullCount: 0, data: cols.timestamps.subarray(start, end) }));
  }
  return tableOf(names, columns);
}
