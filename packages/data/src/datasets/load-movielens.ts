import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOneOf, checkOptions, describeValue, quiverError } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import { splitLine } from '../csv/csv-layout.js';
import { readCsv } from '../csv/read-csv.js';
import type { Interactions } from '../interactions.js';
import type { DuplicatePolicy } from '../load-report.js';
import { resolveDatasetsDir } from './datasets-dir.js';
import { MOVIELENS, MOVIELENS_NAMES, type MovieLensName } from './movielens-catalog.js';

/** Item metadata of a MovieLens variant, aligned with the dense item indices. */
export interface MovieLensItems {
  /** Title of item index i (e.g. `'Toy Story (1995)'`), or null when the movies file lacks it. */
  readonly titles: ReadonlyArray<string | null>;
  /** Genres of item index i (empty for `(no genres listed)` or a missing movie). */
  readonly genres: ReadonlyArray<readonly string[]>;
}

/** A loaded MovieLens variant. */
export interface MovieLensDataset {
  /** The variant's name. */
  readonly name: MovieLensName;
  /** The folder it was read from. */
  readonly dir: string;
  /** The ratings, with timestamps (seconds since the epoch). */
  readonly interactions: Interactions;
  /** Titles and genres per item index, or null when `items: false` or the movies file is absent. */
  readonly items: MovieLensItems | null;
}

/** Options of {@link loadMovieLens}. */
export interface LoadMovieLensOptions {
  /** Also read titles and genres. @defaultValue true */
  readonly items?: boolean;
  /** Policy for repeated (user, movie) pairs (MovieLens has none). @defaultValue 'keep-last' */
  readonly duplicates?: DuplicatePolicy;
  /** `'error'` throws on a malformed line, `'skip'` drops it. @defaultValue 'error' */
  readonly onInvalid?: 'error' | 'skip';
}

const ML100K_GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

/**
 * Reads a MovieLens variant from its unzipped folder: ml-100k (`u.data`, `u.item`), ml-1m and
 * ml-10m (`ratings.dat`, `movies.dat`, `::`-separated), ml-20m, ml-25m, ml-latest and
 * ml-latest-small (`ratings.csv`, `movies.csv`). Raw user and movie ids are the integers of the
 * files; titles and genres are aligned with the dense item indices.
 * @param name - The variant, e.g. `'ml-1m'`.
 * @param dir - The folder holding its files. @defaultValue `<datasets folder>/<name>`
 * @throws {TypeError} when name is not a known variant or an option name is unknown.
 * @throws {Error} when the folder or its ratings file is missing (with the command that
 *   downloads it), or a file is malformed.
 * @example
 * const { interactions, items } = await loadMovieLens('ml-latest-small');
 * items?.titles[interactions.itemIdMap.toIndex(1)]; // 'Toy Story (1995)'
 */
export async function loadMovieLens(name: MovieLensName, dir?: string, options?: LoadMovieLensOptions): Promise<MovieLensDataset> {
  const where = 'loadMovieLens';
  checkOneOf(where, 'name', name, MOVIELENS_NAMES);
  const o = checkOptions(where, options, ['items', 'duplicates', 'onInvalid']);
  if (o.items !== undefined && typeof o.items !== 'boolean') throw quiverError('TypeError', { where, what: 'options.items must be a boolean', got: describeValue(o.items) });
  const spec = MOVIELENS[name];
  let folder = dir;
  if (folder === undefined) {
    const root = resolveDatasetsDir();
    if (root === null) throw dataInputError('Error', where, 'no datasets folder found', { option: 'dir', value: '<folder>' }, '; set QUIVER_DATASETS or pass dir');
    folder = join(root, name);
  } else if (typeof folder !== 'string') throw quiverError('TypeError', { where, what: 'dir must be a string', got: describeValue(folder) });
  const ratingsPath = join(folder, spec.ratingsFile);
  if (!existsSync(ratingsPath)) {
    throw dataInputError(
      'Error',
      where,
      `${name} must be downloaded first: ${ratingsPath} does not exist`,
      { option: 'dir', value: '<folder>' },
      `; run \`npm run dataset -w @quiver/data -- ${name}\` (or pass the folder of an unzipped copy as dir)`,
    );
  }
  const common = { duplicates: o.duplicates, onInvalid: o.onInvalid, idType: 'number' as const };
  let interactions: Interactions;
  if (spec.format === 'csv') {
    interactions = await readCsv(ratingsPath, { ...common, delimiter: ',', header: true, columns: { user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' } });
  } else {
    interactions = await readCsv(ratingsPath, { ...common, delimiter: spec.format === 'dat' ? '::' : '\t', header: false, columns: { user: 0, item: 1, rating: 2, timestamp: 3 } });
  }
  let items: MovieLensItems | null = null;
  const moviesPath = join(folder, spec.moviesFile);
  if (o.items !== false && existsSync(moviesPath)) {
    items = await readMovies(moviesPath, spec.format, spec.encoding, folder, interactions);
  }
  return { name, dir: folder, interactions, items };
}

async function readMovies(path: string, format: 'csv' | 'dat' | '100k', encoding: 'utf8' | 'latin1', folder: string, data: Interactions): Promise<MovieLensItems> {
  const text = (await readFile(path)).toString(encoding);
  const titles: (string | null)[] = new Array(data.numItems).fill(null);
  const genres: string[][] = Array.from({ length: data.numItems }, () => []);
  let genreNames = ML100K_GENRES;
  if (format === '100k' && existsSync(join(folder, 'u.genre'))) {
    const g = (await readFile(join(folder, 'u.genre'))).toString(encoding).split('\n').filter((l) => l.trim() !== '').map((l) => l.split('|')[0]);
    if (g.length > 0) genreNames = g;
  }
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    let line = lines[k];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '' || (format === 'csv' && k === 0)) continue;
    let id: number;
    let title: string;
    let gs: string[];
    if (format === 'csv') {
      const f = splitLine(line, ',');
      id = Number(f[0]);
      title = f[1] ?? '';
      gs = f[2] === undefined || f[2] === '(no genres listed)' ? [] : f[2].split('|');
    } else if (format === 'dat') {
      const f = line.split('::');
      id = Number(f[0]);
      title = f[1] ?? '';
      gs = f[2] === undefined || f[2] === '' || f[2] === '(no genres listed)' ? [] : f[2].split('|');
    } else {
      const f = line.split('|');
      id = Number(f[0]);
      title = f[1] ?? '';
      gs = [];
      for (let g = 0; g < genreNames.length && 5 + g < f.length; g++) if (f[5 + g] === '1') gs.push(genreNames[g]);
    }
    if (!Number.isInteger(id)) throw quiverError('Error', { where: 'loadMovieLens', what: `${path}:${k + 1}: movie id must be an integer`, got: describeValue(line.slice(0, 200)) });
    const idx = data.itemIdMap.get(id);
    if (idx < 0) continue; // a movie nobody rated
    titles[idx] = title;
    genres[idx] = gs;
  }
  return { titles, genres };
}
