import { createRng } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { bprEpoch, type BprEpochArgs } from '../kernels/bpr-epoch.js';
import { sampleBprTriples } from '../kernels/bpr-sample-triples.js';
import { buildCsr } from '../sparse-matrix.js';
import { BprWasmTrainer } from './bpr-kernels.js';

/** A random implicit log (`numUsers` × `numItems`, about `perUser` items each) and its epoch args. */
function setup(dim: number, opts: { bias: boolean; adagrad: boolean; popularity: boolean }): BprEpochArgs {
  const numUsers = 60;
  const numItems = 45;
  const rng = createRng(11);
  const u: number[] = [];
  const i: number[] = [];
  for (let user = 0; user < numUsers; user++) {
    const seen = new Set<number>();
    for (let t = 0; t < 8; t++) seen.add(Math.floor(numItems * rng.nextFloat() ** 2));
    for (const item of seen) {
      u.push(user);
      i.push(item);
    }
  }
  const csr = buildCsr(Int32Array.from(u), Int32Array.from(i), null, numUsers, numItems);
  const rowOf = new Int32Array(csr.indices.length);
  for (let r = 0; r < numUsers; r++) rowOf.fill(r, csr.indptr[r], csr.indptr[r + 1]);
  let cdf: Float64Array | null = null;
  if (opts.popularity) {
    cdf = new Float64Array(numItems);
    let acc = 0;
    for (let n = 0; n < numItems; n++) cdf[n] = acc += 1 + (n % 7);
  }
  return {
    indptr: csr.indptr, indices: csr.indices, rowOf,
    userFactors: Float32Array.from({ length: numUsers * dim }, () => (rng.nextFloat() - 0.5) * 0.5),
    itemFactors: Float32Array.from({ length: numItems * dim }, () => (rng.nextFloat() - 0.5) * 0.5),
    itemBias: opts.bias ? Float32Array.from({ length: numItems }, () => rng.nextFloat() - 0.5) : null,
    numItems, dim, lr: 0.05, reg: 0.01, negativeCdf: cdf, verifyNegatives: true,
    adagrad: opts.adagrad ? new Float32Array(numUsers + 2 * numItems) : null,
    numSamples: 3000, scratch: new Float64Array(3 * dim), freezeItems: false,
  };
}

function copyArgs(a: BprEpochArgs): BprEpochArgs {
  return { ...a, userFactors: a.userFactors.slice(), itemFactors: a.itemFactors.slice(), itemBias: a.itemBias?.slice() ?? null, adagrad: a.adagrad?.slice() ?? null };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let n = 0; n < a.length; n++) m = Math.max(m, Math.abs(a[n] - b[n]));
  return m;
}

describe('BprWasmTrainer', () => {
  for (const [dim, opts] of [
    [8, { bias: true, adagrad: true, popularity: false }],
    [12, { bias: false, adagrad: false, popularity: true }],
    [4, { bias: true, adagrad: false, popularity: false }],
    [16, { bias: false, adagrad: true, popularity: true }],
  ] as const) {
    it(`matches the plain bprEpoch over 3 epochs within float32 tolerance (dim ${dim}, ${JSON.stringify(opts)})`, () => {
      const ref = setup(dim, opts);
      const got = copyArgs(ref);
      const start = copyArgs(ref);
      const numUsers = ref.indptr.length - 1;
      const t = BprWasmTrainer.create(numUsers, ref.numItems, dim, opts.bias, opts.adagrad)!;
      expect(t).not.toBeNull();
      const rRef = createRng(5);
      const rGot = createRng(5);
      const sRef = new Float64Array(3);
      const sGot = new Float64Array(3);
      for (let e = 0; e < 3; e++) {
        bprEpoch(ref, rRef, sRef);
        t.run(got, rGot, sGot);
        expect(sGot[1]).toBe(sRef[1]); // the same usable triples
        expect(Math.abs(sGot[0] - sRef[0]) / sRef[0]).toBeLessThan(1e-4);
        expect(Math.abs(sGot[2] - sRef[2])).toBeLessThanOrEqual(2);
      }
      expect(rGot.nextFloat()).toBe(rRef.nextFloat()); // the same number of draws
      // The tables moved far more than they differ.
      expect(maxAbsDiff(ref.userFactors, start.userFactors)).toBeGreaterThan(0.05);
      expect(maxAbsDiff(got.userFactors, ref.userFactors)).toBeLessThan(2e-5);
      expect(maxAbsDiff(got.itemFactors, ref.itemFactors)).toBeLessThan(2e-5);
      if (opts.bias) expect(maxAbsDiff(got.itemBias!, ref.itemBias!)).toBeLessThan(2e-5);
      if (opts.adagrad) {
        const rel = maxAbsDiff(got.adagrad!, ref.adagrad!) / Math.max(...ref.adagrad!);
        expect(rel).toBeLessThan(1e-5);
      }
    });
  }

  it('is not created for factors that are not a multiple of 4', () => {
    expect(BprWasmTrainer.create(3, 3, 6, true, true)).toBeNull();
    expect(BprWasmTrainer.create(3, 3, 0, true, true)).toBeNull();
  });
});

describe('sampleBprTriples', () => {
  it('writes the triples bprEpoch updates, using the same draws', () => {
    const args = setup(4, { bias: false, adagrad: false, popularity: false });
    const stats = new Float64Array(3);
    const rRef = createRng(9);
    bprEpoch({ ...copyArgs(args), numSamples: 500 }, rRef, stats);
    const rGot = createRng(9);
    const out = new Int32Array(1500);
    const n = sampleBprTriples(args, rGot, 500, out);
    expect(n).toBe(stats[1]);
    expect(rGot.nextFloat()).toBe(rRef.nextFloat());
    for (let t = 0; t < n; t++) {
      const [u, i, j] = [out[3 * t], out[3 * t + 1], out[3 * t + 2]];
      const items = args.indices.subarray(args.indptr[u], args.indptr[u + 1]);
      expect(items).toContain(i); // a stored positive
      expect(items).not.toContain(j); // a verified negative
    }
  });
});
