import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/** |a − b| <= tol · |b| + abs */
function expectRelClose(a: number, b: number, tol: number, abs = 0): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b) + abs);
}

// Closed forms of the t CDF for small df (e.g. Wikipedia, "Student's t-distribution", table of
// special cases): ν = 1 is the Cauchy distribution, ν = 2, 3 and 4 are algebraic in t.
const cdf1 = (t: number) => 0.5 + Math.atan(t) / Math.PI;
const cdf2 = (t: number) => 0.5 + t / (2 * Math.sqrt(2 + t * t));
const cdf3 = (t: number) => 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI;
const cdf4 = (t: number) => {
  const w = 1 + (t * t) / 4;
  return 0.5 + (3 / 8) * (t / Math.sqrt(w)) * (1 - (t * t) / (12 * w));
};
const grid = [-25, -6.5, -3, -2, -1.2, -0.5, -0.05, 0.05, 0.3, 1, 1.7, 2.5, 4, 10, 80];

describe('studentTQuantile: published t-table values (two-sided 95% column and others)', () => {
  it.each([
    [0.975, 1, 12.706],
    [0.975, 10, 2.228],
    [0.975, 30, 2.042],
    [0.975, 4, 2.776],
    [0.95, 5, 2.015],
    [0.995, 20, 2.845],
    [0.99, 2, 6.965],
    [0.9, 15, 1.341],
    [0.999, 60, 3.232],
  ])('p = %s, df = %s → %s', (p, df, table) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(table, 3);
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-table, 3);
  });
});

describe('studentTCdf: closed forms', () => {
  it('df = 1 is the Cauchy distribution: ½ + atan(t)/π', () => {
    for (const t of grid) expectRelClose(studentTCdf(t, 1), cdf1(t), 1e-13);
  });
  it('df = 2: ½ + t / (2 √(2 + t²))', () => {
    for (const t of grid) expectRelClose(studentTCdf(t, 2), cdf2(t), 1e-13);
  });
  it('df = 3 and df = 4 (odd and even beyond the simplest cases)', () => {
    // these closed forms cancel in the lower tail (½ − …), so they are only good to ~1e-16 absolute
    for (const t of grid) {
      expectRelClose(studentTCdf(t, 3), cdf3(t), 1e-12, 1e-16);
      expectRelClose(studentTCdf(t, 4), cdf4(t), 1e-12, 1e-16);
    }
  });
  it('keeps relative precision deep in the lower tail', () => {
    // df = 2, t = −1e6: ½ − |t| / (2√(2 + t²)) = 1 / (√(2 + t²) (√(2 + t²) + |t|)), without cancellation
    const t = 1e6;
    const r = Math.sqrt(2 + t * t);
    expectRelClose(studentTCdf(-t, 2), 1 / (r * (r + t)), 1e-12);
    // df = 1, t = −1e12: atan(t) = π/2 − atan(1/t), so the tail is atan(1e-12)/π
    expectRelClose(studentTCdf(-1e12, 1), Math.atan(1e-12) / Math.PI, 1e-12);
  });
  it('is symmetric, monotone, and 0 / ½ / 1 at −∞ / 0 / ∞', () => {
    for (const df of [0.7, 3, 17.5, 250]) {
      let prev = 0;
      for (const t of grid) {
        expect(studentTCdf(t, df) + studentTCdf(-t, df)).toBeCloseTo(1, 14);
        expect(studentTCdf(t, df)).toBeGreaterThanOrEqual(prev); // strictly until it rounds to 1
        if (prev < 0.999) expect(studentTCdf(t, df)).toBeGreaterThan(prev);
        prev = studentTCdf(t, df);
      }
      expect(studentTCdf(0, df)).toBe(0.5);
      expect(studentTCdf(-Infinity, df)).toBe(0);
      expect(studentTCdf(Infinity, df)).toBe(1);
    }
  });
  it('approaches the normal: df = Infinity is Φ, and large df is within the 1/ν term of Φ', () => {
    for (const t of grid) expect(studentTCdf(t, Infinity)).toBe(normalCdf(t));
    // F_ν(t) = Φ(t) − φ(t) (t³ + t) / (4ν) + O(1/ν²)  (Abramowitz & Stegun 26.7.5 inverted)
    for (const df of [1e5, 1e7, 1e9]) {
      for (const t of [-4, -1, 0.5, 2, 3]) {
        const phi = Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
        const firstOrder = normalCdf(t) - (phi * (t * t * t + t)) / (4 * df);
        expect(Math.abs(studentTCdf(t, df) - firstOrder)).toBeLessThan(50 / (df * df) + 1e-15);
      }
    }
  });
  it('is continuous where it switches from the beta function to the large-df expansion', () => {
    for (const t of [-3, 1.5, 49.9]) expectRelClose(studentTCdf(t, 99_999.999), studentTCdf(t, 1e5), 1e-9);
  });
});

describe('studentTQuantile: closed forms and inversion', () => {
  const ps = [1e-10, 1e-4, 0.01, 0.1, 0.3, 0.45, 0.55, 0.8, 0.975, 0.999];
  it('df = 1: tan(π (p − ½)); df = 2: (2p − 1) / √(2p(1 − p))', () => {
    // tan(π (p − ½)) written as −1 / tan(π p) (and its mirror), which stays well-conditioned near 0 and 1
    const cauchy = (p: number) => (p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p)));
    for (const p of ps) {
      expectRelClose(studentTQuantile(p, 1), cauchy(p), 1e-11);
      expectRelClose(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-11);
    }
  });
  it('reaches far into the tails: p = 1e-300 gives −1/(π p) for df = 1 and −1/√(2p) for df = 2', () => {
    expectRelClose(studentTQuantile(1e-300, 1), -1 / (Math.PI * 1e-300), 1e-12);
    expectRelClose(studentTQuantile(1e-300, 2), -1 / Math.sqrt(2e-300), 1e-12);
    // df = 0.05: the quantile (about −1e6000) is beyond the largest double
    expect(studentTQuantile(1e-300, 0.05)).toBe(-Infinity);
  });
  it('inverts the closed-form CDFs of df = 3 and 4', () => {
    for (const p of ps) {
      expectRelClose(cdf3(studentTQuantile(p, 3)), p, 1e-10, 1e-16);
      expectRelClose(cdf4(studentTQuantile(p, 4)), p, 1e-10, 1e-16);
    }
  });
  it('is exactly antisymmetric and gives ±Infinity at 0 and 1', () => {
    for (const df of [1, 6, 1e6]) {
      expect(studentTQuantile(0.9, df)).toBe(-studentTQuantile(1 - 0.9, df));
      expect(studentTQuantile(0, df)).toBe(-Infinity);
      expect(studentTQuantile(1, df)).toBe(Infinity);
      expect(studentTQuantile(0.5, df)).toBe(0);
    }
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });
  it('large df: the normal quantile plus Fisher’s first term (z³ + z) / (4ν), up to O(1/ν²)', () => {
    const z = 1.959963984540054;
    for (const df of [1e5, 1e8]) expect(Math.abs(studentTQuantile(0.975, df) - (z + (z ** 3 + z) / (4 * df)))).toBeLessThan(10 / df ** 2 + 1e-15);
  });
});

describe('normalCdf / normalQuantile: published values', () => {
  it('quantiles 1.95996 (97.5%), 1.644854 (95%), 2.575829 (99.5%)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.95996, 5);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 6);
    expect(normalQuantile(1 - 0.975)).toBe(-normalQuantile(0.975));
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
  it('Φ(1) = 0.8413447461, Φ(−3) = 0.0013498980, Φ(2) = 0.9772498681', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447461, 10);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898032, 12);
    expect(normalCdf(2)).toBeCloseTo(0.9772498681, 10);
    expect(normalCdf(0)).toBe(0.5);
  });
  it('matches the Mills-ratio asymptotics far in the tail (relative, not absolute, precision)', () => {
    // Φ(−z) ≈ φ(z)/z · (1 − 1/z² + 3/z⁴ − 15/z⁶), error below 105/z⁸
    for (const z of [10, 20, 35]) {
      const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      const series = (phi / z) * (1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6);
      expectRelClose(normalCdf(-z), series, 105 / z ** 8 + 1e-13);
    }
  });
  it('quantile and CDF invert each other', () => {
    for (const p of [1e-300, 1e-20, 1e-6, 0.01, 0.2, 0.49, 0.51, 0.9, 0.999999]) expectRelClose(normalCdf(normalQuantile(p)), p, 1e-12);
  });
});

describe('bad input', () => {
  it('names the bad value', () => {
    expect(() => studentTCdf(NaN, 3)).toThrow(/studentTCdf: t must be a number \(not NaN\), got NaN/);
    expect(() => studentTCdf(1, 0)).toThrow(/studentTCdf: df must be > 0 .*got 0/);
    expect(() => studentTCdf(1, -2)).toThrow(/df must be > 0 .*got -2/);
    expect(() => studentTCdf(1, NaN)).toThrow(/df must be > 0 .*got NaN/);
    expect(() => studentTCdf('1' as unknown as number, 3)).toThrow(TypeError);
    expect(() => studentTQuantile(1.5, 3)).toThrow(/studentTQuantile: p must be in \[0, 1\], got 1.5/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/studentTQuantile: df must be > 0 .*got 0/);
    expect(() => normalQuantile(-0.1)).toThrow(/normalQuantile: p must be in \[0, 1\], got -0.1/);
    expect(() => normalCdf(NaN)).toThrow(/normalCdf: z must be a number \(not NaN\), got NaN/);
  });
});
