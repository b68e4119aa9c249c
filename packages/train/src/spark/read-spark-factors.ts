import { DataType, type Data, type FixedSizeList, type Float, type Int, type List, type Table } from 'apache-arrow';
import { QuiverError, quiverError } from '@quiver/base';
import { IdMap, readParquetTable } from '@quiver/data';
import { sparkParquetFiles } from './spark-parquet-files.js';

/** One side of a Spark ALS model (its `userFactors` or `itemFactors`), read and checked. */
export interface SparkFactors {
  /** Spark's id of each dense row, ascending (dense row r holds the r-th smallest id). */
  readonly idMap: IdMap;
  /** The factors, row-major `idMap.size × rank`: row r is the vector of id `idMap.toRaw(r)`. */
  readonly vectors: Float32Array;
  /** Values per vector (the ALS model's `rank`). */
  readonly rank: number;
  /** The Parquet files read, in the order read. */
  readonly files: readonly string[];
}

/** The rank seen so far and where it was first seen (for the ragged-length message). */
interface RankSource {
  readonly rank: number;
  readonly from: string;
}

/** One file's ids and vectors (in file order). */
interface FactorPart {
  readonly file: string;
  readonly ids: Int32Array;
  /** Row-major `ids.length × rank` (empty for a file without rows). */
  readonly vectors: Float32Array;
}

/**
 * Reads the factors Spark's `ALSModel` writes (`model.userFactors.write.parquet(path)`, or the
 * `userFactors/` / `itemFactors/` folders of `model.save(path)`): a folder of `part-*.parquet`
 * files, or one `.parquet` file, with the schema `id: int`, `features: array<float>` (a Parquet
 * LIST of FLOAT, any list encoding). Other columns are ignored. Rows are ordered by ascending id,
 * so the result does not depend on how Spark partitioned the table. A file with no rows is
 * accepted (Spark writes one for an empty partition) as long as some file has rows.
 * @param where - Prefix of error messages.
 * @param label - Which side it is, for messages (`userFactors` / `itemFactors`).
 * @param path - The folder or the file.
 * @throws {Error} naming the file (and the row, 0-based within the file, with its id) for: a
 *   missing path, a folder without `.parquet` files, an empty or invalid Parquet file, a missing
 *   column, a null id or vector, a vector of another length than the first one, an empty vector,
 *   a NaN or ±Infinity value, an id that appears twice, and no rows at all.
 * @throws {TypeError} when `id` is not int32 or `features` is not a list of float32.
 * @example
 * const { idMap, vectors, rank } = await readSparkFactors('importSparkAls', 'userFactors', 'als-model/userFactors');
 */
export async function readSparkFactors(where: string, label: string, path: string): Promise<SparkFactors> {
  const files = sparkParquetFiles(where, label, path);
  const parts: FactorPart[] = [];
  let seen: RankSource | null = null;
  let total = 0;
  for (const file of files) {
    let table: Table;
    try {
      table = await readParquetTable(file);
    } catch (e) {
      if (e instanceof QuiverError) throw quiverError(e.kind, { where, what: `${label}: ${e.what}`, got: e.got, tail: e.tail });
      throw e;
    }
    const part = factorColumns(where, label, file, table, seen);
    if (seen === null && part.ids.length > 0) seen = { rank: part.vectors.length / part.ids.length, from: `${file} row 0` };
    parts.push(part);
    total += part.ids.length;
  }
  if (seen === null || total === 0) {
    throw quiverError('Error', { where, what: `${label}: ${path} must hold at least one row (Spark ALS writes one row per ${label === 'itemFactors' ? 'item' : 'user'})`, got: `0 rows in ${files.length} file${files.length === 1 ? '' : 's'}` });
  }
  const rank = seen.rank;
  const sorted = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    sorted.set(p.ids, at);
    at += p.ids.length;
  }
  sorted.sort();
  for (let n = 1; n < total; n++) if (sorted[n] === sorted[n - 1]) throw duplicateId(where, label, parts, sorted[n]);
  const idMap = IdMap.fromRawIds(sorted, label === 'itemFactors' ? 'item' : 'user');
  const vectors = new Float32Array(total * rank);
  for (const p of parts) {
    const ids = p.ids;
    const v = p.vectors;
    for (let r = 0; r < ids.length; r++) {
      const to = idMap.get(ids[r]) * rank;
      const from = r * rank;
      for (let f = 0; f < rank; f++) vectors[to + f] = v[from + f];
    }
  }
  return { idMap, vectors, rank, files };
}

/** The message for an id found twice: both places, by file and row. */
function duplicateId(where: string, label: string, parts: readonly FactorPart[], id: number): Error {
  const places: string[] = [];
  for (const p of parts) {
    for (let r = 0; r < p.ids.length && places.length < 2; r++) if (p.ids[r] === id) places.push(`${p.file} row ${r}`);
  }
  return quiverError('Error', { where, what: `${label}: every id must have one row (Spark ALS writes each id once)`, got: `id ${id} at ${places.join(' and at ')}` });
}

const INT32 = (t: DataType): boolean => DataType.isInt(t) && (t as Int).bitWidth === 32 && (t as Int).isSigned;
const FLOAT32 = (t: DataType): boolean => DataType.isFloat(t) && String(t) === 'Float32';

/** Checks one file's schema and copies out its ids and vectors, checking every row. */
function factorColumns(where: string, label: string, file: string, table: Table, seen: RankSource | null): FactorPart {
  const names = table.schema.fields.map((f) => f.name);
  const idCol = table.getChild('id');
  const featCol = table.getChild('features');
  if (idCol === null || featCol === null) {
    throw quiverError('Error', {
      where,
      what: `${label}: ${file} must have the columns "id" (int) and "features" (array<float>) of Spark ALS's factors`,
      got: `columns ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'}`,
    });
  }
  if (!INT32(idCol.type)) {
    throw quiverError('TypeError', { where, what: `${label}: ${file} column "id" must be int32 (Spark ALS writes id: int)`, got: String(idCol.type) });
  }
  const ft = featCol.type as DataType;
  const isList = DataType.isList(ft);
  if (!(isList || DataType.isFixedSizeList(ft)) || !FLOAT32((ft as List | FixedSizeList).children[0].type)) {
    throw quiverError('TypeError', { where, what: `${label}: ${file} column "features" must be a list of float32 (Spark ALS writes features: array<float>)`, got: String(ft) });
  }
  const n = table.numRows;
  const ids = new Int32Array(n);
  let base = 0;
  for (const d of idCol.data as Data<Int>[]) {
    if (d.nullCount > 0) {
      for (let r = 0; r < d.length; r++) {
        if (!d.getValid(r)) throw quiverError('Error', { where, what: `${label}: ${file} row ${base + r}: id must be an int (Spark ALS ids are never null)`, got: 'null' });
      }
    }
    // apache-arrow slices a chunk's value and offset buffers; `offset` only places it in the validity bitmap.
    ids.set((d.values as Int32Array).subarray(0, d.length), base);
    base += d.length;
  }
  if (n === 0) return { file, ids, vectors: new Float32Array(0) };
  const row = (r: number): string => `${file} row ${r} (id ${ids[r]})`;
  let rank = seen?.rank ?? -1;
  let from = seen?.from ?? '';
  let vectors: Float32Array | null = seen === null ? null : new Float32Array(n * rank);
  base = 0;
  for (const d of featCol.data as Data<List<Float> | FixedSizeList<Float>>[]) {
    const child = d.children[0] as Data<Float>;
    const values = child.values as Float32Array;
    const size = isList ? 0 : (ft as FixedSizeList).listSize;
    const offsets = isList ? (d as Data<List<Float>>).valueOffsets : null;
    const rowNulls = d.nullCount > 0;
    const valueNulls = child.nullCount > 0;
    for (let r = 0; r < d.length; r++) {
      const fileRow = base + r;
      if (rowNulls && !d.getValid(r)) throw quiverError('Error', { where, what: `${label}: ${row(fileRow)}: features must be a vector`, got: 'null' });
      const start = offsets === null ? r * size : offsets[r];
      const end = offsets === null ? start + size : offsets[r + 1];
      const len = end - start;
      if (vectors === null) {
        if (len === 0) throw quiverError('Error', { where, what: `${label}: ${row(fileRow)}: features must hold at least one value (the rank)`, got: 'an empty list' });
        rank = len;
        from = `${file} row ${fileRow}`;
        vectors = new Float32Array(n * rank);
      }
      if (len !== rank) {
        throw quiverError('Error', { where, what: `${label}: ${row(fileRow)}: features must have ${rank} values like every vector (the rank, from ${from})`, got: `${len} values` });
      }
      const to = fileRow * rank;
      for (let f = 0; f < rank; f++) {
        const e = start + f;
        if (valueNulls && !child.getValid(e)) throw quiverError('Error', { where, what: `${label}: ${row(fileRow)}: features[${f}] must be a number`, got: 'null' });
        const x = values[e];
        if (!Number.isFinite(x)) throw quiverError('Error', { where, what: `${label}: ${row(fileRow)}: features must be finite`, got: `${x} at [${f}]` });
        vectors[to + f] = x;
      }
    }
    base += d.length;
  }
  return { file, ids, vectors: vectors! };
}
