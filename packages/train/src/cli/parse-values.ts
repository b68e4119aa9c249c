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
