import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { copyArgs, bprSetup as setup } from '../../test/fixtures.js';
import { bprEpoch } from '../kernels/bpr-epoch.js';
import { BprWasmTrainer } from './bpr-kernels.js';

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
