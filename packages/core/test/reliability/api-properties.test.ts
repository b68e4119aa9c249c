import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Adagrad, Adam, AdamW, Embedding, EmbeddingBag, Parameter, RowWiseAdagrad, SGD, SparseAdam, Tensor, coalesceRows } from '../../src/index.js';
import { errorClass } from '@quiver/base';

/** Weights 0..n·dim-1 scaled, so every row is distinct. */
function table(n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, (_, k) => (k % 7) - 3 + k / 100);
}

const index = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 10, 1e9, 0.5, NaN, Infinity, -0) },
);

describe('Embedding.forward: the gathered rows or the documented error, and errors change nothing', () => {
  it('random indices, including out-of-range, negative, fractional and NaN', () => {
    fc.assert(fc.property(fc.array(index, { maxLength: 20 }), fc.integer({ min: 1, max: 4 }), (idx, dim) => {
      const emb = Embedding.fromPretrained(new Tensor(table(10, dim), [10, dim]), { freeze: false });
      const before = emb.weight.data.slice();
      const valid = idx.every((i) => Number.isInteger(i) && i >= 0 && i < 10);
      let out;
      try {
        out = emb.forward(idx);
      } catch (err) {
        expect(valid).toBe(false);
        expect(err).toBeInstanceOf(RangeError);
        expect((err as Error).message).toMatch(/^Embedding.forward: indices\[\d+\] = \S+ is (out of range; indices must be integers in \[0, 9\]|not an integer)$/);
        expect(emb.weight.data).toEqual(before);
        return;
      }
      expect(valid).toBe(true);
      expect(out.shape).toEqual([idx.length, dim]);
      for (let n = 0; n < idx.length; n++) for (let j = 0; j < dim; j++) expect(out.data[n * dim + j]).toBe(before[idx[n] * dim + j]);
    }), { numRuns: 300, seed: 1 });
  });
});

describe('EmbeddingBag.forward against a slow reference', () => {
  const offsetsArb = fc.array(fc.integer({ min: -2, max: 14 }), { maxLength: 6 });
  it('random offsets (unsorted, out of range, empty bags) and modes', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 12 }), offsetsArb, fc.constantFrom('sum', 'mean', 'max'), (input, offs, mode) => {
      const dim = 2;
      const bag = new EmbeddingBag(8, dim, { mode: mode as 'sum' });
      bag.weight.data.set(table(8, dim));
      const n = input.length;
      // No offsets means no bags (as torch: output [0, dim]).
      const valid = offs.length === 0 || offs[0] === 0 && offs.every((o, k) => o >= 0 && o <= n && (k === 0 || o >= offs[k - 1]));
      let out;
      try {
        out = bag.forward(Int32Array.from(input), Int32Array.from(offs));
      } catch (err) {
        expect(valid).toBe(false);
        expect([RangeError, TypeError]).toContain(errorClass(err));
        expect((err as Error).message).toMatch(/^EmbeddingBag.forward: /);
        return;
      }
      expect(valid).toBe(true);
      expect(out.shape).toEqual([offs.length, dim]);
      for (let b = 0; b < offs.length; b++) {
        const rows = input.slice(offs[b], b + 1 < offs.length ? offs[b + 1] : n);
        for (let j = 0; j < dim; j++) {
          const vals = rows.map((r) => bag.weight.data[r * dim + j]);
          let want = 0;
          if (vals.length > 0) {
            if (mode === 'max') want = Math.max(...vals);
            else {
              let s = 0;
              for (const v of vals) s = Math.fround(s + v);
              want = mode === 'mean' ? s / vals.length : s;
            }
          }
          expect(out.data[b * dim + j]).toBeCloseTo(want, 5);
        }
      }
    }), { numRuns: 300, seed: 2 });
  });
});

describe('coalesceRows against a Map-based reference', () => {
  it('unique sorted rows with summed values', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -5, max: 5 })), { maxLength: 30 }), (pairs) => {
      const rows = Int32Array.from(pairs.map((p) => p[0]));
      const values = Float32Array.from(pairs.flatMap((p) => [p[1], p[1] * 2]));
      const c = coalesceRows({ rows, values, dim: 2 });
      const ref = new Map<number, number>();
      for (const [r, v] of pairs) ref.set(r, (ref.get(r) ?? 0) + v);
      const keys = [...ref.keys()].sort((a, b) => a - b);
      expect([...c.rows]).toEqual(keys);
      expect([...c.values]).toEqual(keys.flatMap((k) => [ref.get(k)!, 2 * ref.get(k)!]));
    }), { numRuns: 200, seed: 3 });
  });
});

describe('configuration is checked at construction', () => {
  const bad = fc.constantFrom(-1, 0, NaN, Infinity, -Infinity, '0.1', null, [0.1]);
  const make = (C: new (p: Parameter[], o: Record<string, unknown>) => unknown) => (o: Record<string, unknown>) => new C([new Parameter(new Float32Array(4), [2, 2])], o);
  const optimizers: Array<[string, (o: Record<string, unknown>) => unknown]> = [
    ['SGD', make(SGD as never)], ['Adagrad', make(Adagrad as never)], ['RowWiseAdagrad', make(RowWiseAdagrad as never)],
    ['Adam', make(Adam as never)], ['AdamW', make(AdamW as never)], ['SparseAdam', make(SparseAdam as never)],
  ];
  for (const [name, ctor] of optimizers) {
    it(`${name}: lr <= 0, NaN, Infinity or not a number is refused, naming lr`, () => {
      fc.assert(fc.property(bad, (lr) => {
        expect(() => ctor({ lr })).toThrow(new RegExp(`^${name}: .*lr must be`));
        expect(() => ctor({ lr })).toThrow(typeof lr === 'number' ? RangeError : TypeError);
      }), { numRuns: 30, seed: 4 });
    });
    it(`${name}: unknown option names are refused`, () => {
      expect(() => ctor({ lr: 0.1, learningRate: 0.1 })).toThrow(new RegExp(`^${name}.*learningRate`));
      expect(() => ctor({ lr: 0.1, eps: NaN })).toThrow(new RegExp(`^${name}`));
    });
  }
  it('Embedding and EmbeddingBag sizes must be positive integers', () => {
    fc.assert(fc.property(fc.constantFrom(-1, 0, 1.5, NaN, Infinity, '3', null), fc.boolean(), (v, first) => {
      const args = first ? [v, 2] : [2, v];
      expect(() => new Embedding(...(args as [number, number]))).toThrow(/^Embedding: (numEmbeddings|embeddingDim) must be/);
      expect(() => new EmbeddingBag(...(args as [number, number]))).toThrow(/^EmbeddingBag: (numEmbeddings|embeddingDim) must be/);
    }), { numRuns: 40, seed: 5 });
    expect(() => new Embedding(3, 2, { sparce: true } as never)).toThrow(/^Embedding.*sparce/);
    expect(() => new EmbeddingBag(3, 2, { mode: 'avg' } as never)).toThrow(/^EmbeddingBag: .*mode/);
  });
});
