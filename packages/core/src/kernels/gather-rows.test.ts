import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { gatherRows } from './gather-rows.js';
import { scatterAddRows } from './scatter-add-rows.js';

describe('gatherRows / scatterAddRows', () => {
  it('gather matches a slow reference for small and wide rows', () => {
    const rng = createRng(1);
    for (const dim of [1, 3, 16, 33]) {
      const table = Float32Array.from({ length: 20 * dim }, () => rng.normal());
      const rows = Int32Array.from({ length: 50 }, () => rng.nextInt(20));
      const out = new Float32Array(50 * dim);
      gatherRows(table, dim, rows, out);
      for (let k = 0; k < 50; k++) {
        for (let j = 0; j < dim; j++) expect(out[k * dim + j]).toBe(table[rows[k] * dim + j]);
      }
    }
  });

  it('scatter-add is the adjoint of gather: <gather(T), G> = <T, scatter(G)>', () => {
    const rng = createRng(2);
    const dim = 5;
    const table = Float64Array.from({ length: 8 * dim }, () => rng.normal());
    const rows = Int32Array.from([3, 3, 0, 7, 3, 1]);
    const g = Float32Array.from({ length: rows.length * dim }, () => rng.normal());
    const out = new Float32Array(rows.length * dim);
    gatherRows(Float32Array.from(table), dim, rows, out);
    let lhs = 0;
    for (let i = 0; i < out.length; i++) lhs += out[i] * g[i];
    const acc = new Float32Array(8 * dim);
    scatterAddRows(acc, dim, rows, g, -1, null);
    let rhs = 0;
    const t32 = Float32Array.from(table);
    for (let i = 0; i < acc.length; i++) rhs += t32[i] * acc[i];
    expect(lhs).toBeCloseTo(rhs, 4);
  });

  it('scatter-add skips the padding row and applies per-entry scales', () => {
    const acc = new Float32Array(3 * 2);
    scatterAddRows(acc, 2, Int32Array.from([0, 1, 1, 2]), Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), 2, Float32Array.from([1, 0.5, 2, 9]));
    expect(Array.from(acc)).toEqual([1, 1, 7, 7, 0, 0]);
  });
});
