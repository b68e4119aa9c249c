import { describe, expect, it } from 'vitest';
import { buildCsr, csrHas, transposeCsr } from './csr.js';

describe('buildCsr, transposeCsr, csrHas', () => {
  it('sorts columns within rows and sums duplicates (hand-checked)', () => {
    const m = buildCsr(Int32Array.of(1, 0, 1, 2, 1), Int32Array.of(3, 2, 0, 1, 3), Float32Array.of(1, 2, 3, 4, 5), 4, 4, { duplicates: 'sum' });
    expect([...m.indptr]).toEqual([0, 1, 3, 4, 4]);
    expect([...m.indices]).toEqual([2, 0, 3, 1]);
    expect([...m.values]).toEqual([2, 3, 6, 4]);
  });

  it('uses 1 for every entry without values', () => {
    const m = buildCsr(Int32Array.of(0, 0), Int32Array.of(1, 1), null, 1, 2, { duplicates: 'sum' });
    expect([...m.indices]).toEqual([1]);
    expect([...m.values]).toEqual([2]);
  });

  it('transposes', () => {
    const m = buildCsr(Int32Array.of(0, 0, 1), Int32Array.of(0, 2, 2), Float32Array.of(1, 2, 3), 2, 3, { duplicates: 'sum' });
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
    const m = buildCsr(rows, cols, values, 40, 25, { duplicates: 'sum' });
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

  it("with duplicates 'keep' stores every entry, repeats side by side in input order; null values stay null", () => {
    const rows = Int32Array.of(1, 0, 1, 2, 1);
    const cols = Int32Array.of(3, 2, 0, 1, 3);
    const m = buildCsr(rows, cols, Float32Array.of(1, 2, 3, 4, 5), 4, 4);
    expect([...m.indptr]).toEqual([0, 1, 4, 5, 5]);
    expect([...m.indices]).toEqual([2, 0, 3, 3, 1]);
    expect([...m.values!]).toEqual([2, 3, 1, 5, 4]); // the two (1, 3) entries in input order
    const bare = buildCsr(rows, cols, null, 4, 4);
    expect(bare.values).toBeNull();
    expect([...bare.indices]).toEqual([2, 0, 3, 3, 1]);
  });

  it('csrHas finds stored entries by binary search', () => {
    const m = buildCsr(Int32Array.of(0, 0, 0, 1), Int32Array.of(5, 1, 3, 2), null, 2, 6);
    expect([0, 1, 2, 3, 4, 5].filter((c) => csrHas(m, 0, c))).toEqual([1, 3, 5]);
    expect([0, 1, 2, 3, 4, 5].filter((c) => csrHas(m, 1, c))).toEqual([2]);
  });
});
