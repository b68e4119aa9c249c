import { QuiverError, createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { easeWeights, spdInverse } from './spd-inverse.js';

/** Reference: Gauss–Jordan with partial pivoting on `[A | I]`, on a copy (slow, independent of the kernel). */
function referenceInverse(a: Float64Array, n: number): Float64Array {
  const w = 2 * n;
  const m = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * w + j] = a[i * n + j];
    m[i * w + n + i] = 1;
  }
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * w + col]) > Math.abs(m[piv * w + col])) piv = r;
    if (piv !== col) {
      for (let j = 0; j < w; j++) {
        const t = m[col * w + j];
        m[col * w + j] = m[piv * w + j];
        m[piv * w + j] = t;
      }
    }
    const inv = 1 / m[col * w + col];
    for (let j = 0; j < w; j++) m[col * w + j] *= inv;
    for (let r = 0; r < n; r++) {
      const f = m[r * w + col];
      if (r === col || f === 0) continue;
      for (let j = 0; j < w; j++) m[r * w + j] -= f * m[col * w + j];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = m[i * w + n + j];
  return out;
}

/** A random SPD matrix `MᵀM + n·I`, `M` standard normal, `n × n`. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const m = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

function maxAbs(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = Math.max(s, Math.abs(x[i]));
  return s;
}

/** max |x − y| / max |y|. */
function relativeError(x: Float64Array, y: Float64Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]));
  return e / maxAbs(y);
}

/** max |A·X − I|. */
function identityError(a: Float64Array, x: Float64Array, n: number): number {
  let e = 0;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) row[j] += aik * x[k * n + j];
    }
    for (let j = 0; j < n; j++) e = Math.max(e, Math.abs(row[j] - (i === j ? 1 : 0)));
  }
  return e;
}

function expectSymmetric(x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (x[i * n + j] !== x[j * n + i]) expect.fail(`x[${i}][${j}] !== x[${j}][${i}]`);
}

describe('spdInverse', () => {
  it('inverts a hand-checked 2 × 2 matrix', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8
    const a = Float64Array.of(4, 2, 2, 3);
    spdInverse(a, 2);
    expect(a[0]).toBeCloseTo(0.375, 15);
    expect(a[1]).toBeCloseTo(-0.25, 15);
    expect(a[2]).toBeCloseTo(-0.25, 15);
    expect(a[3]).toBeCloseTo(0.5, 15);
  });

  // 64 and 65 straddle the block size (63), 130 and 200 take several blocks with a remainder.
  it.each([1, 2, 3, 7, 64, 65, 130, 200])('matches Gauss–Jordan and gives A·A⁻¹ = I for a random SPD matrix, n = %i', (n) => {
    const a = randomSpd(n, 100 + n);
    const x = a.slice();
    spdInverse(x, n);
    expect(relativeError(x, referenceInverse(a, n))).toBeLessThan(1e-9);
    expect(identityError(a, x, n)).toBeLessThan(1e-9);
    expectSymmetric(x, n);
  });

  it('gives A·A⁻¹ = I for n = 600 (inner products longer than one cache chunk)', () => {
    const n = 600;
    const a = randomSpd(n, 600);
    const x = a.slice();
    spdInverse(x, n);
    expect(identityError(a, x, n)).toBeLessThan(1e-9);
    expectSymmetric(x, n);
  });

  it('reads only the lower triangle', () => {
    const n = 70;
    const a = randomSpd(n, 9);
    const x = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) x[i * n + j] = NaN;
    spdInverse(x, n);
    expect(relativeError(x, referenceInverse(a, n))).toBeLessThan(1e-9);
  });

  it('does nothing for n = 0', () => {
    expect(() => spdInverse(new Float64Array(0), 0)).not.toThrow();
  });

  it('throws a RangeError naming the pivot for a matrix that is not positive definite', () => {
    // [[1, 2], [2, 1]]: L[1][0] = 2, pivot 1 − 2² = −3 at row 1.
    expect(() => spdInverse(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/spdInverse: the matrix must be symmetric positive definite \(each Cholesky pivot above n · 2\^-52 times its diagonal entry, else it is singular to working precision\), got pivot -3 at row 1/);
    expect(() => spdInverse(new Float64Array(9), 3)).toThrow(/got pivot 0 at row 0/);
    expect(() => spdInverse(Float64Array.of(NaN), 1)).toThrow(/got pivot NaN at row 0/);
    expect(() => spdInverse(Float64Array.of(Infinity), 1)).toThrow(/got pivot Infinity at row 0/);
    // A NaN below the diagonal reaches the pivot of its row.
    expect(() => spdInverse(Float64Array.of(4, 0, NaN, 4), 2)).toThrow(/got pivot NaN at row 1/);
    // The failure is found in a later block too.
    const n = 100;
    const a = randomSpd(n, 3);
    a[80 * n + 80] = -1e6;
    expect(() => spdInverse(a, n)).toThrow(/got pivot -\d.* at row 80/);
    try {
      spdInverse(Float64Array.of(1, 2, 2, 1), 2);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      expect(e).toBeInstanceOf(QuiverError);
      expect((e as QuiverError).where).toBe('spdInverse');
      expect((e as QuiverError).got).toBe('pivot -3 at row 1');
    }
  });

  it('throws for a bad n or a length that is not n * n', () => {
    expect(() => spdInverse(new Float64Array(4), 3)).toThrow(/spdInverse: a.length must be n \* n = 9 for n = 3, got 4/);
    expect(() => spdInverse(new Float64Array(4), -2)).toThrow(RangeError);
    expect(() => spdInverse(new Float64Array(4), -2)).toThrow(/spdInverse: n must be a non-negative integer, got -2/);
    expect(() => spdInverse(new Float64Array(4), 1.5)).toThrow(/n must be a non-negative integer, got 1.5/);
    expect(() => spdInverse(new Float64Array(4), NaN)).toThrow(/n must be a non-negative integer, got NaN/);
    expect(() => spdInverse(new Float32Array(4) as unknown as Float64Array, 2)).toThrow(TypeError);
    expect(() => spdInverse(new Float32Array(4) as unknown as Float64Array, 2)).toThrow(/a must be a Float64Array, got Float32Array\(4\)/);
  });
});

/** `B = I − P·diag(1/diag(P))`, `P = (G + λI)⁻¹` by the reference inverse. */
function referenceEase(gram: Float64Array, n: number, lambda: number): Float64Array {
  const g = gram.slice();
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  const p = referenceInverse(g, n);
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  return b;
}

/** `XᵀX` of a random binary `numUsers × n` matrix with density `density`. */
function randomGram(numUsers: number, n: number, density: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = Uint8Array.from({ length: numUsers * n }, () => (rng.nextFloat() < density ? 1 : 0));
  const g = new Float64Array(n * n);
  for (let u = 0; u < numUsers; u++) {
    for (let i = 0; i < n; i++) {
      if (x[u * n + i] === 0) continue;
      for (let j = 0; j < n; j++) g[i * n + j] += x[u * n + j];
    }
  }
  return g;
}

describe('easeWeights', () => {
  it.each([
    [7, 30, 0.5],
    [70, 40, 10],
  ])('matches the formula with the reference inverse, n = %i items, %i users, λ = %d', (n, numUsers, lambda) => {
    const gram = randomGram(numUsers, n, 0.3, n);
    const b = gram.slice();
    easeWeights(b, n, lambda);
    expect(relativeError(b, referenceEase(gram, n, lambda))).toBeLessThan(1e-9);
    for (let j = 0; j < n; j++) expect(Object.is(b[j * n + j], 0)).toBe(true);
  });

  it('gives the closed form for two items: B[i][j] = G[i][j] / (G[i][i] + λ)', () => {
    for (const [g00, g01, g11, lambda] of [
      [2, 1, 2, 1],
      [5, 3, 4, 0.25],
      [10, 0, 7, 2],
      [3, 2, 9, 1e6],
    ]) {
      const b = Float64Array.of(g00, g01, g01, g11);
      easeWeights(b, 2, lambda);
      expect(b[0]).toBe(0);
      expect(b[3]).toBe(0);
      expect(b[1]).toBeCloseTo(g01 / (g00 + lambda), 14);
      expect(b[2]).toBeCloseTo(g01 / (g11 + lambda), 14);
    }
    // λ → ∞: B → G_offdiag / λ.
    const b = Float64Array.of(3, 2, 2, 9);
    easeWeights(b, 2, 1e12);
    expect(b[1] * 1e12).toBeCloseTo(2, 9);
  });

  it('checks lambda, and names the pivot with a hint at lambda when G + λI is singular', () => {
    expect(() => easeWeights(new Float64Array(4), 2, 0)).toThrow(/easeWeights: the matrix must be symmetric positive definite .*, got pivot 0 at row 0; pass lambda: <larger than 0>/);
    expect(() => easeWeights(new Float64Array(4), 2, -1)).toThrow(/easeWeights: lambda must be >= 0, got -1/);
    expect(() => easeWeights(new Float64Array(4), 2, NaN)).toThrow(/easeWeights: lambda must be a finite number, got NaN/);
    expect(() => easeWeights(new Float64Array(3), 2, 1)).toThrow(/easeWeights: gram.length must be n \* n = 4 for n = 2, got 3/);
  });
});

describe('spdInverse on a matrix singular to working precision', () => {
  it('refuses [[2, 2], [2, 2]], whose second pivot is rounding noise, instead of returning a huge inverse', () => {
    // Exactly singular; in floating point the second pivot comes out as ±4e-16 or 0.
    expect(() => spdInverse(Float64Array.of(2, 2, 2, 2), 2)).toThrow(/singular to working precision\), got pivot .* at row 1/);
  });
});

/** Whether `x` and `y` hold the same bits (NaN and signed zeros included). */
function sameBits(x: Float64Array, y: Float64Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe('spdInverse: WebAssembly SIMD on 1 and 2 threads against the plain loops', () => {
  // Not multiples of the 2 × 4 tiles, the 4-column groups or the 64-row blocks.
  it.each([1, 2, 3, 7, 65, 130, 257])('n = %i: SIMD ≈ loops ≈ Gauss–Jordan, 2 threads bit-identical to 1', (n) => {
    const a = randomSpd(n, 7000 + n);
    const loops = a.slice();
    spdInverse(loops, n, { simd: false });
    const one = a.slice();
    spdInverse(one, n, { threads: 1 });
    const two = a.slice();
    spdInverse(two, n, { threads: 2 });
    expect(relativeError(one, loops)).toBeLessThan(1e-12);
    expect(relativeError(one, referenceInverse(a, n))).toBeLessThan(1e-9);
    expect(sameBits(two, one)).toBe(true);
    expectSymmetric(one, n);
  });

  it('the default is the SIMD path on one thread', () => {
    const n = 70;
    const a = randomSpd(n, 70);
    const byDefault = a.slice();
    spdInverse(byDefault, n);
    const one = a.slice();
    spdInverse(one, n, { threads: 1, simd: true });
    const loops = a.slice();
    spdInverse(loops, n, { simd: false });
    expect(sameBits(byDefault, one)).toBe(true);
    // The SIMD sums run in another order than the loops', so some bits differ.
    expect(sameBits(byDefault, loops)).toBe(false);
  });

  it('reads only the lower triangle on 2 threads too', () => {
    const n = 150;
    const a = randomSpd(n, 150);
    const x = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) x[i * n + j] = NaN;
    spdInverse(x, n, { threads: 2 });
    const y = a.slice();
    spdInverse(y, n, { threads: 2 });
    expect(sameBits(x, y)).toBe(true);
  });

  it('names the same failing pivot on 2 threads and leaves the input untouched', () => {
    const n = 200;
    const a = randomSpd(n, 5);
    a[130 * n + 130] = -1e6;
    const x = a.slice();
    expect(() => spdInverse(x, n, { threads: 2 })).toThrow(/got pivot -\d.* at row 130/);
    expect(sameBits(x, a)).toBe(true);
    // The loops overwrite the input as they go.
    expect(() => spdInverse(x, n, { simd: false })).toThrow(/got pivot -\d.* at row 130/);
    expect(sameBits(x, a)).toBe(false);
  });

  it('checks the options', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    expect(() => spdInverse(a.slice(), 2, { threads: 0 })).toThrow(/spdInverse: threads must be a positive integer, got 0/);
    expect(() => spdInverse(a.slice(), 2, { threads: 17 })).toThrow(/spdInverse: threads must be in \[1, 16\], got 17/);
    expect(() => spdInverse(a.slice(), 2, { threads: 1.5 })).toThrow(/threads must be a positive integer, got 1.5/);
    expect(() => spdInverse(a.slice(), 2, { simd: 1 as unknown as boolean })).toThrow(/spdInverse: simd must be a boolean, got/);
    expect(() => spdInverse(a.slice(), 2, { threads: 2, simd: false })).toThrow(/spdInverse: threads > 1 needs simd: true \(the plain loops run on one thread\), got threads 2 with simd false/);
    expect(() => spdInverse(a.slice(), 2, { thread: 2 } as unknown as { threads: number })).toThrow(/spdInverse: unknown option "thread"; the options are "threads", "simd"/);
    expect(() => easeWeights(a.slice(), 2, 1, { threads: 99 })).toThrow(/easeWeights: threads must be in \[1, 16\], got 99/);
  });
});

describe('easeWeights: WebAssembly SIMD on 1 and 2 threads against the plain loops', () => {
  it.each([[3, 20, 1], [65, 80, 5], [257, 300, 20]])('n = %i items, %i users, λ = %d', (n, numUsers, lambda) => {
    const gram = randomGram(numUsers, n, 0.2, n + 1);
    const loops = gram.slice();
    easeWeights(loops, n, lambda, { simd: false });
    const one = gram.slice();
    easeWeights(one, n, lambda);
    const two = gram.slice();
    easeWeights(two, n, lambda, { threads: 2 });
    expect(relativeError(one, loops)).toBeLessThan(1e-12);
    expect(relativeError(one, referenceEase(gram, n, lambda))).toBeLessThan(1e-9);
    expect(sameBits(two, one)).toBe(true);
    for (let j = 0; j < n; j++) expect(Object.is(one[j * n + j], 0)).toBe(true);
  });

  it('leaves gram untouched when G + λI is not positive definite (SIMD path)', () => {
    const g = new Float64Array(9);
    expect(() => easeWeights(g, 3, 0, { threads: 2 })).toThrow(/got pivot 0 at row 0; pass lambda: <larger than 0>/);
    expect(sameBits(g, new Float64Array(9))).toBe(true);
  });
});
