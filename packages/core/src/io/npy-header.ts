import { describeValue as describe, quiverError } from '@quiver/base';

/**
 * The `.npy` header: magic, version, header length and the Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, in numpy's format
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 *
 * Parsing never evaluates anything: a small strict parser accepts only Python string, int,
 * bool/None, tuple, list and dict literals, nested at most {@link MAX_DEPTH} deep.
 */

/** `\x93NUMPY`. */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
/** numpy aligns the start of the data to this many bytes. */
const ARRAY_ALIGN = 64;
/** numpy leaves room for the first dimension to grow to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const MAX_DEPTH = 8;

/** Default limit of {@link NpyHeaderOptions.maxHeaderBytes}: 64 KiB. */
export const NPY_MAX_HEADER_BYTES = 65536;

/** Options of {@link parseNpyHeader}. */
export interface NpyHeaderOptions {
  /**
   * Largest header (the dict text, after the length field) accepted, in bytes. numpy writes
   * about 128 bytes; anything near this limit is corrupt or hostile.
   * @defaultValue 65536 ({@link NPY_MAX_HEADER_BYTES})
   */
  maxHeaderBytes?: number;
}

/** What {@link parseNpyHeader} found. */
export interface NpyHeader {
  /** Format version `[major, minor]`: `[1, 0]`, `[2, 0]` or `[3, 0]`. */
  readonly version: readonly [number, number];
  /** The numpy dtype string, such as `'<f4'`. Not checked here beyond being a string. */
  readonly descr: string;
  /** True when the data is stored column-major. */
  readonly fortranOrder: boolean;
  /** Array dimensions; `[]` for a 0-d array. */
  readonly shape: readonly number[];
  /** Offset of the first data byte from the start of the file. */
  readonly dataOffset: number;
}

/**
 * Reads and validates the header of a `.npy` file (versions 1.0, 2.0 and 3.0). Checks the
 * magic, the version, the header length against `maxHeaderBytes` and the file size, and that
 * the dict has exactly the keys `descr` (a string), `fortran_order` (a bool) and `shape`
 * (a tuple of non-negative integers), as numpy does. Does not look at the data.
 *
 * @param bytes The file contents (at least the header).
 * @param where Name that starts every error message.
 * @returns The header fields and the offset of the data.
 * @throws {RangeError} when the file is shorter than its header says, or the header is longer
 *   than `maxHeaderBytes`, or a dimension is not a safe integer.
 * @throws {Error} for a bad magic string, an unsupported version, or a malformed header dict.
 * @throws {TypeError} when `bytes` is not a `Uint8Array` or a field has the wrong type.
 * @example
 * const h = parseNpyHeader(fs.readFileSync('weight.npy'));
 * h.descr; // '<f4'
 * h.shape; // [1000, 64]
 */
export function parseNpyHeader(bytes: Uint8Array, options: NpyHeaderOptions = {}, where = 'parseNpyHeader'): NpyHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw quiverError('TypeError', { where, what: 'bytes must be a Uint8Array', got: describe(bytes) });
  }
  const maxHeaderBytes = options.maxHeaderBytes ?? NPY_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 1) {
    throw quiverError('RangeError', { where, what: 'maxHeaderBytes must be a positive integer', got: describe(maxHeaderBytes) });
  }
  if (bytes.length < 10) {
    throw quiverError('RangeError', { where, what: 'file must be at least 10 bytes (magic, version, header length)', got: String(bytes.length) });
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw quiverError('Error', { where, what: `magic must be \\x93NUMPY (93 4e 55 4d 50 59)`, got: String(got), tail: '; not a .npy file' });
    }
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw quiverError('Error', { where, what: 'version must be 1.0, 2.0 or 3.0', got: `${major}.${minor}` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else {
    if (bytes.length < 12) {
      throw quiverError('RangeError', { where, what: `a version ${major}.0 file must be at least 12 bytes`, got: String(bytes.length) });
    }
    headerLength = view.getUint32(8, true);
    start = 12;
  }
  if (headerLength > maxHeaderBytes) {
    throw quiverError('RangeError', { where, what: `header length must be at most maxHeaderBytes = ${maxHeaderBytes}`, got: `${headerLength}` });
  }
  if (start + headerLength > bytes.length) {
    throw quiverError('RangeError', { where, what: `header length ${headerLength} runs past the end of the file (${bytes.length} bytes); truncated file` });
  }
  const raw = bytes.subarray(start, start + headerLength);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw quiverError('Error', { where, what: 'a version 3.0 header must be valid UTF-8' });
    }
  } else {
    text = latin1(raw);
  }
  const dict = parseHeaderDict(where, text);
  return {
    version: [major, minor],
    descr: dict.descr,
    fortranOrder: dict.fortranOrder,
    shape: dict.shape,
    dataOffset: start + headerLength,
  };
}

/**
 * Builds the header numpy 1.24 writes for a C-order array, byte for byte: the dict with keys
 * sorted, spare spaces after it so the first dimension can grow to 21 digits, then spaces and
 * a newline so the data starts at a multiple of 64 bytes. Version 1.0 unless the header does
 * not fit in 65535 bytes, then 2.0.
 *
 * @param descr The dtype string, such as `'<f4'`.
 * @param shape Dimensions (already validated).
 * @returns Magic + version + length + padded header; the data goes right after.
 * @example
 * formatNpyHeader('<f4', [2, 3]).length; // 128
 */
export function formatNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1; // + the final newline
  let prefix = 10;
  let padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  if (hlen + padlen > 0xffff) {
    prefix = 12;
    padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  }
  const out = new Uint8Array(prefix + hlen + padlen);
  out.set(MAGIC, 0);
  out[6] = prefix === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (prefix === 10) view.setUint16(8, hlen + padlen, true);
  else view.setUint32(8, hlen + padlen, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  out.fill(0x20, prefix + dict.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

function latin1(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i < raw.length; i += 4096) {
    s += String.fromCharCode(...raw.subarray(i, Math.min(i + 4096, raw.length)));
  }
  return s;
}

/** A parsed Python literal. Tuples and lists keep their kind; dicts keep insertion order. */
type PyValue = string | number | boolean | null | PySeq | PyDict;
interface PySeq {
  readonly kind: 'tuple' | 'list';
  readonly items: PyValue[];
}
interface PyDict {
  readonly kind: 'dict';
  readonly entries: Map<string, PyValue>;
}

function isSeq(v: PyValue): v is PySeq {
  return typeof v === 'object' && v !== null && (v.kind === 'tuple' || v.kind === 'list');
}

function kindOf(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'object') return v.kind;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  return 'str';
}

function parseHeaderDict(
  where: string,
  text: string,
): { descr: string; fortranOrder: boolean; shape: number[] } {
  const p = new PyLiteralParser(where, text);
  p.skipWs();
  if (text[p.pos] !== '{') throw p.fail('header must be a Python dict literal starting with "{"');
  const value = p.value(0) as PyDict;
  p.skipWs();
  if (p.pos !== text.length) throw p.fail('header must end after the dict (only spaces and a newline may follow)');
  const keys = [...value.entries.keys()];
  const expected = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || !expected.every((k) => value.entries.has(k))) {
    throw quiverError('Error', { where, what: `header dict must have exactly the keys 'descr', 'fortran_order', 'shape'`, got: `${
        keys.length ? keys.map((k) => `'${k.slice(0, 40)}'`).join(', ') : 'none'
      }` });
  }
  const descr = value.entries.get('descr') as PyValue;
  if (typeof descr !== 'string') {
    const hint = isSeq(descr) && descr.kind === 'list' ? ' (structured dtypes are not supported)' : '';
    throw quiverError('TypeError', { where, what: `header 'descr' must be a dtype string such as '<f4'`, got: `a ${kindOf(descr)}${hint}` });
  }
  const fortran = value.entries.get('fortran_order') as PyValue;
  if (typeof fortran !== 'boolean') {
    throw quiverError('TypeError', { where, what: `header 'fortran_order' must be True or False`, got: `a ${kindOf(fortran)}` });
  }
  const shapeValue = value.entries.get('shape') as PyValue;
  if (!isSeq(shapeValue) || shapeValue.kind !== 'tuple') {
    throw quiverError('TypeError', { where, what: `header 'shape' must be a tuple of integers`, got: `a ${kindOf(shapeValue)}` });
  }
  const shape: number[] = [];
  for (let d = 0; d < shapeValue.items.length; d++) {
    const n = shapeValue.items[d];
    if (typeof n !== 'number') {
      throw quiverError('TypeError', { where, what: `header shape[${d}] must be an integer`, got: `a ${kindOf(n)}` });
    }
    if (n < 0) throw quiverError('RangeError', { where, what: `header shape[${d}] must be a non-negative integer`, got: String(n) });
    shape.push(n);
  }
  return { descr, fortranOrder: fortran, shape };
}

/** Recursive-descent parser for the Python literals numpy headers use. Never evaluates. */
class PyLiteralParser {
  pos = 0;
  constructor(
    private readonly where: string,
    private readonly text: string,
  ) {}

  fail(what: string): Error {
    const near = JSON.stringify(this.text.slice(this.pos, this.pos + 20));
    return new Error(`${this.where}: malformed header: ${what}, at offset ${this.pos} near ${near}`);
  }

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') this.pos++;
      else break;
    }
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) throw this.fail(`literals must nest at most ${MAX_DEPTH} deep`);
    this.skipWs();
    const c = this.text[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '(') return this.seq(depth, 'tuple', ')');
    if (c === '[') return this.seq(depth, 'list', ']');
    if (c === "'" || c === '"') return this.str();
    if (c !== undefined && ((c >= '0' && c <= '9') || c === '-')) return this.int();
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    throw this.fail(c === undefined ? 'unexpected end of header' : 'expected a string, integer, True, False, None, tuple, list or dict');
  }

  private dict(depth: number): PyDict {
    this.pos++; // {
    const entries = new Map<string, PyValue>();
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'dict', entries };
      }
      const c = this.text[this.pos];
      if (c !== "'" && c !== '"') throw this.fail('dict keys must be strings');
      const key = this.str();
      if (entries.has(key)) throw this.fail(`duplicate key '${key.slice(0, 40)}'`);
      this.skipWs();
      if (this.text[this.pos] !== ':') throw this.fail('expected ":" after a dict key');
      this.pos++;
      entries.set(key, this.value(depth + 1));
      this.skipWs();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') throw this.fail('expected "," or "}" in dict');
    }
  }

  private seq(depth: number, kind: 'tuple' | 'list', close: string): PySeq {
    this.pos++; // ( or [
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] === close) {
        this.pos++;
        // `(5)` is just 5 in Python, not a tuple: numpy writes `(5,)`.
        if (kind === 'tuple' && items.length === 1 && !sawComma) throw this.fail('a 1-tuple needs a trailing comma, as in (5,)');
        return { kind, items };
      }
      items.push(this.value(depth + 1));
      this.skipWs();
      const sep = this.text[this.pos];
      if (sep === ',') {
        this.pos++;
        sawComma = true;
      } else if (sep !== close) {
        throw this.fail(`expected "," or "${close}" in ${kind}`);
      }
    }
  }

  private str(): string {
    const quote = this.text[this.pos];
    const start = ++this.pos;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') throw this.fail('unterminated string');
      if (c === '\\') throw this.fail('escape sequences in strings are not supported');
      if (c === quote) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos++);
  }

  private int(): number {
    const start = this.pos;
    if (this.text[this.pos] === '-') this.pos++;
    const digitsStart = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] >= '0' && this.text[this.pos] <= '9') this.pos++;
    const digits = this.text.slice(start, this.pos);
    const unsigned = this.text.slice(digitsStart, this.pos);
    if (unsigned.length === 0) throw this.fail('expected digits after "-"');
    if (unsigned.length > 1 && unsigned[0] === '0') {
      this.pos = start;
      throw this.fail('integers must not have leading zeros');
    }
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) {
      throw quiverError('RangeError', { where: this.where, what: `header integer ${digits.slice(0, 30)} must be a safe integer (|n| <= 2^53 - 1)` });
    }
    return n;
  }
}
