import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { bootstrapCi } from './bootstrap-ci.js';
import { pairedTest } from './paired-test.js';

const f64 = (...v: number[]) => Float64Array.from(v);

/** Student's t CDF for df = 4 in closed form (independent of the incomplete beta). */
function cdfDf4(t: number): number {
  const w = 1 + (t * t) / 4;
  return 0.5 + (3 / 8) * (t / Math.sqrt(w)) * (1 - (t * t) / (12 * w));
}

/** Wilcoxon W+ by the book: drop zeros, sort |d| (objects), average ranks over ties, sum the positive ranks. */
function slowSignedRank(a: number[], b: number[]) {
  const d = a.map((x, i) => x - b[i]).filter((x) => x !== 0);
  const sorted = d.map((x) => ({ abs: Math.abs(x), positive: x > 0 })).sort((p, q) => p.abs - q.abs);
  let wPlus = 0;
  let ties = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].abs === sorted[i].abs) j++;
    const rank = (i + 1 + j) / 2;
    for (let q = i; q < j; q++) if (sorted[q].positive) wPlus += rank;
    ties += (j - i) ** 3 - (j - i);
    i = j;
  }
  const m = d.length;
  return { wPlus, z: (wPlus - (m * (m + 1)) / 4) / Math.sqrt((m * (m + 1) * (2 * m + 1)) / 24 - ties / 48), m };
}

describe('pairedTest: paired t-test', () => {
  it('matches t computed by hand from t = mean(d) / (sd(d) / √n)', () => {
    // d = [1, 0, 3, 1, 3]: mean 1.6; Σ(d − 1.6)² = 0.36 + 2.56 + 1.96 + 0.36 + 1.96 = 7.2;
    // sd² = 7.2 / 4 = 1.8; sd / √5 = √0.36 = 0.6; t = 1.6 / 0.6 = 8/3
    const r = pairedTest(f64(5, 7, 9, 6, 8), f64(4, 7, 6, 5, 5));
    expect(r.n).toBe(5);
    expect(r.meanA).toBe(7);
    expect(r.meanB).toBe(5.4);
    expect(r.meanDifference).toBeCloseTo(1.6, 15);
    expect(r.t).toBeCloseTo(8 / 3, 14);
    expect(r.df).toBe(4);
    // p = 2 (1 − F₄(8/3)) with the df = 4 closed form ≈ 0.056 (between the table's 0.05 and 0.10 columns)
    expect(r.pValue).toBeCloseTo(2 * (1 - cdfDf4(8 / 3)), 13);
    expect(r.pValue).toBeCloseTo(0.056, 3);
  });
  it('a negative mean difference gives a negative t and the same p-value as the mirror image', () => {
    const a = f64(5, 7, 9, 6, 8);
    const b = f64(4, 7, 6, 5, 5);
    const forward = pairedTest(a, b);
    const back = pairedTest(b, a);
    expect(back.t).toBeCloseTo(-forward.t, 14);
    expect(back.pValue).toBeCloseTo(forward.pValue, 14);
    expect(back.wilcoxon.pValue).toBeCloseTo(forward.wilcoxon.pValue, 14);
  });
  it('constant non-zero differences: t = ±Infinity and p = 0', () => {
    const r = pairedTest(f64(2, 3, 4), f64(1, 2, 3));
    expect(r.t).toBe(Infinity);
    expect(r.pValue).toBe(0);
  });
});

describe('pairedTest: Wilcoxon signed-rank', () => {
  it('matches the textbook example (Wikipedia, "Wilcoxon signed-rank test"): one zero, one tie', () => {
    // pairs (x2, x1); d = 15, −7, 5, 20, 0, −9, 17, −12, 5, −10. The zero is dropped (m = 9);
    // |d| ranks: 5, 5 → 1.5 each; 7 → 3; 9 → 4; 10 → 5; 12 → 6; 15 → 7; 17 → 8; 20 → 9.
    // W+ = 7 + 1.5 + 9 + 8 + 1.5 = 27 (W− = 18; signed-rank sum W = 9, as in the article).
    // σ² = 9·10·19/24 − (2³ − 2)/48 = 71.25 − 0.125 = 71.125; z = (27 − 22.5) / √71.125
    const x1 = f64(110, 122, 125, 120, 140, 124, 123, 137, 135, 145);
    const x2 = f64(125, 115, 130, 140, 140, 115, 140, 125, 140, 135);
    const w = pairedTest(x2, x1).wilcoxon;
    expect(w.statistic).toBe(27);
    expect(w.nonZero).toBe(9);
    expect(w.z).toBeCloseTo(4.5 / Math.sqrt(71.125), 14);
    // normal table: Φ(0.53) = 0.7019, Φ(0.54) = 0.7054; z = 0.5336 → Φ ≈ 0.7032, p = 2(1 − Φ) ≈ 0.594
    // (SciPy: wilcoxon(x2, x1, method='approx', correction=False) gives p = 0.59363)
    expect(w.pValue).toBeCloseTo(0.5936, 3);
  });
  it('all differences positive, no ties: W+ = m(m + 1)/2', () => {
    // d = 1..5: W+ = 15, σ² = 5·6·11/24 = 13.75, z = (15 − 7.5)/√13.75 = 2.0226
    const w = pairedTest(f64(2, 4, 6, 8, 10), f64(1, 2, 3, 4, 5)).wilcoxon;
    expect(w.statistic).toBe(15);
    expect(w.z).toBeCloseTo(7.5 / Math.sqrt(13.75), 14);
    // normal table: Φ(2.02) = 0.97831, Φ(2.03) = 0.97882 → Φ(2.0226) ≈ 0.97844, p ≈ 2(1 − 0.97844) = 0.0431
    expect(w.pValue).toBeCloseTo(0.0431, 3);
  });
  it('matches a slow by-the-book implementation on random data with many ties and zeros', () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.nextInt(60);
      const a = Array.from({ length: n }, () => rng.nextInt(6) / 4);
      const b = Array.from({ length: n }, () => rng.nextInt(6) / 4);
      const ref = slowSignedRank(a, b);
      const w = pairedTest(Float64Array.from(a), Float64Array.from(b), { bootstrapSamples: 10 }).wilcoxon;
      expect(w.nonZero).toBe(ref.m);
      if (ref.m === 0) continue;
      expect(w.statistic).toBe(ref.wPlus);
      expect(w.z).toBeCloseTo(ref.z, 12);
    }
  });
});

describe('pairedTest: whole result', () => {
  it('identical inputs: difference 0, t = 0, both p-values 1, interval [0, 0]', () => {
    const a = f64(0.1, 0.5, 0.33, 0.9);
    const r = pairedTest(a, a.slice());
    expect(r.meanDifference).toBe(0);
    expect(r.t).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.wilcoxon).toEqual({ statistic: 0, z: 0, pValue: 1, nonZero: 0 });
    expect([r.ci.lo, r.ci.hi]).toEqual([0, 0]);
  });
  it('shifting b by c changes the mean difference by exactly −c and moves the interval with it', () => {
    const a = f64(3, 8, 1, 9, 4, 4, 7);
    const b = f64(2, 5, 4, 6, 4, 1, 3);
    const c = 3;
    const base = pairedTest(a, b, { seed: 9 });
    const shifted = pairedTest(a, b.map((x) => x + c), { seed: 9 });
    expect(shifted.meanDifference).toBe(base.meanDifference - c); // integers: exact
    expect(shifted.meanB).toBe(base.meanB + c);
    expect(shifted.ci.lo).toBeCloseTo(base.ci.lo - c, 12);
    expect(shifted.ci.hi).toBeCloseTo(base.ci.hi - c, 12);
  });
  it('the interval is the percentile bootstrap of the differences, with the given seed, level and samples', () => {
    const rng = createRng(4);
    const a = Float64Array.from({ length: 40 }, () => rng.nextFloat());
    const b = Float64Array.from({ length: 40 }, () => rng.nextFloat());
    const r = pairedTest(a, b, { seed: 3, level: 0.9, bootstrapSamples: 300 });
    const ref = bootstrapCi(a.map((x, i) => x - b[i]), { seed: 3, level: 0.9, samples: 300 });
    expect(r.ci).toEqual({ lo: ref.lo, hi: ref.hi, level: 0.9 });
  });
  it('refuses bad input, naming the bad value', () => {
    const a = f64(1, 2, 3);
    expect(() => pairedTest(a, f64(1, 2))).toThrow(/pairedTest: b must have the length of a \(3\).*got 2/);
    expect(() => pairedTest(f64(1), f64(2))).toThrow(/pairedTest: a and b must hold at least 2 users, got 1/);
    expect(() => pairedTest(a, f64(1, 2, NaN))).toThrow(/pairedTest: b\[2\] must be a finite number, got NaN/);
    expect(() => pairedTest(f64(1, -Infinity, 3), a)).toThrow(/pairedTest: a\[1\] must be a finite number, got -Infinity/);
    expect(() => pairedTest([1, 2, 3] as unknown as Float64Array, a)).toThrow(/pairedTest: a must be a Float64Array, got Array\(3\)/);
    expect(() => pairedTest(a, a, { level: 1 })).toThrow(/pairedTest: options.level must be in \(0, 1\), got 1/);
    expect(() => pairedTest(a, a, { bootstrapSamples: 0 })).toThrow(/options.bootstrapSamples must be a positive integer, got 0/);
    expect(() => pairedTest(a, a, { samples: 10 } as never)).toThrow(/unknown option "samples"/);
  });
});
