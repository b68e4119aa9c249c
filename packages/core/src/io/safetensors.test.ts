import { describe, expect, it } from 'vitest';
import { createRng, errorClass } from '@quiver/base';
import { Tensor, tensor } from '../tensor.js';
import { decodeSafetensors, encodeSafetensors, parseSafetensorsHeader } from './safetensors.js';

/** A safetensors file built by hand from header text and buffer bytes (no padding added). */
function st(headerText: string, buffer: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + buffer.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(buffer, 8 + json.length);
  return out;
}
const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);
const entry = (dtype: string, shape: number[], begin: number, end: number): string =>
  JSON.stringify({ dtype, shape, data_offsets: [begin, end] });

describe('encodeSafetensors', () => {
  it('writes the hand-checked header: metadata first, names sorted, compact JSON, space padding to 8', () => {
    const bytes = encodeSafetensors(
      { b: tensor([5, 6]), a: tensor([[1, 2]]) },
      { format: 'pt', author: 'q' },
    );
    const json =
      '{"__metadata__":{"author":"q","format":"pt"},' +
      '"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}';
    expect(json.length).toBe(154);
    const n = 160; // 154 rounded up to a multiple of 8
    expect(new DataView(bytes.buffer).getBigUint64(0, true)).toBe(BigInt(n));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n))).toBe(json + '      ');
    expect(bytes.length).toBe(8 + n + 16);
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([1, 2, 5, 6]);
  });

  it('is deterministic: insertion order does not change the bytes', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const y = tensor([7]);
    const one = encodeSafetensors({ 'user_embedding.weight': x, 'item_embedding.weight': y }, { b: '2', a: '1' });
    const two = encodeSafetensors(
      new Map([
        ['item_embedding.weight', y],
        ['user_embedding.weight', x],
      ]),
      { a: '1', b: '2' },
    );
    expect(one).toEqual(two);
  });

  it('writes no __metadata__ when there is none, and an empty file as {} padded', () => {
    const empty = encodeSafetensors({});
    expect(Array.from(empty)).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]);
    expect(new TextDecoder().decode(encodeSafetensors({ a: tensor([1]) }, {}))).not.toMatch(/__metadata__/);
    const back = decodeSafetensors(empty);
    expect(Object.keys(back.tensors)).toEqual([]);
    expect(Object.keys(back.metadata)).toEqual([]);
  });

  it('escapes names and metadata as JSON (quotes, unicode)', () => {
    const names = ['a"b', 'ünï\u{1F600}', 'x\\y\n'];
    const tensors = Object.fromEntries(names.map((n, i) => [n, tensor([i])]));
    const bytes = encodeSafetensors(tensors, { 'k"': 'v\u00e9' });
    const back = decodeSafetensors(bytes);
    expect(Object.keys(back.tensors)).toEqual([...names].sort());
    for (let i = 0; i < names.length; i++) expect(back.tensors[names[i]].data[0]).toBe(i);
    expect(back.metadata['k"']).toBe('v\u00e9');
    expect(new DataView(bytes.buffer).getBigUint64(0, true) % 8n).toBe(0n);
  });

  it('rejects bad arguments', () => {
    expect(() => encodeSafetensors(null as never)).toThrow(/encodeSafetensors: tensors must be a record or Map of name → Tensor, got null/);
    expect(() => encodeSafetensors([tensor([1])] as never)).toThrow(/tensors must be a record or Map/);
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(/tensor name must not be "__metadata__"/);
    expect(() => encodeSafetensors(new Map([[1 as never, tensor([1])]]))).toThrow(/tensor names must be strings, got 1/);
    expect(() => encodeSafetensors({ w: { data: new Int32Array(1), shape: [1] } as never })).toThrow(
      /encodeSafetensors: tensors\["w"\].data must be a Float32Array, got Int32Array\(1\)/,
    );
    expect(() => encodeSafetensors({ w: { data: new Float32Array(2), shape: [3] } })).toThrow(
      /tensors\["w"\].data has 2 values but shape \[3\] needs 3/,
    );
    expect(() => encodeSafetensors({}, { epoch: 3 as never })).toThrow(/metadata\["epoch"\] must be a string, got 3/);
    expect(() => encodeSafetensors({}, 'x' as never)).toThrow(/metadata must be a record of strings, got "x"/);
  });
});

describe('decodeSafetensors', () => {
  it('round-trips random tensors bit-exactly (seeded)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 25; trial++) {
      const tensors: Record<string, Tensor> = {};
      const count = rng.nextInt(5);
      for (let k = 0; k < count; k++) {
        const shape = Array.from({ length: rng.nextInt(4) }, () => rng.nextInt(4));
        let size = 1;
        for (const d of shape) size *= d;
        const data = Float32Array.from({ length: size }, () => rng.normal() * 1e3);
        tensors[`layer${rng.nextInt(100)}.weight`] = new Tensor(data, shape);
      }
      const meta = { trial: String(trial) };
      const back = decodeSafetensors(encodeSafetensors(tensors, meta));
      expect(Object.keys(back.tensors)).toEqual(Object.keys(tensors).sort());
      for (const [name, t] of Object.entries(tensors)) {
        expect(back.tensors[name].shape).toEqual(t.shape);
        expect(Array.from(back.tensors[name].data)).toEqual(Array.from(t.data));
      }
      expect({ ...back.metadata }).toEqual(meta);
    }
  });

  it('returns F32 tensors as views into the input when aligned (writes go into it), copies otherwise', () => {
    const bytes = encodeSafetensors({ a: tensor([1, 2]), b: tensor([[3], [4]]) });
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.a.data.buffer).toBe(bytes.buffer);
    expect(tensors.b.data.buffer).toBe(bytes.buffer);
    tensors.b.data[1] = 40;
    expect(decodeSafetensors(bytes).tensors.b.data[1]).toBe(40);
    const copied = decodeSafetensors(bytes, { copy: true }).tensors.a;
    expect(copied.data.buffer).not.toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 2);
    shifted.set(bytes, 2);
    const unaligned = decodeSafetensors(shifted.subarray(2)).tensors.b;
    expect(unaligned.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(unaligned.data)).toEqual([3, 40]);
  });

  it('reads tensors laid out in any order in the buffer, and zero-size tensors', () => {
    const header = `{"z":${entry('F32', [2], 0, 8)},"a":${entry('F32', [1], 8, 12)},"e":${entry('F32', [0, 3], 12, 12)}}`;
    const { tensors } = decodeSafetensors(st(header, f32Bytes([1, 2, 3])));
    expect(Object.keys(tensors)).toEqual(['a', 'e', 'z']);
    expect(Array.from(tensors.z.data)).toEqual([1, 2]);
    expect(Array.from(tensors.a.data)).toEqual([3]);
    expect(tensors.e.shape).toEqual([0, 3]);
  });

  it('converts F64, I32, I64, F16 and BF16 only with { convert: true }', () => {
    const buf = new Uint8Array(8 + 4 + 8 + 2 + 2);
    const view = new DataView(buf.buffer);
    view.setFloat64(0, 0.1, true);
    view.setInt32(8, -7, true);
    view.setBigInt64(12, -(1n << 40n), true);
    view.setUint16(20, 0x3555, true); // float16 0.333251953125
    view.setUint16(22, 0xc049, true); // bfloat16 -3.140625
    const header =
      `{"d":${entry('F64', [1], 0, 8)},"i":${entry('I32', [1], 8, 12)},"l":${entry('I64', [1], 12, 20)},` +
      `"h":${entry('F16', [1], 20, 22)},"b":${entry('BF16', [1], 22, 24)}}`;
    const bytes = st(header, buf);
    expect(() => decodeSafetensors(bytes)).toThrow(
      /decodeSafetensors: tensor "b" dtype must be F32, got BF16; pass \{ convert: true \} to convert it to float32/,
    );
    const { tensors } = decodeSafetensors(bytes, { convert: true });
    expect(tensors.d.data[0]).toBe(Math.fround(0.1));
    expect(tensors.i.data[0]).toBe(-7);
    expect(tensors.l.data[0]).toBe(-(2 ** 40));
    expect(tensors.h.data[0]).toBe(0.333251953125);
    expect(tensors.b.data[0]).toBe(-3.140625);
  });

  it('checks its options', () => {
    const bytes = encodeSafetensors({});
    expect(() => decodeSafetensors(bytes, { convert: 'no' as never })).toThrow(/decodeSafetensors: convert must be a boolean/);
    expect(() => decodeSafetensors(bytes, { copy: 0 as never })).toThrow(/decodeSafetensors: copy must be a boolean/);
    expect(() => decodeSafetensors(bytes, { zeroCopy: true } as never)).toThrow(/unknown option "zeroCopy"/);
    expect(() => decodeSafetensors(bytes, { maxHeaderBytes: -1 })).toThrow(/maxHeaderBytes must be a positive integer, got -1/);
    expect(() => decodeSafetensors('x' as never)).toThrow(/decodeSafetensors: bytes must be a Uint8Array, got "x"/);
  });

  it('does not let __proto__ or constructor names pollute prototypes', () => {
    const header =
      `{"__metadata__":{"__proto__":"m","constructor":"c"},` +
      `"__proto__":${entry('F32', [1], 0, 4)},"constructor":${entry('F32', [1], 4, 8)},"toString":${entry('F32', [0], 8, 8)}}`;
    const { tensors, metadata } = decodeSafetensors(st(header, f32Bytes([1, 2])));
    expect(Object.getPrototypeOf(tensors)).toBe(null);
    expect(Object.getPrototypeOf(metadata)).toBe(null);
    expect(Object.keys(tensors)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(tensors['__proto__']).toBeInstanceOf(Tensor);
    expect(tensors['__proto__'].data[0]).toBe(1);
    expect(tensors['constructor'].data[0]).toBe(2);
    expect(metadata['__proto__']).toBe('m');
    expect(metadata['constructor']).toBe('c');
    const plain: Record<string, unknown> = {};
    expect(plain.dtype).toBeUndefined();
    expect(plain.data_offsets).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'shape')).toBe(false);
    // And a Map lets such names be written back.
    const again = decodeSafetensors(encodeSafetensors(new Map(Object.entries(tensors))));
    expect(again.tensors['__proto__'].data[0]).toBe(1);
  });

  describe('rejects', () => {
    const ok = entry('F32', [2], 0, 8);

    it('files shorter than the length field, and headers past the end of the file', () => {
      expect(() => decodeSafetensors(new Uint8Array(7))).toThrow(/decodeSafetensors: file must be at least 8 bytes \(the header length\), got 7/);
      const bytes = st(`{"a":${ok}}`, f32Bytes([1, 2]));
      expect(() => decodeSafetensors(bytes.subarray(0, 30))).toThrow(/header length 54 runs past the end of the file \(30 bytes\); truncated file/);
    });

    it('a header length over the limit (100 MB by default), before reading it', () => {
      const bytes = st('{}');
      new DataView(bytes.buffer).setBigUint64(0, 100_000_001n, true);
      expect(() => decodeSafetensors(bytes)).toThrow(/header length must be at most maxHeaderBytes = 100000000, got 100000001/);
      new DataView(bytes.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
      expect(() => decodeSafetensors(bytes)).toThrow(/got 18446744073709551615/);
      expect(() => decodeSafetensors(st(`{"a":${ok}}`, f32Bytes([1, 2])), { maxHeaderBytes: 16 })).toThrow(
        /at most maxHeaderBytes = 16, got 54/,
      );
    });

    it('headers that are not UTF-8, not JSON, or not an object', () => {
      const bad = st('{"a":1}');
      bad[10] = 0xff;
      expect(() => decodeSafetensors(bad)).toThrow(/decodeSafetensors: header must be valid UTF-8/);
      expect(() => decodeSafetensors(st('[1, 2]'))).toThrow(/header must be a JSON object starting with "\{", got "\[1, 2\]"/);
      expect(() => decodeSafetensors(st(' {}'))).toThrow(/starting with "\{"/);
      expect(() => decodeSafetensors(st('{"a": }'))).toThrow(/header must be valid JSON \(/);
      expect(() => decodeSafetensors(st('{} {}'))).toThrow(/header must be valid JSON/);
    });

    it('duplicate names (JSON.parse would silently keep the last), also when escaped differently', () => {
      const buf = f32Bytes([1, 2, 3, 4]);
      expect(() => decodeSafetensors(st(`{"a":${ok},"a":${entry('F32', [2], 8, 16)}}`, buf))).toThrow(
        /decodeSafetensors: header has duplicate key "a"/,
      );
      expect(() => decodeSafetensors(st(`{"a":${ok},"\\u0061":${entry('F32', [2], 8, 16)}}`, buf))).toThrow(/duplicate key "a"/);
      expect(() => decodeSafetensors(st(`{"__metadata__":{"k":"1","k":"2"},"a":${ok}}`, buf.subarray(0, 8)))).toThrow(
        /duplicate key "k"/,
      );
      // Same key in different objects is fine.
      const fine = st(`{"__metadata__":{"dtype":"x"},"a":${ok}}`, buf.subarray(0, 8));
      expect(decodeSafetensors(fine).metadata.dtype).toBe('x');
    });

    it('malformed entries and metadata', () => {
      const buf = f32Bytes([1, 2]);
      const cases: [string, RegExp, ErrorConstructor][] = [
        [`{"a":[1]}`, /tensor "a" must be an object \{dtype, shape, data_offsets\}, got Array\(1\)/, TypeError],
        [`{"a":{"dtype":"F32","shape":[2]}}`, /tensor "a" must have field "data_offsets"/, TypeError],
        [`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}`, /tensor "a" has unknown field "extra"/, TypeError],
        [`{"a":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}`, /tensor "a" dtype must be a string, got 7/, TypeError],
        [`{"a":${entry('F31', [2], 0, 8)}}`, /tensor "a" dtype must be a safetensors dtype \(F32, F64, F16, BF16, I32, I64, \.\.\.\), got "F31"/, TypeError],
        [`{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}`, /tensor "a" shape must be an array of integers, got "2"/, TypeError],
        [`{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}`, /tensor "a" shape\[0\] must be a non-negative integer, got 2.5/, RangeError],
        [`{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}`, /shape\[0\] must be a non-negative integer, got -2/, RangeError],
        [`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}`, /tensor "a" data_offsets must be an array \[begin, end\], got Array\(1\)/, TypeError],
        [`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,"8"]}}`, /data_offsets end must be a non-negative integer, got "8"/, RangeError],
        [`{"a":{"dtype":"F32","shape":[2],"data_offsets":[-1,8]}}`, /data_offsets begin must be a non-negative integer, got -1/, RangeError],
        [`{"a":${entry('F32', [2], 8, 0)}}`, /data_offsets must satisfy 0 <= begin <= end <= 8 \(the buffer length\), got \[8, 0\]/, RangeError],
        [`{"a":${entry('F32', [3], 0, 12)}}`, /got \[0, 12\]/, RangeError],
        [`{"a":${entry('F32', [3], 0, 8)}}`, /tensor "a" data_offsets \[0, 8\] must span 12 bytes \(shape \[3\] × 4-byte F32\), got 8/, RangeError],
        [`{"a":${entry('F64', [2], 0, 8)}}`, /must span 16 bytes \(shape \[2\] × 8-byte F64\)/, RangeError],
        [`{"a":${entry('F32', [1000000, 1000000], 0, 8)}}`, /must span 4000000000000 bytes/, RangeError],
        [`{"__metadata__":[],"a":${ok}}`, /__metadata__ must be an object of strings, got Array\(0\)/, TypeError],
        [`{"__metadata__":{"epoch":3},"a":${ok}}`, /__metadata__\["epoch"\] must be a string, got 3/, TypeError],
      ];
      for (const [header, re, type] of cases) {
        expect(() => decodeSafetensors(st(header, buf)), header).toThrow(re);
        expect(() => decodeSafetensors(st(header, buf)), header).toThrow(type);
      }
    });

    it('overlapping offsets, holes and trailing bytes in the buffer', () => {
      const buf = f32Bytes([1, 2, 3, 4]);
      expect(() => decodeSafetensors(st(`{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}}`, buf.subarray(0, 12)))).toThrow(
        /tensor "b" data_offsets must begin at 8, got 4 \(overlaps the previous tensor\)/,
      );
      expect(() => decodeSafetensors(st(`{"a":${entry('F32', [1], 0, 4)},"b":${entry('F32', [2], 8, 16)}}`, buf))).toThrow(
        /tensor "b" data_offsets must begin at 4, got 8 \(leaves a hole of 4 bytes before it\)/,
      );
      expect(() => decodeSafetensors(st(`{"a":${entry('F32', [2], 4, 12)}}`, buf.subarray(0, 12)))).toThrow(/must begin at 0, got 4 \(leaves a hole/);
      expect(() => decodeSafetensors(st(`{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 0, 8)}}`, buf.subarray(0, 8)))).toThrow(/overlaps/);
      expect(() => decodeSafetensors(st(`{"a":${entry('F32', [2], 0, 8)}}`, buf))).toThrow(
        /tensors must cover the whole data buffer of 16 bytes, got 8 \(8 trailing bytes\)/,
      );
    });

    it('dtypes that cannot become float32, even with convert', () => {
      const bytes = st(`{"m":${entry('BOOL', [4], 0, 4)}}`, new Uint8Array(4));
      expect(parseSafetensorsHeader(bytes).entries[0].dtype).toBe('BOOL');
      expect(() => decodeSafetensors(bytes, { convert: true })).toThrow(
        /tensor "m" dtype must be one of F32, F64, F16, BF16, I32, I64, got BOOL \(not convertible to float32\)/,
      );
    });

    it('long names are cut in messages', () => {
      const name = 'n'.repeat(500);
      expect(() => decodeSafetensors(st(`{"${name}":${entry('F32', [3], 0, 8)}}`, f32Bytes([1, 2])))).toThrow(
        new RegExp(`tensor "${'n'.repeat(60)}"… data_offsets`),
      );
    });
  });
});

describe('parseSafetensorsHeader', () => {
  it('lists entries sorted by name with their offsets, without reading data', () => {
    const bytes = encodeSafetensors({ w2: tensor([[1, 2, 3]]), w1: tensor([4]) }, { k: 'v' });
    const h = parseSafetensorsHeader(bytes);
    expect(h.entries).toEqual([
      { name: 'w1', dtype: 'F32', shape: [1], dataOffsets: [0, 4] },
      { name: 'w2', dtype: 'F32', shape: [1, 3], dataOffsets: [4, 16] },
    ]);
    expect(h.metadata.k).toBe('v');
    expect(h.dataOffset % 8).toBe(0);
    expect(bytes.length - h.dataOffset).toBe(16);
  });
});

describe('decodeSafetensors fuzzing', () => {
  const rng0 = createRng(3);
  const original = encodeSafetensors(
    {
      'user_embedding.weight': new Tensor(Float32Array.from({ length: 6 }, () => rng0.normal()), [3, 2]),
      bias: new Tensor(Float32Array.from({ length: 3 }, () => rng0.normal()), [3]),
    },
    { format: 'pt' },
  );
  const headerEnd = 8 + Number(new DataView(original.buffer).getBigUint64(0, true));
  const reference = decodeSafetensors(original, { copy: true });

  const checkError = (e: unknown): void => {
    expect([RangeError, TypeError, Error]).toContain(errorClass(e));
    expect((e as Error).message).toMatch(/^decodeSafetensors: /);
  };

  it('every truncation throws one of our errors', () => {
    for (let len = 0; len < original.length; len++) {
      let threw = false;
      try {
        decodeSafetensors(original.subarray(0, len));
      } catch (e) {
        threw = true;
        checkError(e);
      }
      expect(threw, `length ${len}`).toBe(true);
    }
  });

  it('single-byte mutations throw one of our errors or give a consistent, fully checked result', () => {
    const rng = createRng(4);
    let threw = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = original.slice();
      const pos = trial < original.length ? trial : rng.nextInt(original.length);
      bytes[pos] = (bytes[pos] + 1 + rng.nextInt(255)) & 0xff;
      let result;
      try {
        result = decodeSafetensors(bytes);
      } catch (e) {
        checkError(e);
        threw++;
        continue;
      }
      // Whatever parsed must account for every byte of the buffer, exactly once.
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      let total = 0;
      for (const t of Object.values(result.tensors)) total += t.data.byteLength;
      expect(total).toBe(bytes.length - 8 - n);
      if (pos >= headerEnd) {
        // A data byte changed: same names and shapes, one value differs at most.
        expect(Object.keys(result.tensors)).toEqual(Object.keys(reference.tensors));
        let differing = 0;
        for (const name of Object.keys(reference.tensors)) {
          expect(result.tensors[name].shape).toEqual(reference.tensors[name].shape);
          const a = result.tensors[name].data;
          const b = reference.tensors[name].data;
          for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
        }
        expect(differing).toBeLessThanOrEqual(1);
      }
    }
    expect(threw).toBeGreaterThan(500);
  });
});
