import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { bprSetup as setup, copyArgs } from '../../test/fixtures.js';
import { bprEpoch } from './bpr-epoch.js';
import { buildPairFilter, sampleBprTriples } from './bpr-sample-triples.js';

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

  it('draws the same triples with a pair filter, whose bits cover every stored pair', () => {
    const args = setup(4, { bias: false, adagrad: false, popularity: true });
    const filter = new Uint32Array(8); // 256 bits for ~400 pairs: many false hits, all resolved exactly
    buildPairFilter(args.indptr, args.indices, filter);
    const big = new Uint32Array(1 << 10);
    buildPairFilter(args.indptr, args.indices, big);
    let set = 0;
    for (const w of big) for (let b = 0; b < 32; b++) set += (w >>> b) & 1;
    expect(set).toBeGreaterThan(0.8 * args.indices.length); // one bit per pair, few collisions
    expect(set).toBeLessThanOrEqual(args.indices.length);
    // A stored pair whose bit were clear would be accepted as a negative: the triples would differ.
    for (const f of [filter, big]) {
      const a = new Int32Array(3000);
      const b = new Int32Array(3000);
      const ra = createRng(4);
      const rb = createRng(4);
      const na = sampleBprTriples(args, ra, 1000, a);
      const nb = sampleBprTriples(args, rb, 1000, b, f);
      expect(nb).toBe(na);
      expect(b).toEqual(a);
      expect(rb.nextFloat()).toBe(ra.nextFloat());
    }
  });
});
