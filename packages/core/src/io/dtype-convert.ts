/**
 * Little-endian element readers shared by the `.npy` and safetensors decoders: zero-copy
 * views when the bytes are aligned, copies otherwise, and the `{ convert: true }` conversions
 * (float64, float16, bfloat16, int32, int64 → float32; int64 → int32).
 *
 * Internal to `io/`: these helpers trust their arguments (the decoders have validated offsets
 * and sizes) and are not exported from the package entry.
 */

/** True when this host stores typed arrays little-endian, as every platform Node ships on does. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Element types the decoders can produce float32 (or int32) values from. */
export type ElementType = 'f32' | 'f64' | 'f16' | 'bf16' | 'i32' | 'i64';

/** Bytes per element of each {@link ElementType}. */
export const ELEMENT_SIZE: Readonly<Record<ElementType, number>> = {
  f32: 4,
  f64: 8,
  f16: 2,
  bf16: 2,
  i32: 4,
  i64: 8,
};

/**
 * `n` little-endian float32 values starting at `bytes[offset]`: a view into `bytes.buffer`
 * when `copy` is false, the host is little-endian and the absolute byte offset is a multiple
 * of 4; otherwise a fresh copy.
 */
export function float32At(bytes: Uint8Array, offset: number, n: number, copy: boolean): Float32Array {
  const abs = bytes.byteOffset + offset;
  if (!copy && HOST_LITTLE_ENDIAN && abs % 4 === 0) return new Float32Array(bytes.buffer, abs, n);
  const out = new Float32Array(n);
  if (HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * n));
  } else {
    const view = new DataView(bytes.buffer, abs, 4 * n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

/** Same as {@link float32At} for little-endian int32 values. */
export function int32At(bytes: Uint8Array, offset: number, n: number, copy: boolean): Int32Array {
  const abs = bytes.byteOffset + offset;
  if (!copy && HOST_LITTLE_ENDIAN && abs % 4 === 0) return new Int32Array(bytes.buffer, abs, n);
  const out = new Int32Array(n);
  if (HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * n));
  } else {
    const view = new DataView(bytes.buffer, abs, 4 * n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
  }
  return out;
}

/**
 * IEEE 754 half-precision bits → the float32 value they represent (exact: every float16 is
 * a float32). Handles subnormals, infinities and NaN.
 */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Converts `out.length` little-endian elements of type `type` starting at `bytes[offset]`
 * into float32 (rounded to nearest, as numpy's `astype(np.float32)`; integers beyond ±2^24
 * lose precision, values beyond the float32 range become ±Infinity). Writes into `out`.
 */
export function convertToFloat32(bytes: Uint8Array, offset: number, type: ElementType, out: Float32Array): void {
  const n = out.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * ELEMENT_SIZE[type]);
  switch (type) {
    case 'f32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'f64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'i32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case 'i64':
      // Number(BigInt) is exact to 2^53, then rounded once more to float32.
      for (let i = 0; i < n; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case 'f16':
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
    case 'bf16': {
      // bfloat16 is the top half of a float32: shift the bits into place.
      const bits = new Uint32Array(out.buffer, out.byteOffset, n);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
  }
}

/**
 * Narrows `out.length` little-endian int64 values at `bytes[offset]` to int32, writing into
 * `out`. Returns the index of the first value outside the int32 range (and stops there), or
 * -1 when all fit.
 */
export function narrowInt64ToInt32(bytes: Uint8Array, offset: number, out: Int32Array): number {
  const n = out.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * 8);
  for (let i = 0; i < n; i++) {
    const lo = view.getUint32(8 * i, true);
    const hi = view.getInt32(8 * i + 4, true);
    // In int32 range iff the high word is the sign extension of the low word.
    if (hi !== (lo & 0x80000000 ? -1 : 0)) return i;
    out[i] = lo | 0;
  }
  return -1;
}

/** The int64 element `i` at `bytes[offset]`, as a decimal string (for error messages). */
export function int64String(bytes: Uint8Array, offset: number, i: number): string {
  return new DataView(bytes.buffer, bytes.byteOffset + offset + 8 * i, 8).getBigInt64(0, true).toString();
}
