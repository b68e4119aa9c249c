/** The MovieLens variants Quiver knows (GroupLens names). */
export type MovieLensName = 'ml-100k' | 'ml-1m' | 'ml-10m' | 'ml-20m' | 'ml-25m' | 'ml-latest' | 'ml-latest-small';

/** How one MovieLens variant is laid out and where it comes from. */
export interface MovieLensSpec {
  /** The variant's GroupLens name: its key in {@link MOVIELENS} and the zip's base name (e.g. `'ml-1m'`). */
  readonly name: MovieLensName;
  /** Official zip URL. */
  readonly url: string;
  /** MD5 of the official zip, or null when GroupLens updates it (then the published `.md5` file is used). */
  readonly md5: string | null;
  /** Ratings file inside the dataset folder. */
  readonly ratingsFile: string;
  /** Movies file (titles, genres) inside the dataset folder. */
  readonly moviesFile: string;
  /** Ratings/movies format: `'csv'` (header, quoted titles), `'dat'` (`::`), `'100k'` (tab + `|`). */
  readonly format: 'csv' | 'dat' | '100k';
  /** Text encoding of the movie titles. */
  readonly encoding: 'utf8' | 'latin1';
}

const BASE = 'https://files.grouplens.org/datasets/movielens';

/** Every known variant, by name. MD5s are the ones GroupLens publishes next to the zips. */
export const MOVIELENS: Readonly<Record<MovieLensName, MovieLensSpec>> = {
  'ml-100k': { name: 'ml-100k', url: `${BASE}/ml-100k.zip`, md5: '0e33842e24a9c977be4e0107933c0723', ratingsFile: 'u.data', moviesFile: 'u.item', format: '100k', encoding: 'latin1' },
  'ml-1m': { name: 'ml-1m', url: `${BASE}/ml-1m.zip`, md5: 'c4d9eecfca2ab87c1945afe126590906', ratingsFile: 'ratings.dat', moviesFile: 'movies.dat', format: 'dat', encoding: 'latin1' },
  'ml-10m': { name: 'ml-10m', url: `${BASE}/ml-10m.zip`, md5: 'ce571fd55effeba0271552578f2648bd', ratingsFile: 'ratings.dat', moviesFile: 'movies.dat', format: 'dat', encoding: 'utf8' },
  'ml-20m': { name: 'ml-20m', url: `${BASE}/ml-20m.zip`, md5: 'cd245b17a1ae2cc31bb14903e1204af3', ratingsFile: 'ratings.csv', moviesFile: 'movies.csv', format: 'csv', encoding: 'utf8' },
  'ml-25m': { name: 'ml-25m', url: `${BASE}/ml-25m.zip`, md5: '6b51fb2759a8657d3bfcbfc42b592ada', ratingsFile: 'ratings.csv', moviesFile: 'movies.csv', format: 'csv', encoding: 'utf8' },
  'ml-latest': { name: 'ml-latest', url: `${BASE}/ml-latest.zip`, md5: null, ratingsFile: 'ratings.csv', moviesFile: 'movies.csv', format: 'csv', encoding: 'utf8' },
  'ml-latest-small': { name: 'ml-latest-small', url: `${BASE}/ml-latest-small.zip`, md5: null, ratingsFile: 'ratings.csv', moviesFile: 'movies.csv', format: 'csv', encoding: 'utf8' },
};

/** The names of the known variants. */
export const MOVIELENS_NAMES = Object.keys(MOVIELENS) as MovieLensName[];

/** True when `name` is a known MovieLens variant. */
export function isMovieLensName(name: string): name is MovieLensName {
  return Object.prototype.hasOwnProperty.call(MOVIELENS, name);
}
