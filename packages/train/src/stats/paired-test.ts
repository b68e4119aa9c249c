import { checkInRange, checkOptionNames, checkPositiveInt, quiverError } from '@quiver/base';
import { bootstrapCi } from './bootstrap-ci.js';
import { checkSample } from './check-values.js';
import { normalCdf } from './normal.js';
import { studentTCdf } from './student-t.js';

/** Options of `pairedTest`. */
export interface PairedTestOptions {
  /** Coverage of the bootstrap interval of the mean difference, in (0, 1). @defaultValue 0.95 */
  readonly level?: number;
  /** Resamples of the paired bootstrap. @defaultValue 1000 */
  readonly bootstrapSamples?: number;
  /** Seed of the paired bootstrap. @defaultValue 42 */
  readonly seed?: number;
}

/** The Wilcoxon signed-rank part of a `pairedTest` result. */
export interface WilcoxonResult {
  /**
   * `W+`, the sum of the ranks of the positive differences `a − b` (R's `V`), ranking the
   * non-zero |differences| with tied values given their average rank.
   */
  readonly statistic: number;
  /** `(W+ − m(m+1)/4) / σ`, without continuity correction; 0 when no difference is non-zero. */
  readonly z: number;
  /** Two-sided p-value of `z` under the normal approximation; 1 when no difference is non-zero. */
  readonly pValue: number;
  /** `m`: the number of non-zero differences, the pairs the test ranks (zeros are dropped). */
  readonly nonZero: number;
}

/** The result of `pairedTest`. */
export interface PairedTestResult {
  /** Number of pairs (users). */
  readonly n: number;
  /** Mean of `a`. */
  readonly meanA: number;
  /** Mean of `b`. */
  readonly meanB: number;
  /** Mean of the differences `a[i] − b[i]` (positive when `a` scores higher). */
  readonly meanDifference: number;
  /** Percentile-bootstrap interval of the mean difference, resampling pairs (users). */
  readonly ci: {
    /** Lower bound. */
    readonly lo: number;
    /** Upper bound. */
    readonly hi: number;
    /** Coverage. */
    readonly level: number;
  };
  /** Paired t statistic `mean(d) / (sd(d) / √n)`; 0 when every difference is 0, ±Infinity when they are all equal and non-zero. */
  readonly t: number;
  /** Degrees of freedom of the t-test, `n − 1`. */
  readonly df: number;
  /** Two-sided p-value of the paired t-test (1 when every difference is 0). */
  readonly pValue: number;
  /** Wilcoxon signed-rank test of the same differences. */
  readonly wilcoxon: WilcoxonResult;
}

const OPTION_NAMES = ['level', 'bootstrapSamples', 'seed'];

/**
 * Compares two models scored on the same users: `a[i]` and `b[i]` are the metric of user `i`
 * under model A and model B (same users, same order, e.g. `perUser.values['ndcg@10']` of two
 * evaluations). Reports three views of the differences `d = a − b`:
 * - a percentile-bootstrap interval of `mean(d)`, resampling users (pairs) with `bootstrapCi`;
 * - the paired t-test: `t = mean(d) / (sd(d) / √n)`, `df = n − 1`, two-sided p-value
 *   `2 · P(T_{n−1} <= −|t|)`;
 * - the Wilcoxon signed-rank test with the normal approximation: zero differences are dropped
 *   (Wilcoxon's original rule, SciPy's `zero_method='wilcox'`, R's `wilcox.test`), the remaining
 *   `m` |differences| are ranked with ties given their average rank, and
 *   `z = (W+ − m(m+1)/4) / √(m(m+1)(2m+1)/24 − Σ(t³ − t)/48)` over the tie groups of size t,
 *   without continuity correction (SciPy's default).
 * When every difference is 0 (identical inputs) there is nothing to test: `t = 0`, and both
 * p-values are 1 (not NaN). Differences are exact: `d[i] = a[i] − b[i]` in double precision,
 * and a tie or a zero is exact equality.
 * @param a - Model A's per-user metric, all finite.
 * @param b - Model B's per-user metric for the same users, all finite.
 * @returns The means, the bootstrap interval of the difference and both tests.
 * @throws {TypeError} when a or b is not a Float64Array or an option is unknown.
 * @throws {RangeError} when the lengths differ, n < 2, a value is not finite (the message names
 * the array, the index and the value), level is not in (0, 1) or bootstrapSamples is not a
 * positive integer.
 * @example
 * const r = pairedTest(ndcgOfA, ndcgOfB, { seed: 7 });
 * if (r.pValue < 0.05) console.log(`A − B = ${r.meanDifference} [${r.ci.lo}, ${r.ci.hi}]`);
 */
export function pairedTest(a: Float64Array, b: Float64Array, options: PairedTestOptions = {}): PairedTestResult {
  const where = 'pairedTest';
  checkOptionNames(where, options, OPTION_NAMES);
  checkSample(where, 'a', a, 0);
  checkSample(where, 'b', b, 0);
  if (a.length !== b.length) throw quiverError('RangeError', { where, what: `b must have the length of a (${a.length}): both hold one value per user, in the same order`, got: `${b.length}` });
  const n = a.length;
  if (n < 2) throw quiverError('RangeError', { where, what: 'a and b must hold at least 2 users', got: `${n}` });
  const level = options.level === undefined ? 0.95 : checkInRange(where, 'options.level', options.level, 0, 1, { loOpen: true, hiOpen: true });
  const samples = options.bootstrapSamples === undefined ? 1000 : checkPositiveInt(where, 'options.bootstrapSamples', options.bootstrapSamples);

  const d = new Float64Array(n);
  let sumA = 0;
  let sumB = 0;
  let sumD = 0;
  for (let i = 0; i < n; i++) {
    sumA += a[i];
    sumB += b[i];
    d[i] = a[i] - b[i];
    sumD += d[i];
  }
  const meanDifference = sumD / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - meanDifference) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  let t: number;
  if (sd > 0) t = meanDifference / (sd / Math.sqrt(n));
  else t = meanDifference === 0 ? 0 : meanDifference > 0 ? Infinity : -Infinity;
  const df = n - 1;
  const pValue = t === 0 ? 1 : Math.min(1, 2 * studentTCdf(-Math.abs(t), df));

  const boot = bootstrapCi(d, { samples, level, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  return {
    n,
    meanA: sumA / n,
    meanB: sumB / n,
    meanDifference,
    ci: { lo: boot.lo, hi: boot.hi, level },
    t,
    df,
    pValue,
    wilcoxon: signedRank(d),
  };
}

/** The Wilcoxon signed-rank test of the differences `d` (zeros dropped, average ranks, normal approximation). */
function signedRank(d: Float64Array): WilcoxonResult {
  let m = 0;
  let numPositive = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 0) m++;
    if (d[i] > 0) numPositive++;
  }
  if (m === 0) return { statistic: 0, z: 0, pValue: 1, nonZero: 0 };
  // |d| of all non-zero differences and of the positive ones, each sorted ascending; walking the
  // tie groups of the first, the second says how many of each group are positive.
  const all = new Float64Array(m);
  const positive = new Float64Array(numPositive);
  let j = 0;
  let k = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 0) all[j++] = Math.abs(d[i]);
    if (d[i] > 0) positive[k++] = d[i];
  }
  all.sort();
  positive.sort();
  let wPlus = 0;
  let tieSum = 0; // Σ (t³ − t) over tie groups
  let p = 0;
  for (let start = 0; start < m; ) {
    const value = all[start];
    let end = start + 1;
    while (end < m && all[end] === value) end++;
    const size = end - start;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 … end
    let positives = 0;
    while (p < numPositive && positive[p] === value) {
      positives++;
      p++;
    }
    wPlus += positives * averageRank;
    tieSum += size * size * size - size;
    start = end;
  }
  const variance = (m * (m + 1) * (2 * m + 1)) / 24 - tieSum / 48;
  const z = (wPlus - (m * (m + 1)) / 4) / Math.sqrt(variance);
  return { statistic: wPlus, z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), nonZero: m };
}
