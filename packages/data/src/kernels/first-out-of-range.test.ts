import { describe, expect, it } from 'vitest';
import { firstOutOfRange } from './first-out-of-range.js';

describe('firstOutOfRange', () => {
  it('finds the first value outside [-bound, bound], NaN and infinities included', () => {
    expect(firstOutOfRange(new Float32Array([1, -2, 3]), 3, 3)).toBe(-1);
    expect(firstOutOfRange(new Float32Array([1, -4, 3]), 3, 3)).toBe(1);
    expect(firstOutOfRange(new Float64Array([0, 0, NaN]), 3, 10)).toBe(2);
    expect(firstOutOfRange([0, Infinity], 2, Number.MAX_VALUE)).toBe(1);
    expect(firstOutOfRange([0, -Infinity], 2, Number.MAX_VALUE)).toBe(1);
    expect(firstOutOfRange([0, 1e308], 2, Number.MAX_VALUE)).toBe(-1);
    // Only the first n values are looked at.
    expect(firstOutOfRange([0, NaN], 1, 1)).toBe(-1);
  });
});
