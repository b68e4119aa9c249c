import { initNormal, Tensor } from '@quiver/core';
import { quiverError, type CsrMatrixWithValues, type InteractionData, type ModelKind, type Rng } from '@quiver/base';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { svdppEpoch, svdppUserVectors } from './kernels/svdpp-epoch.js';
import type { DataShape } from './memory-budget.js';
import type { BatchHook } from './recommender-base.js';
import type { ModelWeights } from './recommender.js';
import { ridgeFoldIn, type FoldInPrior } from './ridge-fold-in.js';
import { resolveSvdppOptions, type SvdppConfig, type SvdppOptions } from './svdpp-options.js';

/** Float32 holds every integer up to 2^24 exactly: the largest catalogue whose item ids `user_history` can store. */
const MAX_HISTORY_ITEM = 2 ** 24;

/**
 * The names of the weights {@link SVDpp} adds to the factor models' (`WEIGHT_NAMES`).
 * @example
 * model.getState()[SVDPP_WEIGHT_NAMES.implicitItemFactors].shape; // [numItems, factors]
 */
export const SVDPP_WEIGHT_NAMES = {
  /** The implicit item vectors `yⱼ`, shape `[numItems, factors]`. */
  implicitItemFactors: 'implicit_item_embedding.weight',
  /** The users' own factors `pᵤ` (without the implicit part), shape `[numUsers, factors]`. */
  explicitUserFactors: 'explicit_user_embedding.weight',
  /** How many training ratings each user has, shape `[numUsers]` (integers as float32). */
  userActivity: 'user_activity',
  /** The item of every training rating, user by user, shape `[ratings]` (ids as float32, exact below 2^24). */
  userHistory: 'user_history',
} as const;

/**
 * SVD++ for explicit ratings (Koren 2008, "Factorization meets the neighborhood"; Surprise's
 * `SVDpp`): `r̂ᵤᵢ = mu + bᵤ + bᵢ + ⟨qᵢ, pᵤ + |N(u)|^-½ Σ_{j∈N(u)} yⱼ⟩`, where `N(u)` is the
 * items the user rated in training (implicit feedback) and `yⱼ` an implicit item vector. Trained
 * by SGD with L2 regularisation (separate learning rate and regularisation for the biases, as
 * {@link BiasedMF}), in the per-user "fast SVD++" schedule of LIBMF: ratings grouped by user,
 * users in a seeded shuffled order every epoch, the implicit sum computed once per user and the
 * `yⱼ` gradient accumulated over the user's ratings and applied once at the end of the user
 * (see `svdppEpoch`). A rating then costs O(factors), not Surprise's O(|N(u)| · factors).
 * Predictions are clipped to the range of the training ratings.
 *
 * The user table of the factor model (`user_embedding.weight`) holds the effective vectors
 * `zᵤ = pᵤ + |N(u)|^-½ Σ yⱼ`, refreshed after every epoch, so scoring is a biased MF's
 * (`recommend`, `predict`, batch scoring, `similarUsers` by the cosine of `zᵤ`). The weights add
 * `yⱼ`, the raw `pᵤ` and each user's training items ({@link SVDPP_WEIGHT_NAMES}); `setState`
 * recomputes `zᵤ` from them. `foldIn` takes the new user's implicit part from their items, solves
 * the ridge regression of their ratings for `pᵤ` and `bᵤ` with the items fixed (as BiasedMF does)
 * and returns `[zᵤ..., bᵤ]`. See {@link Recommender} for the full contract.
 *
 * @example
 * const model = new SVDpp({ factors: 128, epochs: 50 });
 * model.fit(train);
 * model.predict(Int32Array.of(0), Int32Array.of(12)); // predicted rating
 */
export class SVDpp extends FactorModel {
  /** The model kind, `'svdpp'`. */
  readonly kind: ModelKind = 'svdpp';
  protected readonly name = 'SVDpp';
  protected readonly needsRatings = true;
  protected override readonly usesUserItems = false;
  /** The hyper-parameters. */
  readonly config: SvdppConfig;
  /** Row-major `numUsers × factors`: the users' own factors `pᵤ`. */
  private explicitUsers = new Float32Array(0);
  /** Row-major `numItems × factors`: the implicit item vectors `yⱼ`. */
  private implicitItems = new Float32Array(0);
  /** Ratings per user (float32 weight). */
  private activity = new Float32Array(0);
  /** The items of the training ratings, user by user (float32 weight). */
  private historyF = new Float32Array(0);
  /** `activity` and `historyF` as a CSR over users. */
  private indptr = new Int32Array(1);
  private history = new Int32Array(0);
  /** The training ratings in the order of `history` (training only). */
  private groupedRatings = new Float32Array(0);
  /** The history length `allocateWeights` makes room for (set from the data or a state first). */
  private historyLength = 0;
  private userOrder = new Int32Array(0);
  private scratch = new Float64Array(0);
  private readonly stats = new Float64Array(2);
  private ownPrior: FoldInPrior | null = null;

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range (such as `factors` 0 or a negative `reg`).
   */
  constructor(options: SvdppOptions = {}) {
    super();
    this.config = resolveSvdppOptions('SVDpp', options);
  }

  protected override get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: true, itemBias: true, globalMean: true };
  }

  /** The factor tables, `pᵤ` and `yⱼ`, the ratings grouped by user and the saved history, the user order. */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const k = this.config.factors;
    return {
      ...super.memoryParts(shape),
      'implicit and explicit tables': (shape.numUsers + shape.numItems) * k * 4,
      'ratings by user': shape.numInteractions * 12 + (shape.numUsers + 1) * 4 + shape.numUsers * 8,
    };
  }

  protected override allocateWeights(numUsers: number, numItems: number): void {
    super.allocateWeights(numUsers, numItems);
    const k = this.config.factors;
    this.explicitUsers = new Float32Array(numUsers * k);
    this.implicitItems = new Float32Array(numItems * k);
    this.activity = new Float32Array(numUsers);
    this.historyF = new Float32Array(this.historyLength);
    this.indptr = new Int32Array(numUsers + 1);
    this.history = new Int32Array(this.historyLength);
    this.scratch = new Float64Array(2 * k);
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrixWithValues | null, rng: Rng): void {
    if (data.numItems > MAX_HISTORY_ITEM) {
      throw quiverError('RangeError', { where: `${this.name}.fit`, what: `numItems must be at most ${MAX_HISTORY_ITEM} (user_history stores item ids as float32)`, got: String(data.numItems) });
    }
    const r = data.ratings!;
    this.historyLength = r.length;
    this.allocateWeights(data.numUsers, data.numItems);
    const std = this.config.initStd;
    initNormal(this.explicitUsers, rng.fork('users'), 0, std);
    initNormal(this.itemFactors, rng.fork('items'), 0, std);
    initNormal(this.implicitItems, rng.fork('implicit'), 0, std);
    this.setRatingStats(r);
    // Group the ratings by user (a stable counting sort: each user's ratings stay in data order).
    const { userIds, itemIds } = data;
    const ptr = this.indptr;
    for (let n = 0; n < userIds.length; n++) ptr[userIds[n] + 1]++;
    for (let u = 0; u < data.numUsers; u++) {
      this.activity[u] = ptr[u + 1];
      ptr[u + 1] += ptr[u];
    }
    const next = ptr.slice(0, data.numUsers);
    this.groupedRatings = new Float32Array(r.length);
    for (let n = 0; n < userIds.length; n++) {
      const p = next[userIds[n]]++;
      this.history[p] = itemIds[n];
      this.historyF[p] = itemIds[n];
      this.groupedRatings[p] = r[n];
    }
    this.userOrder = new Int32Array(data.numUsers);
    this.refreshUserVectors();
  }

  /**
   * One epoch of the per-user schedule (see `svdppEpoch`) over the users in an order that depends
   * only on the seed and `epoch`; then the effective user vectors are refreshed.
   * @returns The mean squared training error of the epoch (each error measured just before its step).
   */
  protected runEpoch(epoch: number, onBatchEnd: BatchHook | null): number {
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'SVD++ SGD');
    const c = this.config;
    const order = this.userOrder;
    for (let u = 0; u < order.length; u++) order[u] = u;
    this.epochRng(epoch).shuffle(order);
    const decay = c.lrDecay ** epoch;
    svdppEpoch(
      order, this.indptr, this.history, this.groupedRatings, this.globalMean[0],
      this.explicitUsers, this.itemFactors, this.implicitItems, this.userBias!, this.itemBias!, c.factors,
      c.lr * decay, c.lrBias * decay, c.reg, c.regBias, c.regImplicit, this.scratch, this.stats,
    );
    this.refreshUserVectors();
    const loss = this.stats[1] > 0 ? this.stats[0] / this.stats[1] : 0;
    if (onBatchEnd !== null) onBatchEnd(0, { numBatches: 1, loss });
    return loss;
  }

  /** `zᵤ = pᵤ + |N(u)|^-½ Σ yⱼ` into the factor model's user table. */
  private refreshUserVectors(): void {
    svdppUserVectors(this.indptr, this.history, this.explicitUsers, this.implicitItems, this.config.factors, this.userFactors, this.scratch);
  }

  protected override weights(): ModelWeights {
    const w = super.weights();
    const k = this.config.factors;
    const nu = this.activity.length;
    w[SVDPP_WEIGHT_NAMES.explicitUserFactors] = new Tensor(this.explicitUsers, [nu, k]);
    w[SVDPP_WEIGHT_NAMES.implicitItemFactors] = new Tensor(this.implicitItems, [this.implicitItems.length / k, k]);
    w[SVDPP_WEIGHT_NAMES.userActivity] = new Tensor(this.activity, [nu]);
    w[SVDPP_WEIGHT_NAMES.userHistory] = new Tensor(this.historyF, [this.historyF.length]);
    return w;
  }

  /** Checks the history before anything changes: counts non-negative integers summing to its length, ids in range. */
  protected override sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const where = `${this.name}.setState`;
    const sizes = super.sizesOf(state);
    const own = (name: string): Tensor | undefined => (Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined);
    const activity = own(SVDPP_WEIGHT_NAMES.userActivity);
    const history = own(SVDPP_WEIGHT_NAMES.userHistory);
    if (!(activity instanceof Tensor) || !(history instanceof Tensor) || activity.shape.length !== 1 || history.shape.length !== 1 || activity.shape[0] !== sizes.numUsers) {
      throw quiverError('RangeError', { where, what: `state must contain "${SVDPP_WEIGHT_NAMES.userActivity}" [numUsers = ${sizes.numUsers}] and "${SVDPP_WEIGHT_NAMES.userHistory}" [ratings]` });
    }
    let total = 0;
    for (let u = 0; u < activity.data.length; u++) {
      const c = activity.data[u];
      if (!Number.isInteger(c) || c < 0) throw quiverError('RangeError', { where, what: `${SVDPP_WEIGHT_NAMES.userActivity} must hold non-negative integer counts`, got: `${c} for user ${u}` });
      total += c;
    }
    if (total !== history.shape[0]) throw quiverError('RangeError', { where, what: `${SVDPP_WEIGHT_NAMES.userHistory} must hold sum(${SVDPP_WEIGHT_NAMES.userActivity}) = ${total} item ids`, got: String(history.shape[0]) });
    for (let p = 0; p < history.data.length; p++) {
      const id = history.data[p];
      if (!Number.isInteger(id) || id < 0 || id >= sizes.numItems) throw quiverError('RangeError', { where, what: `${SVDPP_WEIGHT_NAMES.userHistory} must hold item ids in [0, ${sizes.numItems})`, got: `${id} at position ${p}` });
    }
    // A model that takes its sizes from this state allocates this much history.
    if (!this.isFitted) this.historyLength = total;
    return sizes;
  }

  /**
   * Replaces the weights as {@link ModelStateBase.setState}, then recomputes the effective user
   * vectors `zᵤ` from `pᵤ`, `yⱼ` and the history (so the saved `user_embedding.weight` is derived).
   */
  override setState(state: ModelWeights): void {
    super.setState(state);
    const ptr = this.indptr;
    ptr[0] = 0;
    for (let u = 0; u < this.activity.length; u++) ptr[u + 1] = ptr[u] + this.activity[u];
    for (let p = 0; p < this.historyF.length; p++) this.history[p] = this.historyF[p];
    this.refreshUserVectors();
    this.weightsChanged();
  }

  protected override weightsChanged(): void {
    super.weightsChanged();
    this.ownPrior = null;
  }

  /** Fold-in's prior from the users' own factors `pᵤ` (what the ridge solve fits), not from `zᵤ`. */
  protected override foldInPrior(): FoldInPrior | null {
    const noise = this.ratingNoise[0];
    if (!(noise > 0)) return null;
    this.refreshCaches();
    if (this.ownPrior === null) {
      const P = this.explicitUsers;
      let sp = 0;
      for (let f = 0; f < P.length; f++) sp += P[f] * P[f];
      const bu = this.userBias!;
      let sb = 0;
      for (let u = 0; u < bu.length; u++) sb += bu[u] * bu[u];
      this.ownPrior = { noise, factorVar: P.length > 0 ? sp / P.length : 0, biasVar: bu.length > 0 ? sb / bu.length : 0 };
    }
    return this.ownPrior;
  }

  /**
   * The new user's implicit part `|I|^-½ Σ_{j∈I} yⱼ` from their items, then `[pᵤ, bᵤ]` by the ridge
   * solve of their ratings minus `⟨qᵢ, implicit part⟩` with the items fixed; returns `[zᵤ..., bᵤ]`.
   */
  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const c = this.config;
    const k = c.factors;
    const Y = this.implicitItems;
    const Q = this.itemFactors;
    const implicit = new Float64Array(k);
    for (let n = 0; n < items.length; n++) for (let f = 0; f < k; f++) implicit[f] += Y[items[n] * k + f];
    const s = 1 / Math.sqrt(items.length);
    for (let f = 0; f < k; f++) implicit[f] *= s;
    const target = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += Q[items[n] * k + f] * implicit[f];
      target[n] = ratings![n] - dot;
    }
    const v = ridgeFoldIn(items, target, Q, this.itemBias!, this.globalMean[0], k, c.reg, c.regBias, this.foldInPrior());
    for (let f = 0; f < k; f++) v[f] += implicit[f];
    return v;
  }
}
