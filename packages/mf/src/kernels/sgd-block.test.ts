import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { createSharedMemory, instantiateSgdKernels, sgdKernelsModule } from '../wasm/sgd-kernels.js';
import { biasedMfSgdEpoch } from './biased-mf-sgd-epoch.js';
import { sgdBlock } from './sgd-block.js';
import type { SgdRecordFormat } from './build-sgd-blocks.js';
import { buildRatingCodes, ratingCode } from './rating-codes.js';

function problem(numUsers: number, numItems: number, n: number, dim: number, seed: number) {
  const rng = createRng(seed);
  const userIds = new Int32Array(n);
  const itemIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    userIds[t] = rng.nextInt(numUsers);
    itemIds[t] = rng.nextInt(numItems);
    ratings[t] = 1 + rng.nextInt(9) / 2;
  }
  const P = Float32Array.from({ length: numUsers * dim }, () => 0.1 * rng.normal());
  const Q = Float32Array.from({ length: numItems * dim }, () => 0.1 * rng.normal());
  const bu = Float32Array.from({ length: numUsers }, () => 0.1 * rng.normal());
  const bi = Float32Array.from({ length: numItems }, () => 0.1 * rng.normal());
  return { userIds, itemIds, ratings, P, Q, bu, bi };
}

const HP = [3.5, 0.02, 0.01, 0.05, 0.02] as const;

/** The records of `d` in input order, in a fresh buffer, as 8-byte or 4-byte (coded) records. */
function records(d: ReturnType<typeof problem>, stride: 4 | 8, ubits = 16, ibits = 16) {
  const n = d.ratings.length;
  const codes = stride === 4 ? buildRatingCodes(d.ratings, Math.min(4096, 2 ** (32 - ubits - ibits)))! : null;
  const format: SgdRecordFormat = { stride, ubits, ibits, codes };
  const words = new Int32Array((stride / 4) * n);
  const floats = new Float32Array(words.buffer);
  const bits = new Int32Array(d.ratings.buffer);
  for (let t = 0; t < n; t++) {
    const key = d.userIds[t] | (d.itemIds[t] << ubits);
    if (stride === 8) {
      words[2 * t] = key;
      floats[2 * t + 1] = d.ratings[t];
    } else {
      words[t] = key | (ratingCode(codes!, bits[t]) << (ubits + ibits));
    }
  }
  return { format, words, floats };
}

describe('sgdBlock', () => {
  for (const [stride, ubits, ibits] of [[8, 16, 16], [4, 3, 3], [4, 5, 7]] as const) {
    it(`equals biasedMfSgdEpoch (the plain reference) over the same order, bit for bit (${stride}-byte records, ${ubits}+${ibits} index bits)`, () => {
      const dim = 10;
      const d = problem(7, 5, 200, dim, 1);
      const { format, words, floats } = records(d, stride, ubits, ibits);
      const ref = { P: d.P.slice(), Q: d.Q.slice(), bu: d.bu.slice(), bi: d.bi.slice() };
      const order = Int32Array.from({ length: 200 }, (_, t) => t);
      const stats = new Float64Array(2);
      biasedMfSgdEpoch(order, d.userIds, d.itemIds, d.ratings, HP[0], ref.P, ref.Q, ref.bu, ref.bi, dim, HP[1], HP[2], HP[3], HP[4], stats);
      const sse = sgdBlock(words, floats, format, 0, 200, d.P, 0, d.Q, 0, d.bu, 0, d.bi, 0, dim, ...HP);
      expect(sse).toBe(stats[0]);
      expect(d.P).toEqual(ref.P);
      expect(d.Q).toEqual(ref.Q);
      expect(d.bu).toEqual(ref.bu);
      expect(d.bi).toEqual(ref.bi);
    });
  }

  it('honours table offsets and a start record (a block inside bigger tables)', () => {
    const dim = 4;
    const d = problem(3, 2, 20, dim, 2);
    const { format, words, floats } = records(d, 8);
    const a = sgdBlock(words, floats, format, 0, 20, d.P, 0, d.Q, 0, d.bu, 0, d.bi, 0, dim, ...HP);
    const bigP = new Float32Array(10 * dim);
    bigP.set(problem(3, 2, 20, dim, 2).P, 5 * dim);
    const bigBu = new Float32Array(10);
    bigBu.set(problem(3, 2, 20, dim, 2).bu, 5);
    const Q2 = problem(3, 2, 20, dim, 2).Q;
    const bi2 = problem(3, 2, 20, dim, 2).bi;
    // The same 20 records after 3 others (which are not trained).
    const shifted = new Int32Array(2 * 23);
    shifted.set(words, 6);
    const b = sgdBlock(shifted, new Float32Array(shifted.buffer), format, 3, 20, bigP, 5 * dim, Q2, 0, bigBu, 5, bi2, 0, dim, ...HP);
    expect(b).toBe(a);
    expect(bigP.subarray(5 * dim, 8 * dim)).toEqual(d.P);
    expect(bigP.subarray(0, 5 * dim).every((v) => v === 0)).toBe(true);
    expect(bigBu.subarray(5, 8)).toEqual(d.bu);
  });
});

describe('wasm SIMD sgd vs the plain loop', () => {
  for (const [dim, stride] of [[4, 8], [12, 4], [16, 8], [64, 4], [64, 8], [128, 4]] as const) {
    it(`agrees at dim ${dim}, ${stride}-byte records (different summation order: close, not bit-identical)`, () => {
      const numUsers = 30;
      const numItems = 20;
      const n = 3000;
      const d = problem(numUsers, numItems, n, dim, dim);
      const { format, words, floats } = records(d, stride, stride === 4 ? 5 : 16, stride === 4 ? 5 : 16);
      const mod = sgdKernelsModule();
      expect(mod).not.toBeNull();
      const tableAt = 64;
      const pAt = tableAt + 64;
      const qAt = pAt + numUsers * dim * 4;
      const buAt = qAt + numItems * dim * 4;
      const biAt = buAt + numUsers * 4;
      const recAt = biAt + numItems * 4;
      const memory = createSharedMemory(Math.ceil((recAt + stride * n) / 65536));
      const k = instantiateSgdKernels(mod!, memory);
      const buf = memory.buffer;
      const wP = new Float32Array(buf, pAt, numUsers * dim);
      const wQ = new Float32Array(buf, qAt, numItems * dim);
      const wbu = new Float32Array(buf, buAt, numUsers);
      const wbi = new Float32Array(buf, biAt, numItems);
      wP.set(d.P);
      wQ.set(d.Q);
      wbu.set(d.bu);
      wbi.set(d.bi);
      new Int32Array(buf, recAt, words.length).set(words);
      if (format.codes !== null) new Float32Array(buf, tableAt, format.codes.values.length).set(format.codes.values);
      // `block` = warm (its sum stored at word 0) + sgd.
      const sseWasm = k.block(recAt, n, stride, format.ubits, format.ibits, tableAt, pAt, qAt, buAt, biAt, dim, ...HP, qAt, numItems * dim * 4, 0);
      const sseJs = sgdBlock(words, floats, format, 0, n, d.P, 0, d.Q, 0, d.bu, 0, d.bi, 0, dim, ...HP);
      expect(Math.abs(sseWasm - sseJs) / sseJs).toBeLessThan(1e-5);
      let maxDiff = 0;
      for (let f = 0; f < wP.length; f++) maxDiff = Math.max(maxDiff, Math.abs(wP[f] - d.P[f]));
      for (let f = 0; f < wQ.length; f++) maxDiff = Math.max(maxDiff, Math.abs(wQ[f] - d.Q[f]));
      for (let f = 0; f < numUsers; f++) maxDiff = Math.max(maxDiff, Math.abs(wbu[f] - d.bu[f]));
      for (let f = 0; f < numItems; f++) maxDiff = Math.max(maxDiff, Math.abs(wbi[f] - d.bi[f]));
      expect(maxDiff).toBeLessThan(1e-4);
      // The tables moved: the comparison is not between two untouched copies.
      let moved = 0;
      const start = problem(numUsers, numItems, n, dim, dim).P;
      for (let f = 0; f < wP.length; f++) moved = Math.max(moved, Math.abs(wP[f] - start[f]));
      expect(moved).toBeGreaterThan(0.01);
    });
  }

  it('warm reads every 64-byte line once and returns the sum of the words it read', () => {
    const memory = createSharedMemory(1);
    const k = instantiateSgdKernels(sgdKernelsModule()!, memory);
    const w = new Int32Array(memory.buffer, 0, 1024);
    for (let j = 0; j < w.length; j++) w[j] = j;
    // From address 128 (word 32) to 4096: one word per 64-byte line, words 32, 48, …, 1008.
    let want = 0;
    for (let j = 32; j < 1024; j += 16) want += j;
    expect(k.warm(128, 1024 * 4 - 128)).toBe(want);
  });

  it('dot and axpy match plain loops', () => {
    const k = instantiateSgdKernels(sgdKernelsModule()!, createSharedMemory(1));
    // A separate instance on its own memory:
    const memory = createSharedMemory(1);
    const k2 = instantiateSgdKernels(sgdKernelsModule()!, memory);
    expect(k).not.toBe(k2);
    const a = new Float32Array(memory.buffer, 0, 64);
    const b = new Float32Array(memory.buffer, 256, 64);
    for (let f = 0; f < 64; f++) {
      a[f] = Math.sin(f);
      b[f] = Math.cos(3 * f);
    }
    let dot = 0;
    for (let f = 0; f < 64; f++) dot += a[f] * b[f];
    expect(k2.dot(0, 256, 64)).toBeCloseTo(dot, 5);
    const y = Float32Array.from(b);
    for (let f = 0; f < 64; f++) y[f] += 0.5 * a[f];
    k2.axpy(0.5, 0, 256, 64);
    for (let f = 0; f < 64; f++) expect(b[f]).toBeCloseTo(y[f], 6);
  });
});
