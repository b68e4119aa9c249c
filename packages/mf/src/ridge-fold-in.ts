import { choleskySolve } from './kernels/cholesky.js';

/** A Gaussian prior for fold-in: noise variance and the population mean squares of `p` and `b`. */
export interface FoldInPrior {
  /** `sigma²`: the residual variance of the ratings (the model's training MSE). */
  readonly noise: number;
  /** Mean of `p_f²` over the trained users' factors. */
  readonly factorVar: number;
  /** Mean of `b_u²` over the trained users' biases. */
  readonly biasVar: number;
}

/**
 * Fold-in for the explicit models: the user vector `[p, b]` minimising
 * `Σᵢ (rᵢ − mu − bᵢ − b − p·qᵢ)² + (n·reg + sigma²/s_p²) ‖p‖² + (n·regBias + sigma²/s_b²) b²`.
 * The `n·reg` terms (n = number of ratings) are where the per-rating SGD updates of training
 * balance for that user; the `sigma²/s²` terms are a Gaussian prior fitted to the trained users
 * (`prior`; none when null), the MAP estimate that keeps a user with a handful of ratings near
 * the bias-only prediction instead of fitting `dim` factors to them. Solved exactly by Cholesky
 * on the `(dim + 1) × (dim + 1)` normal equations.
 *
 * @returns A new vector of `dim + 1` values (factors, then the user bias).
 * @example
 * const v = ridgeFoldIn(items, ratings, Q, bi, mu, 64, 0.08, 0.02, { noise: 0.25, factorVar: 0.012, biasVar: 0.19 });
 */
export function ridgeFoldIn(
  items: Int32Array,
  ratings: Float32Array,
  itemFactors: Float32Array,
  itemBias: Float32Array,
  globalMean: number,
  dim: number,
  reg: number,
  regBias: number,
  prior: FoldInPrior | null = null,
): Float32Array {
  const m = dim + 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  const n = items.length;
  for (let t = 0; t < n; t++) {
    const qo = items[t] * dim;
    const target = ratings[t] - globalMean - itemBias[items[t]];
    for (let r = 0; r < m; r++) {
      const zr = r < dim ? itemFactors[qo + r] : 1;
      b[r] += target * zr;
      for (let c = 0; c <= r; c++) a[r * m + c] += zr * (c < dim ? itemFactors[qo + c] : 1);
    }
  }
  // A prior variance of 0 pins that part at 0 (a huge weight); no prior adds nothing.
  const strength = (v: number): number => (prior === null ? 0 : prior.noise / Math.max(v, 1e-12));
  const lp = n * reg + strength(prior?.factorVar ?? 0);
  const lb = n * regBias + strength(prior?.biasVar ?? 0);
  for (let r = 0; r < dim; r++) a[r * m + r] += lp;
  // A tiny floor keeps the system positive definite when reg or regBias is 0.
  a[dim * m + dim] += lb + 1e-9;
  for (let r = 0; r < dim; r++) a[r * m + r] += 1e-9;
  choleskySolve(a, m, b);
  return Float32Array.from(b);
}
