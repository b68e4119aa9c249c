import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { coalesceRows } from './coalesce-rows.js';
import { inverseFrequencies, uniqueSorted } from './count-occurrences.js';
import { renormRows } from './renorm-rows.js';

describe('coalesceRows', () => {
  it('sums duplicate rows into unique ascending rows (hand-computed)', () => {
    const c = coalesceRows({ rows: Int32Array.from([4, 1, 4, 0]), values: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dim: 2 });
    expect(Array.from(c.rows)).toEqual([0, 1, 4]);
    expect(Array.from(c.values)).toEqual([7, 8, 3, 4, 6, 8]);
    expect(c.dim).toBe(2);
  });

  it('matches a Map-based reference on random input and returns sorted input unchanged', () => {
    const rng = createRng(5);
    for (let t = 0; t < 30; t++) {
      const n = rng.nextInt(40);
      const dim = 1 + rng.nextInt(4);
      const rows = Int32Array.from({ length: n }, () => rng.nextInt(10));
      const values = Float32Array.from({ length: n * dim }, () => rng.nextInt(7) - 3);
      const ref = new Map<number, number[]>();
      for (let k = 0; k < n; k++) {
        const acc = ref.get(rows[k]) ?? new Array(dim).fill(0);
        for (let j = 0; j < dim; j++) acc[j] += values[k * dim + j];
        ref.set(rows[k], acc);
      }
      const keys = [...ref.keys()].sort((a, b) => a - b);
      const c = coalesceRows({ rows, values, dim });
      expect(Array.from(c.rows)).toEqual(keys);
      expect(Array.from(c.values)).toEqual(keys.flatMap((k) => ref.get(k)!));
    }
    const sorted = { rows: Int32Array.from([1, 2, 5]), values: new Float32Array(3), dim: 1 };
    expect(coalesceRows(sorted)).toBe(sorted);
    expect(coalesceRows({ rows: new Int32Array(0), values: new Float32Array(0), dim: 3 }).rows.length).toBe(0);
  });
});

describe('inverseFrequencies / uniqueSorted', () => {
  it('gives 1/count per entry and skips the padding row', () => {
    const out = new Float32Array(6);
    inverseFrequencies(Int32Array.from([3, 1, 3, 0, 3, 0]), 0, out);
    expect(Array.from(out)).toEqual([1 / 3, 1, 1 / 3, 0, 1 / 3, 0].map(Math.fround));
    expect(Array.from(uniqueSorted(Int32Array.from([3, 1, 3, 0, 3]), 0))).toEqual([1, 3]);
    expect(Array.from(uniqueSorted(Int32Array.from([3, 1, 3, 0, 3]), -1))).toEqual([0, 1, 3]);
  });
});

describe('renormRows', () => {
  it('rescales rows over maxNorm to maxNorm for p = 1, 2, 3 and Infinity', () => {
    for (const p of [1, 2, 3, Infinity]) {
      const t = Float32Array.from([3, -4, 0.1, 0.1]);
      renormRows(t, 2, Int32Array.from([0, 1]), 1, p);
      const norm = p === Infinity ? Math.max(Math.abs(t[0]), Math.abs(t[1])) : (Math.abs(t[0]) ** p + Math.abs(t[1]) ** p) ** (1 / p);
      expect(norm).toBeCloseTo(1, 5);
      expect(t[0] / t[1]).toBeCloseTo(-0.75, 5);
      expect(Array.from(t.subarray(2))).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    }
  });
});
