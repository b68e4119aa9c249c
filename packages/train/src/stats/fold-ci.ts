import { checkInRange, quiverError } from '@quiver/base';
import { checkSample } from './check-values.js';
import { studentTQuantile } from './student-t.js';

/** A Student-t confidence interval of the mean over cross-validation folds (the result of `foldCi`). */
export interface FoldInterval {
  /** Mean of the fold values. */
  readonly mean: number;
  /** `mean − t · std / √n`. */
  readonly lo: number;
  /** `mean + t · std / √n`. */
  readonly hi: number;
  /** The coverage asked for. */
  readonly level: number;
  /** Number of folds. */
  readonly n: number;
  /** Sample standard deviation of the fold values (n − 1 denominator). */
  readonly std: number;
}

/**
 * Confidence interval of a metric's mean over `n` cross-validation folds:
 * `mean ± t_{(1 + level)/2, n − 1} · s / √n`, with `s` the sample standard deviation (n − 1
 * denominator) and `t` the Student-t quantile (`studentTQuantile`). The folds are treated as
 * independent draws, which they are not quite (their training sets overlap), so the interval
 * is a rough guide (Bengio & Grandvalet 2004), not an exact guarantee.
 * @param values - The metric of each fold; at least 2, all finite.
 * @param level - Coverage in (0, 1).
 * @returns The interval, with the mean and the standard deviation.
 * @throws {TypeError} when values is not an array or a typed array of numbers.
 * @throws {RangeError} when there are fewer than 2 folds (no spread to estimate), a value is
 * not finite (the message names its index and value) or level is not in (0, 1).
 * @example
 * foldCi([0.31, 0.33, 0.32, 0.30, 0.34]); // { mean: 0.32, lo: 0.3004…, hi: 0.3396…, std: 0.0158…, ... }
 */
export function foldCi(values: ArrayLike<number>, level = 0.95): FoldInterval {
  const where = 'foldCi';
  checkSample(where, 'values', values, 0, true);
  if (values.length < 2) throw quiverError('RangeError', { where, what: 'values must hold at least 2 folds (the spread needs n >= 2)', got: `${values.length}` });
  checkInRange(where, 'level', level, 0, 1, { loOpen: true, hiOpen: true });
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  const half = (studentTQuantile((1 + level) / 2, n - 1) * std) / Math.sqrt(n);
  return { mean, lo: mean - half, hi: mean + half, level, n, std };
}
