import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { DENSE_PACK_BYTES, denseKernelsModule, instantiateDenseKernels } from './dense-kernels.js';
import { createSharedMemory } from './sgd-kernels.js';

const module = denseKernelsModule();

/** One memory (4 MiB) with the kernels; A, B, C and the packing scratch at fixed byte addresses. */
function setup(): { k: ReturnType<typeof instantiateDenseKernels>; f64: Float64Array } {
  const memory = createSharedMemory(64);
  return { k: instantiateDenseKernels(module!, memory), f64: new Float64Array(memory.buffer) };
}

const A = 0;
const B = 1 << 20;
const C = 2 << 20;
const PACK = 3 << 20;

describe.runIf(module !== null)('dense-kernels gemm', () => {
  it('has room for its packing scratch in the test memory', () => {
    expect(PACK + DENSE_PACK_BYTES).toBeLessThanOrEqual(64 * 65536);
  });

  // m, nc, len: odd and even, below and above one 512-column chunk, C wider than a 64-column block.
  it.each([
    [1, 1, 1],
    [2, 4, 2],
    [3, 5, 7],
    [7, 9, 513],
    [6, 70, 1030],
    [5, 3, 0],
  ])('m = %i, nc = %i, len = %i: C += alpha·A·Bᵀ as a plain triple loop, B packed or not', (m, nc, len) => {
    for (const pack of [0, PACK]) checkProduct(m, nc, len, pack);
  });

  function checkProduct(m: number, nc: number, len: number, pack: number): void {
    const { k, f64 } = setup();
    const rng = createRng(m * 1000 + nc * 10 + len);
    // Row lengths (in float64) longer than len, odd, so rows start at 8-byte (not 16-byte) boundaries.
    const lda = len + 3;
    const ldb = len + 5;
    const ldc = nc + 1;
    for (let i = 0; i < m * lda; i++) f64[A / 8 + i] = rng.normal();
    for (let i = 0; i < nc * ldb; i++) f64[B / 8 + i] = rng.normal();
    for (let i = 0; i < m * ldc; i++) f64[C / 8 + i] = rng.normal();
    const c0 = f64.slice(C / 8, C / 8 + m * ldc);
    k.gemm(A, B, 8 * lda, 8 * ldb, m, nc, len, 0, C, 8 * ldc, -0.5, pack);
    for (let r = 0; r < m; r++) {
      for (let s = 0; s < ldc; s++) {
        const got = f64[C / 8 + r * ldc + s];
        if (s >= nc) {
          expect(got).toBe(c0[r * ldc + s]); // past the last column: untouched
          continue;
        }
        let dot = 0;
        let size = 0;
        for (let t = 0; t < len; t++) {
          dot += f64[A / 8 + r * lda + t] * f64[B / 8 + s * ldb + t];
          size += Math.abs(f64[A / 8 + r * lda + t] * f64[B / 8 + s * ldb + t]);
        }
        expect(Math.abs(got - (c0[r * ldc + s] - 0.5 * dot))).toBeLessThanOrEqual(1e-14 * (size + Math.abs(c0[r * ldc + s])));
      }
    }
  }

  it('gives each entry the same bits however C is cut into calls (rows and columns split anywhere), B packed or not', () => {
    const { k, f64 } = setup();
    const rng = createRng(1);
    const m = 11;
    const nc = 13;
    const len = 601;
    for (let i = 0; i < m * len; i++) f64[A / 8 + i] = rng.normal();
    for (let i = 0; i < nc * len; i++) f64[B / 8 + i] = rng.normal();
    const ld = 8 * len;
    f64.fill(0, C / 8, C / 8 + m * nc);
    k.gemm(A, B, ld, ld, m, nc, len, 0, C, 8 * nc, 1, 0);
    const whole = f64.slice(C / 8, C / 8 + m * nc);
    f64.fill(0, C / 8, C / 8 + m * nc);
    k.gemm(A, B, ld, ld, m, nc, len, 0, C, 8 * nc, 1, PACK);
    expect(Array.from(f64.slice(C / 8, C / 8 + m * nc))).toEqual(Array.from(whole));
    // Rows 0–2, 3–10 and columns 0–4, 5–12: other tile shapes (odd row counts, 2 × 1 and 1 × 1 tiles) per entry.
    f64.fill(0, C / 8, C / 8 + m * nc);
    for (const [r0, r1] of [[0, 3], [3, 11]]) {
      for (const [s0, s1] of [[0, 5], [5, 13]]) {
        k.gemm(A + r0 * ld, B + s0 * ld, ld, ld, r1 - r0, s1 - s0, len, 0, C + 8 * (r0 * nc + s0), 8 * nc, 1, r0 === 0 ? 0 : PACK);
      }
    }
    expect(Array.from(f64.slice(C / 8, C / 8 + m * nc))).toEqual(Array.from(whole));
  });

  it('with lower = 1 computes the entries s ≤ r as the full product and leaves those 4 or more above the diagonal', () => {
    const { k, f64 } = setup();
    const rng = createRng(2);
    const m = 19;
    const len = 37;
    for (let i = 0; i < m * len; i++) f64[A / 8 + i] = rng.normal();
    const ld = 8 * len;
    f64.fill(0, C / 8, C / 8 + m * m);
    k.gemm(A, A, ld, ld, m, m, len, 0, C, 8 * m, 1, 0);
    const full = f64.slice(C / 8, C / 8 + m * m);
    // 0 on and below the diagonal, 7 above it.
    for (let r = 0; r < m; r++) for (let s = 0; s < m; s++) f64[C / 8 + r * m + s] = s <= r ? 0 : 7;
    k.gemm(A, A, ld, ld, m, m, len, 1, C, 8 * m, 1, PACK); // lower: never packed
    for (let r = 0; r < m; r++) {
      for (let s = 0; s < m; s++) {
        const got = f64[C / 8 + r * m + s];
        if (s <= r) expect(got).toBe(full[r * m + s]);
        else if (s >= r + 4) expect(got).toBe(7);
      }
    }
  });
});
