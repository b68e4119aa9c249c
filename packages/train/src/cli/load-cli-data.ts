import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { QuiverError } from '@quiver/base';
import {
  IdMap,
  Interactions,
  loadInteractions,
  loadMovieLens,
  MOVIELENS_NAMES,
  type CsvColumnMapping,
  type CsvDelimiter,
  type DuplicatePolicy,
  type InteractionFileFormat,
  type MovieLensName,
} from '@quiver/data';
import { CliError, cliErrorFrom } from './cli-error.js';

/** A dataset loaded for the CLI, with item titles when the source has them. */
export interface CliDataset {
  /** The interactions. */
  readonly interactions: Interactions;
  /** Title per item index, or null. */
  readonly titles: ReadonlyArray<string | null> | null;
  /** Genres per item index (builtin MovieLens data), or null. */
  readonly genres: ReadonlyArray<readonly string[]> | null;
  /** The builtin dataset name, or null for a file. */
  readonly builtin: MovieLensName | null;
  /** Rows skipped because their user or item is unknown to the given id maps. */
  readonly skippedUnknown: number;
  /** Malformed rows skipped (`--on-invalid skip`), not counting `skippedUnknown`. */
  readonly skippedInvalid: number;
  /** Rows merged into another row of the same (user, item) pair by the duplicate policy. */
  readonly duplicatesMerged: number;
}

/** How to read `--data` / `--test`. */
export interface CliDataOptions {
  readonly columns?: CsvColumnMapping;
  readonly delimiter?: CsvDelimiter;
  /** Map ids through these (unknown ids are skipped and counted). */
  readonly userIdMap?: IdMap;
  readonly itemIdMap?: IdMap;
  /** Look for MovieLens titles next to a ratings file (movies.csv, movies.dat, u.item). @defaultValue false */
  readonly withTitles?: boolean;
  /** `--format`: the file's format, overriding its extension and sniffing. @defaultValue detected */
  readonly format?: InteractionFileFormat;
  /** `--on-invalid`: stop at the first malformed row, or skip and count such rows. @defaultValue 'error' */
  readonly onInvalid?: 'error' | 'skip';
  /** `--duplicates`: the policy for repeated (user, item) rows. @defaultValue 'keep-last' */
  readonly duplicates?: DuplicatePolicy;
  /** `--id-type`: how raw ids are read from text files. @defaultValue 'auto' */
  readonly idType?: 'auto' | 'number' | 'string';
  /** `--max-line-bytes`: the longest data line accepted. @defaultValue the reader's (1 MiB) */
  readonly maxLineBytes?: number;
}

/** MovieLens layouts recognised next to a ratings file: ratings file → (variant, movies file). */
const MOVIELENS_LAYOUTS: Record<string, { name: MovieLensName; movies: string }> = {
  'ratings.csv': { name: 'ml-latest-small', movies: 'movies.csv' },
  'ratings.dat': { name: 'ml-1m', movies: 'movies.dat' },
  'u.data': { name: 'ml-100k', movies: 'u.item' },
};

/**
 * Titles for the items of `data` when `source` is a MovieLens ratings file with its movies file
 * beside it, matched by raw movie id; null otherwise (or when the folder cannot be read as
 * MovieLens).
 */
async function titlesBesideFile(source: string, data: Interactions): Promise<(string | null)[] | null> {
  const layout = MOVIELENS_LAYOUTS[basename(source)];
  const dir = dirname(source);
  if (layout === undefined || !existsSync(join(dir, layout.movies))) return null;
  try {
    const ds = await loadMovieLens(layout.name, dir);
    if (ds.items === null) return null;
    const titles: (string | null)[] = new Array(data.numItems).fill(null);
    for (let i = 0; i < data.numItems; i++) {
      const j = ds.interactions.itemIdMap.get(data.itemIdMap.toRaw(i));
      if (j >= 0) titles[i] = ds.items.titles[j] ?? null;
    }
    return titles;
  } catch {
    return null;
  }
}

/**
 * First line of an error message, without the `Error:` noise.
 * @example
 * firstLine(new Error('bad\nmore')); // 'bad'
 */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].trim();
}

/**
 * Loads `--data`: a builtin MovieLens name (with titles) or a file whose reader is picked by
 * extension (.csv, .tsv, .data, .dat, .arrow, .feather, .parquet).
 * @throws {CliError} for a missing file, an unknown name or a malformed file (one line).
 * @example
 * const { interactions, titles } = await loadCliData('quiver train', '--data', 'ml-latest-small');
 */
export async function loadCliData(where: string, flag: string, source: string, options: CliDataOptions = {}): Promise<CliDataset> {
  const isBuiltin = (MOVIELENS_NAMES as readonly string[]).includes(source) && !existsSync(source);
  try {
    if (isBuiltin) {
      for (const [flag2, value] of [['--columns', options.columns], ['--delimiter', options.delimiter], ['--format', options.format], ['--id-type', options.idType], ['--max-line-bytes', options.maxLineBytes]] as const) {
        if (value !== undefined) throw new CliError(`${where}: ${flag2} does not apply to the builtin dataset '${source}'`, 2);
      }
      const name = source as MovieLensName;
      const ds = await loadMovieLens(name, undefined, { duplicates: options.duplicates ?? 'keep-last', onInvalid: options.onInvalid ?? 'error' });
      let interactions = ds.interactions;
      let skippedUnknown = 0;
      if (options.userIdMap !== undefined && options.itemIdMap !== undefined) {
        const remapped = remap(interactions, options.userIdMap, options.itemIdMap);
        interactions = remapped.data;
        skippedUnknown = remapped.skipped;
      }
      const sameItems = skippedUnknown === 0 && options.itemIdMap === undefined;
      const report = ds.interactions.report;
      return {
        interactions,
        titles: sameItems ? (ds.items?.titles ?? null) : null,
        genres: sameItems ? (ds.items?.genres ?? null) : null,
        builtin: name,
        skippedUnknown,
        skippedInvalid: report?.rowsSkipped ?? 0,
        duplicatesMerged: report?.duplicatesMerged ?? 0,
      };
    }
    if (!existsSync(source)) {
      const hint = /[./\\]/.test(source) ? '' : ` (builtin datasets: ${MOVIELENS_NAMES.join(', ')})`;
      throw new CliError(`${where}: ${flag} file not found: ${source}${hint}`);
    }
    if (statSync(source).isDirectory()) throw new CliError(`${where}: ${flag} must be a file, got the directory ${source}`);
    const mapped = options.userIdMap !== undefined;
    const columns = options.columns;
    // With the model's id maps, rows of unknown users or items are skipped and counted; then
    // malformed rows are skipped as well, and both counts are the reader's one skip count.
    const interactions = await loadInteractions(source, {
      columns: options.columns,
      delimiter: options.delimiter,
      userIdMap: options.userIdMap,
      itemIdMap: options.itemIdMap,
      onInvalid: mapped ? 'skip' : (options.onInvalid ?? 'error'),
      ...(options.duplicates === undefined ? {} : { duplicates: options.duplicates }),
      ...(options.format === undefined ? {} : { format: options.format }),
      ...(options.idType === undefined ? {} : { idType: options.idType }),
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    });
    const report = interactions.report;
    const skipped = report?.rowsSkipped ?? 0;
    const titles = options.withTitles === true && columns === undefined ? await titlesBesideFile(source, interactions) : null;
    return {
      interactions,
      titles,
      genres: null,
      builtin: null,
      skippedUnknown: mapped ? skipped : 0,
      skippedInvalid: mapped ? 0 : skipped,
      duplicatesMerged: report?.duplicatesMerged ?? 0,
    };
  } catch (e) {
    if (e instanceof CliError) throw e;
    // The reader's advice names a library option; say which flag sets it instead.
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 1, `cannot read ${flag} ${source}: `);
    throw new CliError(`${where}: cannot read ${flag} ${source}: ${firstLine(e)}`);
  }
}

/** Re-indexes `data` into other id maps, dropping rows whose raw ids are unknown there. */
function remap(data: Interactions, users: IdMap, items: IdMap): { data: Interactions; skipped: number } {
  const n = data.length;
  const u = new Int32Array(n);
  const it = new Int32Array(n);
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const a = users.get(data.userIdMap.toRaw(data.userIds[k]));
    const b = items.get(data.itemIdMap.toRaw(data.itemIds[k]));
    if (a >= 0 && b >= 0) {
      u[keep.length] = a;
      it[keep.length] = b;
      keep.push(k);
    }
  }
  const m = keep.length;
  const ratings = data.ratings === null ? null : Float32Array.from(keep, (k) => (data.ratings as Float32Array)[k]);
  const timestamps = data.timestamps === null ? null : Float64Array.from(keep, (k) => (data.timestamps as Float64Array)[k]);
  return {
    data: new Interactions({ userIds: u.slice(0, m), itemIds: it.slice(0, m), ratings, timestamps, userIdMap: users, itemIdMap: items }),
    skipped: n - m,
  };
}
