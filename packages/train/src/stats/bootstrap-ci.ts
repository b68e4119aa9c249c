import { checkInRange, checkOptionNames, checkPositiveInt, checkSeed, createRng } from '@quiver/base';
import { bootstrapMeans } from '../kernels/bootstrap-means.js';
import { checkSample } from './check-values.js';
import { sortedQuantile } from './sorted-quantile.js';

/** Options of `bootstrapCi`. */
export interface BootstrapCiOptions {
  /** Number of bootstrap resamples. @defaultValue 1000 */
  readonly samples?: number;
  /** Coverage of the interval, in (0, 1). @defaultValue 0.95 */
  readonly level?: number;
  /** Seed of the resampling (`createRng` from `@quiver/base`). @defaultValue 42 */
  readonly seed?: number;
}

/** A percentile-bootstrap confidence interval of a mean (the result of `bootstrapCi`). */
export interface BootstrapInterval {
  /** The sample mean of the values (the point estimate; not the mean of the bootstrap means). */
  readonly mean: number;
  /** Lower bound: the `(1 − level) / 2` quantile of the bootstrap means. */
  readonly lo: number;
  /** Upper bound: the `(1 + level) / 2` quantile of the bootstrap means. */
  readonly hi: number;
  /** The coverage asked for. */
  readonly level: number;
  /** Number of bootstrap resamples. */
  readonly samples: number;
  /** Number of values (users). */
  readonly n: number;
  /**
   * Bootstrap standard error: the standard deviation (n − 1 denominator) of the bootstrap
   * means; NaN when `samples` is 1.
   */
  readonly standardError: number;
}

const OPTION_NAMES = ['samples', 'level', 'seed'];

/**
 * Percentile-bootstrap confidence interval of a mean (Efron & Tibshirani 1993, ch. 13), for a
 * metric averaged over users: draws `samples` resamples of the `n` values with replacement,
 * takes each resample's mean, and reports the `(1 − level) / 2` and `(1 + level) / 2` quantiles
 * of those means (linear interpolation between order statistics, NumPy's default). The draws
 * are `rng.nextInt(n)` of `createRng(seed)`, sample after sample, so a seed always gives the
 * same interval. Cost O(samples · n) time and one Float64Array of `samples` means; `values` is
 * not modified.
 * @param values - One number per user (e.g. each user's NDCG@10), all finite.
 * @returns The interval with the mean, the bootstrap standard error and the settings.
 * @throws {TypeError} when values is not a Float64Array or an option is unknown.
 * @throws {RangeError} when values is empty or holds a non-finite value (the message names its
 * index and value), level is not in (0, 1) or samples is not a positive integer.
 * @example
 * const ci = bootstrapCi(perUserNdcg, { samples: 2000, seed: 7 });
 * console.log(`${ci.mean.toFixed(4)} [${ci.lo.toFixed(4)}, ${ci.hi.toFixed(4)}]`);
 */
export function bootstrapCi(values: Float64Array, options: BootstrapCiOptions = {}): BootstrapInterval {
  const where = 'bootstrapCi';
  checkOptionNames(where, options, OPTION_NAMES);
  checkSample(where, 'values', values, 1);
  const samples = options.samples === undefined ? 1000 : checkPositiveInt(where, 'options.samples', options.samples);
  const level = options.level === undefined ? 0.95 : checkInRange(where, 'options.level', options.level, 0, 1, { loOpen: true, hiOpen: true });
  const rng = createRng(checkSeed(where, 'options.seed', options.seed));
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;

  const means = new Float64Array(samples);
  bootstrapMeans(values, rng, means);
  // variance about a shift (the first mean): exact 0 when every resample has the same mean
  const shift = means[0];
  let sumDev = 0;
  let sumSq = 0;
  for (let s = 0; s < samples; s++) {
    const dev = means[s] - shift;
    sumDev += dev;
    sumSq += dev * dev;
  }
  const standardError = samples > 1 ? Math.sqrt(Math.max(0, sumSq - (sumDev * sumDev) / samples) / (samples - 1)) : NaN;
  means.sort();
  return { mean, lo: sortedQuantile(means, (1 - level) / 2), hi: sortedQuantile(means, (1 + level) / 2), level, samples, n, standardError };
}
