import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeNpyInt32, encodeNpy } from './npy.js';
import { decodeSafetensors } from './safetensors.js';

/**
 * Files written by numpy 1.24 / torch 1.13 (test/golden/gen_io.py), decoded here and compared
 * with the values python wrote next to them in expected.json.
 */
const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../test/golden/io');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));

interface Expected {
  shape: number[];
  values: number[];
  ints?: number[];
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected> &
  Record<string, { metadata: Record<string, string>; tensors: Record<string, Expected> }>;

describe('.npy files written by numpy', () => {
  const float32Files = [
    'f32_2d.npy',
    'f32_3d.npy',
    'f32_1d.npy',
    'f32_0d.npy',
    'f32_empty.npy',
    'f32_empty_2x0.npy',
    'f32_v2.npy',
    'f32_v3.npy',
  ];

  it.each(float32Files)('%s decodes to the values numpy saved', (name) => {
    const t = decodeNpy(read(name));
    expect(t.shape).toEqual(expected[name].shape);
    expect(Array.from(t.data)).toEqual(expected[name].values);
  });

  it.each(float32Files.filter((n) => !/v[23]/.test(n)))('%s re-encodes to the exact bytes np.save wrote', (name) => {
    const bytes = read(name);
    expect(encodeNpy(decodeNpy(bytes))).toEqual(bytes);
  });

  it.each(['f64.npy', 'f16.npy', 'i8.npy', 'i4.npy'])('%s converts to float32 like numpy astype(float32)', (name) => {
    expect(() => decodeNpy(read(name))).toThrow(/pass \{ convert: true \}/);
    const t = decodeNpy(read(name), { convert: true });
    expect(t.shape).toEqual(expected[name].shape);
    expect(Array.from(t.data)).toEqual(expected[name].values);
  });

  it('int64 and int32 files decode to the exact integers with decodeNpyInt32', () => {
    expect(Array.from(decodeNpyInt32(read('i4.npy')).data)).toEqual(expected['i4.npy'].ints);
    const i8 = decodeNpyInt32(read('i8.npy'), { convert: true });
    expect(i8.shape).toEqual([2, 3]);
    expect(Array.from(i8.data)).toEqual(expected['i8.npy'].ints);
    expect(() => decodeNpyInt32(read('i8_big.npy'), { convert: true })).toThrow(/got 1099511627776 at \[1\]/);
  });

  it('refuses the big-endian and Fortran-order files numpy wrote', () => {
    expect(() => decodeNpy(read('be_f4.npy'))).toThrow(/got big-endian '>f4'/);
    expect(() => decodeNpy(read('fortran.npy'))).toThrow(/fortran_order must be False/);
  });
});

describe('safetensors files written by python (by hand to the spec, and lib.safetensors by safetensors 0.8.0)', () => {
  it.each(['model.safetensors', 'layout.safetensors', 'dtypes.safetensors', 'lib.safetensors'])('%s decodes to the saved values', (name) => {
    const want = expected[name];
    const convert = name === 'dtypes.safetensors' || name === 'lib.safetensors';
    const { tensors, metadata } = decodeSafetensors(read(name), { convert });
    expect({ ...metadata }).toEqual(want.metadata);
    expect(Object.keys(tensors)).toEqual(Object.keys(want.tensors).sort());
    for (const [k, v] of Object.entries(want.tensors)) {
      expect(tensors[k].shape).toEqual(v.shape);
      expect(Array.from(tensors[k].data)).toEqual(v.values);
    }
  });

  it('model.safetensors is zero-copy; layout.safetensors (unpadded header) is copied', () => {
    const model = read('model.safetensors');
    expect(decodeSafetensors(model).tensors['user_bias'].data.buffer).toBe(model.buffer);
    const layout = read('layout.safetensors');
    expect(decodeSafetensors(layout).tensors['a'].data.buffer).not.toBe(layout.buffer);
  });
});
