import { writeFile } from 'node:fs/promises';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { checkOneOf, checkOptions, checkPositiveInt, describe } from '../check.js';
import type { Interactions } from '../interactions.js';
import { readBytes, toTable } from './arrow-io.js';
import { fromTableImpl, type FromTableOptions } from './from-table.js';

type ParquetWasm = typeof import('parquet-wasm');
let wasm: ParquetWasm | null = null;

/** Loads parquet-wasm (its Node build, synchronous WebAssembly) on first use. */
async function parquetWasm(): Promise<ParquetWasm> {
  if (wasm === null) wasm = (await import('parquet-wasm')) as ParquetWasm;
  return wasm;
}

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/**
 * Decodes Parquet bytes into an Arrow Table with parquet-wasm, checking the `PAR1` magic at
 * both ends first so a truncated file gets a clear message.
 */
async function parseParquetBytes(where: string, name: string, bytes: Uint8Array): Promise<Table> {
  const n = bytes.length;
  if (n === 0) throw new Error(`${where}: ${name} must be a Parquet file, got an empty file`);
  if (n < 12 || !PAR1.every((b, k) => bytes[k] === b)) throw new Error(`${where}: ${name} must be a Parquet file (starting with PAR1), got other bytes`);
  if (!PAR1.every((b, k) => bytes[n - 4 + k] === b)) throw new Error(`${where}: ${name} is a truncated Parquet file (the closing PAR1 magic is missing); re-write or re-download it`);
  const pq = await parquetWasm();
  let ipc: Uint8Array;
  try {
    const t = pq.readParquet(bytes, { batchSize: 1 << 22 });
    ipc = t.intoIPCStream();
  } catch (err) {
    throw new Error(`${where}: ${name} is not a valid Parquet file (${err instanceof Error ? err.message : String(err)})`);
  }
  return tableFromIPC(ipc);
}

/**
 * Reads a Parquet file (or bytes) into an Arrow Table (for tables that are not interactions).
 * @throws {Error} when the file is missing, empty, truncated or not Parquet.
 * @example
 * const table = await readParquetTable('item-embeddings.parquet');
 */
export async function readParquetTable(source: string | Uint8Array): Promise<Table> {
  const { bytes, name } = await readBytes('readParquetTable', source);
  return parseParquetBytes('readParquetTable', name, bytes);
}

/**
 * Reads interactions from a Parquet file (or bytes), e.g. one written by pandas
 * (`df.to_parquet`), Polars, DuckDB or Spark; columns are found by name (see `fromTable`).
 * Decoding runs in parquet-wasm and is copied out once into Arrow.
 * @throws {Error} when the file is missing, empty, truncated or not Parquet, or a column is
 *   missing, has nulls or has invalid values.
 * @example
 * const data = await readParquet('ratings.parquet', { columns: { user: 'customer', item: 'sku' } });
 */
export async function readParquet(source: string | Uint8Array, options?: FromTableOptions): Promise<Interactions> {
  const { bytes, name } = await readBytes('readParquet', source);
  return fromTableImpl('readParquet', name, await parseParquetBytes('readParquet', name, bytes), options);
}

/** Options of {@link writeParquet}. */
export interface WriteParquetOptions {
  /** Page compression. @defaultValue 'snappy' */
  readonly compression?: 'uncompressed' | 'snappy' | 'gzip' | 'brotli' | 'zstd' | 'lz4';
  /** Maximum rows per row group. @defaultValue 1048576 */
  readonly rowGroupSize?: number;
}

/**
 * Writes interactions (with their id maps in the Arrow schema metadata, which pyarrow keeps)
 * or any Arrow table as a Parquet file.
 * @throws {TypeError} when data is neither an Interactions nor an Arrow table, or an option is wrong.
 * @throws {Error} when encoding or writing fails.
 * @example
 * await writeParquet(data, 'ratings.parquet', { compression: 'zstd' });
 */
export async function writeParquet(data: Interactions | Table, path: string, options?: WriteParquetOptions): Promise<void> {
  const where = 'writeParquet';
  const table = toTable(where, data);
  if (typeof path !== 'string' || path === '') throw new TypeError(`${where}: path must be a non-empty string, got ${describe(path)}`);
  const o = checkOptions(where, options);
  const compression = o.compression === undefined ? 'snappy' : checkOneOf(where, 'options.compression', o.compression, ['uncompressed', 'snappy', 'gzip', 'brotli', 'zstd', 'lz4'] as const);
  const rowGroupSize = o.rowGroupSize === undefined ? 1 << 20 : checkPositiveInt(where, 'options.rowGroupSize', o.rowGroupSize);
  const pq = await parquetWasm();
  const codes = { uncompressed: pq.Compression.UNCOMPRESSED, snappy: pq.Compression.SNAPPY, gzip: pq.Compression.GZIP, brotli: pq.Compression.BROTLI, zstd: pq.Compression.ZSTD, lz4: pq.Compression.LZ4_RAW };
  let bytes: Uint8Array;
  try {
    const props = new pq.WriterPropertiesBuilder().setCompression(codes[compression]).setMaxRowGroupSize(rowGroupSize).build();
    bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
  } catch (err) {
    throw new Error(`${where}: could not encode the table as Parquet (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new Error(`${where}: cannot write ${path}: ${(err as Error).message}`);
  }
}
