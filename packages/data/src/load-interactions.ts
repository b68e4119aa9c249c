import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { checkOneOf, checkOptions, describeValue, quiverError } from '@quiver/base';
import { readArrow } from './arrow/arrow-io.js';
import type { FromTableOptions } from './arrow/from-table.js';
import { readParquet } from './arrow/parquet-io.js';
import { READ_CSV_OPTION_NAMES, readCsv, type ReadCsvOptions } from './csv/read-csv.js';
import type { CsvDelimiter } from './csv/csv-layout.js';
import { dataInputError } from './data-input-error.js';
import { loadMovieLens } from './datasets/load-movielens.js';
import { isMovieLensName, MOVIELENS_NAMES } from './datasets/movielens-catalog.js';
import { INTERACTION_FILE_FORMATS, SNIFF_BYTES, sniffInteractionFormat, type InteractionFileFormat } from './interaction-file-format.js';
import type { Interactions } from './interactions.js';

/**
 * Options of {@link loadInteractions}: the CSV options for delimited files, the table options
 * (column names only) for Arrow and Parquet, and the file format.
 */
export type LoadInteractionsOptions = ReadCsvOptions &
  Omit<FromTableOptions, 'columns'> & {
    /**
     * The file's format, overriding its extension and the sniffing of its first bytes:
     * `'csv'` (`,` unless `delimiter` says otherwise), `'tsv'` (tab, same rule), `'dat'` (`::`,
     * same rule), `'text'` (delimiter detected), `'arrow'` (IPC file or stream), `'parquet'`.
     * @defaultValue from the extension; for other extensions (or none) from the first bytes
     */
    readonly format?: InteractionFileFormat;
  };

const EXTENSIONS: Record<string, 'text' | 'arrow' | 'parquet'> = {
  '.csv': 'text',
  '.tsv': 'text',
  '.txt': 'text',
  '.data': 'text',
  '.dat': 'text',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.arrows': 'arrow',
  '.ipc': 'arrow',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

const FORMAT_DELIMITER: Partial<Record<InteractionFileFormat, CsvDelimiter>> = { csv: ',', tsv: '\t', dat: '::' };

/**
 * Loads interactions from a file, or a named dataset. The reader is picked
 * - by `options.format` when given (see {@link InteractionFileFormat});
 * - else by extension: `.csv`, `.tsv`, `.txt`, `.data` (ml-100k `u.data`), `.dat` (MovieLens
 *   `::`): {@link readCsv} with delimiter and header detection; `.arrow`, `.feather`,
 *   `.arrows`, `.ipc`: `readArrow` (file or stream format); `.parquet`, `.pq`: `readParquet`;
 * - else (any other extension, such as the `.base` / `.test` fold files of ml-100k, or none)
 *   by the first bytes: the Arrow IPC magic `ARROW1` or a stream's first message → readArrow,
 *   the Parquet magic `PAR1` → readParquet, no NUL byte in the first 64 KiB → readCsv with
 *   delimiter detection, otherwise an error asking for `format`;
 * - a MovieLens name (`'ml-latest-small'`, `'ml-1m'`, ...) that is not a file:
 *   `loadMovieLens(name)` from the datasets folder (`$QUIVER_DATASETS`, else the repository's
 *   `datasets/`).
 * @throws {TypeError} when source is not a string, an option has the wrong kind (e.g.
 *   `format: 'xml'`), or `format` is given with a dataset name.
 * @throws {Error} for a missing file or dataset, a format that cannot be detected (a
 *   `QuiverError` (from `@quiver/base`) with the hint `format`), or a reader error.
 * @example
 * const data = await loadInteractions('ml-latest-small');
 * const fold = await loadInteractions('ml-100k/u1.base'); // tab-separated text, sniffed
 * const log = await loadInteractions('events.bin', { format: 'parquet' });
 */
export async function loadInteractions(source: string, options?: LoadInteractionsOptions): Promise<Interactions> {
  const where = 'loadInteractions';
  if (typeof source !== 'string' || source === '') throw quiverError('TypeError', { where, what: 'source must be a file path or a dataset name', got: describeValue(source) });
  const { format: formatOption, ...o } = checkOptions(where, options, [...READ_CSV_OPTION_NAMES, 'format']);
  const format = formatOption === undefined ? undefined : checkOneOf(where, 'options.format', formatOption, INTERACTION_FILE_FORMATS);
  if (isMovieLensName(source) && !existsSync(source)) {
    if (format !== undefined) throw quiverError('TypeError', { where, what: 'options.format applies to files', got: `format ${describeValue(format)} with the dataset name ${describeValue(source)}` });
    return (await loadMovieLens(source, undefined, { items: false, duplicates: o.duplicates, onInvalid: o.onInvalid })).interactions;
  }
  let kind: 'text' | 'arrow' | 'parquet';
  let delimiter = o.delimiter;
  const ext = extname(source).toLowerCase();
  let label: string; // what the files are called in messages
  if (format !== undefined) {
    kind = format === 'arrow' || format === 'parquet' ? format : 'text';
    delimiter ??= FORMAT_DELIMITER[format];
    label = format === 'arrow' ? 'Arrow' : 'Parquet';
  } else {
    const byExt = Object.prototype.hasOwnProperty.call(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
    label = ext;
    if (byExt !== undefined) kind = byExt;
    else {
      if (ext === '' && !existsSync(source)) {
        throw quiverError('Error', { where, what: `source must be a file path or a dataset name (${MOVIELENS_NAMES.join(', ')})`, got: describeValue(source) });
      }
      kind = await sniff(where, source);
      label = kind === 'arrow' ? 'Arrow' : 'Parquet';
    }
  }
  if (kind === 'text') return readCsv(source, delimiter === undefined ? o : { ...o, delimiter });
  const tableOptions: FromTableOptions = { duplicates: o.duplicates, onInvalid: o.onInvalid, userIdMap: o.userIdMap, itemIdMap: o.itemIdMap, maxBytes: o.maxBytes };
  if (o.columns !== undefined) {
    const c = o.columns;
    for (const key of ['user', 'item', 'rating', 'timestamp'] as const) {
      if (typeof c[key] === 'number') throw quiverError('TypeError', { where, what: `columns.${key} must be a column name for ${label} files`, got: `the index ${c[key]}` });
    }
    (tableOptions as { columns?: FromTableOptions['columns'] }).columns = c as FromTableOptions['columns'];
  }
  return kind === 'parquet' ? readParquet(source, tableOptions) : readArrow(source, tableOptions);
}

/** Reads the first 64 KiB of the file and detects its format. */
async function sniff(where: string, path: string): Promise<'text' | 'arrow' | 'parquet'> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot open ${path}: ${(err as Error).message}` });
  }
  let found: 'text' | 'arrow' | 'parquet' | null;
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    let got = 0;
    while (got < head.length) {
      const { bytesRead } = await fh.read(head, got, head.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    found = sniffInteractionFormat(head.subarray(0, got), size);
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot read ${path}: ${(err as Error).message}` });
  } finally {
    await fh.close();
  }
  if (found === null) {
    throw dataInputError(
      'Error',
      where,
      `the format of ${path} could not be detected from its extension or its first bytes (not Arrow IPC, not Parquet, and the first 64 KiB hold NUL bytes, so not delimited text)`,
      { option: 'format', value: INTERACTION_FILE_FORMATS.join('|') },
      `; pass format: ${INTERACTION_FILE_FORMATS.map((f) => `'${f}'`).join(' | ')}`,
    );
  }
  return found;
}
