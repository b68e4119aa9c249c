import { describe, expect, it } from 'vitest';
import { convertToFloat32, halfToFloat, narrowInt64ToInt32 } from './dtype-convert.js';

describe('halfToFloat', () => {
  it('decodes hand-computed float16 bit patterns', () => {
    // sign | 5-bit exponent (bias 15) | 10-bit fraction
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504); // largest normal
    expect(halfToFloat(0x0400)).toBe(2 ** -14); // smallest normal
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(halfToFloat(0x3555)).toBe(0.333251953125);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe('convertToFloat32', () => {
  it('bfloat16 is the top half of a float32', () => {
    const bytes = new Uint8Array([0x80, 0x3f, 0x49, 0xc0, 0x80, 0x7f, 0x00, 0x80]);
    const out = new Float32Array(4);
    convertToFloat32(bytes, 0, 'bf16', out);
    expect(Array.from(out)).toEqual([1, -3.140625, Infinity, -0]);
  });

  it('reads at unaligned offsets and rounds float64 / int64 to nearest float32', () => {
    const bytes = new Uint8Array(1 + 16);
    const view = new DataView(bytes.buffer);
    view.setFloat64(1, 1 + 2 ** -30, true);
    view.setFloat64(9, 3e38 * 10, true);
    const out = new Float32Array(2);
    convertToFloat32(bytes, 1, 'f64', out);
    expect(Array.from(out)).toEqual([1, Infinity]);
    view.setBigInt64(1, (1n << 24n) + 1n, true);
    view.setBigInt64(9, -(1n << 62n), true);
    convertToFloat32(bytes, 1, 'i64', out);
    expect(Array.from(out)).toEqual([2 ** 24, -(2 ** 62)]);
  });
});

describe('narrowInt64ToInt32', () => {
  it('narrows in-range values and reports the first out-of-range index', () => {
    const src = new BigInt64Array([0n, -1n, 2147483647n, -2147483648n, 2147483648n, -2147483649n]);
    const bytes = new Uint8Array(src.buffer);
    const ok = new Int32Array(4);
    expect(narrowInt64ToInt32(bytes, 0, ok)).toBe(-1);
    expect(Array.from(ok)).toEqual([0, -1, 2147483647, -2147483648]);
    expect(narrowInt64ToInt32(bytes, 0, new Int32Array(6))).toBe(4);
    expect(narrowInt64ToInt32(bytes, 40, new Int32Array(1))).toBe(0);
  });
});
