import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeNpy, decodeSafetensors, encodeNpy, encodeSafetensors, parseWordVectors, tensor } from '../../src/index.js';
import { errorClass } from '@quiver/base';

/** Runs `f`: it must succeed or throw TypeError / RangeError / Error with a message starting `where:`, quickly. */
function outcome(where: string, f: () => unknown, ms = 1000): 'ok' | 'error' {
  const t0 = performance.now();
  try {
    f();
    return 'ok';
  } catch (err) {
    expect([Error, TypeError, RangeError]).toContain(errorClass(err));
    expect((err as Error).message).toMatch(new RegExp(`^${where}: `));
    return 'error';
  } finally {
    expect(performance.now() - t0).toBeLessThan(ms);
  }
}

const mutate = (base: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
    const b = base.slice();
    for (const [at, v] of edits) b[at % b.length] = v;
    return b;
  });
const truncate = (base: Uint8Array) => fc.nat({ max: base.length - 1 }).map((n) => base.slice(0, n));
const anyBytes = (base: Uint8Array) => fc.oneof(mutate(base), truncate(base), fc.uint8Array({ maxLength: 400 }));

const t = tensor([[1, 2, 3], [4, 5, 6]]);

describe('codec fuzzing: truncated, mutated and random bytes', () => {
  it('.npy', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(anyBytes(encodeNpy(t)), (b) => { seen.add(outcome('decodeNpy', () => decodeNpy(b, { convert: true }))); }), { numRuns: 300, seed: 1 });
    expect(seen.has('error')).toBe(true);
  });

  it('safetensors', () => {
    const bytes = encodeSafetensors({ 'user_embedding.weight': t, b: tensor([1]) }, { format: 'pt' });
    const seen = new Set<string>();
    fc.assert(fc.property(anyBytes(bytes), (b) => { seen.add(outcome('decodeSafetensors', () => decodeSafetensors(b, { convert: true }))); }), { numRuns: 300, seed: 2 });
    expect(seen.has('error')).toBe(true);
  });

  it('word2vec / GloVe text and binary', () => {
    const text = new TextEncoder().encode('3 2\ncat 1 2\ndog 3.5 -4\nbird 0 1e3\n');
    const glove = new TextEncoder().encode('cat 1 2\ndog 3.5 -4\n');
    const bin = new Uint8Array([...new TextEncoder().encode('2 2\ncat '), ...new Uint8Array(Float32Array.of(1, 2).buffer), ...new TextEncoder().encode('\ndog '), ...new Uint8Array(Float32Array.of(3, 4).buffer), 10]);
    for (const [base, format] of [[text, 'auto'], [glove, 'glove'], [text, 'word2vec'], [bin, 'word2vec-binary']] as const) {
      fc.assert(fc.property(anyBytes(base), (b) => { outcome('parseWordVectors', () => parseWordVectors(b, { format })); }), { numRuns: 150, seed: 3 });
    }
  });
});

describe('headers that claim huge sizes are refused before allocating', () => {
  it('.npy with shape (1000000, 1000000)', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }";
    const pad = 64 - ((10 + header.length + 1) % 64);
    const h = `${header}${' '.repeat(pad)}\n`;
    const b = new Uint8Array(10 + h.length + 16);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(b.buffer).setUint16(8, h.length, true);
    b.set(new TextEncoder().encode(h), 10);
    expect(outcome('decodeNpy', () => decodeNpy(b), 200)).toBe('error');
    expect(() => decodeNpy(b)).toThrow(RangeError);
  });

  it('safetensors with a tensor of 10^12 elements', () => {
    const header = JSON.stringify({ w: { dtype: 'F32', shape: [1000000, 1000000], data_offsets: [0, 4e12] } });
    const h = header + ' '.repeat(8 - (header.length % 8));
    const b = new Uint8Array(8 + h.length + 16);
    new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
    b.set(new TextEncoder().encode(h), 8);
    expect(outcome('decodeSafetensors', () => decodeSafetensors(b), 200)).toBe('error');
  });

  it('word2vec headers claiming 10^12 words or a dimension of 10^9', () => {
    const huge = ['1000000000000 300\ncat 1 2\n', '3000000 300\ncat 1 2\n', '1 1000000000\ncat 1 2\n'];
    for (const h of huge) {
      expect(outcome('parseWordVectors', () => parseWordVectors(h), 300)).toBe('error');
      const bin = new Uint8Array([...new TextEncoder().encode(h.split('\n')[0] + '\ncat '), 0, 0, 128, 63]);
      expect(outcome('parseWordVectors', () => parseWordVectors(bin, { format: 'word2vec-binary' }), 300)).toBe('error');
    }
  });
});
