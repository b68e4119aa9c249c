import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding.js';
import { isSparseRowGrad } from './sparse-grad.js';
import { coalesceRows } from './kernels/coalesce-rows.js';
import { tensor, Tensor } from './tensor.js';
import { createRng } from '@quiver/base';

/** Slow reference: output row k is weight row indices[k]. */
function referenceLookup(weight: Float32Array, dim: number, indices: number[]): number[] {
  return indices.flatMap((i) => Array.from(weight.subarray(i * dim, (i + 1) * dim)));
}

describe('Embedding construction', () => {
  it('initialises N(0, 1) from the seed, bit-identically for the same seed', () => {
    const a = new Embedding(1000, 16, { seed: 7 });
    const b = new Embedding(1000, 16, { seed: 7 });
    const c = new Embedding(1000, 16, { seed: 8 });
    expect(Buffer.from(a.weight.data.buffer).equals(Buffer.from(b.weight.data.buffer))).toBe(true);
    expect(a.weight.data).not.toEqual(c.weight.data);
    let sum = 0;
    let sq = 0;
    for (const v of a.weight.data) {
      sum += v;
      sq += v * v;
    }
    const n = a.weight.data.length;
    expect(Math.abs(sum / n)).toBeLessThan(0.03); // 16000 draws: sd of the mean 0.008
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });

  it('zeroes the padding row; a negative paddingIdx counts from the end', () => {
    const e = new Embedding(5, 3, { paddingIdx: -1, seed: 1 });
    expect(e.paddingIdx).toBe(4);
    expect(Array.from(e.weight.row(4))).toEqual([0, 0, 0]);
    expect(Array.from(e.weight.row(3)).some((v) => v !== 0)).toBe(true);
  });

  it('weight has shape [numEmbeddings, embeddingDim]', () => {
    const e = new Embedding(4, 2);
    expect(e.weight.shape).toEqual([4, 2]);
    expect(e.weight.name).toBe('weight');
    expect(e.parameters()).toEqual([e.weight]);
  });

  it('rejects bad sizes and options with messages that name the value', () => {
    expect(() => new Embedding(0, 3)).toThrow(/Embedding: numEmbeddings must be a positive integer, got 0/);
    expect(() => new Embedding(3, 2.5)).toThrow(/embeddingDim must be a positive integer, got 2.5/);
    expect(() => new Embedding(-1, 2)).toThrow(RangeError);
    expect(() => new Embedding(10, 2, { paddingIdx: 12 })).toThrow(/paddingIdx must be an integer in \[-10, 9\], got 12/);
    expect(() => new Embedding(10, 2, { paddingIdx: -11 })).toThrow(/paddingIdx must be an integer in \[-10, 9\], got -11/);
    expect(() => new Embedding(10, 2, { maxNorm: 0 })).toThrow(/maxNorm must be in \(0, Infinity\), got 0/);
    expect(() => new Embedding(10, 2, { normType: -1 })).toThrow(/normType must be in \(0, Infinity\], got -1/);
    expect(() => new Embedding(10, 2, { paddingIndex: 1 } as never)).toThrow(/unknown option "paddingIndex"/);
    expect(() => new Embedding(10, 2, { sparse: 'yes' } as never)).toThrow(/sparse must be a boolean, got "yes"/);
    expect(() => new Embedding(10, 2, { init: 'he' } as never)).toThrow(/init must be one of .*got "he"/);
    expect(() => new Embedding(10, 2, { init: { name: 'normal', std: 0 } })).toThrow(/init.std must be in \(0, Infinity\), got 0/);
    expect(() => new Embedding(70000, 40000)).toThrow(/must be at most 2147483647 values/);
  });

  it('supports the other initialisers, seeded', () => {
    const u = new Embedding(200, 50, { init: { name: 'uniform', a: -0.1, b: 0.1 }, seed: 3 });
    expect(Math.max(...u.weight.data)).toBeLessThanOrEqual(0.1);
    expect(Math.min(...u.weight.data)).toBeGreaterThanOrEqual(-0.1);
    const x = new Embedding(200, 50, { init: 'xavierUniform', seed: 3 });
    const bound = Math.sqrt(6 / 250);
    expect(Math.max(...x.weight.data.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-7);
    expect(Math.max(...x.weight.data.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    const t = new Embedding(200, 50, { init: 'truncatedNormal', seed: 3 });
    expect(Math.max(...t.weight.data.map(Math.abs))).toBeLessThanOrEqual(2);
    const z = new Embedding(3, 3, { init: 'zeros' });
    expect(Array.from(z.weight.data)).toEqual(new Array(9).fill(0));
    const xn = new Embedding(400, 100, { init: 'xavierNormal', seed: 3 });
    let sq = 0;
    for (const v of xn.weight.data) sq += v * v;
    expect(Math.sqrt(sq / xn.weight.data.length)).toBeCloseTo(Math.sqrt(2 / 500), 2);
  });
});

describe('Embedding.forward', () => {
  const e = new Embedding(10, 3, { seed: 5 });

  it('maps indices of any shape to [...shape, dim] rows of the weight', () => {
    const idx = [[1, 2, 4, 5], [4, 3, 2, 9]];
    const out = e.forward(idx);
    expect(out.shape).toEqual([2, 4, 3]);
    expect(Array.from(out.data)).toEqual(referenceLookup(e.weight.data, 3, idx.flat()));
    expect(e.forward(7).shape).toEqual([3]);
    expect(e.forward([]).shape).toEqual([0, 3]);
    expect(e.forward({ data: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [1, 2, 3] }).shape).toEqual([1, 2, 3, 3]);
    expect(Array.from(e.forward(Int32Array.from([9])).data)).toEqual(Array.from(e.weight.row(9)));
  });

  it('equals a one-hot vector times the table', () => {
    const idx = [3, 0, 3];
    const out = e.forward(idx);
    for (let k = 0; k < idx.length; k++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let r = 0; r < 10; r++) s += (r === idx[k] ? 1 : 0) * e.weight.data[r * 3 + j];
        expect(out.data[k * 3 + j]).toBe(s);
      }
    }
  });

  it('rejects an index out of range or not an integer, naming value, position and range', () => {
    expect(() => e.forward([[1, 2], [3, 10]])).toThrow(
      /Embedding.forward: indices\[1, 1\] = 10 is out of range; indices must be integers in \[0, 9\]/,
    );
    expect(() => e.forward([0, -1])).toThrow(/indices\[1\] = -1 is out of range/);
    expect(() => e.forward([0, 1.5])).toThrow(/indices\[1\] = 1.5 is not an integer/);
    expect(() => e.forward([0, NaN])).toThrow(/is not an integer/);
    expect(() => e.forward([[1, 2], [3]])).toThrow(/rectangular/);
    expect(() => e.forward(['a'] as never)).toThrow(TypeError);
    expect(() => e.forward({ data: Int32Array.from([1, 2]), shape: [3] })).toThrow(/2 values but shape \[3\] needs 3/);
    expect(() => e.forward({ data: [1, 2], shape: [2] } as never)).toThrow(TypeError);
  });

  it('renormalises looked-up rows above maxNorm in place, and only those', () => {
    const m = new Embedding(4, 2, { maxNorm: 1, init: 'zeros' });
    m.weight.data.set([3, 4, 0.3, 0.4, 6, 8, 1, 0]);
    const out = m.forward([0, 1, 0]);
    const s = 1 / (5 + 1e-7);
    expect(Array.from(m.weight.data.subarray(0, 2))).toEqual([Math.fround(3 * s), Math.fround(4 * s)]);
    expect(Array.from(m.weight.data.subarray(2, 4))).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    expect(Array.from(m.weight.data.subarray(4, 6))).toEqual([6, 8]); // not looked up
    expect(Array.from(out.data.subarray(0, 2))).toEqual(Array.from(m.weight.data.subarray(0, 2)));
    const inf = new Embedding(2, 2, { maxNorm: 2, normType: Infinity, init: 'zeros' });
    inf.weight.data.set([3, -4, 1, 1]);
    inf.forward([0]);
    expect(inf.weight.data[1]).toBeCloseTo(-2, 5);
  });

  it('prints a short summary in the REPL', () => {
    const big = new Embedding(100000, 64, { paddingIdx: 0, sparse: true });
    const text = inspect(big);
    expect(text).toMatch(/^Embedding\(100000, 64, paddingIdx=0, sparse=true\)/);
    expect(text).toMatch(/99996 more rows/);
    expect(text.length).toBeLessThan(600);
  });
});

describe('Embedding.backward', () => {
  it('accumulates a dense gradient equal to a finite-difference estimate', () => {
    const e = new Embedding(6, 4, { seed: 11, paddingIdx: 2 });
    const idx = [[0, 1, 2], [1, 5, 1]];
    const rng = createRng(3);
    const g = new Float32Array(2 * 3 * 4).map(() => rng.normal());
    const loss = (): number => {
      const out = e.forward(idx).data;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i] * g[i];
      return s;
    };
    e.backward(idx, g);
    const analytic = e.weight.denseGrad()!;
    const h = 1e-2;
    for (let i = 0; i < e.weight.data.length; i++) {
      const keep = e.weight.data[i];
      e.weight.data[i] = keep + h;
      const up = loss();
      e.weight.data[i] = keep - h;
      const down = loss();
      e.weight.data[i] = keep;
      const numeric = Math.floor(i / 4) === 2 ? 0 : (up - down) / (2 * h);
      expect(analytic[i]).toBeCloseTo(numeric, 3);
    }
    // padding row gets exactly nothing
    expect(Array.from(analytic.subarray(8, 12))).toEqual([0, 0, 0, 0]);
  });

  it('accumulates across calls; zeroGrad clears', () => {
    const e = new Embedding(3, 2, { seed: 1 });
    e.backward([0, 0], tensor([[1, 2], [3, 4]]));
    e.backward([0, 2], tensor([[1, 1], [5, 6]]));
    expect(Array.from(e.weight.denseGrad()!)).toEqual([5, 7, 0, 0, 5, 6]);
    e.weight.zeroGrad();
    expect(e.weight.grad).toBeNull();
  });

  it('scaleGradByFreq divides each entry by its index count in the batch', () => {
    const e = new Embedding(4, 1, { scaleGradByFreq: true, seed: 1 });
    e.backward([1, 1, 1, 2, 3, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(e.weight.denseGrad()!)).toEqual([0, (1 + 2 + 3) / 3, 4, (5 + 6) / 2].map(Math.fround));
  });

  it('sparse: one entry per non-padding index, uncoalesced; coalesced equals the dense gradient', () => {
    const sparse = new Embedding(8, 3, { sparse: true, paddingIdx: 0, seed: 9 });
    const dense = new Embedding(8, 3, { paddingIdx: 0, seed: 9 });
    const idx = [[5, 0, 5], [7, 1, 5]];
    const g = Float32Array.from({ length: 18 }, (_, i) => i - 7);
    sparse.backward(idx, g);
    dense.backward(idx, g);
    const grad = sparse.weight.grad!;
    expect(isSparseRowGrad(grad)).toBe(true);
    if (!isSparseRowGrad(grad)) return;
    expect(Array.from(grad.rows)).toEqual([5, 5, 7, 1, 5]);
    const c = coalesceRows(grad);
    expect(Array.from(c.rows)).toEqual([1, 5, 7]);
    expect(sparse.weight.denseGrad()).toEqual(dense.weight.denseGrad());
    // a second call appends
    sparse.backward([3], Float32Array.from([1, 1, 1]));
    expect((sparse.weight.grad as { rows: Int32Array }).rows.length).toBe(6);
  });

  it('sparse + scaleGradByFreq matches the dense result (torch refuses this combination)', () => {
    const a = new Embedding(5, 2, { sparse: true, scaleGradByFreq: true, seed: 2 });
    const b = new Embedding(5, 2, { scaleGradByFreq: true, seed: 2 });
    const g = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    a.backward([4, 4, 1, 4], g);
    b.backward([4, 4, 1, 4], g);
    const da = a.weight.denseGrad()!;
    const db = b.weight.denseGrad()!;
    const hand = [0, 0, 5, 6, 0, 0, 0, 0, (1 + 3 + 7) / 3, (2 + 4 + 8) / 3];
    for (let i = 0; i < hand.length; i++) {
      expect(da[i]).toBeCloseTo(hand[i], 5);
      expect(db[i]).toBeCloseTo(hand[i], 5);
    }
  });

  it('rejects a gradOutput of the wrong shape and changes nothing', () => {
    const e = new Embedding(5, 2);
    expect(() => e.backward([1, 2], new Tensor(new Float32Array(6), [3, 2]))).toThrow(
      /Embedding.backward: gradOutput must have shape \[2, 2\], got \[3, 2\]/,
    );
    expect(() => e.backward([1, 2], new Float32Array(3))).toThrow(/gradOutput must have 4 values/);
    expect(() => e.backward([1, 7], new Float32Array(4))).toThrow(/indices\[1\] = 7 is out of range/);
    expect(e.weight.grad).toBeNull();
  });

  it('a frozen table accumulates nothing; unfreezing restores training', () => {
    const e = new Embedding(3, 2, { requiresGrad: false });
    e.backward([1], Float32Array.from([1, 1]));
    expect(e.weight.grad).toBeNull();
    e.requiresGrad = true;
    e.backward([1], Float32Array.from([1, 1]));
    expect(e.weight.grad).not.toBeNull();
    e.requiresGrad = false;
    expect(e.weight.grad).toBeNull();
  });
});

describe('Embedding.fromPretrained', () => {
  it('uses the given matrix (shared, frozen by default)', () => {
    const w = tensor([[1, 2.3, 3], [4, 5.1, 6.3]]);
    const e = Embedding.fromPretrained(w);
    expect(e.weight.data).toBe(w.data);
    expect(e.requiresGrad).toBe(false);
    expect(e.forward([1]).toArray()).toEqual([[4, Math.fround(5.1), Math.fround(6.3)]]);
    expect(inspect(e)).toMatch(/frozen/);
  });

  it('can be unfrozen and keeps the pretrained padding row as it is (as torch)', () => {
    const e = Embedding.fromPretrained([[1, 1], [2, 2]], { freeze: false, paddingIdx: 0 });
    expect(e.requiresGrad).toBe(true);
    expect(Array.from(e.weight.row(0))).toEqual([1, 1]);
    e.backward([0, 1], Float32Array.from([1, 1, 1, 1]));
    expect(Array.from(e.weight.denseGrad()!)).toEqual([0, 0, 1, 1]);
  });

  it('rejects matrices of the wrong shape and bad options', () => {
    expect(() => Embedding.fromPretrained([1, 2, 3])).toThrow(/weight must be a 2-D matrix .* got shape \[3\]/);
    expect(() => Embedding.fromPretrained(tensor([[[1]]]))).toThrow(/got shape \[1, 1, 1\]/);
    expect(() => Embedding.fromPretrained([[1, 2]], { paddingIdx: 1 })).toThrow(/paddingIdx must be an integer in \[-1, 0\], got 1/);
    expect(() => Embedding.fromPretrained([[1, 2]], { freeze: 1 } as never)).toThrow(/freeze must be a boolean/);
    expect(() => Embedding.fromPretrained('w' as never)).toThrow(TypeError);
  });
});
