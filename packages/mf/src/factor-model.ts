import { Embedding, Tensor } from '@quiver/core';
import { rowNorms, cosineScores, scoreItems } from './kernels/score-items.js';
import { FoldInRecommender } from './fold-in-recommender.js';
import type { BlockScoring } from './scorer.js';
import { BlockScorer } from './wasm/block-scorer.js';
import type { ModelWeights } from './recommender.js';
import type { FoldInPrior } from './ridge-fold-in.js';
import type { DataShape } from './memory-budget.js';
import { quiverError } from '@quiver/base';

/**
 * Weight names shared by the factor models (the names in saved safetensors files).
 * @example
 * model.getState()[WEIGHT_NAMES.itemFactors].shape; // [numItems, factors]
 */
export const WEIGHT_NAMES = {
  /** User factor table, shape `[numUsers, factors]` (absent when factors = 0). */
  userFactors: 'user_embedding.weight',
  /** Item factor table, shape `[numItems, factors]` (absent when factors = 0). */
  itemFactors: 'item_embedding.weight',
  /** Per-user bias `b_u`, shape `[numUsers]` (only in models with user biases). */
  userBias: 'user_bias',
  /** Per-item bias `b_i`, shape `[numItems]` (only in models with item biases). */
  itemBias: 'item_bias',
  /** Global mean rating `mu`, shape `[1]` (explicit models only). */
  globalMean: 'global_mean',
  /** `[min, max]` of the training ratings that predictions are clipped to, shape `[2]` (explicit models only). */
  ratingRange: 'rating_range',
  /**
   * The mean squared training error of the last epoch, shape `[1]` (explicit models only): the
   * noise variance of fold-in's prior. 0 before training and when loaded from a file written
   * before it existed (fold-in then uses the plain training regularisation).
   */
  ratingNoise: 'rating_noise',
} as const;

/** The hyper-parameters every factor model has: `fit`'s defaults. */
export interface TrainingDefaults {
  /** Epochs (ALS: alternating sweeps) of `fit`. */
  readonly epochs: number;
  /** Seed of the initialisation and of the sampling. */
  readonly seed: number;
}

/** Which optional parts a factor model has. */
export interface FactorLayout {
  /** Latent factors per user / item (0: biases only). */
  readonly factors: number;
  /** Whether the model has a per-user bias `b_u`. */
  readonly userBias: boolean;
  /** Whether the model has a per-item bias `b_i`. */
  readonly itemBias: boolean;
  /** A global mean (and a clipping range for predictions): explicit models. */
  readonly globalMean: boolean;
}

/**
 * Base of the models scored by `mu + b_u + b_i + ⟨p_u, q_i⟩` (any part optional): BiasedMF,
 * Baseline, BPR and ALS. Holds the weights as row-major Float32Arrays, scores with plain
 * kernels, and answers `similarItems` / `similarUsers` by cosine of the factors (all
 * similarities are 0 for a model without factors, so ties rank by id).
 *
 * A folded-in user vector has the user's factors followed, when the model has user biases,
 * by the user bias.
 *
 * @example
 * const m = new ALS();           // a FactorModel
 * m.fit(data);
 * const { itemFactors } = m.factorsCopy(); // row-major numItems × factors
 */
export abstract class FactorModel extends FoldInRecommender {
  /** Row-major `numUsers × factors`. */
  protected userFactors: Float32Array = new Float32Array(0);
  /** Row-major `numItems × factors`. */
  protected itemFactors: Float32Array = new Float32Array(0);
  protected userBias: Float32Array | null = null;
  protected itemBias: Float32Array | null = null;
  /** `[mu]`. */
  protected globalMean: Float32Array = new Float32Array(1);
  /** `[min, max]` of the training ratings: predictions are clipped to it (explicit models). */
  protected ratingRange: Float32Array = Float32Array.of(-Infinity, Infinity);
  /** `[sigma²]`: the last epoch's mean squared training error (explicit models), 0 if none. */
  protected ratingNoise: Float32Array = Float32Array.of(0);
  private prior: FoldInPrior | null = null;
  private userNorms: Float32Array | null = null;
  private itemNorms: Float32Array | null = null;
  private blockScorer: BlockScorer | null | undefined = undefined;
  /** The tables' summed `version` when the caches (norms, block scorer, prior) were made. */
  private cachedVersion = 0;
  private tables: { user: Embedding | null; item: Embedding | null; userBias: Embedding | null; itemBias: Embedding | null } = { user: null, item: null, userBias: null, itemBias: null };

  /** The resolved hyper-parameters; `epochs` and `seed` are what `fit` uses by default. */
  abstract readonly config: Readonly<TrainingDefaults>;

  /** The parts this model has. */
  protected abstract get layout(): FactorLayout;

  protected get defaultEpochs(): number {
    return this.config.epochs;
  }
  protected get defaultSeed(): number {
    return this.config.seed;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  /** The factor and bias tables; subclasses add their training buffers. */
  protected memoryParts(shape: DataShape): Record<string, number> {
    const { factors: k, userBias, itemBias } = this.layout;
    return {
      'factor tables': (shape.numUsers + shape.numItems) * k * 4,
      'bias tables': ((userBias ? shape.numUsers : 0) + (itemBias ? shape.numItems : 0)) * 4,
    };
  }

  /**
   * Allocates zeroed weights for the sizes, or zeroes and adopts `storage` (arrays of exactly
   * those sizes owned by a training engine, such as the block-SGD memory).
   */
  protected allocateWeights(numUsers: number, numItems: number, storage?: { P: Float32Array; Q: Float32Array; bu: Float32Array; bi: Float32Array }): void {
    const { factors: k, userBias, itemBias } = this.layout;
    const adopt = (a: Float32Array | undefined, n: number): Float32Array => (a === undefined ? new Float32Array(n) : a.fill(0));
    this.userFactors = adopt(storage?.P, numUsers * k);
    this.itemFactors = adopt(storage?.Q, numItems * k);
    this.userBias = userBias ? adopt(storage?.bu, numUsers) : null;
    this.itemBias = itemBias ? adopt(storage?.bi, numItems) : null;
    this.globalMean = new Float32Array(1);
    this.ratingRange = Float32Array.of(-Infinity, Infinity);
    this.ratingNoise = Float32Array.of(0);
    // The same memory as core Embeddings (no copies): what the training kernels update is what
    // `model.userEmbedding.forward(ids)` reads and a core optimizer steps.
    const wrap = (data: Float32Array | null, rows: number, dim: number, name: string): Embedding | null =>
      data === null || dim === 0 ? null : Embedding.fromPretrained(new Tensor(data, [rows, dim]), { freeze: false, sparse: true, name });
    this.tables = {
      user: wrap(this.userFactors, numUsers, k, WEIGHT_NAMES.userFactors),
      item: wrap(this.itemFactors, numItems, k, WEIGHT_NAMES.itemFactors),
      userBias: wrap(this.userBias, numUsers, 1, WEIGHT_NAMES.userBias),
      itemBias: wrap(this.itemBias, numItems, 1, WEIGHT_NAMES.itemBias),
    };
  }

  /**
   * The user factors as a `@quiver/core` `Embedding` (`numUsers × factors`, sparse gradients),
   * sharing its storage with the model: what training updates (in WebAssembly memory for the
   * blocks schedule and for ALS) is what `forward` reads, and a core optimizer given its
   * parameters steps the model. Null before fitting and for models without factors (Baseline).
   * A new table is made when the model is (re)initialised.
   * @example
   * model.userEmbedding!.forward(Int32Array.of(0, 3)).shape; // [2, factors]
   */
  get userEmbedding(): Embedding | null {
    return this.tables.user;
  }
  /** The item factors as a core `Embedding` (`numItems × factors`); see {@link FactorModel.userEmbedding}. */
  get itemEmbedding(): Embedding | null {
    return this.tables.item;
  }
  /** The user biases as a core `Embedding` (`numUsers × 1`), or null for models without them. */
  get userBiasEmbedding(): Embedding | null {
    return this.tables.userBias;
  }
  /** The item biases as a core `Embedding` (`numItems × 1`), or null for models without them. */
  get itemBiasEmbedding(): Embedding | null {
    return this.tables.itemBias;
  }

  /**
   * The fast solvers (per-rating SGD, block SGD, BPR, ALS) update every table: a table frozen with
   * `requiresGrad = false` would be changed silently, so they refuse it. The mini-batch solver of
   * BiasedMF trains through core optimizers, which leave frozen tables alone.
   * @throws {Error} naming the frozen table and the solver that honours it.
   */
  protected refuseFrozenTables(where: string, solver: string): void {
    for (const [name, e] of Object.entries(this.tables)) {
      if (e !== null && !e.weight.requiresGrad) {
        throw quiverError('Error', { where, what: `the ${solver} updates every table, so it cannot train with a frozen ${name}Embedding (requiresGrad false)`, tail: this.kind === 'biased-mf' ? "; use BiasedMF's solver 'minibatch', whose core optimizers leave frozen tables alone" : '; unfreeze it' });
      }
    }
  }

  /**
   * Sets the global mean `mu` to the mean of `ratings` and the clipping range to their
   * `[min, max]` (explicit models, in `initWeights` after {@link FactorModel.allocateWeights}).
   * @param ratings - The training ratings (checked: non-empty and finite).
   */
  protected setRatingStats(ratings: Float32Array): void {
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let n = 0; n < ratings.length; n++) {
      sum += ratings[n];
      if (ratings[n] < lo) lo = ratings[n];
      if (ratings[n] > hi) hi = ratings[n];
    }
    this.globalMean[0] = sum / ratings.length;
    this.ratingRange[0] = lo;
    this.ratingRange[1] = hi;
  }

  protected weights(): ModelWeights {
    const { factors: k, globalMean } = this.layout;
    const nu = this.userBias?.length ?? this.userFactors.length / Math.max(k, 1);
    const ni = this.itemBias?.length ?? this.itemFactors.length / Math.max(k, 1);
    const w: ModelWeights = Object.create(null);
    if (k > 0) {
      w[WEIGHT_NAMES.userFactors] = new Tensor(this.userFactors, [nu, k]);
      w[WEIGHT_NAMES.itemFactors] = new Tensor(this.itemFactors, [ni, k]);
    }
    if (this.userBias !== null) w[WEIGHT_NAMES.userBias] = new Tensor(this.userBias, [nu]);
    if (this.itemBias !== null) w[WEIGHT_NAMES.itemBias] = new Tensor(this.itemBias, [ni]);
    if (globalMean) {
      w[WEIGHT_NAMES.globalMean] = new Tensor(this.globalMean, [1]);
      w[WEIGHT_NAMES.ratingRange] = new Tensor(this.ratingRange, [2]);
      w[WEIGHT_NAMES.ratingNoise] = new Tensor(this.ratingNoise, [1]);
    }
    return w;
  }

  protected sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const where = `${this.name}.setState`;
    const { factors: k } = this.layout;
    const user = k > 0 ? WEIGHT_NAMES.userFactors : WEIGHT_NAMES.userBias;
    const item = k > 0 ? WEIGHT_NAMES.itemFactors : WEIGHT_NAMES.itemBias;
    const size = (name: string): number => {
      const t = Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined;
      if (!(t instanceof Tensor) || t.shape.length < 1 || t.shape[0] < 1) {
        throw quiverError('RangeError', { where, what: `state must contain tensor "${name}" with at least one row`, got: `${t === undefined ? 'none' : `shape [${t.shape}]`}` });
      }
      return t.shape[0];
    };
    return { numUsers: size(user), numItems: size(item) };
  }

  protected override optionalWeights(): readonly string[] {
    return this.layout.globalMean ? [WEIGHT_NAMES.ratingNoise] : [];
  }

  protected override epochEnded(loss: number): void {
    if (this.layout.globalMean && Number.isFinite(loss) && loss > 0) this.ratingNoise[0] = loss;
  }

  /**
   * Fold-in's Gaussian prior for explicit models: the noise variance `sigma²` (last epoch's
   * training MSE) and the mean square of the trained user factors and user biases, or null when
   * the model has no noise estimate (then fold-in uses the training regularisation alone).
   */
  protected foldInPrior(): FoldInPrior | null {
    const noise = this.ratingNoise[0];
    if (!this.layout.globalMean || !(noise > 0)) return null;
    this.refreshCaches();
    if (this.prior === null) {
      const P = this.userFactors;
      let sp = 0;
      for (let f = 0; f < P.length; f++) sp += P[f] * P[f];
      const bu = this.userBias;
      let sb = 0;
      if (bu !== null) for (let u = 0; u < bu.length; u++) sb += bu[u] * bu[u];
      this.prior = { noise, factorVar: P.length > 0 ? sp / P.length : 0, biasVar: bu !== null && bu.length > 0 ? sb / bu.length : 0 };
    }
    return this.prior;
  }

  protected override weightsChanged(): void {
    this.prior = null;
    this.userNorms = null;
    this.itemNorms = null;
    this.blockScorer = undefined;
    this.cachedVersion = this.tableVersion();
  }

  /** The summed versions of the tables: it moves when a core optimizer (or a caller) changed them. */
  private tableVersion(): number {
    const t = this.tables;
    return (t.user?.weight.version ?? 0) + (t.item?.weight.version ?? 0) + (t.userBias?.weight.version ?? 0) + (t.itemBias?.weight.version ?? 0);
  }

  /** Drops the caches derived from the tables when the tables changed outside training (through their Embeddings). */
  protected refreshCaches(): void {
    if (this.tableVersion() !== this.cachedVersion) this.weightsChanged();
  }

  /**
   * Batch recommend's fast path: users scored 32 at a time against every item in WebAssembly
   * SIMD (factors a multiple of 4), with the exact score of a pair and a bound on the float32
   * block scores' error; null when the kernels do not apply.
   */
  override blockScoring(): BlockScoring | null {
    this.refreshCaches();
    if (this.blockScorer === undefined) this.blockScorer = BlockScorer.create(this.itemFactors, this.itemBias, this.layout.factors, 32);
    const scorer = this.blockScorer;
    if (scorer === null) return null;
    return {
      score: (users, start, count) => scorer.score(this.userFactors, this.userBias, this.globalMean[0], users, start, count),
      exact: (user, item) => this.exactScore(user, item),
      error: (user) => this.blockScoreError(user),
    };
  }

  /** The score `scoreUser` gives `item` for `user`, exactly (the arithmetic of scoreItems, for one item). */
  private exactScore(user: number, item: number): number {
    const k = this.layout.factors;
    const P = this.userFactors;
    const Q = this.itemFactors;
    let s = this.globalMean[0] + (this.userBias === null ? 0 : this.userBias[user]);
    for (let f = 0; f < k; f++) s += P[user * k + f] * Q[item * k + f];
    return this.itemBias === null ? s : s + this.itemBias[item];
  }

  /** A bound on |block score − exact score| for `user`. */
  private blockScoreError(user: number): number {
    // float32 summation of k + 2 terms: each rounding costs at most 2⁻²⁴ of the running magnitude.
    const k = this.layout.factors;
    const P = this.userFactors;
    let norm = 0;
    for (let f = 0; f < k; f++) norm += P[user * k + f] * P[user * k + f];
    const c = Math.abs(this.globalMean[0] + (this.userBias === null ? 0 : this.userBias[user]));
    const s = this.blockScorer!;
    return (k + 4) * 2 ** -22 * (Math.sqrt(norm) * s.maxItemNorm + c + s.maxItemBias);
  }

  protected get userVectorLength(): number {
    return this.layout.factors + (this.layout.userBias ? 1 : 0);
  }

  protected scoreUser(user: number, out: Float32Array): void {
    const k = this.layout.factors;
    const c = this.globalMean[0] + (this.userBias === null ? 0 : this.userBias[user]);
    scoreItems(this.itemFactors, k, this.userFactors, user * k, this.itemBias, c, out);
  }

  protected scoreVector(vector: Float32Array, out: Float32Array): void {
    const k = this.layout.factors;
    const c = this.globalMean[0] + (this.layout.userBias ? vector[k] : 0);
    scoreItems(this.itemFactors, k, vector, 0, this.itemBias, c, out);
  }

  protected predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void {
    const k = this.layout.factors;
    const P = this.userFactors;
    const Q = this.itemFactors;
    const bu = this.userBias;
    const bi = this.itemBias;
    const mu = this.globalMean[0];
    const lo = this.ratingRange[0];
    const hi = this.ratingRange[1];
    for (let n = 0; n < users.length; n++) {
      const u = users[n];
      const i = items[n];
      let s = mu + (bu === null ? 0 : bu[u]) + (bi === null ? 0 : bi[i]);
      const po = u * k;
      const qo = i * k;
      for (let f = 0; f < k; f++) s += P[po + f] * Q[qo + f];
      out[n] = s < lo ? lo : s > hi ? hi : s;
    }
  }

  override predictNew(userVector: Float32Array, items: Int32Array): Float32Array {
    const out = super.predictNew(userVector, items);
    const lo = this.ratingRange[0];
    const hi = this.ratingRange[1];
    for (let n = 0; n < out.length; n++) out[n] = out[n] < lo ? lo : out[n] > hi ? hi : out[n];
    return out;
  }

  protected itemSimilarities(item: number, out: Float32Array): void {
    this.refreshCaches();
    const k = this.layout.factors;
    if (this.itemNorms === null) {
      this.itemNorms = new Float32Array(this.numItems);
      rowNorms(this.itemFactors, k, this.itemNorms);
    }
    cosineScores(this.itemFactors, k, this.itemNorms, item, out);
  }

  protected userSimilarities(user: number, out: Float32Array): void {
    this.refreshCaches();
    const k = this.layout.factors;
    if (this.userNorms === null) {
      this.userNorms = new Float32Array(this.numUsers);
      rowNorms(this.userFactors, k, this.userNorms);
    }
    cosineScores(this.userFactors, k, this.userNorms, user, out);
  }

  /** Copies of the user and item factor tables (row-major), for inspection. */
  factorsCopy(): {
    /** Row-major `numUsers × factors` (empty when factors = 0). */
    userFactors: Float32Array;
    /** Row-major `numItems × factors` (empty when factors = 0). */
    itemFactors: Float32Array;
  } {
    this.checkFitted(`${this.name}.factorsCopy`);
    return { userFactors: this.userFactors.slice(), itemFactors: this.itemFactors.slice() };
  }
}
