import { initNormal, Tensor } from '@quiver/core';
import { buildCsr, quiverError, transposeCsr, type CsrMatrixWithValues, type InteractionData, type ModelKind, type Rng } from '@quiver/base';
import { resolveBayesianMfOptions, type BayesianMfConfig, type BayesianMfOptions } from './bayesian-mf-options.js';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { sampleGamma } from './kernels/bpmf-gamma.js';
import { bpmfSampleHyper } from './kernels/bpmf-hyper.js';
import { bpmfSampleRows, bpmfSquaredError } from './kernels/bpmf-sample-rows.js';
import { backSubstituteTransposed, choleskyLower, forwardSubstitute } from './kernels/bpmf-triangular.js';
import type { DataShape } from './memory-budget.js';
import type { BatchHook } from './recommender-base.js';
import type { ModelWeights } from './recommender.js';
import type { OptimizerBuffers } from './training-state.js';

/** BPMF's Normal–Wishart hyperprior (Salakhutdinov & Mnih 2008): `μ₀ = 0`, `W₀ = I`, `ν₀ = dim`, and this `β₀`. */
const BETA0 = 2;
/** The Gamma(shape, rate) prior of a sampled noise precision `alpha`. */
const ALPHA_PRIOR = { shape: 1, rate: 1 } as const;

/**
 * The names of the weights {@link BayesianMF} adds to the factor models' (`WEIGHT_NAMES`): the
 * posterior means of the users' hyper-parameters and of the noise precision, which `foldIn` uses.
 * @example
 * model.getState()[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision].data[0]; // posterior mean of alpha
 */
export const BAYESIAN_MF_WEIGHT_NAMES = {
  /** Mean `μ_U` of the users' Gaussian prior, shape `[dim]` (`dim` = factors, + 1 with biases: the bias last). */
  userPriorMean: 'user_prior_mean',
  /** Precision `Λ_U` of the users' Gaussian prior, shape `[dim, dim]`. */
  userPriorPrecision: 'user_prior_precision',
  /** Precision `alpha` of the rating noise, shape `[1]`. */
  noisePrecision: 'noise_precision',
} as const;

/** The names of the sampler's state in `getTrainingState().optimizer`: the chain's current sample. */
const CHAIN_KEYS = { users: 'chain.users', items: 'chain.items' } as const;

/**
 * Bayesian probabilistic matrix factorisation for explicit ratings (BPMF; Salakhutdinov & Mnih
 * 2008), trained by Gibbs sampling; Rendle et al. 2019 ("On the difficulty of evaluating
 * baselines") found it the strongest baseline on ML-10M. Ratings are modelled as
 * `r ~ N(mu + ⟨wᵤ, vᵢ⟩ + bᵤ + bᵢ, 1/alpha)` with `mu` the training mean; with `biases` (the
 * default) the biases are one more latent dimension on each side, paired with a constant 1 on the
 * other. User vectors `[wᵤ, bᵤ]` are Gaussian with mean `μ_U` and precision `Λ_U` under a
 * Normal–Wishart hyperprior (`μ₀ = 0, β₀ = 2, W₀ = I, ν₀ = dim`); items likewise. `alpha` is fixed
 * or, with `alpha: 'sample'`, drawn from its Gamma posterior (prior Gamma(1, 1)).
 *
 * One epoch is one Gibbs sweep: `alpha`, then `(μ_U, Λ_U)` (Wishart by the Bartlett
 * decomposition), then every user from its Gaussian conditional (a Cholesky factorisation per
 * user), then `(μ_V, Λ_V)` and every item. Every draw comes from the seed (one stream per sweep).
 * After `burnIn` sweeps, every `thin`-th sample is kept, and the served weights are the running
 * means of the kept samples: `user_embedding.weight` the mean `wᵤ`, `user_bias` the mean `bᵤ`,
 * and so on (before the first kept sample, the current sample). The model then scores as a biased
 * MF, `mu + b̄ᵤ + b̄ᵢ + ⟨w̄ᵤ, v̄ᵢ⟩` (clipped to the training range), which is not exactly the
 * posterior-mean prediction `mean over samples of ⟨wᵤ, vᵢ⟩` but scored as well on ml-latest-small
 * (`bench/tune-rating.mjs --serving`), while an exact form (the kept samples side by side) would be
 * `kept × factors` wide.
 * The chain's current sample is the training state (`getTrainingState().optimizer`), so training
 * continues exactly from a checkpoint.
 *
 * `foldIn` returns the posterior mean of a new user's `[wᵤ, bᵤ]` given their ratings, the items at
 * their posterior means, and the posterior means of `μ_U`, `Λ_U` and `alpha` (saved with the model,
 * {@link BAYESIAN_MF_WEIGHT_NAMES}). See {@link Recommender} for the full contract.
 *
 * @example
 * const model = new BayesianMF({ factors: 16, epochs: 150, burnIn: 20 });
 * model.fit(train);
 * model.predict(Int32Array.of(0), Int32Array.of(12)); // posterior-mean rating
 */
export class BayesianMF extends FactorModel {
  /** The model kind, `'bayesian-mf'`. */
  readonly kind: ModelKind = 'bayesian-mf';
  protected readonly name = 'BayesianMF';
  protected readonly needsRatings = true;
  protected override readonly usesUserItems = false;
  /** The hyper-parameters. */
  readonly config: BayesianMfConfig;
  /** The chain's current user sample, row-major `numUsers × dim` (`[w, b]`). */
  private chainUsers = new Float32Array(0);
  /** The chain's current item sample, row-major `numItems × dim`. */
  private chainItems = new Float32Array(0);
  private userPriorMean = new Float32Array(0);
  private userPriorPrecision = new Float32Array(0);
  private noisePrecision = new Float32Array(1);
  private userItems: CsrMatrixWithValues | null = null;
  private itemUsers: CsrMatrixWithValues | null = null;
  private hyperMean = new Float64Array(0);
  private hyperPrecision = new Float64Array(0);
  private hyperScratch = new Float64Array(0);
  private rowScratch = new Float64Array(0);

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range (such as `factors` 0 or `thin` 0).
   */
  constructor(options: BayesianMfOptions = {}) {
    super();
    this.config = resolveBayesianMfOptions('BayesianMF', options);
  }

  /** Dimensions of a chain vector: the factors, plus the bias. */
  private get dim(): number {
    return this.config.factors + (this.config.biases ? 1 : 0);
  }

  protected override get layout(): FactorLayout {
    const b = this.config.biases;
    return { factors: this.config.factors, userBias: b, itemBias: b, globalMean: true };
  }

  /** The served tables, the chain's sample, both rating matrices (8 bytes a rating each) and the sampler's scratch. */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const d = this.dim;
    return {
      ...super.memoryParts(shape),
      'chain samples': (shape.numUsers + shape.numItems) * d * 4,
      'rating matrices': shape.numInteractions * 16 + (shape.numUsers + shape.numItems + 2) * 4,
      'sampler scratch': (5 * d * d + 9 * d + 4) * 8 + (d * d + d + 1) * 4,
    };
  }

  protected override allocateWeights(numUsers: number, numItems: number): void {
    super.allocateWeights(numUsers, numItems);
    const d = this.dim;
    this.chainUsers = new Float32Array(numUsers * d);
    this.chainItems = new Float32Array(numItems * d);
    this.userPriorMean = new Float32Array(d);
    this.userPriorPrecision = new Float32Array(d * d);
    this.noisePrecision = new Float32Array(1);
    this.hyperMean = new Float64Array(d);
    this.hyperPrecision = new Float64Array(d * d);
    this.hyperScratch = new Float64Array(3 * d * d + 2 * d);
    this.rowScratch = new Float64Array(d * d + 6 * d + 4);
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrixWithValues | null, rng: Rng): void {
    this.allocateWeights(data.numUsers, data.numItems);
    const r = data.ratings!;
    this.setRatingStats(r);
    initNormal(this.chainUsers, rng.fork('users'), 0, this.config.initStd);
    initNormal(this.chainItems, rng.fork('items'), 0, this.config.initStd);
    // Every rating is kept (a repeated pair counts as two observations).
    this.userItems = buildCsr(data.userIds, data.itemIds, r, data.numUsers, data.numItems) as CsrMatrixWithValues;
    this.itemUsers = transposeCsr(this.userItems);
    // Until the first sweep: the hyperprior's mean and W₀ = I, and alpha fixed or its prior mean.
    const d = this.dim;
    for (let f = 0; f < d; f++) this.userPriorPrecision[f * d + f] = 1;
    this.noisePrecision[0] = this.config.alpha === 'sample' ? ALPHA_PRIOR.shape / ALPHA_PRIOR.rate : this.config.alpha;
    this.serveSample(1);
  }

  /**
   * One Gibbs sweep (see the class comment), its draws from a stream that depends only on the
   * seed and `epoch`; then the served weights take the sample into their running means.
   * @returns The mean squared training error of the chain's new sample.
   */
  protected runEpoch(epoch: number, onBatchEnd: BatchHook | null): number {
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'Gibbs sampler');
    const where = `${this.name}.fitEpoch`;
    const c = this.config;
    const d = this.dim;
    const ui = this.userItems!;
    const iu = this.itemUsers!;
    const mu = this.globalMean[0];
    const U = this.chainUsers;
    const V = this.chainItems;
    const rng = this.epochRng(epoch);
    let alpha: number;
    if (c.alpha === 'sample') {
      const sse = bpmfSquaredError(ui.indptr, ui.indices, ui.values, U, V, d, c.biases, mu);
      alpha = sampleGamma(rng.fork('alpha'), ALPHA_PRIOR.shape + ui.indices.length / 2, 1 / (ALPHA_PRIOR.rate + sse / 2));
    } else {
      alpha = c.alpha;
    }
    let ok = bpmfSampleHyper(rng.fork('user-hyper'), U, this.numUsers, d, BETA0, d, this.hyperMean, this.hyperPrecision, this.hyperScratch);
    const kept = this.keptIndex(epoch);
    if (kept > 0 || epoch < c.burnIn) this.serveHyper(alpha, kept > 0 ? kept : 1);
    ok = ok && bpmfSampleRows(rng.fork('users'), this.numUsers, ui.indptr, ui.indices, ui.values, V, d, c.biases, mu, alpha, this.hyperMean, this.hyperPrecision, U, this.rowScratch);
    ok = ok && bpmfSampleHyper(rng.fork('item-hyper'), V, this.numItems, d, BETA0, d, this.hyperMean, this.hyperPrecision, this.hyperScratch);
    ok = ok && bpmfSampleRows(rng.fork('items'), this.numItems, iu.indptr, iu.indices, iu.values, U, d, c.biases, mu, alpha, this.hyperMean, this.hyperPrecision, V, this.rowScratch);
    if (!ok) throw quiverError('Error', { where, what: `a posterior precision matrix lost positive definiteness at sweep ${epoch + 1} (non-finite factors)` });
    if (kept > 0 || epoch < c.burnIn) this.serveSample(kept > 0 ? kept : 1);
    const loss = ui.indices.length > 0 ? bpmfSquaredError(ui.indptr, ui.indices, ui.values, U, V, d, c.biases, mu) / ui.indices.length : 0;
    if (onBatchEnd !== null) onBatchEnd(0, { numBatches: 1, loss });
    return loss;
  }

  /** The 1-based index of the sample `epoch` keeps, or 0 when it keeps none (burn-in or thinned out). */
  private keptIndex(epoch: number): number {
    const { burnIn, thin } = this.config;
    if (epoch < burnIn || (epoch - burnIn) % thin !== 0) return 0;
    return (epoch - burnIn) / thin + 1;
  }

  /** Folds the chain's sample into the served tables' running means as their `count`-th sample (1: replace). */
  private serveSample(count: number): void {
    const d = this.dim;
    const k = this.config.factors;
    const w = 1 / count;
    const fold = (chain: Float32Array, factors: Float32Array, bias: Float32Array | null, rows: number): void => {
      for (let r = 0; r < rows; r++) {
        for (let f = 0; f < k; f++) factors[r * k + f] += (chain[r * d + f] - factors[r * k + f]) * w;
        if (bias !== null) bias[r] += (chain[r * d + k] - bias[r]) * w;
      }
    };
    fold(this.chainUsers, this.userFactors, this.userBias, this.numUsers);
    fold(this.chainItems, this.itemFactors, this.itemBias, this.numItems);
  }

  /** Folds the users' hyper-parameter draw and `alpha` into their running means (1: replace). */
  private serveHyper(alpha: number, count: number): void {
    const w = 1 / count;
    const m = this.userPriorMean;
    const p = this.userPriorPrecision;
    for (let f = 0; f < m.length; f++) m[f] += (this.hyperMean[f] - m[f]) * w;
    for (let f = 0; f < p.length; f++) p[f] += (this.hyperPrecision[f] - p[f]) * w;
    this.noisePrecision[0] += (alpha - this.noisePrecision[0]) * w;
  }

  protected override weights(): ModelWeights {
    const w = super.weights();
    const d = this.dim;
    w[BAYESIAN_MF_WEIGHT_NAMES.userPriorMean] = new Tensor(this.userPriorMean, [d]);
    w[BAYESIAN_MF_WEIGHT_NAMES.userPriorPrecision] = new Tensor(this.userPriorPrecision, [d, d]);
    w[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision] = new Tensor(this.noisePrecision, [1]);
    return w;
  }

  /** The sizes, after checking that the noise precision is a finite positive number. */
  protected override sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const sizes = super.sizesOf(state);
    const t = Object.prototype.hasOwnProperty.call(state, BAYESIAN_MF_WEIGHT_NAMES.noisePrecision) ? state[BAYESIAN_MF_WEIGHT_NAMES.noisePrecision] : undefined;
    const a = t instanceof Tensor && t.data.length === 1 ? t.data[0] : NaN;
    if (!(a > 0) || !Number.isFinite(a)) {
      throw quiverError('RangeError', { where: `${this.name}.setState`, what: `state must contain tensor "${BAYESIAN_MF_WEIGHT_NAMES.noisePrecision}" [1] holding a finite number > 0`, got: t === undefined ? 'none' : String(a) });
    }
    return sizes;
  }

  /** The chain's current sample (copies): with the weights, what continues the chain exactly. */
  protected override optimizerState(): OptimizerBuffers {
    const out = super.optimizerState();
    out[CHAIN_KEYS.users] = this.chainUsers.slice();
    out[CHAIN_KEYS.items] = this.chainItems.slice();
    return out;
  }

  protected override loadOptimizerState(where: string, state: OptimizerBuffers): void {
    const want: Record<string, Float32Array> = { [CHAIN_KEYS.users]: this.chainUsers, [CHAIN_KEYS.items]: this.chainItems };
    for (const key of Object.keys(state)) {
      if (!Object.hasOwn(want, key)) throw quiverError('RangeError', { where, what: `optimizer state has unknown key "${key}"; expected "${CHAIN_KEYS.users}" and "${CHAIN_KEYS.items}"` });
    }
    for (const [key, target] of Object.entries(want)) {
      const v = Object.hasOwn(state, key) ? state[key] : undefined;
      if (!(v instanceof Float32Array) || v.length !== target.length) {
        throw quiverError('RangeError', { where, what: `optimizer state "${key}" must be a Float32Array of length ${target.length}`, got: v instanceof Float32Array ? `length ${v.length}` : String(v) });
      }
    }
    for (const [key, target] of Object.entries(want)) target.set(state[key] as Float32Array);
  }

  /**
   * The posterior mean of a new user's `[w, b]`: `(Λ_U + alpha Σ φφᵀ)⁻¹ (Λ_U μ_U + alpha Σ φ y)`
   * with `φ = [v̄ᵢ, 1]`, `y = r − mu − b̄ᵢ` (the served item means) and the posterior means of
   * `μ_U`, `Λ_U`, `alpha`.
   */
  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const d = this.dim;
    const k = this.config.factors;
    const bias = this.config.biases;
    const alpha = this.noisePrecision[0];
    const Q = this.itemFactors;
    const a = Float64Array.from(this.userPriorPrecision);
    const h = new Float64Array(d);
    for (let f = 0; f < d; f++) for (let g = 0; g < d; g++) h[f] += this.userPriorPrecision[f * d + g] * this.userPriorMean[g];
    const phi = new Float64Array(d);
    for (let n = 0; n < items.length; n++) {
      const i = items[n];
      for (let f = 0; f < k; f++) phi[f] = Q[i * k + f];
      if (bias) phi[k] = 1;
      const y = ratings![n] - this.globalMean[0] - (bias ? this.itemBias![i] : 0);
      for (let f = 0; f < d; f++) {
        h[f] += alpha * phi[f] * y;
        for (let g = 0; g <= f; g++) a[f * d + g] += alpha * phi[f] * phi[g];
      }
    }
    if (!choleskyLower(a, d)) {
      throw quiverError('Error', { where: `${this.name}.foldIn`, what: `the posterior precision is not positive definite (check "${BAYESIAN_MF_WEIGHT_NAMES.userPriorPrecision}")` });
    }
    forwardSubstitute(a, d, h);
    backSubstituteTransposed(a, d, h);
    return Float32Array.from(h);
  }
}
