import { describe, expect, it } from 'vitest';
import { buildCsr, transposeCsr } from './sparse-matrix.js';

describe('buildCsr', () => {
  it('sorts columns within rows and sums duplicates (hand-checked)', () => {
    const m = buildCsr(Int32Array.of(1, 0, 1, 2, 1), Int32Array.of(3, 2, 0, 1, 3), Float32Array.of(1, 2, 3, 4, 5), 4, 4);
    expect([...m.indptr]).toEqual([0, 1, 3, 4, 4]);
    expect([...m.indices]).toEqual([2, 0, 3, 1]);
    expect([...m.values]).toEqual([2, 3, 6, 4]);
  });

  it('uses 1 for every entry without values', () => {
    const m = buildCsr(Int32Array.of(0, 0), Int32Array.of(1, 1), null, 1, 2);
    expect([...m.indices]).toEqual([1]);
    expect([...m.values]).toEqual([2]);
  });

  it('transposes', () => {
    const m = buildCsr(Int32Array.of(0, 0, 1), Int32Array.of(0, 2, 2), Float32Array.of(1, 2, 3), 2, 3);
    const t = transposeCsr(m);
    expect(t.numRows).toBe(3);
    expect([...t.indptr]).toEqual([0, 1, 1, 3]);
    expect([...t.indices]).toEqual([0, 0, 1]);
    expect([...t.values]).toEqual([1, 2, 3]);
  });
  it('equals a slow map-based reference on random triples with many duplicates', () => {
    let seed = 11;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const n = 5000;
    const rows = Int32Array.from({ length: n }, () => next(37));
    const cols = Int32Array.from({ length: n }, () => next(23));
    const values = Float32Array.from({ length: n }, () => next(9) / 2);
    const m = buildCsr(rows, cols, values, 40, 25);
    const ref = new Map<number, number>();
    for (let k = 0; k < n; k++) ref.set(rows[k] * 25 + cols[k], Math.fround((ref.get(rows[k] * 25 + cols[k]) ?? 0) + values[k]));
    const keys = [...ref.keys()].sort((a, b) => a - b);
    expect(m.indptr[40]).toBe(keys.length);
    keys.forEach((key, p) => {
      const r = Math.floor(key / 25);
      expect(p >= m.indptr[r] && p < m.indptr[r + 1]).toBe(true);
      expect(m.indices[p]).toBe(key % 25);
    });
    // Sums in input order per (row, col), as the reference accumulates them.
    keys.forEach((key, p) => expect(m.values[p]).toBe(ref.get(key)));
  });
});
