import { Field, FixedSizeList, Float32, Table, Type, Utf8, Vector, isArrowTable, makeData, makeVector, vectorFromArray, type Data } from 'apache-arrow';
import { checkOptions, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { IdMap } from '../id-map.js';
import { getColumn } from './columns-from-table.js';

/** Options of {@link tableFromEmbeddings}. */
export interface TableFromEmbeddingsOptions {
  /** Raw ids of the rows (an id map, e.g. `data.itemIdMap`), written as an `id` column (Utf8, Float64 or Int64 by kind). @defaultValue none */
  readonly ids?: IdMap;
  /** Name of the vector column. @defaultValue 'embedding' */
  readonly column?: string;
}

/**
 * Wraps a row-major embedding matrix (numRows × dim) as an Arrow table with an `index`
 * column (Int32 0..numRows-1), an optional `id` column of raw ids, and a
 * `FixedSizeList<Float32>[dim]` column that shares the matrix's memory (no copy). Write it
 * with `writeArrow` / `writeParquet`.
 * @param vectors - Row-major, numRows × dim.
 * @throws {TypeError} when vectors is not a Float32Array, ids is not an IdMap, column is not a non-empty string, or an option name is unknown.
 * @throws {RangeError} when dim does not divide the length or the ids do not match numRows.
 * @example
 * const table = tableFromEmbeddings(itemFactors, 32, { ids: data.itemIdMap });
 * await writeParquet(table, 'items.parquet');
 */
export function tableFromEmbeddings(vectors: Float32Array, dim: number, options?: TableFromEmbeddingsOptions): Table {
  const where = 'tableFromEmbeddings';
  if (!(vectors instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'vectors must be a Float32Array', got: describeValue(vectors) });
  checkPositiveInt(where, 'dim', dim);
  if (vectors.length % dim !== 0) throw quiverError('RangeError', { where, what: `vectors.length must be a multiple of dim (${dim})`, got: String(vectors.length) });
  const o = checkOptions(where, options, ['ids', 'column']);
  if (o.column !== undefined && (typeof o.column !== 'string' || o.column === '')) {
    throw quiverError('TypeError', { where, what: 'options.column must be a non-empty string', got: describeValue(o.column) });
  }
  const numRows = vectors.length / dim;
  const column = o.column ?? 'embedding';
  const child = makeData({ type: new Float32(), length: vectors.length, data: vectors });
  const type = new FixedSizeList(dim, new Field('item', new Float32(), false));
  const cols: Record<string, Vector> = {};
  cols.index = makeVector(Int32Array.from({ length: numRows }, (_, k) => k));
  if (o.ids !== undefined) {
    if (!(o.ids instanceof IdMap)) throw quiverError('TypeError', { where, what: 'options.ids must be an IdMap', got: describeValue(o.ids) });
    if (o.ids.size !== numRows) throw quiverError('RangeError', { where, what: `options.ids must have ${numRows} ids (one per row)`, got: String(o.ids.size) });
    const raws = o.ids.rawIds();
    if (raws.every((r) => typeof r === 'number')) cols.id = makeVector(Float64Array.from(raws as number[]));
    else if (raws.every((r) => typeof r === 'bigint')) cols.id = makeVector(BigInt64Array.from(raws as bigint[]));
    else cols.id = vectorFromArray(raws.map(String), new Utf8());
  }
  cols[column] = new Vector([makeData({ type, length: numRows, nullCount: 0, child })]);
  return new Table(cols);
}

/**
 * Reads a `FixedSizeList<Float32>` column back into a row-major Float32Array (a view when the
 * column has one chunk, else one copy).
 * @returns `{ vectors, dim, numRows }`.
 * @throws {TypeError} when the column is not a FixedSizeList of Float32.
 * @throws {Error} when the column is missing or has nulls.
 * @example
 * const { vectors, dim } = embeddingsFromTable(await readParquetTable('items.parquet'));
 */
export function embeddingsFromTable(table: Table, column = 'embedding'): {
  /** The vectors, row-major, `numRows * dim` values (row r at `[r * dim, (r + 1) * dim)`). */
  vectors: Float32Array;
  /** Length of each vector (the FixedSizeList size). */
  dim: number;
  /** Number of rows (vectors) in the column. */
  numRows: number;
} {
  const where = 'embeddingsFromTable';
  if (!isArrowTable(table)) throw quiverError('TypeError', { where, what: 'table must be an Arrow Table', got: describeValue(table) });
  const col = getColumn(where, table, column);
  const t = col.type;
  if (t.typeId !== Type.FixedSizeList || String((t as FixedSizeList).children[0].type) !== 'Float32') {
    throw quiverError('TypeError', { where, what: `column ${JSON.stringify(column)} must be FixedSizeList<Float32>`, got: String(t) });
  }
  const dim = (t as FixedSizeList).listSize;
  const numRows = col.length;
  const chunks = col.data as Data<FixedSizeList>[];
  const view = (d: Data<FixedSizeList>) => {
    const c = d.children[0];
    const v = c.values as Float32Array;
    return v.subarray(0, d.length * dim);
  };
  if (chunks.length === 1) return { vectors: view(chunks[0]), dim, numRows };
  const out = new Float32Array(numRows * dim);
  let k = 0;
  for (const d of chunks) {
    const v = view(d);
    out.set(v, k);
    k += v.length;
  }
  return { vectors: out, dim, numRows };
}
