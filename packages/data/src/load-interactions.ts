import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { checkOptions, describe } from './check.js';
import { readArrow } from './arrow/arrow-io.js';
import type { FromTableOptions } from './arrow/from-table.js';
import { readParquet } from './arrow/parquet-io.js';
import { readCsv, type ReadCsvOptions } from './csv/read-csv.js';
import { loadMovieLens } from './datasets/load-movielens.js';
import { isMovieLensName, MOVIELENS_NAMES } from './datasets/movielens-catalog.js';
import type { Interactions } from './interactions.js';

/**
 * Options of {@link loadInteractions}: the CSV options for delimited files, the table options
 * (column names only) for Arrow and Parquet.
 */
export type LoadInteractionsOptions = ReadCsvOptions & Omit<FromTableOptions, 'columns'>;

/**
 * Loads interactions from a file, picking the reader by extension, or a named dataset:
 * - `.csv`, `.tsv`, `.txt`, `.data` (ml-100k `u.data`), `.dat` (MovieLens `::`): {@link readCsv}
 *   with delimiter and header detection;
 * - `.arrow`, `.feather`, `.arrows`, `.ipc`: `readArrow` (file or stream format);
 * - `.parquet`, `.pq`: `readParquet`;
 * - a MovieLens name (`'ml-latest-small'`, `'ml-1m'`, ...): `loadMovieLens(name)` from the
 *   datasets folder (`$QUIVER_DATASETS`, else the repository's `datasets/`).
 * @throws {TypeError} when source is not a string.
 * @throws {Error} for an unknown extension or dataset name, a missing file, or a reader error.
 * @example
 * const data = await loadInteractions('ml-latest-small');
 */
export async function loadInteractions(source: string, options?: LoadInteractionsOptions): Promise<Interactions> {
  const where = 'loadInteractions';
  if (typeof source !== 'string' || source === '') throw new TypeError(`${where}: source must be a file path or a dataset name, got ${describe(source)}`);
  const o = checkOptions(where, options, ['delimiter', 'header', 'columns', 'idType', 'onInvalid', 'duplicates', 'encoding', 'userIdMap', 'itemIdMap', 'chunkSize', 'maxBytes']);
  if (isMovieLensName(source) && !existsSync(source)) {
    return (await loadMovieLens(source, undefined, { items: false, duplicates: o.duplicates, onInvalid: o.onInvalid })).interactions;
  }
  const ext = extname(source).toLowerCase();
  switch (ext) {
    case '.csv':
    case '.tsv':
    case '.txt':
    case '.data':
    case '.dat':
      return readCsv(source, o);
    case '.arrow':
    case '.feather':
    case '.arrows':
    case '.ipc':
    case '.parquet':
    case '.pq': {
      const tableOptions: FromTableOptions = { duplicates: o.duplicates, onInvalid: o.onInvalid, userIdMap: o.userIdMap, itemIdMap: o.itemIdMap, maxBytes: o.maxBytes };
      if (o.columns !== undefined) {
        const c = o.columns;
        for (const key of ['user', 'item', 'rating', 'timestamp'] as const) {
          if (typeof c[key] === 'number') throw new TypeError(`${where}: columns.${key} must be a column name for ${ext} files, got the index ${c[key]}`);
        }
        (tableOptions as { columns?: FromTableOptions['columns'] }).columns = c as FromTableOptions['columns'];
      }
      return ext === '.parquet' || ext === '.pq' ? readParquet(source, tableOptions) : readArrow(source, tableOptions);
    }
    default:
      if (ext === '' && !existsSync(source)) {
        throw new Error(`${where}: source must be a file path or a dataset name (${MOVIELENS_NAMES.join(', ')}), got ${describe(source)}`);
      }
      throw new Error(`${where}: file extension must be .csv, .tsv, .txt, .data, .dat, .arrow, .feather, .arrows, .ipc, .parquet or .pq, got ${describe(ext || source)}`);
  }
}
