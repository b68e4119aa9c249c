import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { quiverError } from '@quiver/base';

/**
 * The Parquet files of a Spark output: `path` itself when it is a file, else the `.parquet`
 * files of the folder `path` sorted by name (Spark's `part-00000-….snappy.parquet`, …), leaving
 * out the files Spark and Hadoop write beside them (`_SUCCESS`, `_committed_…`, `.part-….crc`:
 * names starting with `_` or `.`).
 * @param where - Prefix of error messages.
 * @param label - What the path holds, for messages (`userFactors`).
 * @throws {Error} when `path` does not exist, or is a folder without `.parquet` files.
 * @example
 * sparkParquetFiles('importSparkAls', 'userFactors', 'model/userFactors'); // ['model/userFactors/part-00000-….parquet', …]
 */
export function sparkParquetFiles(where: string, label: string, path: string): string[] {
  if (!existsSync(path)) throw quiverError('Error', { where, what: `${label}: ${path} does not exist (give the folder Spark wrote, or one .parquet file)` });
  if (!statSync(path).isDirectory()) return [path];
  const names = readdirSync(path);
  const parts = names.filter((n) => n.endsWith('.parquet') && !n.startsWith('_') && !n.startsWith('.')).sort();
  if (parts.length === 0) {
    const shown = names.length === 0 ? 'an empty folder' : `a folder holding ${names.slice(0, 4).join(', ')}${names.length > 4 ? `, … (${names.length} entries)` : ''}`;
    throw quiverError('Error', { where, what: `${label}: the folder ${path} must hold .parquet files (Spark writes part-*.parquet)`, got: shown });
  }
  return parts.map((n) => join(path, n));
}
