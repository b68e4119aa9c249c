import { checkBoolean, checkOptionNames, describeValue as describe, formatShape, quiverError } from '@quiver/base';
import { Tensor } from '../tensor.js';
import { boundedSize, checkArrayArg, claimedSize } from './array-arg.js';
import { ELEMENT_SIZE, HOST_LITTLE_ENDIAN, convertToFloat32, float32At, type ElementType } from './dtype-convert.js';

/**
 * safetensors files (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * u64 header length N, N bytes of JSON header
 * `{"__metadata__": {...}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}`,
 * then the byte buffer; offsets are relative to the start of the buffer.
 *
 * Error types used by the decoder: `RangeError` for sizes and offsets (header length over
 * the limit or past the end of the file, offsets out of bounds, overlapping, leaving holes,
 * or not matching shape × dtype size); `TypeError` for wrong kinds (unknown or unsupported
 * dtype, a non-float32 dtype without `convert`, a field of the wrong JSON type, unknown
 * fields); `Error` for a malformed header (not UTF-8, not JSON, not an object, duplicate
 * keys). Every message starts with the function's name.
 */

/** Default limit of {@link DecodeSafetensorsOptions.maxHeaderBytes}: 100 MB, as the spec says. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /**
   * Convert `F64`, `F16`, `BF16`, `I32` and `I64` tensors to float32 (rounded to nearest;
   * integers beyond ±2^24 lose precision) instead of refusing them.
   * @defaultValue false
   */
  convert?: boolean;
  /**
   * Always copy. When false, each `F32` tensor whose data sits at a 4-byte aligned address
   * is a view into `bytes.buffer` (no copy; writes go into the input buffer). Files written
   * by {@link encodeSafetensors} (and by the Python library) pad the header to 8 bytes, so
   * every tensor is a view when `bytes` itself starts 4-byte aligned.
   * @defaultValue false
   */
  copy?: boolean;
  /**
   * Largest header accepted, in bytes.
   * @defaultValue 100000000 ({@link SAFETENSORS_MAX_HEADER_BYTES})
   */
  maxHeaderBytes?: number;
}

/** Tensors and metadata of a safetensors file. */
export interface SafetensorsFile {
  /**
   * Tensors by name, in a prototype-free object (`Object.create(null)`), so names such as
   * `__proto__` or `constructor` are plain keys. Keys are in sorted order.
   */
  readonly tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (empty when absent), prototype-free as well. */
  readonly metadata: Record<string, string>;
}

/** Input of {@link encodeSafetensors}: a record or a `Map` of float32 tensors by name. */
export type SafetensorsInput =
  | Readonly<Record<string, Tensor | Float32Matrix>>
  | ReadonlyMap<string, Tensor | Float32Matrix>;

/** A float32 array with its shape (row-major), such as a `Tensor`. */
export interface Float32Matrix {
  /** Row-major values. */
  readonly data: Float32Array;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
}

/** One tensor's entry in a safetensors header, as {@link parseSafetensorsHeader} returns it. */
export interface SafetensorsEntry {
  /** The tensor's name, such as `user_embedding.weight`. */
  readonly name: string;
  /** The dtype string, such as `'F32'`. */
  readonly dtype: string;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Byte offsets `[begin, end)` relative to the start of the data buffer. */
  readonly dataOffsets: readonly [number, number];
}

/** A validated safetensors header. */
export interface SafetensorsHeader {
  /** Entries sorted by name. */
  readonly entries: readonly SafetensorsEntry[];
  /** The `__metadata__` map, prototype-free. */
  readonly metadata: Record<string, string>;
  /** Offset of the data buffer from the start of the file: 8 + header length. */
  readonly dataOffset: number;
}

const DTYPES: Readonly<Record<string, ElementType>> = {
  F32: 'f32',
  F64: 'f64',
  F16: 'f16',
  BF16: 'bf16',
  I32: 'i32',
  I64: 'i64',
};
/** Dtypes the spec defines that we cannot turn into float32. */
const OTHER_SPEC_DTYPES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  U32: 4,
  U64: 8,
};
const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'];
const OPTION_NAMES = ['convert', 'copy', 'maxHeaderBytes'] as const;

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** A name for messages: JSON-quoted, cut to 60 characters. */
function quote(name: string): string {
  return name.length > 60 ? `${JSON.stringify(name.slice(0, 60))}…` : JSON.stringify(name);
}

/**
 * Reads and validates a safetensors header without touching the data: header length within
 * `maxHeaderBytes` and the file, UTF-8 JSON object with no duplicate keys, each entry exactly
 * `{dtype, shape, data_offsets}` with a known dtype, shape × dtype size equal to
 * `end - begin`, and the entries tiling the buffer with no overlap and no hole (the checks of
 * the reference Rust implementation).
 *
 * @param bytes The whole file.
 * @param options Only `maxHeaderBytes` (default 100 MB).
 * @param where Name that starts every error message.
 * @returns The entries (sorted by name), metadata and data offset.
 * @throws {RangeError} / {TypeError} / {Error} as described for {@link decodeSafetensors}.
 * @example
 * const { entries } = parseSafetensorsHeader(bytes);
 * entries.map((e) => `${e.name} ${e.dtype} ${e.shape}`);
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  options: Pick<DecodeSafetensorsOptions, 'maxHeaderBytes'> = {},
  where = 'parseSafetensorsHeader',
): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw quiverError('TypeError', { where, what: 'bytes must be a Uint8Array', got: describe(bytes) });
  }
  const maxHeaderBytes = options.maxHeaderBytes ?? SAFETENSORS_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 1) {
    throw quiverError('RangeError', { where, what: 'maxHeaderBytes must be a positive integer', got: describe(maxHeaderBytes) });
  }
  if (bytes.length < 8) {
    throw quiverError('RangeError', { where, what: 'file must be at least 8 bytes (the header length)', got: String(bytes.length) });
  }
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(maxHeaderBytes)) {
    throw quiverError('RangeError', { where, what: `header length must be at most maxHeaderBytes = ${maxHeaderBytes}`, got: String(n64) });
  }
  const n = Number(n64);
  if (8 + n > bytes.length) {
    throw quiverError('RangeError', { where, what: `header length ${n} runs past the end of the file (${bytes.length} bytes); truncated file` });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw quiverError('Error', { where, what: 'header must be valid UTF-8' });
  }
  if (text[0] !== '{') {
    throw quiverError('Error', { where, what: 'header must be a JSON object starting with "{"', got: String(quote(text.slice(0, 20))) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw quiverError('Error', { where, what: `header must be valid JSON (${(e as Error).message.slice(0, 120)})` });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw quiverError('Error', { where, what: 'header must be a JSON object', got: describe(parsed) });
  }
  const dup = findDuplicateKey(text);
  if (dup !== null) throw quiverError('Error', { where, what: `header has duplicate key ${quote(dup)}` });

  const bufferLength = bytes.length - 8 - n;
  const metadata: Record<string, string> = Object.create(null);
  const entries: SafetensorsEntry[] = [];
  // JSON.parse defines "__proto__" as an own data property, so own-key iteration is safe.
  for (const name of Object.keys(parsed)) {
    const info: unknown = (parsed as Record<string, unknown>)[name];
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) {
        throw quiverError('TypeError', { where, what: '__metadata__ must be an object of strings', got: describe(info) });
      }
      for (const key of Object.keys(info)) {
        const v: unknown = (info as Record<string, unknown>)[key];
        if (typeof v !== 'string') {
          throw quiverError('TypeError', { where, what: `__metadata__[${quote(key)}] must be a string`, got: describe(v) });
        }
        metadata[key] = v;
      }
      continue;
    }
    entries.push(checkEntry(where, name, info, bufferLength));
  }
  checkTiling(where, entries, bufferLength);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, metadata, dataOffset: 8 + n };
}

function checkEntry(where: string, name: string, info: unknown, bufferLength: number): SafetensorsEntry {
  const at = `tensor ${quote(name)}`;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw quiverError('TypeError', { where, what: `${at} must be an object {dtype, shape, data_offsets}`, got: describe(info) });
  }
  for (const key of Object.keys(info)) {
    if (!ENTRY_FIELDS.includes(key)) {
      throw quiverError('TypeError', { where, what: `${at} has unknown field ${quote(key)}; fields must be dtype, shape, data_offsets` });
    }
  }
  for (const key of ENTRY_FIELDS) {
    if (!has(info, key)) throw quiverError('TypeError', { where, what: `${at} must have field "${key}"` });
  }
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') throw quiverError('TypeError', { where, what: `${at} dtype must be a string`, got: describe(dtype) });
  let itemSize: number;
  if (has(DTYPES, dtype)) itemSize = ELEMENT_SIZE[DTYPES[dtype]];
  else if (has(OTHER_SPEC_DTYPES, dtype)) itemSize = OTHER_SPEC_DTYPES[dtype];
  else {
    throw quiverError('TypeError', { where, what: `${at} dtype must be a safetensors dtype (F32, F64, F16, BF16, I32, I64, ...)`, got: `${quote(dtype)}` });
  }
  if (!Array.isArray(shape)) {
    throw quiverError('TypeError', { where, what: `${at} shape must be an array of integers`, got: describe(shape) });
  }
  for (let d = 0; d < shape.length; d++) {
    const v: unknown = shape[d];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw quiverError('RangeError', { where, what: `${at} shape[${d}] must be a non-negative integer`, got: describe(v) });
    }
  }
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw quiverError('TypeError', { where, what: `${at} data_offsets must be an array [begin, end]`, got: describe(offsets) });
  }
  const [begin, end] = offsets as unknown[];
  for (const [label, v] of [
    ['begin', begin],
    ['end', end],
  ] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw quiverError('RangeError', { where, what: `${at} data_offsets ${label} must be a non-negative integer`, got: describe(v) });
    }
  }
  const b = begin as number;
  const e = end as number;
  if (b > e || e > bufferLength) {
    throw quiverError('RangeError', { where, what: `${at} data_offsets must satisfy 0 <= begin <= end <= ${bufferLength} (the buffer length)`, got: `[${b}, ${e}]` });
  }
  const nums = shape as number[];
  const size = boundedSize(nums, itemSize, e - b);
  if (size < 0 || size * itemSize !== e - b) {
    const need = size < 0 ? claimedSize(nums) * itemSize : size * itemSize;
    throw quiverError('RangeError', { where, what: `${at} data_offsets [${b}, ${e}] must span ${need} bytes (shape ${formatShape(nums)} × ${itemSize}-byte ${dtype})`, got: `${e - b}` });
  }
  return { name, dtype, shape: nums, dataOffsets: [b, e] };
}

/** The entries must tile [0, bufferLength) exactly: no overlap, no hole, nothing left over. */
function checkTiling(where: string, entries: readonly SafetensorsEntry[], bufferLength: number): void {
  const order = entries.slice().sort((x, y) => x.dataOffsets[0] - y.dataOffsets[0] || x.dataOffsets[1] - y.dataOffsets[1]);
  let pos = 0;
  for (const entry of order) {
    const [b, e] = entry.dataOffsets;
    if (b !== pos) {
      const what = b < pos ? 'overlaps the previous tensor' : `leaves a hole of ${b - pos} bytes before it`;
      throw quiverError('RangeError', { where, what: `tensor ${quote(entry.name)} data_offsets must begin at ${pos}`, got: `${b} (${what})` });
    }
    pos = e;
  }
  if (pos !== bufferLength) {
    throw quiverError('RangeError', { where, what: `tensors must cover the whole data buffer of ${bufferLength} bytes`, got: `${pos} (${bufferLength - pos} trailing bytes)` });
  }
}

/**
 * Returns a key that appears twice in the same object of `text` (already valid JSON), after
 * unescaping, or null. `JSON.parse` silently keeps the last duplicate; the spec forbids them.
 */
function findDuplicateKey(text: string): string | null {
  const stack: (Set<string> | null)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      stack.push(new Set());
      i++;
    } else if (c === 0x5b) {
      stack.push(null);
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x22) {
      const start = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      const keys = stack[stack.length - 1];
      if (keys) {
        let j = i;
        while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\t' || text[j] === '\r')) j++;
        if (text.charCodeAt(j) === 0x3a) {
          const key = JSON.parse(text.slice(start, i)) as string;
          if (keys.has(key)) return key;
          keys.add(key);
        }
      }
    } else {
      i++;
    }
  }
  return null;
}

/**
 * Decodes a safetensors file into float32 tensors and its metadata.
 *
 * `F32` tensors are views into `bytes.buffer` when their data is 4-byte aligned and `copy`
 * is false (no copy: writes go into the input buffer, and the tensors keep the whole buffer
 * alive), copies otherwise. With `{ convert: true }`, `F64`, `F16`, `BF16`, `I32` and `I64`
 * are converted to new float32 arrays. The result objects have no prototype, so a tensor
 * named `__proto__` cannot pollute anything.
 *
 * @param bytes The whole file.
 * @returns `{ tensors, metadata }`, tensors keyed by name.
 * @throws {RangeError} for a header length over `maxHeaderBytes` or past the end of the file,
 *   and data_offsets that are out of bounds, overlap, leave a hole, or do not match
 *   shape × dtype size.
 * @throws {TypeError} for an unknown dtype, a dtype other than F32 without `convert` (the
 *   message names the tensor, the dtype and the option), BOOL/U8/... dtypes (not
 *   convertible), and header fields of the wrong JSON type or unknown fields.
 * @throws {Error} for a header that is not UTF-8, not JSON, not an object, or has duplicate
 *   keys.
 * @example
 * const { tensors, metadata } = decodeSafetensors(fs.readFileSync('model.safetensors'));
 * const weight = tensors['user_embedding.weight']; // Tensor [numUsers, dim]
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsFile {
  const where = 'decodeSafetensors';
  checkOptionNames(where, options, OPTION_NAMES);
  if (options.convert !== undefined) checkBoolean(where, 'convert', options.convert);
  if (options.copy !== undefined) checkBoolean(where, 'copy', options.copy);
  const header = parseSafetensorsHeader(bytes, { maxHeaderBytes: options.maxHeaderBytes }, where);
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const entry of header.entries) {
    const type = has(DTYPES, entry.dtype) ? DTYPES[entry.dtype] : undefined;
    if (type === undefined) {
      throw quiverError('TypeError', { where, what: `tensor ${quote(entry.name)} dtype must be one of F32, F64, F16, BF16, I32, I64`, got: `${entry.dtype} (not convertible to float32)` });
    }
    if (type !== 'f32' && options.convert !== true) {
      throw quiverError('TypeError', { where, what: `tensor ${quote(entry.name)} dtype must be F32`, got: `${entry.dtype}`, tail: `; pass { convert: true } to convert it to float32` });
    }
  }
  for (const entry of header.entries) {
    const type = DTYPES[entry.dtype];
    const offset = header.dataOffset + entry.dataOffsets[0];
    const size = (entry.dataOffsets[1] - entry.dataOffsets[0]) / ELEMENT_SIZE[type];
    let data: Float32Array;
    if (type === 'f32') {
      data = float32At(bytes, offset, size, options.copy ?? false);
    } else {
      data = new Float32Array(size);
      convertToFloat32(bytes, offset, type, data);
    }
    tensors[entry.name] = new Tensor(data, entry.shape);
  }
  return { tensors, metadata: header.metadata };
}

/**
 * Encodes float32 tensors (and optional string metadata) as a safetensors file that
 * `safetensors.torch.load_file` / `safe_open` read. Deterministic: tensor names and metadata
 * keys are sorted (by UTF-16 code unit), `__metadata__` comes first, the data follows in name
 * order, and the JSON header is compact and padded with spaces to a multiple of 8 bytes, so
 * the same input always gives the same bytes. Copies the data.
 *
 * @param tensors Tensors by name, as a record or a `Map` (use a `Map` for a name such as
 *   `__proto__`, which an object literal cannot hold as a plain key).
 * @param metadata Free-form string map stored as `__metadata__` (omitted when empty or absent).
 * @returns The file contents.
 * @throws {TypeError} when `tensors` or `metadata` has the wrong kind, a tensor's data is not
 *   a `Float32Array`, a metadata value is not a string, or a name is `__metadata__`.
 * @throws {RangeError} when a tensor's data length does not match its shape.
 * @example
 * const bytes = encodeSafetensors({ 'user_embedding.weight': users.weight }, { format: 'pt' });
 * // python: safetensors.torch.load(bytes)['user_embedding.weight'].shape
 */
export function encodeSafetensors(
  tensors: SafetensorsInput,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const where = 'encodeSafetensors';
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors)) {
    throw quiverError('TypeError', { where, what: 'tensors must be a record or Map of name → Tensor', got: describe(tensors) });
  }
  const pairs: [string, unknown][] =
    tensors instanceof Map ? [...tensors.entries()] : Object.keys(tensors).map((k) => [k, (tensors as Record<string, unknown>)[k]]);
  for (const [name] of pairs) {
    if (typeof name !== 'string') throw quiverError('TypeError', { where, what: 'tensor names must be strings', got: describe(name) });
    if (name === '__metadata__') {
      throw quiverError('TypeError', { where, what: 'tensor name must not be "__metadata__" (reserved for metadata)' });
    }
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const arrays = pairs.map(([name, t]) => checkArrayArg(where, `tensors[${quote(name)}]`, t, false));

  let meta = '';
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw quiverError('TypeError', { where, what: 'metadata must be a record of strings', got: describe(metadata) });
    }
    const keys = Object.keys(metadata).sort();
    for (const k of keys) {
      const v: unknown = metadata[k];
      if (typeof v !== 'string') throw quiverError('TypeError', { where, what: `metadata[${quote(k)}] must be a string`, got: describe(v) });
    }
    if (keys.length > 0) meta = `"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`;
  }
  const parts: string[] = meta ? [meta] : [];
  let offset = 0;
  for (let i = 0; i < pairs.length; i++) {
    const { data, shape } = arrays[i];
    const end = offset + data.byteLength;
    parts.push(`${JSON.stringify(pairs[i][0])}:{"dtype":"F32","shape":[${shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const { data } of arrays) {
    if (HOST_LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    } else {
      const view = new DataView(out.buffer, pos, data.byteLength);
      for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
    }
    pos += data.byteLength;
  }
  return out;
}
