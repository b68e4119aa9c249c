import { readFile, stat, writeFile } from 'node:fs/promises';
import { isArrowTable, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { checkOneOf, checkOptions, describeValue, quiverError } from '@quiver/base';
import { checkMaxBytes, checkMaxBytesOption } from '../check.js';
import { Interactions } from '../interactions.js';
import { fromTableImpl, type FromTableOptions } from './from-table.js';
import { interactionsToTable } from './interactions-to-table.js';
import { verifyArrowIpc } from './ipc-verify.js';

/** Reads a file (or takes bytes) and names the source for messages. */
export async function readBytes(where: string, source: string | Uint8Array, maxBytes?: number): Promise<{ bytes: Uint8Array; name: string }> {
  if (source instanceof Uint8Array) {
    checkMaxBytes(where, '<bytes>', source.length, maxBytes);
    return { bytes: source, name: '<bytes>' };
  }
  if (typeof source !== 'string' || source === '') throw quiverError('TypeError', { where, what: 'source must be a file path or a Uint8Array', got: describeValue(source) });
  let size: number;
  try {
    size = (await stat(source)).size;
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot read ${source}: ${(err as Error).message}` });
  }
  checkMaxBytes(where, source, size, maxBytes);
  try {
    return { bytes: await readFile(source), name: source };
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot read ${source}: ${(err as Error).message}` });
  }
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * Parses Arrow IPC bytes (file or stream format) into a Table, rejecting truncated input:
 * a file must start and end with the `ARROW1` magic, a stream must end with the
 * end-of-stream marker, and apache-arrow's own errors are wrapped with the source name.
 * @throws {Error} naming the source when the bytes are not complete Arrow IPC data.
 */
export function parseArrowBytes(where: string, name: string, bytes: Uint8Array): Table {
  if (bytes.length === 0) throw quiverError('Error', { where, what: `${name} must be Arrow IPC data`, got: 'an empty file' });
  const isFile = MAGIC.every((b, k) => bytes[k] === b);
  if (isFile) {
    const n = bytes.length;
    if (n < 12 || !MAGIC.every((b, k) => bytes[n - 6 + k] === b)) {
      throw quiverError('Error', { where, what: `${name} is a truncated Arrow IPC file (the closing ARROW1 magic is missing); re-write or re-download it` });
    }
  } else {
    const n = bytes.length;
    const eos8 = n >= 8 && bytes[n - 8] === 0xff && bytes[n - 7] === 0xff && bytes[n - 6] === 0xff && bytes[n - 5] === 0xff && bytes[n - 4] === 0 && bytes[n - 3] === 0 && bytes[n - 2] === 0 && bytes[n - 1] === 0;
    const eos4 = n >= 4 && bytes[n - 4] === 0 && bytes[n - 3] === 0 && bytes[n - 2] === 0 && bytes[n - 1] === 0;
    const looksLikeStream = n >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) || bytes[3] === 0);
    if (!looksLikeStream) throw quiverError('Error', { where, what: `${name} must be Arrow IPC data (file or stream format)`, got: 'bytes that are neither' });
    if (!eos8 && !eos4) throw quiverError('Error', { where, what: `${name} is a truncated Arrow IPC stream (no end-of-stream marker); re-write or re-download it` });
  }
  let table: Table;
  try {
    verifyArrowIpc(bytes, isFile);
    table = tableFromIPC(bytes);
  } catch (err) {
    throw quiverError('Error', { where, what: `${name} is not valid Arrow IPC data (${(err as Error).message})` });
  }
  return table;
}

/**
 * Reads an Arrow IPC file or stream (`.arrow`, `.feather` v2, `.arrows`) into an Arrow Table
 * (for tables that are not interactions, such as embeddings).
 * @throws {Error} when the file is missing, empty, truncated or not Arrow.
 * @example
 * const table = await readArrowTable('item-embeddings.arrow');
 */
export async function readArrowTable(source: string | Uint8Array, options?: { readonly maxBytes?: number }): Promise<Table> {
  const o = checkOptions('readArrowTable', options, ['maxBytes']);
  const { bytes, name } = await readBytes('readArrowTable', source, checkMaxBytesOption('readArrowTable', o.maxBytes));
  return parseArrowBytes('readArrowTable', name, bytes);
}

/**
 * Reads interactions from an Arrow IPC file or stream, or bytes. Columns are found by name
 * (see {@link fromTable}); a file written by {@link writeArrow} reloads without copying its
 * id and rating columns.
 * @throws {Error} when the file is missing, empty, truncated or not Arrow, or a column is
 *   missing, has nulls or has invalid values.
 * @example
 * const data = await readArrow('ratings.arrow');
 */
export async function readArrow(source: string | Uint8Array, options?: FromTableOptions): Promise<Interactions> {
  const maxBytes = checkMaxBytesOption('readArrow', checkOptions('readArrow', options).maxBytes);
  const { bytes, name } = await readBytes('readArrow', source, maxBytes);
  return fromTableImpl('readArrow', name, parseArrowBytes('readArrow', name, bytes), options, name);
}

/** Options of {@link writeArrow}. */
export interface WriteArrowOptions {
  /** `'file'` (random access, `.arrow`/`.feather`) or `'stream'` (`.arrows`). @defaultValue 'file' */
  readonly format?: 'file' | 'stream';
}

/**
 * Writes interactions (with their id maps in the schema metadata) or any Arrow table as an
 * Arrow IPC file or stream that pyarrow, pandas, Polars and DuckDB can read.
 * @throws {TypeError} when data is neither an Interactions nor an Arrow table.
 * @throws {Error} when the file cannot be written.
 * @example
 * await writeArrow(data, 'ratings.arrow');
 */
export async function writeArrow(data: Interactions | Table, path: string, options?: WriteArrowOptions): Promise<void> {
  const where = 'writeArrow';
  const table = toTable(where, data);
  if (typeof path !== 'string' || path === '') throw quiverError('TypeError', { where, what: 'path must be a non-empty string', got: describeValue(path) });
  const o = checkOptions(where, options, ['format']);
  const format = o.format === undefined ? 'file' : checkOneOf(where, 'options.format', o.format, ['file', 'stream'] as const);
  try {
    await writeFile(path, tableToIPC(table, format));
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot write ${path}: ${(err as Error).message}` });
  }
}

/** An Interactions becomes its table with metadata; a Table passes through. */
export function toTable(where: string, data: Interactions | Table): Table {
  if (data instanceof Interactions) return interactionsToTable(data);
  if (isArrowTable(data)) return data;
  throw quiverError('TypeError', { where, what: 'data must be an Interactions dataset or an Arrow Table', got: describeValue(data) });
}
