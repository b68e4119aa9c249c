import { describe, expect, it } from 'vitest';
import { denseKernelsModule } from '../wasm/dense-kernels.js';
import { spdInverseWasm, spdInverseWasmMaxOrder } from './spd-inverse-wasm.js';

describe.runIf(denseKernelsModule() !== null)('spdInverseWasm', () => {
  it.each([1, 2, 4])('takes the largest n whose matrix, %i scratch blocks of 64 × n + 512 KiB and n diagonal entries fit 4 GiB', (threads) => {
    const n = spdInverseWasmMaxOrder(threads);
    const bytes = (order: number): number => 8 * order * order + 8 * order * (1 + 64 * threads) + threads * 2 ** 19;
    expect(bytes(n)).toBeLessThan(2 ** 32);
    expect(bytes(n + 1) + 64 * (threads + 3)).toBeGreaterThan(2 ** 32); // + the alignment padding
    expect(n).toBeLessThanOrEqual(Math.floor(Math.sqrt(2 ** 29))); // 23,170: the matrix alone
    // One past it is refused before the matrix is touched (so an empty array stands in for it).
    const outcome = spdInverseWasm(new Float64Array(0), n + 1, threads, 1e-12, 0, false);
    expect(outcome.kind).toBe('unavailable');
    expect(outcome.kind === 'unavailable' && outcome.reason).toMatch(new RegExp(`above the 4 GiB of one WebAssembly memory \\(n ≤ ${n} with ${threads} thread`));
  });

  it('reports a failing pivot with its row and leaves the input untouched', () => {
    const a = Float64Array.of(1, 2, 2, 1);
    const outcome = spdInverseWasm(a, 2, 1, 2 * 2 ** -52, 0, false);
    expect(outcome).toEqual({ kind: 'notPositiveDefinite', row: 1, pivot: -3 });
    expect(Array.from(a)).toEqual([1, 2, 2, 1]);
  });

  it('adds the shift to the diagonal of its copy only', () => {
    // [[3, 0], [0, 15]] + 1·I = [[4, 0], [0, 16]], inverse [[1/4, 0], [0, 1/16]] (exact in binary)
    const a = Float64Array.of(3, 0, 0, 15);
    expect(spdInverseWasm(a, 2, 2, 2 * 2 ** -52, 1, false)).toEqual({ kind: 'done' });
    expect(Array.from(a)).toEqual([0.25, 0, 0, 0.0625]);
  });
});
