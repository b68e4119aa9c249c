import { describe, expect, it } from 'vitest';
import { mae } from './mae.js';
import { rmse } from './rmse.js';

describe('rmse / mae (hand-computed)', () => {
  it('rmse of [1,2,3] vs [2,2,5] is sqrt(5/3)', () => {
    expect(rmse(new Float32Array([1, 2, 3]), new Float32Array([2, 2, 5]))).toBeCloseTo(1.2909944487358056, 12);
    expect(rmse(new Float64Array([3, 4]), new Float64Array([4, 4]))).toBeCloseTo(Math.SQRT1_2, 12);
  });
  it('mae of [1,2,3] vs [2,2,5] is 1', () => {
    expect(mae(new Float32Array([1, 2, 3]), new Float32Array([2, 2, 5]))).toBe(1);
    expect(mae(new Float64Array([0.5]), new Float64Array([2]))).toBe(1.5);
  });
  it('perfect predictions give 0', () => {
    const a = new Float32Array([1, 4.5, 3]);
    expect(rmse(a, a)).toBe(0);
    expect(mae(a, a)).toBe(0);
  });
  it('rejects bad arguments', () => {
    expect(() => rmse([1] as unknown as Float32Array, new Float32Array([1]))).toThrow(/rmse: predicted must be a Float32Array or a Float64Array, got Array\(1\)/);
    expect(() => mae(new Float32Array([1]), new Float32Array([1, 2]))).toThrow(/mae: predicted must have the length of actual \(2\), got 1/);
    expect(() => rmse(new Float32Array(0), new Float32Array(0))).toThrow(/rmse: actual must hold at least 1 value, got 0/);
  });
});
