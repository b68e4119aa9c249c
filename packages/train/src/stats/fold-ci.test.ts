import { describe, expect, it } from 'vitest';
import { foldCi } from './fold-ci.js';

describe('foldCi', () => {
  it('matches a hand computation: 5 folds, t-table t(0.975, 4) = 2.776', () => {
    // mean 0.32; deviations −.01, .01, 0, −.02, .02 → Σd² = 0.001, s² = 0.00025, s = 0.0158114
    // half-width = 2.776 · 0.0158114 / √5 = 0.019629 (the table's 3 decimals limit this to ~5e-6)
    const ci = foldCi([0.31, 0.33, 0.32, 0.3, 0.34]);
    expect(ci.mean).toBeCloseTo(0.32, 15);
    expect(ci.std).toBeCloseTo(Math.sqrt(0.00025), 15);
    expect(ci.lo).toBeCloseTo(0.32 - (2.776 * Math.sqrt(0.00025)) / Math.sqrt(5), 5);
    expect(ci.hi).toBeCloseTo(0.32 + (2.776 * Math.sqrt(0.00025)) / Math.sqrt(5), 5);
    expect([ci.n, ci.level]).toEqual([5, 0.95]);
  });
  it('two folds: mean ± t(·, 1) · s / √2 with s = |a − b| / √2', () => {
    // [1, 3]: mean 2, s = √2, s/√2 = 1 → 2 ± 12.706 (95%) or 2 ± 6.314 (90%)
    const ci = foldCi(Float64Array.of(1, 3));
    expect(ci.lo).toBeCloseTo(2 - 12.706, 3);
    expect(ci.hi).toBeCloseTo(2 + 12.706, 3);
    const ci90 = foldCi([1, 3], 0.9);
    expect(ci90.hi - ci90.mean).toBeCloseTo(6.314, 3);
    expect(ci90.level).toBe(0.9);
  });
  it('equal folds give a zero-width interval; Float32Array and plain arrays are accepted', () => {
    const ci = foldCi(new Float32Array([0.5, 0.5, 0.5]));
    expect([ci.lo, ci.hi, ci.std]).toEqual([0.5, 0.5, 0]);
  });
  it('refuses fewer than 2 folds, non-finite values and a bad level', () => {
    expect(() => foldCi([0.3])).toThrow(/foldCi: values must hold at least 2 folds \(the spread needs n >= 2\), got 1/);
    expect(() => foldCi([])).toThrow(/at least 2 folds.*got 0/);
    expect(() => foldCi([0.3, NaN])).toThrow(/foldCi: values\[1\] must be a finite number, got NaN/);
    expect(() => foldCi([0.3, '0.4' as unknown as number])).toThrow(/values\[1\] must be a finite number, got "0.4"/);
    expect(() => foldCi('0.3' as unknown as number[])).toThrow(/foldCi: values must be an array or a typed array of numbers, got "0.3"/);
    expect(() => foldCi([1, 2], 1)).toThrow(/foldCi: level must be in \(0, 1\), got 1/);
  });
});
