import { buildCsr, createRng, transposeCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { csrTimesDense } from './csr-times-dense.js';

/** A random sparse matrix as a dense row-major array and as CSR. */
function randomSparse(seed: number, rows: number, cols: number, density: number) {
  const rng = createRng(seed);
  const dense = new Float64Array(rows * cols);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (rng.nextFloat() < density) {
        const x = Math.fround(rng.normal());
        dense[i * cols + j] = x;
        r.push(i);
        c.push(j);
        v.push(x);
      }
    }
  }
  const csr = buildCsr(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), rows, cols, { duplicates: 'sum' });
  return { dense, csr };
}

describe('csrTimesDense', () => {
  it('matches the hand-computed product of a 2 × 2 example', () => {
    const out = new Float64Array(4).fill(7); // overwritten, not accumulated
    csrTimesDense(Int32Array.of(0, 1, 3), Int32Array.of(0, 0, 1), Float32Array.of(1, 2, 3), 2, Float64Array.of(1, 1, 0, 1), 2, out);
    expect([...out]).toEqual([1, 1, 2, 5]);
  });

  it('equals the dense triple loop for M and for its transpose', () => {
    const rows = 13;
    const cols = 9;
    const width = 5;
    const { dense, csr } = randomSparse(3, rows, cols, 0.3);
    const rng = createRng(8);
    const d = Float64Array.from({ length: cols * width }, () => rng.normal());
    const out = new Float64Array(rows * width);
    csrTimesDense(csr.indptr, csr.indices, csr.values, rows, d, width, out);
    for (let i = 0; i < rows; i++) {
      for (let f = 0; f < width; f++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += dense[i * cols + j] * d[j * width + f];
        expect(out[i * width + f]).toBeCloseTo(s, 12);
      }
    }
    // Mᵀ D' through the transposed CSR.
    const t = transposeCsr(csr);
    const d2 = Float64Array.from({ length: rows * width }, () => rng.normal());
    const out2 = new Float64Array(cols * width);
    csrTimesDense(t.indptr, t.indices, t.values, cols, d2, width, out2);
    for (let j = 0; j < cols; j++) {
      for (let f = 0; f < width; f++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += dense[i * cols + j] * d2[i * width + f];
        expect(out2[j * width + f]).toBeCloseTo(s, 12);
      }
    }
  });
});
