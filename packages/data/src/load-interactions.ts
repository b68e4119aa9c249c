import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { checkOptions, describe } from './check.js';
import { readCsv, type ReadCsvOptions } from './csv/read-csv.js';
import { loadMovieLens } from './datasets/load-movielens.js';
import { isMovieLensName, MOVIELENS_NAMES } from './datasets/movielens-catalog.js';
import type { Interactions } from './interactions.js';

/** Options of {@link loadInteractions}: the CSV options (ignored keys are harmless for other formats). */
export type LoadInteractionsOptions = ReadCsvOptions;

/**
 * Loads interactions from a file, picking the reader by extension, or a named dataset:
 * - `.csv`, `.tsv`, `.txt`, `.data` (ml-100k `u.data`), `.dat` (MovieLens `::`): {@link readCsv}
 *   with delimiter and header detection;
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
  const o = checkOptions(where, options);
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
    default:
      if (ext === '' && !existsSync(source)) {
        throw new Error(`${where}: source must be a file path or a dataset name (${MOVIELENS_NAMES.join(', ')}), got ${describe(source)}`);
      }
      throw new Error(`${where}: file extension must be .csv, .tsv, .txt, .data or .dat, got ${describe(ext || source)}`);
  }
}
