import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng, errorClass } from '@quiver/base';
import { Tensor, tensor } from '../tensor.js';
import { decodeNpy, decodeNpyInt32, encodeNpy } from './npy.js';

/** A `.npy` file built by hand: magic, version, length field, header text, data bytes. */
function npy(headerText: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const out = new Uint8Array(prefix + headerText.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerText.length, true);
  else view.setUint32(8, headerText.length, true);
  for (let i = 0; i < headerText.length; i++) out[prefix + i] = headerText.charCodeAt(i);
  out.set(data, prefix + headerText.length);
  return out;
}

const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);
const dict = (descr: string, shape: string, fortran = 'False'): string =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

describe('encodeNpy', () => {
  it('writes the exact header numpy 1.24 writes for a [2, 3] float32 array', () => {
    const bytes = encodeNpy(tensor([[1, 2, 3], [4, 5, 6]]));
    // Hand-copied from `np.save(buf, np.zeros((2, 3), np.float32)); buf.getvalue()[:128]`:
    // b"\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + 58 spaces + b"\n"
    const text = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    const expected = [0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0, 0x76, 0];
    for (const c of text + ' '.repeat(58) + '\n') expected.push(c.charCodeAt(0));
    expect(expected.length).toBe(128);
    expect(Array.from(bytes.subarray(0, 128))).toEqual(expected);
    expect(bytes.length).toBe(128 + 24);
    expect(Array.from(new Float32Array(bytes.slice(128).buffer))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes scalar, 1-D and empty shapes as numpy does: (), (5,), (0,)', () => {
    const text = (t: Tensor): string => new TextDecoder().decode(encodeNpy(t).subarray(10, 70));
    expect(text(tensor(3.5))).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(\), \} +$/);
    expect(text(tensor([1, 2, 3, 4, 5]))).toMatch(/'shape': \(5,\), \}/);
    expect(text(new Tensor(new Float32Array(0), [0]))).toMatch(/'shape': \(0,\), \}/);
    // numpy's sizes for these (checked with np.save): 132, 148, 128 bytes.
    expect(encodeNpy(tensor(3.5)).length).toBe(132);
    expect(encodeNpy(tensor([1, 2, 3, 4, 5])).length).toBe(148);
    expect(encodeNpy(new Tensor(new Float32Array(0), [0])).length).toBe(128);
  });

  it('aligns the data to 64 bytes for every header length', () => {
    for (let first = 1; first < 1e15; first *= 7) {
      const header = encodeNpy({ data: new Float32Array(0), shape: [first, 0] });
      expect(header.length % 64).toBe(0);
      expect(header[header.length - 1]).toBe(0x0a);
    }
  });

  it('switches to version 2.0 only when the header does not fit 65535 bytes', () => {
    const shape = new Array<number>(22000).fill(1);
    const bytes = encodeNpy({ data: new Float32Array([7]), shape });
    expect(bytes[6]).toBe(2);
    expect((bytes.length - 4) % 64).toBe(0);
    const back = decodeNpy(bytes, { maxHeaderBytes: 1 << 20 });
    expect(back.shape.length).toBe(22000);
    expect(back.data[0]).toBe(7);
    expect(() => decodeNpy(bytes)).toThrow(/header length must be at most maxHeaderBytes = 65536, got 66100/);
    // Same bytes as numpy's own writer (numpy refuses > 32 dims for arrays, but not here):
    // f = io.BytesIO(); np.lib.format._write_array_header(f, {'descr': '<f4', 'fortran_order': False,
    //   'shape': (1,) * 22000}, None); len(f.getvalue()) == 66112; hashlib.sha256(f.getvalue()).hexdigest()
    const header = bytes.subarray(0, bytes.length - 4);
    expect(header.length).toBe(66112);
    expect(createHash('sha256').update(header).digest('hex')).toBe(
      'ee35d1632387e0adcfcf5d063044ad6e6dbad0df76b81e4b67b106e5078e4c07',
    );
    expect(encodeNpy(tensor([[1]]))[6]).toBe(1);
  });

  it('writes an Int32Array as <i4', () => {
    const bytes = encodeNpy({ data: new Int32Array([1, -2, 3]), shape: [3] });
    expect(new TextDecoder().decode(bytes.subarray(10, 26))).toBe("{'descr': '<i4',");
    expect(Array.from(decodeNpyInt32(bytes).data)).toEqual([1, -2, 3]);
  });

  it('encodes a subarray view correctly (only its own bytes)', () => {
    const big = new Float32Array([9, 1, 2, 9]);
    const bytes = encodeNpy({ data: big.subarray(1, 3), shape: [2] });
    expect(Array.from(decodeNpy(bytes).data)).toEqual([1, 2]);
  });

  it('rejects bad arguments', () => {
    expect(() => encodeNpy(null as never)).toThrow(/encodeNpy: array must be a Tensor or \{ data, shape \}/);
    expect(() => encodeNpy({ data: [1, 2] as never, shape: [2] })).toThrow(
      /encodeNpy: array.data must be a Float32Array or an Int32Array, got Array\(2\)/,
    );
    expect(() => encodeNpy({ data: new Float64Array(2) as never, shape: [2] })).toThrow(TypeError);
    expect(() => encodeNpy({ data: new Float32Array(2), shape: 2 as never })).toThrow(/array.shape must be an array/);
    expect(() => encodeNpy({ data: new Float32Array(2), shape: [2.5] })).toThrow(
      /array.shape\[0\] must be a non-negative integer, got 2.5/,
    );
    expect(() => encodeNpy({ data: new Float32Array(2), shape: [3] })).toThrow(
      /array.data has 2 values but shape \[3\] needs 3/,
    );
  });
});

describe('decodeNpy', () => {
  it('round-trips random shapes bit-exactly (seeded)', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 60; trial++) {
      const ndim = rng.nextInt(5);
      const shape = Array.from({ length: ndim }, () => rng.nextInt(5));
      let size = 1;
      for (const d of shape) size *= d;
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = rng.normal() * 10 ** (rng.nextInt(20) - 10);
      if (size > 0) data[0] = -0; // sign of zero must survive
      const back = decodeNpy(encodeNpy(new Tensor(data, shape)));
      expect(back.shape).toEqual(shape);
      expect(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(
        new Uint8Array(data.buffer),
      );
    }
  });

  it('keeps NaN and infinities', () => {
    const back = decodeNpy(encodeNpy(tensor([NaN, Infinity, -Infinity])));
    expect(Array.from(back.data)).toEqual([NaN, Infinity, -Infinity]);
  });

  it('returns a view into the input when aligned, and a copy when asked or unaligned', () => {
    const bytes = encodeNpy(tensor([1, 2, 3]));
    const view = decodeNpy(bytes);
    expect(view.data.buffer).toBe(bytes.buffer);
    view.data[0] = 42; // writes go into the input buffer
    expect(decodeNpy(bytes).data[0]).toBe(42);
    const copied = decodeNpy(bytes, { copy: true });
    expect(copied.data.buffer).not.toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const unaligned = decodeNpy(shifted.subarray(1));
    expect(unaligned.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(unaligned.data)).toEqual([42, 2, 3]);
  });

  it('accepts valid header variations: double quotes, any key order, no trailing comma', () => {
    const data = f32Bytes([1, 2]);
    const texts = [
      `{"descr": "<f4", "fortran_order": False, "shape": (2,)}`,
      `{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}    \n`,
      `{ 'descr' : '<f4' ,\n'fortran_order':False,'shape':( 2 , ) , }`,
      `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2,), }`,
    ];
    for (const t of texts) expect(Array.from(decodeNpy(npy(t, data)).data)).toEqual([1, 2]);
  });

  it('reads versions 2.0 and 3.0', () => {
    const data = f32Bytes([5, 6]);
    expect(Array.from(decodeNpy(npy(dict('<f4', '(2,)'), data, 2)).data)).toEqual([5, 6]);
    expect(Array.from(decodeNpy(npy(dict('<f4', '(2,)'), data, 3)).data)).toEqual([5, 6]);
  });

  it('converts other dtypes only with { convert: true }', () => {
    const f64 = npy(dict('<f8', '(2,)'), new Uint8Array(new Float64Array([0.1, -1e300]).buffer));
    expect(() => decodeNpy(f64)).toThrow(
      /decodeNpy: dtype must be '<f4' \(float32\), got '<f8' \(float64\); pass \{ convert: true \} to convert it to float32$/,
    );
    expect(Array.from(decodeNpy(f64, { convert: true }).data)).toEqual([Math.fround(0.1), -Infinity]);
    const i4 = npy(dict('<i4', '(2,)'), new Uint8Array(new Int32Array([16777217, -3]).buffer));
    expect(() => decodeNpy(i4)).toThrow(/got '<i4' \(int32\); pass \{ convert: true \}.*or read it with decodeNpyInt32/);
    expect(Array.from(decodeNpy(i4, { convert: true }).data)).toEqual([16777216, -3]);
    const i8 = npy(dict('<i8', '(2,)'), new Uint8Array(new BigInt64Array([-5n, 1n << 40n]).buffer));
    expect(() => decodeNpy(i8)).toThrow(/got '<i8' \(int64\); pass \{ convert: true \}/);
    expect(Array.from(decodeNpy(i8, { convert: true }).data)).toEqual([-5, 2 ** 40]);
    const f2 = npy(dict('<f2', '(2,)'), new Uint8Array([0x00, 0x3c, 0x00, 0xc0])); // 1.0, -2.0
    expect(Array.from(decodeNpy(f2, { convert: true }).data)).toEqual([1, -2]);
  });

  it('checks its options', () => {
    const bytes = encodeNpy(tensor([1]));
    expect(() => decodeNpy(bytes, { convert: 1 as never })).toThrow(/decodeNpy: convert must be a boolean, got 1/);
    expect(() => decodeNpy(bytes, { copy: 'yes' as never })).toThrow(/decodeNpy: copy must be a boolean/);
    expect(() => decodeNpy(bytes, { convrt: true } as never)).toThrow(/decodeNpy: unknown option "convrt"/);
    expect(() => decodeNpy(bytes, { maxHeaderBytes: 0 })).toThrow(/maxHeaderBytes must be a positive integer, got 0/);
    expect(() => decodeNpy([1, 2] as never)).toThrow(/decodeNpy: bytes must be a Uint8Array, got Array\(2\)/);
  });

  describe('rejects', () => {
    const good = encodeNpy(tensor([[1, 2], [3, 4]]));

    it('a bad magic string', () => {
      const bad = good.slice();
      bad[1] = 0x4f;
      expect(() => decodeNpy(bad)).toThrow(/decodeNpy: magic must be \\x93NUMPY .*got 93 4f 55 4d 50 59; not a \.npy file/);
    });

    it('an unsupported version', () => {
      for (const [major, minor] of [
        [4, 0],
        [0, 0],
        [1, 1],
      ]) {
        const bad = good.slice();
        bad[6] = major;
        bad[7] = minor;
        expect(() => decodeNpy(bad)).toThrow(new RegExp(`version must be 1.0, 2.0 or 3.0, got ${major}.${minor}`));
      }
    });

    it('files shorter than the fixed prefix or the header', () => {
      expect(() => decodeNpy(good.subarray(0, 9))).toThrow(/file must be at least 10 bytes .*got 9/);
      expect(() => decodeNpy(npy(dict('<f4', '()'), f32Bytes([1]), 2).subarray(0, 11))).toThrow(
        /a version 2.0 file must be at least 12 bytes, got 11/,
      );
      expect(() => decodeNpy(good.subarray(0, 100))).toThrow(
        /header length 118 runs past the end of the file \(100 bytes\); truncated file/,
      );
    });

    it('a header over maxHeaderBytes, before reading it', () => {
      const huge = npy(dict('<f4', '(1,)'), f32Bytes([1]), 2);
      new DataView(huge.buffer).setUint32(8, 4_000_000_000, true);
      expect(() => decodeNpy(huge)).toThrow(/header length must be at most maxHeaderBytes = 65536, got 4000000000/);
      expect(() => decodeNpy(good, { maxHeaderBytes: 64 })).toThrow(/at most maxHeaderBytes = 64, got 118/);
    });

    it('big-endian, unsupported and structured dtypes', () => {
      expect(() => decodeNpy(npy(dict('>f4', '(1,)'), f32Bytes([1])))).toThrow(
        /decodeNpy: dtype must be little-endian, got big-endian '>f4'; save with a.astype\('<f4'\)/,
      );
      expect(() => decodeNpy(npy(dict('|u1', '(4,)'), f32Bytes([1])))).toThrow(
        /dtype must be one of '<f4', '<f8', '<f2', '<i4', '<i8', got "\|u1"/,
      );
      expect(() => decodeNpy(npy(dict('__proto__', '(1,)'), f32Bytes([1])))).toThrow(/got "__proto__"/);
      const structured = `{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }`;
      expect(() => decodeNpy(npy(structured, f32Bytes([1])))).toThrow(/'descr' must be a dtype string.*got a list \(structured dtypes are not supported\)/);
    });

    it('fortran_order True', () => {
      expect(() => decodeNpy(npy(dict('<f4', '(2, 2)', 'True'), f32Bytes([1, 2, 3, 4])))).toThrow(
        /decodeNpy: fortran_order must be False \(C order\), got True; save with np.ascontiguousarray\(a\)/,
      );
    });

    it('data shorter or longer than the shape needs', () => {
      expect(() => decodeNpy(good.subarray(0, good.length - 1))).toThrow(
        /decodeNpy: data must be 16 bytes for shape \[2, 2\] of '<f4', got 15 after the header \(truncated or corrupt file\)/,
      );
      const longer = new Uint8Array(good.length + 4);
      longer.set(good);
      expect(() => decodeNpy(longer)).toThrow(/data must be 16 bytes .* got 20/);
    });

    it('a shape claiming 10^12 elements, before allocating', () => {
      const bytes = npy(dict('<f4', '(1000000, 1000000)'), f32Bytes([1, 2]));
      expect(() => decodeNpy(bytes)).toThrow(/data must be 4000000000000 bytes for shape \[1000000, 1000000\] of '<f4', got 8/);
      const overflow = npy(dict('<f8', '(9007199254740991, 9007199254740991, 9007199254740991)'), f32Bytes([1]));
      expect(() => decodeNpy(overflow)).toThrow(RangeError);
      const tooBig = npy(dict('<f4', '(99999999999999999999,)'));
      expect(() => decodeNpy(tooBig)).toThrow(/header integer 99999999999999999999 must be a safe integer/);
    });

    it('a zero-sized shape is fine even with huge other dimensions', () => {
      const t = decodeNpy(npy(dict('<f4', '(0, 1000000000000)')));
      expect(t.shape).toEqual([0, 1e12]);
      expect(t.data.length).toBe(0);
    });

    it('malformed header dicts, without evaluating anything', () => {
      const cases: [string, RegExp][] = [
        [`('descr', '<f4')`, /header must be a Python dict literal starting with "\{"/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (2,)`, /expected "," or "\}" in dict|unexpected end/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}x`, /header must end after the dict/],
        [`{'descr': '<f4', 'fortran_order': False}`, /must have exactly the keys 'descr', 'fortran_order', 'shape', got 'descr', 'fortran_order'/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}`, /must have exactly the keys/],
        [`{'descr': '<f4', 'descr': '<f4', 'shape': (2,)}`, /duplicate key 'descr'/],
        [`{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}`, /'fortran_order' must be True or False, got a int/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': [2]}`, /'shape' must be a tuple of integers, got a list/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (2)}`, /a 1-tuple needs a trailing comma/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}`, /shape\[0\] must be an integer, got a str/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}`, /shape\[0\] must be a non-negative integer, got -2/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (02,)}`, /leading zeros/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}`, /expected "," or "\)" in tuple/],
        [`{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (2,)}`, /expected a string, integer/],
        [`{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}`, /escape sequences in strings are not supported/],
        [`{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}`, /expected ":" after a dict key|expected "," or/],
        [`{1: '<f4'}`, /dict keys must be strings/],
        [`{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(20)}${')'.repeat(20)}}`, /nest at most 8 deep/],
      ];
      for (const [text, re] of cases) {
        expect(() => decodeNpy(npy(text, f32Bytes([1, 2]))), text).toThrow(re);
      }
    });

    it('a version 3.0 header that is not UTF-8', () => {
      const bytes = npy(dict('<f4', '(1,)'), f32Bytes([1]), 3);
      bytes[14] = 0xff;
      expect(() => decodeNpy(bytes)).toThrow(/a version 3.0 header must be valid UTF-8/);
    });
  });
});

describe('decodeNpyInt32', () => {
  it('reads <i4 as an Int32Array view, and narrows <i8 with { convert: true }', () => {
    const i4 = encodeNpy({ data: new Int32Array([7, -1, 2147483647]), shape: [3] });
    const ids = decodeNpyInt32(i4);
    expect(ids.data).toBeInstanceOf(Int32Array);
    expect(ids.data.buffer).toBe(i4.buffer);
    expect(Array.from(ids.data)).toEqual([7, -1, 2147483647]);
    const i8 = npy(dict('<i8', '(2, 2)'), new Uint8Array(new BigInt64Array([0n, -1n, -2147483648n, 2147483647n]).buffer));
    expect(() => decodeNpyInt32(i8)).toThrow(
      /decodeNpyInt32: dtype must be '<i4' \(int32\), got '<i8' \(int64\); pass \{ convert: true \} to narrow it to int32/,
    );
    const narrowed = decodeNpyInt32(i8, { convert: true });
    expect(narrowed.shape).toEqual([2, 2]);
    expect(Array.from(narrowed.data)).toEqual([0, -1, -2147483648, 2147483647]);
  });

  it('refuses int64 values outside the int32 range, naming the value and its position', () => {
    const i8 = npy(dict('<i8', '(2, 2)'), new Uint8Array(new BigInt64Array([0n, 1n, 2n, 2147483648n]).buffer));
    expect(() => decodeNpyInt32(i8, { convert: true })).toThrow(
      /values must be in the int32 range \[-2147483648, 2147483647\], got 2147483648 at \[1, 1\]/,
    );
    const neg = npy(dict('<i8', '(1,)'), new Uint8Array(new BigInt64Array([-(1n << 40n)]).buffer));
    expect(() => decodeNpyInt32(neg, { convert: true })).toThrow(/got -1099511627776 at \[0\]/);
  });

  it('refuses floats', () => {
    expect(() => decodeNpyInt32(encodeNpy(tensor([1])))).toThrow(
      /decodeNpyInt32: dtype must be '<i4' or '<i8', got '<f4' \(float32\); read floats with decodeNpy/,
    );
  });
});

describe('decodeNpy fuzzing', () => {
  const original = encodeNpy(new Tensor(Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2), [3, 4]));
  const dataOffset = 128;
  const checkError = (e: unknown): void => {
    // Every failure is one of ours (message prefix), never an incidental crash.
    expect(e).toBeInstanceOf(Error);
    expect([RangeError, TypeError, Error]).toContain(errorClass(e));
    expect((e as Error).message).toMatch(/^decodeNpy: /);
  };

  it('every truncation throws one of our errors', () => {
    for (let len = 0; len < original.length; len++) {
      let threw = false;
      try {
        decodeNpy(original.subarray(0, len));
      } catch (e) {
        threw = true;
        checkError(e);
      }
      expect(threw, `length ${len}`).toBe(true);
    }
  });

  it('single-byte mutations either throw one of our errors or change only the mutated value', () => {
    const rng = createRng(99);
    const reference = decodeNpy(original, { copy: true });
    let threw = 0;
    let headerAccepted = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = original.slice();
      const pos = trial < original.length ? trial : rng.nextInt(original.length);
      bytes[pos] = (bytes[pos] + 1 + rng.nextInt(255)) & 0xff; // always a different byte
      let result: Tensor;
      try {
        result = decodeNpy(bytes);
      } catch (e) {
        checkError(e);
        threw++;
        continue;
      }
      expect(result.shape).toEqual([3, 4]);
      if (pos < dataOffset) {
        // A header byte changed and the file still parsed: only whitespace-for-whitespace
        // padding changes can do that, so the values are untouched.
        headerAccepted++;
        expect(Array.from(result.data)).toEqual(Array.from(reference.data));
        expect([0x20, 0x09, 0x0a, 0x0d]).toContain(bytes[pos]);
      } else {
        const changed = Math.floor((pos - dataOffset) / 4);
        for (let i = 0; i < 12; i++) if (i !== changed) expect(result.data[i]).toBe(reference.data[i]);
      }
    }
    expect(threw).toBeGreaterThan(100);
    expect(headerAccepted).toBeLessThan(threw);
  });
});
