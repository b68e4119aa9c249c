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
});
