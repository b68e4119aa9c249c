/**
 * The journal that makes a search resumable: a JSON-lines file with one header line (what
 * search wrote it) and one line per finished evaluation.
 */
import { appendFileSync, readFileSync, truncateSync } from 'node:fs';
import { describeValue, quiverError } from '@quiver/base';
import type { SearchMode } from './search-result.js';
import type { SearchSpace } from './search-space.js';

/** The journal layout written by {@link SearchJournal}; stored as `format` in the header. */
export const SEARCH_JOURNAL_FORMAT = 1;

/**
 * What identifies a search in its journal's first line. The search functions write, besides
 * these, the options that shape their schedule (`candidates`, `minBudget`, `maxBudget`,
 * `eta`); the journal adds `format`.
 */
export interface SearchJournalHeader {
  /** Which search: `'random'`, `'successive-halving'` or `'hyperband'`. */
  readonly search: string;
  /** The seed the candidates were drawn with. */
  readonly seed: number | string;
  /** The direction of the objective. */
  readonly mode: SearchMode;
  /** The space, as {@link checkSearchSpace} normalised it (declaration order kept). */
  readonly space: SearchSpace;
  /** Further options that must match on resume. */
  readonly [option: string]: unknown;
}

/** One finished evaluation, as a line of the journal. */
export interface SearchJournalEntry {
  /** The evaluated point's {@link paramsKey}. */
  readonly key: string;
  /** Its budget, null for random search. */
  readonly budget: number | null;
  /** The objective's value (NaN, ±Infinity and -0 are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`). */
  readonly value: number;
}

function encodeValue(value: number): number | string {
  if (!Number.isFinite(value)) return String(value);
  return Object.is(value, -0) ? '-0' : value;
}

function decodeValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  switch (value) {
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case '-Infinity': return -Infinity;
    case '-0': return -0;
    default: return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function parseEntry(line: string): SearchJournalEntry | null {
  const e = parseJson(line);
  if (!isRecord(e) || typeof e.key !== 'string') return null;
  if (e.budget !== null && (typeof e.budget !== 'number' || !Number.isFinite(e.budget))) return null;
  const value = decodeValue(e.value);
  return value === undefined ? null : { key: e.key, budget: e.budget, value };
}

/** The map key of an evaluation: its budget and its params key. */
function entryKey(key: string, budget: number | null): string {
  return `${budget === null ? '-' : budget}\t${key}`;
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? 'absent' : s;
}

/** Where a found header differs from the expected one, in words; empty when they match. */
function headerDiffs(found: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(found)])) {
    const a = found[name];
    const b = expected[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (name === 'space' && isRecord(a) && isRecord(b)) {
      const params = [...new Set([...Object.keys(b), ...Object.keys(a)])];
      const changed = params.filter((p) => JSON.stringify(a[p]) !== JSON.stringify(b[p]));
      for (const p of changed) out.push(`space.${p} is ${show(a[p])} in the journal but ${show(b[p])} here`);
      if (changed.length === 0) out.push(`the space declares its parameters in another order (journal: ${Object.keys(a).join(', ')}; here: ${Object.keys(b).join(', ')})`);
      continue;
    }
    out.push(`${name} is ${show(a)} in the journal but ${show(b)} here`);
  }
  return out;
}

/**
 * The journal of one search run: the values of the evaluations it already holds, and a way to
 * append new ones. Open it with {@link SearchJournal.open}; the search functions do that when
 * given `journal`.
 *
 * Layout: line 1 is the header (`{ format, search, seed, mode, space, ... }`), each further
 * line one finished evaluation `{ key, budget, value }`, every line ending in `\n` (written with
 * one `appendFileSync` call). One process at a time may write a journal.
 */
export class SearchJournal {
  /** The journal's file path. */
  readonly path: string;
  private readonly values: Map<string, number>;

  private constructor(path: string, values: Map<string, number>) {
    this.path = path;
    this.values = values;
  }

  /**
   * Opens a journal for a search described by `header`, creating the file (with the header as
   * its first line) when it is missing or empty. An existing journal must have been written by
   * the same search: every header field must match. A last line without its trailing newline
   * (a crash in the middle of a write) is ignored and cut off the file, so appends continue
   * after the last complete line. When an evaluation is listed twice, the first line counts.
   * @param where - The function to name in error messages.
   * @throws {Error} naming the journal when its header differs from `header` (listing each field
   * that differs), when line 1 is not a search header, or when a complete line is not an entry.
   * @example
   * const journal = SearchJournal.open('mySearch', 'runs/search.jsonl', { search: 'random', seed: 42, mode: 'min', space });
   * journal.get(paramsKey(params), null); // the value from an earlier run, or undefined
   */
  static open(where: string, path: string, header: SearchJournalHeader): SearchJournal {
    const headerLine = JSON.stringify({ format: SEARCH_JOURNAL_FORMAT, ...header });
    const name = JSON.stringify(path);
    let buf: Buffer | null = null;
    try {
      buf = readFileSync(path);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
    }
    const end = buf === null ? -1 : buf.lastIndexOf(0x0a);
    if (buf === null || end < 0) {
      // No complete line: a new journal, or a crash while its header was being written.
      if (buf !== null && buf.length > 0 && !headerLine.startsWith(buf.toString('utf8'))) {
        throw quiverError('Error', { where, what: `journal ${name} is not a search journal: it has no complete line`, got: describeValue(buf.toString('utf8')), tail: '; pass another journal path' });
      }
      if (buf !== null && buf.length > 0) truncateSync(path, 0);
      appendFileSync(path, `${headerLine}\n`);
      return new SearchJournal(path, new Map());
    }
    const lines = buf.toString('utf8', 0, end).split('\n');
    const found = parseJson(lines[0]);
    if (!isRecord(found) || typeof found.search !== 'string') {
      throw quiverError('Error', { where, what: `journal ${name} is not a search journal: line 1 must be a header { format, search, seed, mode, space, ... }`, got: describeValue(lines[0]), tail: '; pass another journal path' });
    }
    const diffs = headerDiffs(found, JSON.parse(headerLine) as Record<string, unknown>);
    if (diffs.length > 0) {
      throw quiverError('Error', { where, what: `journal ${name} was written by a different search: ${diffs.join('; ')}`, tail: '; pass the options it was written with, another journal path, or delete it' });
    }
    const values = new Map<string, number>();
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '') continue;
      const entry = parseEntry(lines[i]);
      if (entry === null) {
        throw quiverError('Error', { where, what: `journal ${name} line ${i + 1} must be an entry { key, budget, value }`, got: describeValue(lines[i]) });
      }
      const k = entryKey(entry.key, entry.budget);
      if (!values.has(k)) values.set(k, entry.value);
    }
    if (end < buf.length - 1) truncateSync(path, end + 1);
    return new SearchJournal(path, values);
  }

  /** Number of distinct evaluations the journal holds. */
  get size(): number {
    return this.values.size;
  }

  /**
   * The journaled value of the point with `key` at `budget`, or undefined.
   * @example
   * journal.get('{"x":0.5}', 3); // 0.04
   */
  get(key: string, budget: number | null): number | undefined {
    return this.values.get(entryKey(key, budget));
  }

  /**
   * Appends one finished evaluation as a line `{ key, budget, value }` (one `appendFileSync`
   * call, trailing newline included) and remembers it.
   * @example
   * journal.append('{"x":0.5}', 3, 0.04);
   */
  append(key: string, budget: number | null, value: number): void {
    appendFileSync(this.path, `${JSON.stringify({ key, budget, value: encodeValue(value) })}\n`);
    this.values.set(entryKey(key, budget), value);
  }
}
