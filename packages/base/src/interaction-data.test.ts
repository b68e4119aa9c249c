import { describe, expect, it } from 'vitest';
import { checkInteractionData } from './interaction-data.js';

const ok = { userIds: Int32Array.of(0, 1), itemIds: Int32Array.of(1, 0), ratings: Float32Array.of(4, 3), numUsers: 2, numItems: 2 };

describe('checkInteractionData', () => {
  it('accepts valid data and rejects each kind of malformed input', () => {
    expect(checkInteractionData('T', ok, true)).toBe(ok);
    expect(() => checkInteractionData('T', null as never, false)).toThrow(/T: data must be an object/);
    expect(() => checkInteractionData('T', { ...ok, userIds: [0, 1] as never }, false)).toThrow(/T: data.userIds must be an Int32Array, got Array\(2\)/);
    expect(() => checkInteractionData('T', { ...ok, ratings: Float64Array.of(1, 2) as never }, false)).toThrow(/data.ratings must be a Float32Array or null, got Float64Array\(2\)/);
    expect(() => checkInteractionData('T', { ...ok, itemIds: Int32Array.of(1) }, false)).toThrow(/data.itemIds must have the length of data.userIds \(2\), got 1/);
    expect(() => checkInteractionData('T', { ...ok, userIds: Int32Array.of(0, 2) }, false)).toThrow(/data.userIds\[1\] must be in \[0, 1\], got 2/);
    expect(() => checkInteractionData('T', { ...ok, itemIds: Int32Array.of(-1, 0) }, false)).toThrow(/data.itemIds\[0\] must be in \[0, 1\], got -1/);
    expect(() => checkInteractionData('T', { ...ok, numUsers: 0 }, false)).toThrow(/data.numUsers must be a positive integer below 2\^31, got 0/);
    expect(() => checkInteractionData('T', { ...ok, ratings: Float32Array.of(1, NaN) }, false)).toThrow(/data.ratings\[1\] must be a finite number with \|rating\| <= 1.8e\+19 \(larger values overflow the squared loss in float32\), got NaN/);
    // 1e30 is finite in float32, but its square is not: the squared loss would overflow.
    expect(() => checkInteractionData('T', { ...ok, ratings: Float32Array.of(1e30, 3) }, true)).toThrow(/data.ratings\[0\] must be a finite number with \|rating\| <= 1.8e\+19 .*got 1.0000000150474662e\+30/);
    expect(() => checkInteractionData('T', { ...ok, ratings: Float32Array.of(-1.8e19, 1.8e19) }, true)).not.toThrow();
    expect(() => checkInteractionData('T', { ...ok, userIds: new Int32Array(0), itemIds: new Int32Array(0), ratings: null }, false)).toThrow(/at least 1 interaction, got 0/);
  });
});
