import { checkBoolean, checkOptionNames, describeValue as describe, formatShape, unravel, quiverError } from '@quiver/base';
import { Tensor, type IndexTensor } from '../tensor.js';
import { boundedSize, checkArrayArg, claimedSize } from './array-arg.js';
import {
  ELEMENT_SIZE,
  HOST_LITTLE_ENDIAN,
  convertToFloat32,
  float32At,
  int32At,
  int64String,
  narrowInt64ToInt32,
  type ElementType,
} from './dtype-convert.js';
import { formatNpyHeader, parseNpyHeader, type NpyHeader } from './npy-header.js';

/**
 * numpy `.npy` files: float32 (and int32) arrays, little-endian, C order, byte-compatible
 * with `np.save` / `np.load`.
 *
 * Error types used by the decoders: `RangeError` for sizes (truncated file, header over the
 * limit, shape not matching the bytes, int64 value outside int32); `TypeError` for the wrong
 * kind of data (unsupported, big-endian or non-float32 dtype without `convert`, Fortran
 * order, wrong field types); `Error` for a malformed file (bad magic, unknown version,
 * malformed header dict). Every message starts with the function's name.
 */

/**
 * What {@link encodeNpy} writes: a {@link Tensor}, an {@link IndexTensor}, or any row-major
 * `{ data, shape }` with float32 or int32 data.
 */
export interface NpyArray {
  /** Row-major values; `data.length` is the product of `shape`. */
  readonly data: Float32Array | Int32Array;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
}

/** Options of {@link decodeNpy} and {@link decodeNpyInt32}. */
export interface DecodeNpyOptions {
  /**
   * Convert other dtypes instead of refusing them. {@link decodeNpy}: `'<f8'`, `'<f2'`,
   * `'<i4'`, `'<i8'` → float32 (rounded to nearest; integers beyond ±2^24 lose precision).
   * {@link decodeNpyInt32}: `'<i8'` → int32 (a value outside the int32 range throws).
   * @defaultValue false
   */
  convert?: boolean;
  /**
   * Always copy the data. When false, data that needs no conversion and sits at a 4-byte
   * aligned address is returned as a view into `bytes.buffer` (no copy; writes go into the
   * input buffer).
   * @defaultValue false
   */
  copy?: boolean;
  /**
   * Largest header accepted, in bytes.
   * @defaultValue 65536
   */
  maxHeaderBytes?: number;
}

const OPTION_NAMES = ['convert', 'copy', 'maxHeaderBytes'] as const;

const DTYPES: Readonly<Record<string, { type: ElementType; name: string }>> = {
  '<f4': { type: 'f32', name: 'float32' },
  '<f8': { type: 'f64', name: 'float64' },
  '<f2': { type: 'f16', name: 'float16' },
  '<i4': { type: 'i32', name: 'int32' },
  '<i8': { type: 'i64', name: 'int64' },
};

interface Located {
  readonly header: NpyHeader;
  readonly type: ElementType;
  readonly typeName: string;
  readonly size: number;
}

/** Parses the header, maps the dtype and checks the data length; allocates nothing. */
function locate(where: string, bytes: Uint8Array, options: DecodeNpyOptions): Located {
  checkOptionNames(where, options, OPTION_NAMES);
  if (options.convert !== undefined) checkBoolean(where, 'convert', options.convert);
  if (options.copy !== undefined) checkBoolean(where, 'copy', options.copy);
  const header = parseNpyHeader(bytes, { maxHeaderBytes: options.maxHeaderBytes }, where);
  const { descr, shape } = header;
  const dtype = DTYPES[descr];
  if (dtype === undefined || !Object.prototype.hasOwnProperty.call(DTYPES, descr)) {
    if (descr.startsWith('>')) {
      throw quiverError('TypeError', { where, what: `dtype must be little-endian`, got: `big-endian '${descr}'`, tail: `; save with a.astype('<${descr.slice(1)}')` });
    }
    throw quiverError('TypeError', { where, what: `dtype must be one of '<f4', '<f8', '<f2', '<i4', '<i8'`, got: `${describe(descr.slice(0, 40))}` });
  }
  if (header.fortranOrder) {
    throw quiverError('TypeError', { where, what: `fortran_order must be False (C order)`, got: `True`, tail: `; save with np.ascontiguousarray(a)` });
  }
  const itemSize = ELEMENT_SIZE[dtype.type];
  const available = bytes.length - header.dataOffset;
  const size = boundedSize(shape, itemSize, available);
  if (size < 0 || size * itemSize !== available) {
    throw quiverError('RangeError', { where, what: `data must be ${size < 0 ? claimedSize(shape) * itemSize : size * itemSize} bytes for shape ${formatShape(
        shape,
      )} of '${descr}'`, got: `${available} after the header (truncated or corrupt file)` });
  }
  return { header, type: dtype.type, typeName: dtype.name, size };
}

/**
 * Decodes a `.npy` file into a float32 {@link Tensor} (same values and shape as `np.load`).
 *
 * Reads format versions 1.0, 2.0 and 3.0, dtype `'<f4'`, C order. With `{ convert: true }`
 * also `'<f8'`, `'<f2'`, `'<i4'` and `'<i8'`, converted to float32. The result is a view into
 * `bytes.buffer` when the data is float32 and 4-byte aligned (numpy aligns it to 64 bytes
 * in the file) and `copy` is false, otherwise a copy.
 *
 * @param bytes The whole file.
 * @returns A tensor with the file's shape (`[]` for a 0-d array).
 * @throws {TypeError} for an unsupported or big-endian dtype, a non-float32 dtype without
 *   `convert` (the message names the dtype and the option), or Fortran order.
 * @throws {RangeError} when the data length does not match the shape (truncated file), or
 *   the header is longer than `maxHeaderBytes`.
 * @throws {Error} for a bad magic string, an unsupported version, or a malformed header.
 * @example
 * const t = decodeNpy(fs.readFileSync('item_embedding.npy'));
 * t.shape; // [1000, 64]
 */
export function decodeNpy(bytes: Uint8Array, options: DecodeNpyOptions = {}): Tensor {
  const where = 'decodeNpy';
  const { header, type, typeName, size } = locate(where, bytes, options);
  if (type === 'f32') {
    return new Tensor(float32At(bytes, header.dataOffset, size, options.copy ?? false), header.shape);
  }
  if (options.convert !== true) {
    const hint = type === 'i32' ? ', or read it with decodeNpyInt32' : '';
    throw quiverError('TypeError', { where, what: `dtype must be '<f4' (float32)`, got: `'${header.descr}' (${typeName})`, tail: `; pass { convert: true } to convert it to float32${hint}` });
  }
  const out = new Float32Array(size);
  convertToFloat32(bytes, header.dataOffset, type, out);
  return new Tensor(out, header.shape);
}

/**
 * Decodes a `.npy` file of integers into an {@link IndexTensor} (`{ data: Int32Array, shape }`),
 * the input type of embedding lookups: dtype `'<i4'`, or `'<i8'` with `{ convert: true }`
 * (every value must fit in int32). numpy's default integer dtype is int64, so
 * `np.save('ids.npy', ids.astype(np.int32))` avoids the conversion. View or copy as in
 * {@link decodeNpy}.
 *
 * @param bytes The whole file.
 * @returns Row-major int32 values and their shape.
 * @throws {TypeError} for a float dtype (use {@link decodeNpy}), `'<i8'` without `convert`,
 *   or the other cases of {@link decodeNpy}.
 * @throws {RangeError} for an int64 value outside the int32 range (the message names it and
 *   its position), or the size cases of {@link decodeNpy}.
 * @throws {Error} for a malformed file, as {@link decodeNpy}.
 * @example
 * const ids = decodeNpyInt32(fs.readFileSync('user_ids.npy'), { convert: true });
 * embedding.forward(ids);
 */
export function decodeNpyInt32(bytes: Uint8Array, options: DecodeNpyOptions = {}): IndexTensor {
  const where = 'decodeNpyInt32';
  const { header, type, typeName, size } = locate(where, bytes, options);
  if (type === 'i32') {
    return { data: int32At(bytes, header.dataOffset, size, options.copy ?? false), shape: header.shape };
  }
  if (type !== 'i64') {
    throw quiverError('TypeError', { where, what: `dtype must be '<i4' or '<i8'`, got: `'${header.descr}' (${typeName})`, tail: `; read floats with decodeNpy` });
  }
  if (options.convert !== true) {
    throw quiverError('TypeError', { where, what: `dtype must be '<i4' (int32)`, got: `'<i8' (int64)`, tail: `; pass { convert: true } to narrow it to int32` });
  }
  const out = new Int32Array(size);
  const bad = narrowInt64ToInt32(bytes, header.dataOffset, out);
  if (bad >= 0) {
    const at = header.shape.length > 1 ? `[${unravel(bad, header.shape).join(', ')}]` : `[${bad}]`;
    throw quiverError('RangeError', { where, what: `values must be in the int32 range [-2147483648, 2147483647]`, got: `${int64String(
        bytes,
        header.dataOffset,
        bad,
      )} at ${at}` });
  }
  return { data: out, shape: header.shape };
}

/**
 * Encodes a float32 tensor (or `{ data: Float32Array | Int32Array, shape }`) as a `.npy`
 * file, byte-identical to what numpy 1.24's `np.save` writes for the same array: dtype
 * `'<f4'` (`'<i4'` for an `Int32Array`), `fortran_order: False`, format version 1.0 (2.0
 * only when the header exceeds 65535 bytes), data aligned to 64 bytes. Copies the data.
 *
 * @param array The values, row-major, and their shape (`[]` for a scalar).
 * @returns The file contents.
 * @throws {TypeError} when `data` is not a `Float32Array`/`Int32Array` or `shape` not an array.
 * @throws {RangeError} for a bad dimension or a data length that does not match the shape.
 * @example
 * fs.writeFileSync('weight.npy', encodeNpy(embedding.weight));
 * // python: np.load('weight.npy').shape == (numEmbeddings, embeddingDim)
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { data, shape } = checkArrayArg('encodeNpy', 'array', array, true);
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const header = formatNpyHeader(descr, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  } else {
    const view = new DataView(out.buffer, header.length);
    for (let i = 0; i < data.length; i++) {
      if (data instanceof Float32Array) view.setFloat32(4 * i, data[i], true);
      else view.setInt32(4 * i, data[i], true);
    }
  }
  return out;
}
