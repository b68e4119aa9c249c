import { open } from 'node:fs/promises';
import { checkOneOf, checkOptions, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { checkMaxBytes, checkMaxBytesOption } from '../check.js';
import { checkDuplicatePolicy, finishInteractions } from '../finish-interactions.js';
import { IdMap } from '../id-map.js';
import type { Interactions } from '../interactions.js';
import type { DuplicatePolicy } from '../load-report.js';
import { CsvColumnParser } from './csv-column-parser.js';
import { CSV_DELIMITERS, sniffLayout, type CsvColumnMapping, type CsvDelimiter, type CsvLayout } from './csv-layout.js';

/** Options of {@link readCsv} and {@link parseCsv}. */
export interface ReadCsvOptions {
  /** Field delimiter. @defaultValue detected from the first line (`'::'`, tab, `,`, `;`, `|`, space) */
  readonly delimiter?: CsvDelimiter;
  /**
   * Whether the first line is a header. `'auto'` says yes when a field has a known column
   * name (userId, movieId, rating, timestamp, ...) or is text above a numeric value.
   * @defaultValue 'auto'
   */
  readonly header?: boolean | 'auto';
  /** Which field is user, item, rating, timestamp. @defaultValue detected (see {@link CsvColumnMapping}) */
  readonly columns?: CsvColumnMapping;
  /**
   * How raw ids are read: `'number'` (integers), `'string'` (text), or `'auto'`: a column is
   * read as integers when its first rows (up to 64 KiB) all hold integers without leading zeros.
   * @defaultValue 'auto'
   */
  readonly idType?: 'auto' | 'number' | 'string';
  /** `'error'` throws on the first malformed line; `'skip'` drops it and counts it in `report`. @defaultValue 'error' */
  readonly onInvalid?: 'error' | 'skip';
  /** Policy for repeated (user, item) pairs. @defaultValue 'keep-last' */
  readonly duplicates?: DuplicatePolicy;
  /** Text encoding of string ids (MovieLens 100K/1M use latin1). @defaultValue 'utf8' */
  readonly encoding?: 'utf8' | 'latin1';
  /** Look users up in this map instead of building one; unknown users are invalid lines. @defaultValue a new map */
  readonly userIdMap?: IdMap;
  /** Look items up in this map instead of building one; unknown items are invalid lines. @defaultValue a new map */
  readonly itemIdMap?: IdMap;
  /** Read size in bytes (the parser holds one chunk plus one partial line). @defaultValue 4 MiB */
  readonly chunkSize?: number;
  /**
   * Memory budget: refuse (with a `RangeError`, before reading anything) a file or text larger
   * than this many bytes. The loaded columns take 12–20 bytes per row, about 1–3× a typical
   * CSV file. @defaultValue Infinity (no limit)
   */
  readonly maxBytes?: number;
  /**
   * Longest data line accepted, in bytes (without its line end; a positive integer). A longer
   * line is refused with an Error naming the file, the line number and the limit (whatever
   * `onInvalid` says), before the read buffer grows past about twice the limit, so a file
   * without newlines cannot make the reader hold all of it. The header line is capped at 64 KiB.
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxLineBytes?: number;
}

/** Default of {@link ReadCsvOptions.maxLineBytes}: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** The option names of readCsv (parseCsv also takes `source`). */
export const READ_CSV_OPTION_NAMES = ['delimiter', 'header', 'columns', 'idType', 'onInvalid', 'duplicates', 'encoding', 'userIdMap', 'itemIdMap', 'chunkSize', 'maxBytes', 'maxLineBytes'] as const;

interface CheckedCsvOptions {
  delimiter?: CsvDelimiter;
  header: boolean | 'auto';
  columns?: CsvColumnMapping;
  idType: 'auto' | 'number' | 'string';
  onInvalid: 'error' | 'skip';
  duplicates: DuplicatePolicy;
  encoding: 'utf8' | 'latin1';
  userIdMap?: IdMap;
  itemIdMap?: IdMap;
  chunkSize: number;
  maxBytes: number | undefined;
  maxLineBytes: number;
}

function checkCsvOptions(where: string, options: ReadCsvOptions | undefined): CheckedCsvOptions {
  const o = checkOptions(where, options, [...READ_CSV_OPTION_NAMES, 'source']);
  if (o.delimiter !== undefined) checkOneOf(where, 'options.delimiter', o.delimiter, CSV_DELIMITERS);
  if (o.header !== undefined && o.header !== true && o.header !== false && o.header !== 'auto') {
    throw quiverError('TypeError', { where, what: `options.header must be true, false or 'auto'`, got: describeValue(o.header) });
  }
  if (o.columns !== undefined && (o.columns === null || typeof o.columns !== 'object')) {
    throw quiverError('TypeError', { where, what: 'options.columns must be an object', got: describeValue(o.columns) });
  }
  for (const key of ['userIdMap', 'itemIdMap'] as const) {
    if (o[key] !== undefined && !(o[key] instanceof IdMap)) throw quiverError('TypeError', { where, what: `options.${key} must be an IdMap`, got: describeValue(o[key]) });
  }
  const chunkSize = o.chunkSize ?? 4 << 20;
  if (!Number.isInteger(chunkSize) || chunkSize < 16) throw quiverError('RangeError', { where, what: 'options.chunkSize must be an integer >= 16', got: describeValue(chunkSize) });
  return {
    delimiter: o.delimiter,
    header: o.header ?? 'auto',
    columns: o.columns,
    idType: o.idType === undefined ? 'auto' : checkOneOf(where, 'options.idType', o.idType, ['auto', 'number', 'string'] as const),
    onInvalid: o.onInvalid === undefined ? 'error' : checkOneOf(where, 'options.onInvalid', o.onInvalid, ['error', 'skip'] as const),
    duplicates: checkDuplicatePolicy(where, o.duplicates),
    encoding: o.encoding === undefined ? 'utf8' : checkOneOf(where, 'options.encoding', o.encoding, ['utf8', 'latin1'] as const),
    maxBytes: checkMaxBytesOption(where, o.maxBytes),
    maxLineBytes: o.maxLineBytes === undefined ? DEFAULT_MAX_LINE_BYTES : checkPositiveInt(where, 'options.maxLineBytes', o.maxLineBytes),
    userIdMap: o.userIdMap,
    itemIdMap: o.itemIdMap,
    chunkSize,
  };
}

/** Reads sample lines from the start of the text; returns them and the byte length of the header. */
function sample(where: string, file: string, buf: Buffer, start: number, end: number, eof: boolean, encoding: 'utf8' | 'latin1') {
  const text = buf.toString(encoding, start, Math.min(end, start + 65536));
  let lines = text.split('\n');
  if (!(eof && end - start <= 65536)) lines.pop(); // last one may be partial
  lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const firstIdx = lines.findIndex((l) => l.trim() !== '');
  if (firstIdx < 0) {
    if (lines.length === 0 && !eof) throw quiverError('Error', { where, what: `${file}: the first line is longer than 64 KiB; is this a delimited text file?` });
    throw quiverError('Error', { where, what: `${file} must contain at least one data line`, got: 'an empty file' });
  }
  const nonEmpty = lines.slice(firstIdx).filter((l) => l.trim() !== '');
  // byte length of everything up to and including the first non-empty line
  const rawFirst = text.split('\n').slice(0, firstIdx + 1);
  const bytes = rawFirst.reduce((acc, l) => acc + Buffer.byteLength(l, encoding) + 1, 0);
  return { lines: nonEmpty, firstLineNo: firstIdx + 1, headerBytes: bytes, avgLineBytes: Math.max(4, (Math.min(end, start + 65536) - start) / Math.max(1, lines.length)) };
}

function makeParser(where: string, file: string, layout: CsvLayout, o: CheckedCsvOptions, capacity: number, firstLineNo: number): CsvColumnParser {
  return new CsvColumnParser(
    where,
    file,
    layout,
    o.userIdMap ?? new IdMap('user'),
    o.itemIdMap ?? new IdMap('item'),
    o.userIdMap !== undefined,
    o.itemIdMap !== undefined,
    o.onInvalid,
    o.encoding,
    capacity,
    firstLineNo,
    o.maxLineBytes,
  );
}

function finish(where: string, file: string, parser: CsvColumnParser, layout: CsvLayout, o: CheckedCsvOptions): Interactions {
  const s = parser.sink;
  const n = s.n;
  if (n === 0) {
    if (parser.rowsSkipped > 0) throw quiverError('Error', { where, what: `${file} must contain at least one valid data line`, got: `${parser.rowsSkipped} invalid lines (all skipped)`, tail: `; first: line ${parser.skipped[0].line}: ${parser.skipped[0].reason}` });
    throw quiverError('Error', { where, what: `${file} must contain at least one data line`, got: String(layout.header ? 'only a header' : 'none') });
  }
  // Keep a view of the (estimated) capacity: a copy would briefly hold both and raise the peak.
  // Only a gross overestimate (more than 50% spare) is copied so the spare memory is freed.
  const fit = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => (a.length - n > (n >> 1) + 1024 ? (a.slice(0, n) as T) : (a.subarray(0, n) as T));
  const cols = {
    userIds: fit(s.users),
    itemIds: fit(s.items),
    ratings: s.ratings === null ? null : fit(s.ratings),
    timestamps: s.times === null ? null : fit(s.times),
  };
  return finishInteractions(where, cols, parser.userIdMap, parser.itemIdMap, o.duplicates, {
    source: file,
    rowsRead: parser.rowsRead,
    rowsSkipped: parser.rowsSkipped,
    skippedExamples: parser.skipped,
  });
}

/**
 * Reads a delimited interaction file (CSV with a header, headerless TSV, MovieLens `::`
 * files, ...) as a stream of byte chunks, so a 20-million-row file never exists as one string.
 * Numeric ids, ratings and timestamps are parsed straight from the bytes into typed arrays.
 * Blank lines and a UTF-8 BOM are ignored; CRLF line ends and RFC 4180 quotes are handled
 * (a newline inside quotes is not supported). Timestamps that are ISO-8601 dates become
 * seconds since the epoch.
 *
 * Integer ids are exact whatever their length (numbers up to 2^53 - 1, bigints beyond);
 * ratings must be finite with |rating| <= {@link MAX_ABS_RATING} (checked before float32).
 *
 * @param path - File path.
 * @returns The dataset; `report` holds rows read, skipped (with examples) and merged.
 * @throws {Error} naming file, line number and text for a malformed line (with
 *   `onInvalid: 'error'`), an empty file, a header without data, a missing column, a
 *   delimiter that is not in the first line, or a data line longer than `maxLineBytes`. Errors
 *   that advise an option are `QuiverError` (from `@quiver/base`)s. Nothing is returned half-loaded.
 * @example
 * const data = await readCsv('datasets/ml-latest-small/ratings.csv');
 * data.report?.rowsRead; // 100836
 */
export async function readCsv(path: string, options?: ReadCsvOptions): Promise<Interactions> {
  const where = 'readCsv';
  if (typeof path !== 'string' || path === '') throw quiverError('TypeError', { where, what: 'path must be a non-empty string', got: describeValue(path) });
  const o = checkCsvOptions(where, options);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot open ${path}: ${(err as Error).message}` });
  }
  try {
    const size = (await fh.stat()).size;
    checkMaxBytes(where, path, size, o.maxBytes);
    // Sniff the layout from the first 64 KiB.
    const head = Buffer.allocUnsafe(Math.min(size, 65536));
    let headLen = 0;
    while (headLen < head.length) {
      const { bytesRead } = await fh.read(head, headLen, head.length - headLen, headLen);
      if (bytesRead === 0) break;
      headLen += bytesRead;
    }
    const bom = headLen >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    if (headLen - bom === 0) throw quiverError('Error', { where, what: `${path} must contain at least one data line`, got: 'an empty file' });
    const smp = sample(where, path, head, bom, headLen, headLen === size, o.encoding);
    const layout = sniffLayout(where, path, smp.lines, o);
    // Size the columns from the average line length at the start and in the middle of the file.
    let avgLine = smp.avgLineBytes;
    if (size > 4 * head.length) {
      const mid = Buffer.allocUnsafe(65536);
      const { bytesRead } = await fh.read(mid, 0, mid.length, Math.floor(size / 2));
      let lines = 0;
      for (let k = 0; k < bytesRead; k++) if (mid[k] === 10) lines++;
      if (lines > 0) avgLine = (avgLine + bytesRead / lines) / 2;
    }
    const capacity = Math.ceil((size / avgLine) * 1.03) + 1024;
    const parser = makeParser(where, path, layout, o, capacity, layout.header ? smp.firstLineNo : 0);
    // Stream the rest in chunks; `buf` holds one chunk plus the partial line carried over.
    let filePos = Math.min(size, layout.header ? bom + smp.headerBytes : bom);
    let buf = Buffer.allocUnsafe(Math.max(16, Math.min(o.chunkSize, size - filePos + 1)));
    let filled = 0;
    let eof = false;
    for (;;) {
      while (filled < buf.length && !eof) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filePos);
        if (bytesRead === 0) eof = true;
        filled += bytesRead;
        filePos += bytesRead;
      }
      const done = filePos - filled;
      parser.expectedRows = parser.rowsRead + ((size - done) * (parser.rowsRead + 1)) / Math.max(1, done) * 1.05 + 1024;
      const consumed = parser.parse(buf, 0, filled, eof);
      if (eof) break;
      // buf[consumed..filled) is the start of a line with no newline yet (its last byte may be
      // the CR of a CRLF): refuse it once it is over the limit, before growing the buffer.
      if (filled - consumed > o.maxLineBytes + 1) {
        const nl = buf.subarray(consumed, filled).indexOf(10);
        throw parser.lineTooLong(parser.lineNo + 1, nl >= 0);
      }
      if (consumed === 0) {
        // One line longer than the buffer (but within the limit): grow it, at most to the limit.
        const bigger = Buffer.allocUnsafe(Math.max(buf.length + 1, Math.min(buf.length * 2, o.maxLineBytes + 2)));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else {
        buf.copy(buf, 0, consumed, filled);
        filled -= consumed;
      }
    }
    return finish(where, path, parser, layout, o);
  } finally {
    await fh.close();
  }
}

/**
 * Parses delimited interaction text held in memory (a string or bytes); same rules and
 * options as {@link readCsv}. Meant for small inputs and tests; use readCsv for files.
 * @throws {Error} as readCsv, with `<text>` (or options.source) in place of the file name.
 * @example
 * const data = parseCsv('user,item,rating\n1,10,4\n2,10,5\n');
 * data.numItems; // 1
 */
export function parseCsv(text: string | Uint8Array, options?: ReadCsvOptions & { readonly source?: string }): Interactions {
  const where = 'parseCsv';
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) throw quiverError('TypeError', { where, what: 'text must be a string or a Uint8Array', got: describeValue(text) });
  const o = checkCsvOptions(where, options);
  const file = options?.source ?? '<text>';
  checkMaxBytes(where, file, typeof text === 'string' ? Buffer.byteLength(text, o.encoding) : text.byteLength, o.maxBytes);
  const buf = typeof text === 'string' ? Buffer.from(text, o.encoding) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  if (buf.length - start === 0) throw quiverError('Error', { where, what: `${file} must contain at least one data line`, got: 'an empty file' });
  const smp = sample(where, file, buf, start, buf.length, true, o.encoding);
  const layout = sniffLayout(where, file, smp.lines, o);
  const parser = makeParser(where, file, layout, o, Math.ceil(buf.length / smp.avgLineBytes) + 16, layout.header ? smp.firstLineNo : 0);
  parser.parse(buf, Math.min(buf.length, layout.header ? start + smp.headerBytes : start), buf.length, true);
  return finish(where, file, parser, layout, o);
}
