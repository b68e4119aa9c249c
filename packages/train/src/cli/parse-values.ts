import type { CsvColumnMapping, CsvDelimiter } from '@quiver/data';
import { CliError } from './cli-error.js';

/**
 * Parses a flag value as a safe integer (at most 2^53 - 1) >= `min`.
 * @example
 * parseIntFlag('quiver train', '--epochs', '20', 1); // 20; '1.5' throws a CliError
 */
export function parseIntFlag(where: string, flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    const kind = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    const what = Number.isInteger(n) && n > Number.MAX_SAFE_INTEGER ? `${kind} <= ${Number.MAX_SAFE_INTEGER}` : kind;
    throw new CliError(`${where}: ${flag} must be ${what}, got ${JSON.stringify(value)}`, 2);
  }
  return n;
}

/**
 * Parses a flag value as a finite number, optionally in `(lo, hi)` (open) or `[lo, ...)`.
 * @example
 * parseNumberFlag('quiver train', '--test-ratio', '0.2', { lo: 0, hi: 1, loOpen: true, hiOpen: true }); // 0.2
 */
export function parseNumberFlag(
  where: string,
  flag: string,
  value: string | undefined,
  range?: { lo?: number; hi?: number; loOpen?: boolean; hiOpen?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad = value.trim() === '' || !Number.isFinite(n);
  const lo = range?.lo ?? -Infinity;
  const hi = range?.hi ?? Infinity;
  const below = range?.loOpen ? !(n > lo) : !(n >= lo);
  const above = range?.hiOpen ? !(n < hi) : !(n <= hi);
  if (bad || below || above) {
    const where2 = range === undefined ? 'a finite number' : `a number in ${range.loOpen ? '(' : '['}${lo}, ${hi}${range.hiOpen ? ')' : ']'}`;
    throw new CliError(`${where}: ${flag} must be ${where2}, got ${JSON.stringify(value)}`, 2);
  }
  return n;
}

const DELIMITERS: Record<string, CsvDelimiter> = {
  ',': ',', comma: ',', '\t': '\t', '\\t': '\t', tab: '\t', '::': '::', ';': ';', semicolon: ';', '|': '|', pipe: '|', ' ': ' ', space: ' ',
};

/**
 * Parses `--delimiter`: `,` `tab` (or `\t`) `::` `;` `|` `space`.
 * @example
 * parseDelimiter('quiver train', 'tab'); // '\t'
 */
export function parseDelimiter(where: string, value: string | undefined): CsvDelimiter | undefined {
  if (value === undefined) return undefined;
  const d = Object.hasOwn(DELIMITERS, value) ? DELIMITERS[value] : undefined;
  if (d === undefined) throw new CliError(`${where}: --delimiter must be one of , tab :: ; | space, got ${JSON.stringify(value)}`, 2);
  return d;
}

/**
 * Parses `--columns user,item[,rating[,timestamp]]`: header names, or 0-based field indices
 * for files without a header. Two names mean implicit data (ratings ignored).
 * @example
 * parseColumns('quiver train', 'uid,iid,score'); // { user: 'uid', item: 'iid', rating: 'score', timestamp: null }
 */
export function parseColumns(where: string, value: string | undefined): CsvColumnMapping | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length < 2 || parts.length > 4 || parts.some((p) => p === '')) {
    throw new CliError(`${where}: --columns must be user,item[,rating[,timestamp]] (names or 0-based indices), got ${JSON.stringify(value)}`, 2);
  }
  const field = (s: string) => (/^\d+$/.test(s) ? Number(s) : s);
  return {
    user: field(parts[0]),
    item: field(parts[1]),
    rating: parts.length > 2 ? field(parts[2]) : null,
    timestamp: parts.length > 3 ? field(parts[3]) : null,
  };
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/**
 * Parses a size flag: a number of bytes, optionally with a binary unit (`K`, `M`, `G`, `T`,
 * with or without `B` / `iB`, any case): `512M`, `1.5G`, `4GiB`, `100000`.
 * @example
 * parseBytesFlag('quiver train', '--max-memory', '2G'); // 2147483648
 */
export function parseBytesFlag(where: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m === null ? undefined : BYTE_UNITS[m[2].toLowerCase()];
  const bytes = m === null || unit === undefined ? NaN : Math.floor(Number(m[1]) * unit);
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    throw new CliError(`${where}: ${flag} must be a size in bytes such as 2G, 512M or 1000000 (units K, M, G, T), got ${JSON.stringify(value)}`, 2);
  }
  return bytes;
}

/**
 * Parses a flag whose value is one of `choices`.
 * @example
 * parseChoiceFlag('quiver train', '--on-invalid', 'skip', ['error', 'skip']); // 'skip'
 */
export function parseChoiceFlag<T extends string>(where: string, flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new CliError(`${where}: ${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`, 2);
  return value as T;
}
