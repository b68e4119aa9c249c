import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { bootstrapCi } from './bootstrap-ci.js';

/** The bootstrap written the slow way: plain arrays, Array.sort, the same Rng calls in the same order. */
function slowBootstrap(values: number[], samples: number, level: number, seed: number) {
  const rng = createRng(seed);
  const n = values.length;
  const means: number[] = [];
  for (let s = 0; s < samples; s++) {
    const resample: number[] = [];
    for (let i = 0; i < n; i++) resample.push(values[rng.nextInt(n)]);
    means.push(resample.reduce((acc, v) => acc + v, 0) / n);
  }
  means.sort((x, y) => x - y);
  // type-7 quantile: h = (m − 1) p, linear between the order statistics around h
  const quantile = (p: number) => {
    const h = (means.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, means.length - 1);
    return means[lo] + (h - lo) * (means[hi] - means[lo]);
  };
  const avg = means.reduce((acc, v) => acc + v, 0) / samples;
  const se = Math.sqrt(means.reduce((acc, v) => acc + (v - avg) ** 2, 0) / (samples - 1));
  return { mean: values.reduce((acc, v) => acc + v, 0) / n, lo: quantile((1 - level) / 2), hi: quantile((1 + level) / 2), se };
}

function normalish(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => 0.3 + 0.1 * rng.normal());
}

describe('bootstrapCi', () => {
  it('gives the same numbers as a slow plain-array bootstrap with the same Rng calls', () => {
    const values = normalish(37, 3);
    for (const [samples, level, seed] of [[200, 0.95, 1], [51, 0.8, 99], [1000, 0.99, 42]] as const) {
      const ci = bootstrapCi(values, { samples, level, seed });
      const ref = slowBootstrap(Array.from(values), samples, level, seed);
      expect(ci.lo).toBe(ref.lo);
      expect(ci.hi).toBe(ref.hi);
      expect(ci.mean).toBe(ref.mean);
      expect(ci.standardError).toBeCloseTo(ref.se, 14);
      expect({ level: ci.level, samples: ci.samples, n: ci.n }).toEqual({ level, samples, n: 37 });
    }
  });
  it('uses seed 42 by default', () => {
    const values = normalish(20, 5);
    const ref = slowBootstrap(Array.from(values), 1000, 0.95, 42);
    const ci = bootstrapCi(values);
    expect([ci.lo, ci.hi, ci.samples, ci.level]).toEqual([ref.lo, ref.hi, 1000, 0.95]);
  });
  it('a constant vector gives lo = hi = mean', () => {
    const ci = bootstrapCi(new Float64Array(25).fill(0.1), { seed: 3 });
    expect(ci.lo).toBe(ci.mean);
    expect(ci.hi).toBe(ci.mean);
    expect(ci.mean).toBeCloseTo(0.1, 15);
    expect(ci.standardError).toBe(0);
  });
  it('for n = 2000 normal-ish values the half-width is within 10% of 1.96 s / √n', () => {
    const n = 2000;
    const values = normalish(n, 11);
    const mean = values.reduce((a, v) => a + v, 0) / n;
    const s = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const expected = (1.96 * s) / Math.sqrt(n);
    const ci = bootstrapCi(values, { seed: 8 });
    expect(Math.abs((ci.hi - ci.lo) / 2 - expected)).toBeLessThan(0.1 * expected);
    expect(ci.lo).toBeLessThan(mean);
    expect(ci.hi).toBeGreaterThan(mean);
    // the bootstrap standard error estimates s / √n
    expect(Math.abs(ci.standardError - s / Math.sqrt(n))).toBeLessThan(0.1 * (s / Math.sqrt(n)));
  });
  it('is deterministic for a seed, and another seed resamples differently', () => {
    const values = normalish(50, 1);
    expect(bootstrapCi(values, { seed: 5 })).toEqual(bootstrapCi(values, { seed: 5 }));
    expect(bootstrapCi(values, { seed: 6 }).lo).not.toBe(bootstrapCi(values, { seed: 5 }).lo);
  });
  it('a lower level gives a narrower interval; one sample gives lo = hi and a NaN standard error', () => {
    const values = normalish(80, 2);
    const wide = bootstrapCi(values, { level: 0.99 });
    const narrow = bootstrapCi(values, { level: 0.5 });
    expect(narrow.hi - narrow.lo).toBeLessThan(wide.hi - wide.lo);
    const one = bootstrapCi(values, { samples: 1, seed: 4 });
    expect(one.lo).toBe(one.hi);
    expect(one.standardError).toBeNaN();
    expect(values).toEqual(normalish(80, 2)); // input untouched
  });
  it('refuses bad input, naming the bad value', () => {
    expect(() => bootstrapCi(new Float64Array(0))).toThrow(/bootstrapCi: values must hold at least 1 value, got 0/);
    expect(() => bootstrapCi(Float64Array.of(1, 2, NaN))).toThrow(/bootstrapCi: values\[2\] must be a finite number, got NaN/);
    expect(() => bootstrapCi(Float64Array.of(Infinity))).toThrow(/values\[0\] must be a finite number, got Infinity/);
    expect(() => bootstrapCi([1, 2] as unknown as Float64Array)).toThrow(/bootstrapCi: values must be a Float64Array, got Array\(2\)/);
    for (const level of [0, 1, 1.5, -0.2]) expect(() => bootstrapCi(Float64Array.of(1), { level })).toThrow(new RegExp(`options.level must be in \\(0, 1\\), got ${level}`));
    expect(() => bootstrapCi(Float64Array.of(1), { samples: 0 })).toThrow(/options.samples must be a positive integer, got 0/);
    expect(() => bootstrapCi(Float64Array.of(1), { samples: 2.5 })).toThrow(/options.samples must be a positive integer, got 2.5/);
    expect(() => bootstrapCi(Float64Array.of(1), { seed: NaN })).toThrow(/options.seed must be a finite number or a string, got NaN/);
    expect(() => bootstrapCi(Float64Array.of(1), { sample: 10 } as never)).toThrow(/unknown option "sample"/);
  });
});
