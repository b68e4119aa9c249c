import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { choleskySolve } from './cholesky.js';

describe('choleskySolve', () => {
  it('solves a hand-checked 2 × 2 system', () => {
    // [[4, 2], [2, 3]] x = [2, 1]  →  x = [0.5, 0]
    const b = Float64Array.of(2, 1);
    choleskySolve(Float64Array.of(4, 2, 2, 3), 2, b);
    expect(b[0]).toBeCloseTo(0.5, 12);
    expect(b[1]).toBeCloseTo(0, 12);
  });

  it('solves random SPD systems (A x = b checked by multiplication)', () => {
    const rng = createRng(4);
    for (const n of [1, 3, 8]) {
      const m = Float64Array.from({ length: n * n }, () => rng.normal());
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = i === j ? 0.5 : 0;
        for (let t = 0; t < n; t++) s += m[i * n + t] * m[j * n + t];
        a[i * n + j] = s;
      }
      const rhs = Float64Array.from({ length: n }, () => rng.normal());
      const x = rhs.slice();
      choleskySolve(a.slice(), n, x);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
        expect(s).toBeCloseTo(rhs[i], 9);
      }
    }
  });
});
