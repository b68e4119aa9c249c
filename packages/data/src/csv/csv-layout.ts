import { describeValue, quiverError } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';

/** Which field holds what: a header name or a 0-based field index. */
export interface CsvColumnMapping {
  /** User id column. @defaultValue detected from the header, else field 0 */
  readonly user?: string | number;
  /** Item id column. @defaultValue detected from the header, else field 1 */
  readonly item?: string | number;
  /** Rating column; `null` ignores ratings. @defaultValue detected from the header, else field 2 when present */
  readonly rating?: string | number | null;
  /** Timestamp column; `null` ignores it. @defaultValue detected from the header, else field 3 when present */
  readonly timestamp?: string | number | null;
}

/** The field delimiters readCsv understands. */
export type CsvDelimiter = ',' | '\t' | '::' | ';' | '|' | ' ';

/** The allowed delimiters (detection tries them in this order). */
export const CSV_DELIMITERS: readonly CsvDelimiter[] = ['::', '\t', ',', ';', '|', ' '];

/** Result of sniffing the first lines of a file. */
export interface CsvLayout {
  delimiter: CsvDelimiter;
  header: boolean;
  headerNames: string[] | null;
  user: number;
  item: number;
  rating: number;
  timestamp: number;
  numFieldsNeeded: number;
  userKind: 'number' | 'string';
  itemKind: 'number' | 'string';
}

/** Column names (normalised: lower case, letters and digits only) recognised for each role. */
export const ALIASES: Record<'user' | 'item' | 'rating' | 'timestamp', string[]> = {
  user: ['user', 'userid', 'uid', 'users', 'customer', 'customerid', 'visitor', 'visitorid', 'reviewerid', 'member', 'memberid', 'account', 'accountid'],
  item: ['item', 'itemid', 'iid', 'items', 'movie', 'movieid', 'product', 'productid', 'asin', 'track', 'trackid', 'song', 'songid', 'artist', 'artistid', 'book', 'bookid', 'isbn', 'article', 'articleid', 'content', 'contentid'],
  rating: ['rating', 'ratings', 'score', 'value', 'stars', 'rate', 'weight', 'count', 'playcount', 'plays', 'label', 'feedback'],
  timestamp: ['timestamp', 'time', 'ts', 'datetime', 'date', 'unixtime', 'unixtimestamp', 'createdat', 'eventtime'],
};

/** Normalises a column name for alias matching. */
export const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Splits one line into fields (quotes: RFC 4180; `""` inside quotes is one quote). */
export function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let val = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          val += line.slice(i);
          i = n;
          break;
        }
        val += line.slice(i, q);
        if (line[q + 1] === '"') {
          val += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        out.push(val);
        return out;
      }
      out.push(val);
      i = d + delimiter.length;
    } else {
      const d = line.indexOf(delimiter, i);
      if (d < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, d));
      i = d + delimiter.length;
    }
  }
}

/** An integer without leading zeros, of any length (ids beyond 2^53 are read exactly, as bigints). */
const CANONICAL_INT = /^-?(0|[1-9]\d*)$/;
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Options that drive {@link sniffLayout}. */
export interface SniffOptions {
  delimiter?: CsvDelimiter;
  header?: boolean | 'auto';
  columns?: CsvColumnMapping;
  idType?: 'auto' | 'number' | 'string';
}

/**
 * Decides delimiter, header, column positions and id kinds from sample lines (non-empty, the
 * first one is the first line of the file).
 * @throws {Error} naming the file when the layout cannot be worked out.
 */
export function sniffLayout(where: string, file: string, lines: string[], opts: SniffOptions): CsvLayout {
  const first = lines[0];
  let delimiter: CsvDelimiter;
  if (opts.delimiter !== undefined) {
    delimiter = opts.delimiter;
    if (!first.includes(delimiter)) {
      const other = CSV_DELIMITERS.find((d) => d !== ' ' && first.includes(d));
      const what = `${file}:1: line must contain the delimiter ${JSON.stringify(delimiter)}, got ${describeValue(first)}`;
      if (other === undefined) throw dataInputError('Error', where, what);
      throw dataInputError('Error', where, `${what}; it contains ${JSON.stringify(other)}`, { option: 'delimiter', value: other }, `: pass delimiter: ${JSON.stringify(other)}`);
    }
  } else {
    const found = CSV_DELIMITERS.find((d) => first.includes(d));
    if (found === undefined) {
      throw dataInputError(
        'Error',
        where,
        `${file}:1: could not detect the delimiter (tried ${CSV_DELIMITERS.map((d) => JSON.stringify(d)).join(', ')}) in ${describeValue(first)}`,
        { option: 'delimiter', value: '<delimiter>' },
        '; pass options.delimiter',
      );
    }
    delimiter = found;
  }
  const rows = lines.map((l) => splitLine(l, delimiter));
  const cols = opts.columns ?? {};
  const firstNorm = rows[0].map(norm);
  let header: boolean;
  if (opts.header === true || opts.header === false) header = opts.header;
  else {
    const named = firstNorm.some((f) => Object.values(ALIASES).some((a) => a.includes(f)));
    const userNamed = [cols.user, cols.item, cols.rating, cols.timestamp].some((c) => typeof c === 'string' && rows[0].includes(c));
    let typeChange = false;
    if (rows.length > 1) {
      for (let f = 0; f < rows[0].length && f < rows[1].length; f++) {
        if (!NUMERIC.test(rows[0][f]) && NUMERIC.test(rows[1][f])) typeChange = true;
      }
    }
    header = named || userNamed || typeChange;
  }
  const headerNames = header ? rows[0] : null;
  const data = header ? rows.slice(1) : rows;
  const numFields = header ? rows[0].length : rows[0].length;
  if (numFields < 2) {
    throw quiverError('Error', { where, what: `${file}:1: line must have at least 2 fields (user, item) separated by ${JSON.stringify(delimiter)}`, got: `1 field in ${describeValue(first)}` });
  }

  // A header whose names are all unfamiliar is read positionally, like a headerless file.
  const anyKnown = firstNorm.some((f) => Object.values(ALIASES).some((a) => a.includes(f)));
  const resolve = (key: 'user' | 'item' | 'rating' | 'timestamp', fallback: number): number => {
    const given = cols[key];
    if (given === null) return -1;
    if (typeof given === 'number') {
      if (!Number.isInteger(given) || given < 0) throw quiverError('RangeError', { where, what: `columns.${key} must be a non-negative field index or a header name`, got: String(given) });
      if (given >= numFields) {
        throw quiverError('RangeError', { where, what: `columns.${key} must be a field index in [0, ${numFields}) for ${file} (its lines have ${numFields} fields)`, got: String(given) });
      }
      return given;
    }
    if (typeof given === 'string') {
      if (headerNames === null) {
        throw dataInputError('Error', where, `columns.${key} is the name ${JSON.stringify(given)} but ${file} has no header row`, { option: 'header', value: 'true' }, '; pass a field index or header: true');
      }
      let idx = headerNames.indexOf(given);
      if (idx < 0) idx = headerNames.findIndex((h) => h.trim().toLowerCase() === given.toLowerCase());
      if (idx < 0) {
        throw quiverError('Error', { where, what: `columns.${key} must name a column of ${file}`, got: JSON.stringify(given), tail: `; the header has ${headerNames.map((h) => JSON.stringify(h)).join(', ')}` });
      }
      return idx;
    }
    if (given !== undefined) throw quiverError('TypeError', { where, what: `columns.${key} must be a header name, a field index or null`, got: describeValue(given) });
    if (headerNames !== null && anyKnown) {
      const idx = firstNorm.findIndex((f) => ALIASES[key].includes(f));
      if (idx >= 0) return idx;
      if (key === 'user' || key === 'item') {
        throw dataInputError(
          'Error',
          where,
          `${file} has a header (${headerNames.map((h) => JSON.stringify(h)).join(', ')}) with no recognisable ${key} column`,
          { option: 'columns', value: `{ ${key}: '<name>' }` },
        );
      }
      return -1;
    }
    return fallback < numFields ? fallback : -1;
  };
  const user = resolve('user', 0);
  const item = resolve('item', 1);
  const rating = resolve('rating', 2);
  const timestamp = resolve('timestamp', 3);
  if (user === item) throw quiverError('Error', { where, what: 'columns.user and columns.item must be different fields', got: `field ${user} for both` });

  const kind = (idx: number): 'number' | 'string' => {
    if (opts.idType === 'number' || opts.idType === 'string') return opts.idType;
    for (const r of data) if (idx < r.length && !CANONICAL_INT.test(r[idx].trim())) return 'string';
    return 'number';
  };
  return {
    delimiter,
    header,
    headerNames,
    user,
    item,
    rating,
    timestamp,
    numFieldsNeeded: Math.max(user, item, rating, timestamp) + 1,
    userKind: kind(user),
    itemKind: kind(item),
  };
}
