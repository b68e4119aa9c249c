import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EmbeddingBag, type BagMode } from './embedding-bag.js';
import { Embedding } from './embedding.js';
import { createRng } from '@quiver/base';
import { isSparseRowGrad } from './sparse-grad.js';

/** Slow reference built from Embedding lookups: plain JS arrays, one bag at a time. */
function referenceBags(
  weight: Float32Array,
  dim: number,
  bags: number[][],
  mode: BagMode,
  pad: number,
  weights: number[][] | null,
): number[][] {
  return bags.map((bag, b) => {
    const out = new Array<number>(dim).fill(0);
    const kept = bag.map((r, k) => ({ r, w: weights ? weights[b][k] : 1 })).filter((e) => e.r !== pad);
    if (kept.length === 0) return out;
    for (let j = 0; j < dim; j++) {
      const vals = kept.map((e) => e.w * weight[e.r * dim + j]);
      if (mode === 'max') out[j] = Math.max(...vals);
      else {
        const s = vals.reduce((a, v) => a + v, 0);
        out[j] = mode === 'mean' ? s / kept.length : s;
      }
    }
    return out;
  });
}

function expectAllClose(actual: ArrayLike<number>, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

describe('EmbeddingBag.forward', () => {
  const modes: BagMode[] = ['sum', 'mean', 'max'];
  it('matches a slow reference for 1-D + offsets, 2-D, padding and empty bags in every mode', () => {
    const rng = createRng(21);
    for (const mode of modes) {
      for (let trial = 0; trial < 20; trial++) {
        const num = 1 + rng.nextInt(12);
        const dim = 1 + rng.nextInt(6);
        const pad = rng.nextFloat() < 0.5 ? rng.nextInt(num) : -1;
        const bag = new EmbeddingBag(num, dim, { mode, paddingIdx: pad >= 0 ? pad : null, seed: trial });
        const numBags = rng.nextInt(5);
        const bags = Array.from({ length: numBags }, () => Array.from({ length: rng.nextInt(5) }, () => rng.nextInt(num)));
        const flat = bags.flat();
        const offsets: number[] = [];
        let o = 0;
        for (const b of bags) {
          offsets.push(o);
          o += b.length;
        }
        const out = bag.forward(flat, offsets);
        expect(out.shape).toEqual([numBags, dim]);
        expectAllClose(out.data, referenceBags(bag.weight.data, dim, bags, mode, pad, null).flat());
      }
    }
  });

  it('2-D input: each row is a bag; includeLastOffset reads CSR offsets', () => {
    const bag = new EmbeddingBag(10, 3, { mode: 'sum', seed: 4 });
    const twoD = bag.forward([[1, 2], [3, 4]]);
    const csr = new EmbeddingBag(10, 3, { mode: 'sum', includeLastOffset: true, seed: 4 }).forward([1, 2, 3, 4], [0, 2, 4]);
    expect(Array.from(csr.data)).toEqual(Array.from(twoD.data));
    expect(inspect(new EmbeddingBag(10, 3, { includeLastOffset: true }))).toMatch(/mode='mean', includeLastOffset=true/);
  });

  it('includeLastOffset refuses 2-D input in forward and backward, before touching anything', () => {
    // torch 1.13 returns B - 1 bags here (test/golden: "2-D input with include_last_offset").
    const bag = new EmbeddingBag(10, 3, { mode: 'sum', includeLastOffset: true, maxNorm: 0.1, seed: 4 });
    const before = bag.weight.data.slice();
    const input = [[1, 2], [3, 4], [5, 6]];
    expect(() => bag.forward(input)).toThrow(TypeError);
    expect(() => bag.forward(input)).toThrow(
      /^EmbeddingBag.forward: includeLastOffset applies only to 1-D input with offsets; 2-D input gives one bag per row, got 2-D input of shape \[3, 2\] \(torch 1.13 returns 2 bags here, the last row dropped\); flatten it and pass offsets \[0, 2, …, 6\], or use a bag without includeLastOffset$/,
    );
    expect(() => bag.backward(input, new Float32Array(9))).toThrow(/^EmbeddingBag.backward: includeLastOffset applies only to 1-D input/);
    expect(() => bag.forward(input, [0, 2, 4, 6])).toThrow(/offsets must be null when input is 2-D/); // offsets first, as torch
    expect(Array.from(bag.weight.data)).toEqual(Array.from(before));
    expect(bag.weight.grad).toBeNull();
    // Either fix the message names gives one bag per row.
    const csr = new EmbeddingBag(10, 3, { mode: 'sum', includeLastOffset: true, seed: 4 });
    const plain = EmbeddingBag.fromPretrained(csr.weight, { mode: 'sum' }).forward(input);
    expect(plain.shape).toEqual([3, 3]);
    expect(Array.from(csr.forward(input.flat(), [0, 2, 4, 6]).data)).toEqual(Array.from(plain.data));
  });

  it("mode 'max' refuses scaleGradByFreq in forward and backward (as torch: it builds, then forward raises)", () => {
    // test/golden: "max with scale_grad_by_freq".
    const bag = new EmbeddingBag(10, 3, { mode: 'max', scaleGradByFreq: true, maxNorm: 0.1, seed: 2 });
    const before = bag.weight.data.slice();
    const message =
      /^EmbeddingBag.forward: scaleGradByFreq is not supported with mode 'max' \(torch: "max mode does not support scaling the gradient by the frequency"\), got mode 'max' with scaleGradByFreq true; set scaleGradByFreq to false or use mode 'sum' or 'mean'$/;
    expect(() => bag.forward([1, 1, 2], [0, 2])).toThrow(message);
    expect(() => bag.forward([[1, 1], [2, 3]])).toThrow(message);
    expect(() => bag.backward([1, 1, 2], new Float32Array(6), [0, 2])).toThrow(/^EmbeddingBag.backward: scaleGradByFreq is not supported with mode 'max'/);
    expect(Array.from(bag.weight.data)).toEqual(Array.from(before));
    expect(bag.weight.grad).toBeNull();
    expect(() => EmbeddingBag.fromPretrained([[1, 2]], { mode: 'max', scaleGradByFreq: true, sparse: true }).forward([[0]])).toThrow(
      /scaleGradByFreq is not supported with mode 'max'/,
    );
    // Still accepted: sum / mean with scaleGradByFreq, and max with sparse (a deliberate difference from torch).
    for (const mode of ['sum', 'mean'] as BagMode[]) {
      new EmbeddingBag(10, 3, { mode, scaleGradByFreq: true }).backward([1, 1, 2], new Float32Array(6), [0, 2]);
    }
    const maxSparse = new EmbeddingBag(10, 3, { mode: 'max', sparse: true });
    maxSparse.backward([1, 1, 2], new Float32Array(6), [0, 2]);
    expect(isSparseRowGrad(maxSparse.weight.grad)).toBe(true);
  });

  it('perSampleWeights scale each row in sum mode', () => {
    const bag = new EmbeddingBag(6, 2, { mode: 'sum', seed: 8 });
    const out = bag.forward([1, 2, 3], [0, 2], [0.5, -2, 3]);
    expectAllClose(out.data, referenceBags(bag.weight.data, 2, [[1, 2], [3]], 'sum', -1, [[0.5, -2], [3]]).flat());
  });

  it('sum of an EmbeddingBag equals summing Embedding lookups', () => {
    const e = new Embedding(9, 4, { seed: 13 });
    const bag = EmbeddingBag.fromPretrained(e.weight, { mode: 'sum' });
    const rows = e.forward([[2, 7, 7]]).data;
    const out = bag.forward([[2, 7, 7]]).data;
    for (let j = 0; j < 4; j++) expect(out[j]).toBeCloseTo(rows[j] + rows[4 + j] + rows[8 + j], 6);
  });

  it('rejects bad input with clear messages and changes nothing', () => {
    const bag = new EmbeddingBag(10, 3, { mode: 'max', maxNorm: 0.1, seed: 1 });
    const before = bag.weight.data.slice();
    expect(() => bag.forward([1, 2, 10], [0])).toThrow(/EmbeddingBag.forward: input\[2\] = 10 is out of range; indices must be integers in \[0, 9\]/);
    expect(() => bag.forward([1, 2], [0], [1, 1])).toThrow(/perSampleWeights is only supported for mode 'sum', got mode 'max'/);
    expect(() => bag.forward([1, 2])).toThrow(/offsets are required when input is 1-D/);
    expect(() => bag.forward([[1, 2]], [0])).toThrow(/offsets must be null when input is 2-D/);
    expect(() => bag.forward([1, 2], [1])).toThrow(/offsets\[0\] must be 0/);
    expect(() => bag.forward([1, 2, 3], [0, 2, 1])).toThrow(/offsets must be non-decreasing, got offsets\[1\] = 2 > offsets\[2\] = 1/);
    expect(() => bag.forward([1, 2], [0, 3])).toThrow(/offsets\[1\] = 3 must be an integer in \[0, 2\]/);
    expect(() => bag.forward([[[1]]])).toThrow(/input must be 1-D \(with offsets\) or 2-D, got shape \[1, 1, 1\]/);
    expect(Array.from(bag.weight.data)).toEqual(Array.from(before));
    const ilo = new EmbeddingBag(10, 3, { includeLastOffset: true });
    expect(() => ilo.forward([1, 2, 3], [0, 2])).toThrow(/last offset must equal the number of indices \(3\), got 2/);
    expect(() => ilo.forward([1, 2, 3], [])).toThrow(/at least 1 entry/);
    const sum = new EmbeddingBag(10, 3, { mode: 'sum' });
    expect(() => sum.forward([1, 2], [0], [1])).toThrow(/one weight per index \(2\), got 1/);
    expect(() => new EmbeddingBag(10, 3, { mode: 'median' as never })).toThrow(/mode must be one of 'sum', 'mean', 'max', got "median"/);
    expect(() => new EmbeddingBag(10, 3, { includeLastOffset: 1 as never })).toThrow(/includeLastOffset must be a boolean/);
  });
});

describe('EmbeddingBag.backward', () => {
  for (const mode of ['sum', 'mean', 'max'] as BagMode[]) {
    it(`${mode}: the weight gradient equals a finite-difference estimate (with padding and an empty bag)`, () => {
      const bag = new EmbeddingBag(7, 3, { mode, paddingIdx: 6, seed: 17 });
      const input = [1, 2, 6, 4, 4, 0, 6, 6];
      const offsets = [0, 3, 3, 5];
      const rng = createRng(99);
      const g = Float32Array.from({ length: 4 * 3 }, () => rng.normal());
      const loss = (): number => {
        const out = bag.forward(input, offsets).data;
        let s = 0;
        for (let i = 0; i < out.length; i++) s += out[i] * g[i];
        return s;
      };
      bag.backward(input, g, offsets);
      const analytic = bag.weight.denseGrad()!;
      const h = 1e-3;
      for (let i = 0; i < bag.weight.data.length; i++) {
        const keep = bag.weight.data[i];
        bag.weight.data[i] = keep + h;
        const up = loss();
        bag.weight.data[i] = keep - h;
        const down = loss();
        bag.weight.data[i] = keep;
        const numeric = Math.floor(i / 3) === 6 ? 0 : (up - down) / (2 * h);
        expect(analytic[i]).toBeCloseTo(numeric, 2);
      }
    });
  }

  it('perSampleWeights: returns their gradient, checked by finite differences', () => {
    const bag = new EmbeddingBag(5, 2, { mode: 'sum', seed: 5 });
    const input = [1, 3, 3, 0];
    const offsets = [0, 2];
    const w = Float32Array.from([0.5, 2, -1, 1.5]);
    const g = Float32Array.from([1, -2, 0.5, 3]);
    const wGrad = bag.backward(input, g, offsets, w)!;
    for (let k = 0; k < 4; k++) {
      const h = 1e-2;
      const at = (x: number): number => {
        const ww = w.slice();
        ww[k] = x;
        const out = bag.forward(input, offsets, ww).data;
        return out.reduce((s, v, i) => s + v * g[i], 0);
      };
      expect(wGrad[k]).toBeCloseTo((at(w[k] + h) - at(w[k] - h)) / (2 * h), 3);
    }
    expect(bag.backward(input, g, offsets)).toBeNull();
  });

  it('max routes each element to the first winning entry only', () => {
    const bag = EmbeddingBag.fromPretrained([[0, 0], [1, 5], [3, 2]], { mode: 'max', freeze: false });
    bag.backward([[1, 2, 2]], Float32Array.from([10, 20]));
    expect(Array.from(bag.weight.denseGrad()!)).toEqual([0, 0, 0, 20, 10, 0]);
  });

  it('sparse gradients: one entry per non-padding index, equal to the dense gradient once summed', () => {
    for (const mode of ['sum', 'mean', 'max'] as BagMode[]) {
      const a = new EmbeddingBag(6, 2, { mode, sparse: true, paddingIdx: 0, seed: 3 });
      const b = new EmbeddingBag(6, 2, { mode, paddingIdx: 0, seed: 3 });
      const input = [[1, 0, 5], [5, 5, 2]];
      const g = Float32Array.from([1, 2, 3, 4]);
      a.backward(input, g);
      b.backward(input, g);
      expect(isSparseRowGrad(a.weight.grad)).toBe(true);
      expect((a.weight.grad as { rows: Int32Array }).rows.length).toBe(5);
      expectAllClose(a.weight.denseGrad()!, Array.from(b.weight.denseGrad()!), 6);
    }
  });

  it('rejects a gradOutput of the wrong shape; a frozen bag accumulates nothing', () => {
    const bag = new EmbeddingBag(5, 2, { mode: 'sum' });
    expect(() => bag.backward([[1, 2]], new Float32Array(3))).toThrow(/EmbeddingBag.backward: gradOutput must have 2 values \(shape \[1, 2\]\), got 3/);
    expect(bag.weight.grad).toBeNull();
    bag.requiresGrad = false;
    bag.backward([[1, 2]], new Float32Array(2));
    expect(bag.weight.grad).toBeNull();
  });
});
