import { openAsBlob } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { RecordBatch, Schema, Table, Vector, makeVector, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';
import { checkOneOf, checkOptions, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { checkMaxBytes, checkMaxBytesOption } from '../check.js';
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

/** Checks the `PAR1` magic at both ends so that empty, foreign and truncated files get clear messages. */
function checkMagic(where: string, name: string, size: number, head: Uint8Array, tail: Uint8Array): void {
  if (size === 0) throw quiverError('Error', { where, what: `${name} must be a Parquet file`, got: 'an empty file' });
  if (size < 12 || !PAR1.every((b, k) => head[k] === b)) throw quiverError('Error', { where, what: `${name} must be a Parquet file (starting with PAR1)`, got: 'other bytes' });
  if (!PAR1.every((b, k) => tail[k] === b)) throw quiverError('Error', { where, what: `${name} is a truncated Parquet file (the closing PAR1 magic is missing); re-write or re-download it` });
}

/** Row groups of an open Parquet file and their total row count (frees the metadata it reads). */
function rowGroups(file: { metadata(): { numRowGroups(): number; rowGroup(g: number): { numRows(): number; free(): void }; free(): void } }): { numGroups: number; total: number } {
  const meta = file.metadata();
  const numGroups = meta.numRowGroups();
  let total = 0;
  for (let g = 0; g < numGroups; g++) {
    const rg = meta.rowGroup(g);
    total += rg.numRows();
    rg.free();
  }
  meta.free();
  return { numGroups, total };
}

/**
 * Decodes a Parquet file (path) or bytes into an Arrow Table with parquet-wasm, one row group
 * at a time (in batches of 64Ki rows), copying each group out at once. From a path the file is
 * read through a file-backed Blob, so neither JavaScript nor WebAssembly memory ever holds the
 * whole file: only the byte ranges of the group being decoded.
 */
async function decodeParquet(where: string, source: string | Uint8Array, maxBytes?: number): Promise<{ table: Table; name: string }> {
  let name: string;
  let bytes: Uint8Array | null = null;
  let blob: Blob | null = null;
  if (typeof source === 'string' && source !== '') {
    name = source;
    let fh: FileHandle | null = null;
    try {
      fh = await open(source, 'r');
      const size = (await fh.stat()).size;
      checkMaxBytes(where, name, size, maxBytes);
      const head = Buffer.alloc(4);
      const tail = Buffer.alloc(4);
      if (size >= 4) {
        await fh.read(head, 0, 4, 0);
        await fh.read(tail, 0, 4, size - 4);
      }
      await fh.close();
      fh = null;
      checkMagic(where, name, size, head, tail);
      blob = await openAsBlob(source);
    } catch (err) {
      if (fh !== null) await fh.close();
      const msg = (err as Error).message;
      if (msg.startsWith(`${where}: `)) throw err; // ours already (e.g. over maxBytes), with its class and fields
      throw quiverError('Error', { where, what: `cannot read ${source}: ${msg}` });
    }
  } else {
    const got = await readBytes(where, source, maxBytes);
    name = got.name;
    bytes = got.bytes;
    checkMagic(where, name, bytes.length, bytes.subarray(0, 4), bytes.subarray(bytes.length - 4));
  }
  const pq = await parquetWasm();
  try {
    if (blob !== null) {
      const file = await pq.ParquetFile.fromFile(blob);
      const { numGroups, total } = rowGroups(file);
      // The async reader leaves the Arrow schema metadata (Quiver's id maps) out of its
      // batches: take it from the file's schema.
      const schema = file.schema();
      const schemaMeta = new Map(schema.metadata());
      schema.free();
      const withMeta = (t: Table) => new Table(new Schema(t.schema.fields, new Map([...t.schema.metadata, ...schemaMeta])), t.batches);
      try {
        if (numGroups <= 1) return { table: withMeta(tableFromIPC((await file.read({ batchSize: 1 << 16 })).intoIPCStream())), name };
        const merger = new GroupMerger(total);
        for (let g = 0; g < numGroups; g++) merger.add(tableFromIPC((await file.read({ rowGroups: [g], batchSize: 1 << 16 })).intoIPCStream()));
        return { table: withMeta(merger.finish()), name };
      } finally {
        file.free();
      }
    }
    const data = bytes!;
    const file = await pq.ParquetFile.fromFile(new Blob([data]));
    const { numGroups, total } = rowGroups(file);
    file.free();
    if (numGroups <= 1) return { table: tableFromIPC(pq.readParquet(data, { batchSize: 1 << 16 }).intoIPCStream()), name };
    const merger = new GroupMerger(total);
    for (let g = 0; g < numGroups; g++) merger.add(tableFromIPC(pq.readParquet(data, { rowGroups: [g], batchSize: 1 << 16 }).intoIPCStream()));
    return { table: merger.finish(), name };
  } catch (err) {
    throw quiverError('Error', { where, what: `${name} is not a valid Parquet file (${err instanceof Error ? err.message : String(err)})` });
  }
}

type Primitive = Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array | Float32Array | Float64Array;
const PRIMITIVE = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64', 'Float32', 'Float64']);

/**
 * Joins row-group tables as they are decoded. Null-free primitive columns are copied into one
 * typed array each (readers then get single-chunk, zero-copy columns, and each group's
 * buffers can go at once); other columns (strings, dictionaries, nullable) keep their chunks.
 */
class GroupMerger {
  private schema: Schema | null = null;
  private readonly out = new Map<string, Primitive>();
  private readonly chunks = new Map<string, Data[]>();
  private at = 0;
  constructor(private readonly total: number) {}

  add(t: Table): void {
    if (this.schema === null) this.schema = t.schema;
    for (const field of this.schema.fields) {
      const name = field.name;
      const col = t.getChild(name)!;
      let out = this.out.get(name);
      const list = this.chunks.get(name);
      if (list === undefined && col.nullCount === 0 && PRIMITIVE.has(String(field.type))) {
        let k = this.at;
        for (const d of col.data) {
          const v = d.values as Primitive;
          if (out === undefined) {
            out = new (v.constructor as new (n: number) => Primitive)(this.total);
            this.out.set(name, out);
          }
          (out as Int32Array).set(v.subarray(0, d.length) as Int32Array, k);
          k += d.length;
        }
      } else {
        // Not (or no longer) copyable: keep chunks, turning what was copied so far into one.
        let l = list;
        if (l === undefined) {
          l = out !== undefined ? [...makeVector((out as Int32Array).subarray(0, this.at)).data] : [];
          this.out.delete(name);
          this.chunks.set(name, l);
        }
        l.push(...col.data);
      }
    }
    this.at += t.numRows;
  }

  finish(): Table {
    const schema = this.schema!;
    const cols: Record<string, Vector> = {};
    for (const field of schema.fields) {
      const out = this.out.get(field.name);
      cols[field.name] = out !== undefined ? makeVector(out as Int32Array) : new Vector(this.chunks.get(field.name)!);
    }
    const merged = new Table(cols);
    return new Table(new Schema(merged.schema.fields, schema.metadata), merged.batches);
  }
}

/**
 * Reads a Parquet file (or bytes) into an Arrow Table (for tables that are not interactions).
 * @throws {Error} when the file is missing, empty, truncated or not Parquet.
 * @example
 * const table = await readParquetTable('item-embeddings.parquet');
 */
export async function readParquetTable(source: string | Uint8Array, options?: { readonly maxBytes?: number }): Promise<Table> {
  const o = checkOptions('readParquetTable', options, ['maxBytes']);
  return (await decodeParquet('readParquetTable', source, checkMaxBytesOption('readParquetTable', o.maxBytes))).table;
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
  const maxBytes = checkMaxBytesOption('readParquet', checkOptions('readParquet', options).maxBytes);
  const { table, name } = await decodeParquet('readParquet', source, maxBytes);
  return fromTableImpl('readParquet', name, table, options, name);
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
  if (typeof path !== 'string' || path === '') throw quiverError('TypeError', { where, what: 'path must be a non-empty string', got: describeValue(path) });
  const o = checkOptions(where, options, ['compression', 'rowGroupSize']);
  const compression = o.compression === undefined ? 'snappy' : checkOneOf(where, 'options.compression', o.compression, ['uncompressed', 'snappy', 'gzip', 'brotli', 'zstd', 'lz4'] as const);
  const rowGroupSize = o.rowGroupSize === undefined ? 1 << 20 : checkPositiveInt(where, 'options.rowGroupSize', o.rowGroupSize);
  async function* slices(): AsyncGenerator<Table> {
    for (let a = 0; a < table.numRows; a += rowGroupSize) yield table.slice(a, Math.min(table.numRows, a + rowGroupSize));
  }
  await writeParquetStream(where, path, table.schema, table.numRows === 0 ? oneEmpty(table) : slices(), { compression, rowGroupSize });
}

async function* oneEmpty(t: Table): AsyncGenerator<Table> {
  yield t;
}

/**
 * @internal Streams Arrow tables (one or more row groups each) into a Parquet file through
 * parquet-wasm's streaming writer: WebAssembly memory holds one slice at a time. The schema
 * (with its metadata) is the one given, not the slices'. The file appears only when complete.
 */
export async function writeParquetStream(
  where: string,
  path: string,
  schema: Schema,
  tables: AsyncIterable<Table>,
  options: { compression: NonNullable<WriteParquetOptions['compression']>; rowGroupSize: number },
): Promise<void> {
  const pq = await parquetWasm();
  const codes = { uncompressed: pq.Compression.UNCOMPRESSED, snappy: pq.Compression.SNAPPY, gzip: pq.Compression.GZIP, brotli: pq.Compression.BROTLI, zstd: pq.Compression.ZSTD, lz4: pq.Compression.LZ4_RAW };
  const part = `${path}.part-${process.pid}`;
  let fh: FileHandle | null = null;
  try {
    fh = await open(part, 'w');
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot write ${path}: ${(err as Error).message}` });
  }
  try {
    const props = new pq.WriterPropertiesBuilder().setCompression(codes[options.compression]).setMaxRowGroupSize(options.rowGroupSize).build();
    const iterator = tables[Symbol.asyncIterator]();
    const input = new ReadableStream({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        const slice = new Table(schema, next.value.batches.map((b) => new RecordBatch(schema, b.data)));
        const wasmTable = pq.Table.fromIPCStream(tableToIPC(slice, 'stream'));
        for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      },
    });
    const output = await pq.transformParquetStream(input, props);
    const reader = output.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await fh.write(value as Uint8Array);
    }
    await fh.close();
    fh = null;
    await rename(part, path);
  } catch (err) {
    if (fh !== null) await fh.close();
    await rm(part, { force: true });
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(msg.startsWith(where) ? msg : `${where}: could not write ${path} as Parquet (${msg})`);
  }
}
