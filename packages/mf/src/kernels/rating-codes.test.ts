import { describe, expect, it } from 'vitest';
import { buildRatingCodes, ratingCode } from './rating-codes.js';

const bitsOf = (v: number): number => new Int32Array(Float32Array.of(v).buffer)[0];

describe('buildRatingCodes', () => {
  it('codes the distinct values in ascending order, whatever their order in the data', () => {
    const a = buildRatingCodes(Float32Array.of(4, 3.5, 4, 1, 0.5, 3.5), 16)!;
    expect(Array.from(a.values)).toEqual([0.5, 1, 3.5, 4]);
    expect([0.5, 1, 3.5, 4].map((v) => ratingCode(a, bitsOf(v)))).toEqual([0, 1, 2, 3]);
    const b = buildRatingCodes(Float32Array.of(1, 0.5, 4, 3.5), 16)!;
    expect(b.values).toEqual(a.values);
  });

  it('keeps -0 and 0 apart and decodes every value to its exact bits', () => {
    const r = Float32Array.of(0, -0, 0.1, 1e-30, -3.25);
    const c = buildRatingCodes(r, 8)!;
    expect(c.values.length).toBe(5);
    for (const v of r) expect(Object.is(c.values[ratingCode(c, bitsOf(v))], Math.fround(v))).toBe(true);
  });

  it('returns null beyond maxCodes distinct values, and accepts exactly maxCodes', () => {
    const r = Float32Array.from({ length: 100 }, (_, t) => t % 10);
    expect(buildRatingCodes(r, 10)?.values.length).toBe(10);
    expect(buildRatingCodes(r, 9)).toBeNull();
    expect(buildRatingCodes(new Float32Array(0), 4)?.values.length).toBe(0);
  });

  it('fills many codes without collisions going wrong (4,096 values, each found again)', () => {
    const r = Float32Array.from({ length: 4096 }, (_, t) => t * 0.37 - 700);
    const c = buildRatingCodes(r, 4096)!;
    expect(c.values.length).toBe(4096);
    for (let t = 0; t < r.length; t++) expect(c.values[ratingCode(c, bitsOf(r[t]))]).toBe(r[t]);
  });
});
