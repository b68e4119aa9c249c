import { describe, expect, it } from 'vitest';
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule } from '../wasm/sgd-kernels.js';
import { mulberry32Next, shuffleRecords } from './shuffle-records.js';

/** Independent mulberry32 in BigInt arithmetic. */
function mulberryRef(seed: number, count: number): number[] {
  const M = 0xffffffffn;
  let a = BigInt(seed >>> 0);
  const out: number[] = [];
  const imul = (x: bigint, y: bigint): bigint => (x * y) & M;
  for (let n = 0; n < count; n++) {
    a = (a + 0x6d2b79f5n) & M;
    let t = imul(a ^ (a >> 15n), a | 1n);
    t = t ^ ((t + imul(t ^ (t >> 7n), t | 61n)) & M);
    out.push(Number(t ^ (t >> 14n)));
  }
  return out;
}

describe('mulberry32Next', () => {
  it('matches a BigInt reference', () => {
    const s = Int32Array.of(-123456);
    const got = Array.from({ length: 50 }, () => mulberry32Next(s));
    expect(got).toEqual(mulberryRef(-123456, 50));
  });
});

describe('shuffleRecords', () => {
  function records(n: number): Int32Array {
    const rec = new Int32Array(2 * n);
    for (let t = 0; t < n; t++) {
      rec[2 * t] = t;
      rec[2 * t + 1] = 1000 + t;
    }
    return rec;
  }
  it('is the Fisher–Yates permutation with exact ⌊x·(t+1)/2³²⌋ (BigInt reference), keeping pairs together', () => {
    const n = 300;
    const rec = records(n + 5);
    shuffleRecords(rec, 5, n, 99, new Int32Array(1));
    const xs = mulberryRef(99, n - 1);
    const ref = Array.from({ length: n }, (_, t) => t + 5);
    for (let t = n - 1, s = 0; t > 0; t--, s++) {
      const j = Number((BigInt(xs[s]) * BigInt(t + 1)) >> 32n);
      [ref[t], ref[j]] = [ref[j], ref[t]];
    }
    for (let t = 0; t < 5; t++) expect(rec[2 * t]).toBe(t);
    for (let t = 0; t < n; t++) {
      expect(rec[2 * (t + 5)]).toBe(ref[t]);
      expect(rec[2 * (t + 5) + 1]).toBe(1000 + ref[t]);
    }
  });
  it('is bit-identical to the wasm shuffle', () => {
    const mod = sgdKernelsModule();
    expect(mod).not.toBeNull();
    const memory = createSharedMemory(1);
    const k = instantiateSgdKernels(mod!, memory);
    const n = 1000;
    const js = records(n);
    const wasm = new Int32Array(memory.buffer, 64, 2 * n);
    wasm.set(js);
    shuffleRecords(js, 0, n, 31337, new Int32Array(1));
    k.shuffle(64, n, 31337, 0);
    expect(Array.from(wasm)).toEqual(Array.from(js));
  });
});
