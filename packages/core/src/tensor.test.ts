import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Tensor, isTensor, tensor, toIndexTensor, zeros } from './tensor.js';

describe('Tensor', () => {
  it('builds from nested arrays (row-major) and reads back', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.get(1, 2)).toBe(6);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.ndim).toBe(2);
    expect(t.size).toBe(6);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('wraps a Float32Array without copying; row() is a view', () => {
    const data = new Float32Array(6);
    const t = tensor(data, [3, 2]);
    expect(t.data).toBe(data);
    t.row(1)[0] = 7;
    expect(data[2]).toBe(7);
    expect(t.reshape([2, 3]).data).toBe(data);
    expect(t.clone().data).not.toBe(data);
    expect(isTensor(t)).toBe(true);
    expect(isTensor({})).toBe(false);
    expect(zeros([2, 2]).data).toEqual(new Float32Array(4));
    expect(Array.from(tensor(Int32Array.from([1, 2])).data)).toEqual([1, 2]);
  });

  it('rejects mismatched sizes, ragged nesting and bad shapes', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/data has 5 values but shape \[2, 3\] needs 6/);
    expect(() => tensor([[1, 2], [3]])).toThrow(/rectangular; at \[1\] expected length 2, got 1/);
    expect(() => tensor([1, 'a'] as never)).toThrow(/expected a number, got "a"/);
    expect(() => zeros([2, -1])).toThrow(/shape\[1\] must be a non-negative integer, got -1/);
    expect(() => new Tensor([1, 2] as never, [2])).toThrow(/data must be a Float32Array, got Array\(2\)/);
    expect(() => tensor([[1, 2]]).get(1, 0)).toThrow(/index 0 must be an integer in \[0, 0\], got 1/);
    expect(() => tensor([[1, 2]]).row(3)).toThrow(/row must be an integer in \[0, 0\], got 3/);
  });

  it('prints shape and a preview, not all values', () => {
    const t = zeros([1000, 100]);
    const s = inspect(t);
    expect(s).toMatch(/^Tensor \[1000, 100\] float32/);
    expect(s).toMatch(/996 more rows/);
    expect(s.length).toBeLessThan(400);
  });
});

describe('toIndexTensor', () => {
  it('accepts nested arrays, Int32Array and {data, shape}', () => {
    expect(toIndexTensor('f', [[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    const a = Int32Array.from([5]);
    expect(toIndexTensor('f', a).data).toBe(a);
    expect(toIndexTensor('f', 3).shape).toEqual([]);
  });
  it('rejects non-integers with their position', () => {
    expect(() => toIndexTensor('f', [[1, 2], [3, 0.5]])).toThrow(/f: indices\[1, 1\] = 0.5 is not an integer/);
    expect(() => toIndexTensor('f', new Float32Array(2) as never)).toThrow(TypeError);
  });
});
