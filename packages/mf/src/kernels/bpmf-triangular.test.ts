import { describe, expect, it } from 'vitest';
import { backSubstituteTransposed, choleskyLower, forwardSubstitute } from './bpmf-triangular.js';

/** A random SPD matrix B Bᵀ + dim·I (row-major, full). */
function spd(dim: number, seed: number): Float64Array {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const b = Array.from({ length: dim * dim }, rand);
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
    let x = i === j ? dim : 0;
    for (let t = 0; t < dim; t++) x += b[i * dim + t] * b[j * dim + t];
    a[i * dim + j] = x;
  }
  return a;
}

describe('choleskyLower / substitutions', () => {
  for (const dim of [1, 2, 5, 8]) {
    it(`factors A = L Lᵀ and solves A x = b (dim ${dim})`, () => {
      const a = spd(dim, 7 + dim);
      const l = a.slice();
      // Garbage in the strict upper triangle must be ignored.
      for (let i = 0; i < dim; i++) for (let j = i + 1; j < dim; j++) l[i * dim + j] = 99;
      expect(choleskyLower(l, dim)).toBe(true);
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let t = 0; t <= j; t++) s += l[i * dim + t] * l[j * dim + t];
          expect(s).toBeCloseTo(a[i * dim + j], 10);
        }
      }
      const x = Float64Array.from({ length: dim }, (_, i) => i - 1.5);
      const b = new Float64Array(dim);
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) b[i] += a[i * dim + j] * x[j];
      forwardSubstitute(l, dim, b);
      backSubstituteTransposed(l, dim, b);
      for (let i = 0; i < dim; i++) expect(b[i]).toBeCloseTo(x[i], 10);
    });
  }

  it('reports a matrix that is not positive definite', () => {
    expect(choleskyLower(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(choleskyLower(Float64Array.of(0), 1)).toBe(false);
    expect(choleskyLower(Float64Array.of(NaN), 1)).toBe(false);
  });

  it('solves the 2 × 2 case by hand', () => {
    // A = [4 2; 2 3] = L Lᵀ with L = [2 0; 1 √2].
    const l = Float64Array.of(4, 0, 2, 3);
    choleskyLower(l, 2);
    expect([...l]).toEqual([2, 0, 1, Math.SQRT2]);
  });
});
