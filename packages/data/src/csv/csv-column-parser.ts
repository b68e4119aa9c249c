import { describeValue, MAX_ABS_RATING, RATING_RULE, type ErrorHint } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import type { IdMap } from '../id-map.js';
import type { SkippedRow } from '../load-report.js';
import { POW10, parseDecimalBytes, parseIntBytes, parseIntIdBytes } from '../kernels/parse-number.js';
import type { CsvLayout } from './csv-layout.js';

const NL = 10;
const CR = 13;
const QUOTE = 34;
const MAX_FIELDS = 64;
const SKIP_HINT: ErrorHint = { option: 'onInvalid', value: 'skip' };
const SKIP_TEXT = "; pass onInvalid: 'skip' to drop invalid lines";

/** Growable output columns. */
class ColumnSink {
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array | null;
  times: Float64Array | null;
  n = 0;
  constructor(cap: number, hasRating: boolean, hasTime: boolean) {
    this.users = new Int32Array(cap);
    this.items = new Int32Array(cap);
    this.ratings = hasRating ? new Float32Array(cap) : null;
    this.times = hasTime ? new Float64Array(cap) : null;
  }
  /** Grows to `hint` rows when that is ahead, else by 25%. */
  grow(hint: number): void {
    const cap = Math.max(this.users.length + 1024, Math.ceil(hint > this.users.length ? hint : this.users.length * 1.25));
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.users = g32(this.users);
    this.items = g32(this.items);
    if (this.ratings) {
      const b = new Float32Array(cap);
      b.set(this.ratings);
      this.ratings = b;
    }
    if (this.times) {
      const b = new Float64Array(cap);
      b.set(this.times);
      this.times = b;
    }
  }
}

/**
 * Streaming byte-level parser of delimited interaction files: feed it chunks, it maps ids
 * through the id maps and appends to typed-array columns. No per-row strings or objects for
 * numeric ids, ratings and timestamps.
 */
export class CsvColumnParser {
  readonly sink: ColumnSink;
  lineNo: number;
  rowsRead = 0;
  rowsSkipped = 0;
  /** The caller's running estimate of the total row count (sizes the next growth). */
  expectedRows = 0;
  readonly skipped: SkippedRow[] = [];
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);
  private readonly quoted = new Uint8Array(MAX_FIELDS);
  private readonly d0: number;
  private readonly d1: number;
  private readonly dlen: number;
  private readonly fast: boolean;
  /** Role of each needed field: 0 unused, 1 user, 2 item, 3 rating, 4 timestamp. */
  private readonly role: Uint8Array;
  private readonly userField: number;
  private readonly itemField: number;
  private readonly ratingField: number;
  private readonly timeField: number;

  constructor(
    private readonly where: string,
    private readonly file: string,
    private readonly layout: CsvLayout,
    readonly userIdMap: IdMap,
    readonly itemIdMap: IdMap,
    private readonly frozenUsers: boolean,
    private readonly frozenItems: boolean,
    private readonly onInvalid: 'error' | 'skip',
    private readonly encoding: 'utf8' | 'latin1',
    capacity: number,
    firstLineNo: number,
    /** Longest data line accepted, in bytes (without its line end). */
    readonly maxLineBytes: number,
  ) {
    this.sink = new ColumnSink(Math.max(16, capacity), layout.rating >= 0, layout.timestamp >= 0);
    this.d0 = layout.delimiter.charCodeAt(0);
    this.d1 = layout.delimiter.length > 1 ? layout.delimiter.charCodeAt(1) : -1;
    this.dlen = layout.delimiter.length;
    this.lineNo = firstLineNo;
    this.fast = layout.userKind === 'number' && layout.itemKind === 'number' && !frozenUsers && !frozenItems;
    this.userField = layout.user;
    this.itemField = layout.item;
    this.ratingField = layout.rating;
    this.timeField = layout.timestamp;
    this.role = new Uint8Array(layout.numFieldsNeeded);
    this.role[layout.user] = 1;
    this.role[layout.item] = 2;
    if (layout.rating >= 0) this.role[layout.rating] = 3;
    if (layout.timestamp >= 0) this.role[layout.timestamp] = 4;
  }

  /**
   * Parses complete lines of buf[start..end). Returns where the first incomplete line starts
   * (= end when everything was consumed). With `final`, the last line needs no newline.
   */
  parse(buf: Buffer, start: number, end: number, final: boolean): number {
    if (!this.fast) return this.parseGeneral(buf, start, end, final, false);
    let p = start;
    while (p < end) {
      const q = this.fastLine(buf, p, end, final);
      if (q >= 0) {
        p = q;
        continue;
      }
      if (q === -2) return p; // incomplete line: wait for more bytes
      // Anything unusual on this line (quotes, spaces, exponents, errors): the general path.
      const r = this.parseGeneral(buf, p, end, final, true);
      if (r === p) return p;
      p = r;
    }
    return end;
  }

  /**
   * Single-pass parse of one line whose needed fields are plain decimal numbers: digits are
   * accumulated while scanning. Returns the start of the next
   * line, -1 when the line needs the general path, -2 when it is incomplete.
   */
  private fastLine(buf: Buffer, start: number, end: number, final: boolean): number {
    const d0 = this.d0;
    const d1 = this.d1;
    const two = this.dlen === 2;
    const role = this.role;
    const last = role.length - 1;
    let p = start;
    let u = 0;
    let i = 0;
    let r = 0;
    let t = 0;
    for (let f = 0; ; f++) {
      const kind = role[f];
      let c = -1;
      if (kind === 0) {
        while (p < end) {
          c = buf[p];
          if (c === d0 || c === NL) break;
          if (c === QUOTE) return -1;
          p++;
        }
        if (p >= end) return final ? -1 : -2;
      } else {
        let acc = 0;
        let digits = 0;
        let frac = 0;
        let dot = 0;
        let neg = false;
        if (p < end && buf[p] === 45) {
          neg = true;
          p++;
        }
        for (;;) {
          if (p >= end) return final ? -1 : -2;
          c = buf[p];
          const d = c - 48;
          if (d >= 0 && d <= 9) {
            acc = acc * 10 + d;
            digits++;
            frac += dot;
            p++;
          } else if (c === 46 && dot === 0) {
            dot = 1;
            p++;
          } else break;
        }
        // At most 15 digits: ids are exact and ratings are far below MAX_ABS_RATING (no range check here).
        if (digits === 0 || digits > 15) return -1;
        let v = frac === 0 ? acc : acc / POW10[frac];
        if (neg) v = -v;
        if (kind === 1) {
          if (dot === 1) return -1;
          u = v;
        } else if (kind === 2) {
          if (dot === 1) return -1;
          i = v;
        } else if (kind === 3) r = v;
        else t = v;
      }
      if (f === last) {
        if (c === NL) p++;
        else if (c === CR) {
          if (p + 1 >= end) return final ? -1 : -2;
          if (buf[p + 1] !== NL) return -1;
          p += 2;
        } else if (c === d0) {
          // Skip the unused trailing fields; quotes there need the general parser.
          while (p < end) {
            const e = buf[p];
            if (e === NL) break;
            if (e === QUOTE) return -1;
            p++;
          }
          if (p >= end) return final ? -1 : -2;
          p++;
        } else return -1;
        break;
      }
      if (c !== d0) return -1;
      if (two) {
        if (p + 1 >= end) return final ? -1 : -2;
        if (buf[p + 1] !== d1) return -1;
        p += 2;
      } else p++;
    }
    // A line that may be over the limit: the general path measures it exactly and refuses it.
    if (p - start - 1 > this.maxLineBytes) return -1;
    this.lineNo++;
    this.rowsRead++;
    const sink = this.sink;
    const n = sink.n;
    if (n === sink.users.length) sink.grow(this.expectedRows);
    sink.users[n] = this.userIdMap.getOrAdd(u);
    sink.items[n] = this.itemIdMap.getOrAdd(i);
    if (sink.ratings !== null) sink.ratings[n] = r;
    if (sink.times !== null) sink.times[n] = t;
    sink.n = n + 1;
    return p;
  }

  /** The general line parser (quotes, any delimiter, all checks); one line when `oneLine`. */
  private parseGeneral(buf: Buffer, start: number, end: number, final: boolean, oneLine: boolean): number {
    const starts = this.starts;
    const ends = this.ends;
    const quoted = this.quoted;
    const d0 = this.d0;
    const d1 = this.d1;
    const two = this.dlen === 2;
    const need = this.layout.numFieldsNeeded;
    let p = start;
    while (p < end) {
      const lineStart = p;
      let f = 0;
      let complete = false;
      let incomplete = false;
      // One iteration per field.
      for (;;) {
        const fs = p;
        let q = 0;
        if (p < end && buf[p] === QUOTE) {
          // Quoted field: runs to the closing quote ("" is an escaped quote).
          q = 1;
          p++;
          let closed = false;
          while (p < end) {
            if (buf[p] === QUOTE) {
              if (p + 1 >= end && !final) break;
              if (p + 1 < end && buf[p + 1] === QUOTE) {
                p += 2;
                continue;
              }
              p++;
              closed = true;
              break;
            }
            p++;
          }
          if (!closed) {
            if (!final) {
              incomplete = true;
              break;
            }
            this.lineNo++;
            this.invalid(buf, lineStart, end, 'unterminated quoted field');
            return end;
          }
        }
        // Scan to the delimiter or the end of the line (two compares per byte).
        let atDelim = false;
        while (p < end) {
          const c = buf[p];
          if (c === NL) break;
          if (c === d0) {
            if (!two) {
              atDelim = true;
              break;
            }
            if (p + 1 >= end) {
              if (!final) break;
            } else if (buf[p + 1] === d1) {
              atDelim = true;
              break;
            }
          }
          p++;
        }
        if (atDelim) {
          if (f < MAX_FIELDS) {
            starts[f] = fs;
            ends[f] = p;
            quoted[f] = q;
          }
          f++;
          p += two ? 2 : 1;
          continue;
        }
        if (p < end && buf[p] === NL) complete = true;
        else if (!final) {
          incomplete = true;
          break;
        }
        // Last field of the line (drop a CR before the newline).
        let fe = p;
        if (fe > fs && buf[fe - 1] === CR) fe--;
        if (f < MAX_FIELDS) {
          starts[f] = fs;
          ends[f] = fe;
          quoted[f] = q;
        }
        f++;
        break;
      }
      if (incomplete) return lineStart;
      let lineEnd = p;
      if (lineEnd > lineStart && buf[lineEnd - 1] === CR) lineEnd--;
      if (complete || p < end) p++; // past the newline
      this.lineNo++;
      if (lineEnd - lineStart > this.maxLineBytes) throw this.lineTooLong(this.lineNo, false);
      if (lineEnd === lineStart) {
        if (oneLine) return p;
        continue; // blank line
      }
      this.rowsRead++;
      if (f < need) {
        this.invalid(buf, lineStart, lineEnd, `expected at least ${need} fields separated by ${JSON.stringify(this.layout.delimiter)}, got ${f}`);
        if (oneLine) return p;
        continue;
      }
      this.row(buf, lineStart, lineEnd);
      if (oneLine) return p;
    }
    return end;
  }

  private row(buf: Buffer, lineStart: number, lineEnd: number): void {
    const L = this.layout;
    // Fast path: integer ids, unquoted numeric fields, id maps being built.
    if (this.fast) {
      const uf = this.userField;
      const itf = this.itemField;
      const rf = this.ratingField;
      const tf = this.timeField;
      const starts = this.starts;
      const ends = this.ends;
      const quoted = this.quoted;
      if ((quoted[uf] | quoted[itf] | (rf >= 0 ? quoted[rf] : 0) | (tf >= 0 ? quoted[tf] : 0)) === 0) {
        const uv = parseIntBytes(buf, starts[uf], ends[uf]);
        const iv = parseIntBytes(buf, starts[itf], ends[itf]);
        const r = rf >= 0 ? parseDecimalBytes(buf, starts[rf], ends[rf]) : 0;
        const t = tf >= 0 ? parseDecimalBytes(buf, starts[tf], ends[tf]) : 0;
        // NaN fails every comparison: invalid fields fall through to the checked path below.
        if (uv === uv && iv === iv && r <= MAX_ABS_RATING && r >= -MAX_ABS_RATING && t - t === 0) {
          const sink = this.sink;
          const n = sink.n;
          if (n === sink.users.length) sink.grow(this.expectedRows);
          sink.users[n] = this.userIdMap.getOrAdd(uv);
          sink.items[n] = this.itemIdMap.getOrAdd(iv);
          if (sink.ratings !== null) sink.ratings[n] = r;
          if (sink.times !== null) sink.times[n] = t;
          sink.n = n + 1;
          return;
        }
      }
    }
    const u = this.mapId(buf, L.user, L.userKind, this.userIdMap, this.frozenUsers);
    if (u < 0) {
      this.invalidId(buf, lineStart, lineEnd, 'user', L.user, L.userKind, u);
      return;
    }
    const i = this.mapId(buf, L.item, L.itemKind, this.itemIdMap, this.frozenItems);
    if (i < 0) {
      this.invalidId(buf, lineStart, lineEnd, 'item', L.item, L.itemKind, i);
      return;
    }
    let r = 0;
    if (L.rating >= 0) {
      // Checked here, in float64, before the float32 store (1e39 would become Infinity there).
      r = this.fieldNumber(buf, L.rating);
      if (r !== r) {
        this.invalid(buf, lineStart, lineEnd, `rating must be a finite number, got ${describeValue(this.fieldText(buf, L.rating))}`);
        return;
      }
      if (!(r <= MAX_ABS_RATING && r >= -MAX_ABS_RATING)) {
        this.invalid(buf, lineStart, lineEnd, `rating must be ${RATING_RULE}, got ${describeValue(this.fieldText(buf, L.rating))}`);
        return;
      }
    }
    let t = 0;
    if (L.timestamp >= 0) {
      t = this.fieldNumber(buf, L.timestamp);
      if (!Number.isFinite(t)) {
        const text = this.fieldText(buf, L.timestamp).trim();
        const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
        if (!Number.isFinite(ms)) {
          this.invalid(buf, lineStart, lineEnd, `timestamp must be a number or an ISO-8601 date, got ${describeValue(text)}`);
          return;
        }
        t = ms / 1000;
      }
    }
    const s = this.sink;
    if (s.n === s.users.length) s.grow(this.expectedRows);
    const n = s.n;
    s.users[n] = u;
    s.items[n] = i;
    if (s.ratings !== null) s.ratings[n] = r;
    if (s.times !== null) s.times[n] = t;
    s.n = n + 1;
  }

  /** Index of the id in field f; -1 = does not parse, -2 = unknown to a frozen map. */
  private mapId(buf: Buffer, f: number, kind: 'number' | 'string', map: IdMap, frozen: boolean): number {
    let s = this.starts[f];
    let e = this.ends[f];
    if (this.quoted[f] === 1) {
      s++;
      e--;
    }
    if (kind === 'number') {
      const v = parseIntBytes(buf, s, e);
      // Over 15 digits: exact (a number up to 2^53 - 1, else a bigint), never rounded.
      const id = v === v ? v : parseIntIdBytes(buf, s, e);
      if (id === null) return -1;
      const idx = frozen ? map.get(id) : map.getOrAdd(id);
      return idx < 0 ? -2 : idx;
    }
    const text = this.fieldText(buf, f).trim();
    if (text === '') return -1;
    const idx = frozen ? map.get(text) : map.getOrAdd(text);
    return idx < 0 ? -2 : idx;
  }

  private fieldNumber(buf: Buffer, f: number): number {
    if (this.quoted[f] === 1) return parseDecimalBytes(buf, this.starts[f] + 1, this.ends[f] - 1);
    return parseDecimalBytes(buf, this.starts[f], this.ends[f]);
  }

  private fieldText(buf: Buffer, f: number): string {
    if (this.quoted[f] === 1) return buf.toString(this.encoding, this.starts[f] + 1, this.ends[f] - 1).replace(/""/g, '"');
    return buf.toString(this.encoding, this.starts[f], this.ends[f]);
  }

  private invalidId(buf: Buffer, ls: number, le: number, what: string, f: number, kind: string, code: number): void {
    const text = this.fieldText(buf, f);
    if (code === -2) this.invalid(buf, ls, le, `${what} id ${describeValue(text)} is not in the given ${what}IdMap`);
    else if (kind === 'number') {
      this.invalid(buf, ls, le, `${what} id must be an integer (the column was read as integer ids), got ${describeValue(text)}`, { option: 'idType', value: 'string' }, "; pass idType: 'string' to read ids as text, or onInvalid: 'skip' to drop invalid lines");
    } else this.invalid(buf, ls, le, `${what} id must not be empty, got ${describeValue(text)}`);
  }

  /** Refuses the line (onInvalid 'error': a QuiverError with the hint) or skips and counts it. */
  private invalid(buf: Buffer, ls: number, le: number, reason: string, hint: ErrorHint = SKIP_HINT, hintText = SKIP_TEXT): void {
    const text = buf.toString(this.encoding, ls, Math.min(le, ls + 200));
    if (this.onInvalid === 'error') {
      throw dataInputError('Error', this.where, `${this.file}:${this.lineNo}: ${reason} in line ${JSON.stringify(text)}`, hint, hintText);
    }
    this.rowsSkipped++;
    if (this.skipped.length < 20) this.skipped.push({ line: this.lineNo, text, reason });
  }

  /**
   * The error for data line `lineNo` (1-based) being longer than maxLineBytes; `openQuote` when
   * the bytes after its start hold a newline, i.e. a quoted field on it is not closed.
   */
  lineTooLong(lineNo: number, openQuote: boolean): Error {
    const what =
      `${this.file}:${lineNo}: line is longer than maxLineBytes (${this.maxLineBytes} bytes)` +
      (openQuote ? ': a quoted field on it is not closed before the next newline (newlines inside quotes are not supported)' : '');
    return dataInputError('Error', this.where, what, { option: 'maxLineBytes', value: '<bytes>' }, '; pass maxLineBytes to raise the limit');
  }
}
