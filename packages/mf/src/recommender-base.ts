import { Tensor } from '@quiver/core';
import { checkNonNegativeInt, checkOptionNames, createRng, describeValue, checkInteractionData, buildCsr, checkId, checkIdArray, type Rng, type InteractionData, type CsrMatrixWithValues, type BatchTopK, type ModelKind, type TopK, quiverError } from '@quiver/base';
import { checkRatings, resolveRecommendOptions, type ResolvedRecommendOptions } from './check-args.js';
import { selectTopK } from './kernels/top-k.js';
import type { FitOptions, InitializeOptions, ModelWeights, RecommendOptions, Recommender, EpochHooks, BatchLogs } from './recommender.js';
import { modelSummary, withTopKSummary } from './model-summary.js';
import type { IdMapLike, ModelIdMaps } from './model-id-maps.js';
import { checkMaxMemory, memoryEstimate, MemoryBudgetError, type DataShape, type MemoryEstimate } from './memory-budget.js';
import { TrainingDivergedError } from './training-diverged-error.js';
import type { OptimizerBuffers, TrainingState } from './training-state.js';

const FIT_OPTION_NAMES = ['epochs', 'seed', 'onEpochEnd', 'verbose', 'maxMemory'] as const;

/** The size of an IdMap or of its JSON form; NaN for anything else. */
function idMapSize(m: unknown): number {
  if (typeof m !== 'object' || m === null) return NaN;
  const size = (m as { size?: unknown }).size;
  return typeof size === 'number' ? size : NaN;
}

/** A batch callback as models receive it (see {@link EpochHooks}). */
export type BatchHook = (batch: number, logs: BatchLogs) => void;

/** Examples per reported batch for models that train a whole epoch in one kernel call. */
export const HOOK_CHUNK = 65_536;

/** Users scored per block by `recommendBatch`. */
const BLOCK_USERS = 32;
/** Extra candidates kept from the approximate block scores before the exact rescoring. */
const BLOCK_MARGIN = 16;

/**
 * Shared machinery of every model: argument checks, the fit loop, the seen-items index,
 * filtering and heap-based top-k. A model supplies its weights and a few scoring hooks; the
 * contract itself is documented on {@link Recommender}.
 *
 * @example
 * // A new model implements the protected hooks (initWeights, runEpoch, scoreUser, ...):
 * class MyModel extends RecommenderBase { ... }
 * new MyModel().fit(data); // checks, fit loop, recommend, top-k and filters come from here
 */
export abstract class RecommenderBase implements Recommender {
  abstract readonly kind: ModelKind;
  /** The class name used in messages. */
  protected abstract readonly name: string;
  /** True for explicit-feedback models (fit and foldIn need ratings). */
  protected abstract readonly needsRatings: boolean;
  /**
   * Whether `initWeights` reads the user × item CSR matrix. Models that do not (BiasedMF,
   * Baseline, RandomRecommender) get `null` there, and the seen-items index is then built from
   * the training data on first use (recommend with `filterSeen`, recommendBatch, seenItems),
   * not during `fit`, which keeps it out of the training's peak memory.
   */
  protected readonly usesUserItems: boolean = true;
  /** Default epochs and seed (from the constructor options). */
  protected abstract readonly defaultEpochs: number;
  protected abstract readonly defaultSeed: number;

  private fitted = false;
  private nUsers = 0;
  private nItems = 0;
  private seenPtr: Int32Array | null = null;
  private seenIdx: Int32Array | null = null;
  /** Training data whose seen-items index is still to be built (see `usesUserItems`). */
  private seenSource: InteractionData | null = null;
  private prepared: InteractionData | null = null;
  /** The seed of the current training run. */
  protected runSeed = 0;
  private savedIdMaps: ModelIdMaps | null = null;

  get isFitted(): boolean {
    return this.fitted;
  }
  get numUsers(): number {
    return this.nUsers;
  }
  get numItems(): number {
    return this.nItems;
  }

  // ---- hooks implemented by each model -------------------------------------------------

  /** Allocates and initialises the weights for `data` (already checked). */
  protected abstract initWeights(data: InteractionData, userItems: CsrMatrixWithValues | null, rng: Rng): void;
  /** Runs one epoch, returns its loss. */
  protected abstract runEpoch(epoch: number, onBatchEnd: BatchHook | null): number;
  /** Called with each epoch's loss after `runEpoch` (models may keep statistics of it). */
  protected epochEnded(_loss: number): void {}
  /** Weight names `setState` accepts as missing (saved by an older version); they are filled with 0. */
  protected optionalWeights(): readonly string[] {
    return [];
  }

  /**
   * Fast approximate scores of `users[start .. start + count)` against every item (`count ×
   * numItems`, row-major; may be a view that the next call overwrites), or `null` when the model
   * has none (then `recommendBatch` scores user by user). Each score must be within
   * `blockScoreError(user)` of `scoreUser`'s, and `exactScore` must equal `scoreUser`'s exactly.
   */
  protected scoreBlock(_users: Int32Array, _start: number, _count: number): Float32Array | null {
    return null;
  }
  /** The score `scoreUser` gives `item` for `user`, exactly (only used when `scoreBlock` is). */
  protected exactScore(_user: number, _item: number): number {
    return NaN;
  }
  /** A bound on |`scoreBlock` score − exact score| for `user`. */
  protected blockScoreError(_user: number): number {
    return Infinity;
  }
  /** Writes the score of every item for a known user into `out` (length numItems). */
  protected abstract scoreUser(user: number, out: Float32Array): void;
  /** Writes the score of every item for a folded-in vector into `out`. */
  protected abstract scoreVector(vector: Float32Array, out: Float32Array): void;
  /** Scores pairs (ids already checked). */
  protected abstract predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void;
  /** Length of a folded-in user vector. */
  protected abstract get userVectorLength(): number;
  /** Computes the fold-in vector (ids and ratings already checked; ratings null for implicit). */
  protected abstract foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array;
  /** Similarity of every item to `item` (the query's own score is ignored). */
  protected abstract itemSimilarities(item: number, out: Float32Array): void;
  /** Similarity of every user to `user`. */
  protected abstract userSimilarities(user: number, out: Float32Array): void;
  /** The weight tensors, by name, as views (not copies). */
  protected abstract weights(): ModelWeights;
  /** Allocates weights for the given sizes (before `setState` copies into them). */
  protected abstract allocateWeights(numUsers: number, numItems: number): void;
  /** Sizes implied by a state's tensors. */
  protected abstract sizesOf(state: ModelWeights): { numUsers: number; numItems: number };
  /**
   * Bytes that training on data of this shape allocates beyond the data itself, by part (weights,
   * optimizer state, indexes, training buffers); see {@link RecommenderBase.estimateMemory}.
   */
  protected abstract memoryParts(shape: DataShape): Record<string, number>;
  /** Called after weights changed outside training (caches such as norms are dropped). */
  protected weightsChanged(): void {}
  abstract getConfig(): Record<string, unknown>;

  // ---- training -------------------------------------------------------------------------

  fit(data: InteractionData, options: FitOptions = {}): void {
    const where = `${this.name}.fit`;
    checkOptionNames(where, options, FIT_OPTION_NAMES);
    const epochs = options.epochs === undefined ? this.defaultEpochs : checkNonNegativeInt(where, 'epochs', options.epochs);
    const onEpochEnd = options.onEpochEnd;
    if (onEpochEnd !== undefined && typeof onEpochEnd !== 'function') {
      throw quiverError('TypeError', { where, what: 'onEpochEnd must be a function', got: describeValue(onEpochEnd) });
    }
    const verbose = options.verbose ?? false;
    if (typeof verbose !== 'boolean') throw quiverError('TypeError', { where, what: 'verbose must be a boolean', got: describeValue(verbose) });
    this.initialize(data, { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.maxMemory === undefined ? {} : { maxMemory: options.maxMemory }) });
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      const loss = this.fitEpoch(data, epoch);
      if (verbose) {
        console.error(`${this.name} epoch ${epoch + 1}/${epochs} loss ${loss.toPrecision(6)} ${((performance.now() - t0) / 1000).toFixed(2)}s`);
      }
      this.checkDiverged(where, epoch, loss);
      if (onEpochEnd !== undefined && onEpochEnd(epoch, { loss }) === false) break;
    }
  }

  /**
   * After an epoch of `fit`: a NaN or ±Infinity loss (NaN is only allowed from models that
   * report no loss, such as ALS with `computeLoss: false`) or weight leaves the model unfitted and
   * throws {@link TrainingDivergedError}.
   */
  private checkDiverged(where: string, epoch: number, loss: number): void {
    const reportsLoss = this.getConfig().computeLoss !== false;
    let what: string | null = reportsLoss && !Number.isFinite(loss) ? `the loss is ${loss}` : null;
    if (what === null) {
      const w = this.weights();
      for (const name of Object.keys(w)) {
        if (name === 'rating_range') continue;
        const d = w[name].data;
        for (let i = 0; i < d.length && what === null; i++) if (!Number.isFinite(d[i])) what = `weight "${name}" holds ${d[i]} at [${i}]`;
        if (what !== null) break;
      }
    }
    if (what === null) return;
    this.fitted = false;
    this.prepared = null;
    const lr = this.getConfig().lr;
    const hint = typeof lr === 'number' ? `try a lower learning rate (lr is ${lr})` : 'try a larger regularisation (reg)';
    throw new TrainingDivergedError({ where, what: `training diverged at epoch ${epoch + 1}: ${what}`, tail: `; the model is left unfitted; ${hint}` }, epoch);
  }

  /**
   * What training this model on data of `shape` would allocate beyond the data itself: weights,
   * optimizer state, indexes and training buffers, by part. `fit` and `initialize` refuse data
   * whose estimate exceeds their `maxMemory` before allocating anything.
   * @returns The total and the parts, in bytes.
   * @throws {RangeError} for sizes that are not non-negative integers.
   * @example
   * new BiasedMF({ factors: 100_000 }).estimateMemory({ numUsers: 610, numItems: 9724, numInteractions: 80_000 }).bytes; // ≈ 4.1e9
   */
  estimateMemory(shape: DataShape): MemoryEstimate {
    const where = `${this.name}.estimateMemory`;
    if (typeof shape !== 'object' || shape === null) throw quiverError('TypeError', { where, what: 'shape must be { numUsers, numItems, numInteractions }', got: describeValue(shape) });
    for (const key of ['numUsers', 'numItems', 'numInteractions'] as const) checkNonNegativeInt(where, key, shape[key]);
    // The seen-items index (CSR of the training interactions) every model keeps for filterSeen.
    const seen = (shape.numUsers + 1) * 4 + shape.numInteractions * 4;
    return memoryEstimate({ ...this.memoryParts(shape), 'seen-items index': seen });
  }

  /**
   * The id maps of the training data (`data.userIdMap` / `data.itemIdMap`, as `@quiver/data`'s
   * Interactions has them) or of the loaded model, or null when the data had none. `saveModel`
   * stores them, so raw ids survive a save.
   */
  get idMaps(): ModelIdMaps | null {
    return this.savedIdMaps;
  }

  /**
   * Replaces the id maps saved with the model (`loadModel` calls it).
   * @throws {TypeError} when `maps` is not `{ users, items }`.
   * @throws {RangeError} when a map's size differs from the model's users / items.
   */
  setIdMaps(maps: ModelIdMaps | null): void {
    const where = `${this.name}.setIdMaps`;
    if (maps === null) {
      this.savedIdMaps = null;
      return;
    }
    if (typeof maps !== 'object' || typeof maps.users !== 'object' || maps.users === null || typeof maps.items !== 'object' || maps.items === null) {
      throw quiverError('TypeError', { where, what: 'maps must be { users, items } id maps', got: describeValue(maps) });
    }
    for (const [key, size] of [['users', this.nUsers], ['items', this.nItems]] as const) {
      const n = idMapSize(maps[key]);
      if (n !== size) throw quiverError('RangeError', { where, what: `maps.${key} must map the model's ${size} ${key}`, got: `${describeValue(n)} ids` });
    }
    this.savedIdMaps = maps;
  }

  initialize(data: InteractionData, options: InitializeOptions = {}): void {
    const where = `${this.name}.initialize`;
    checkOptionNames(where, options, ['seed', 'maxMemory']);
    const seed = options.seed ?? this.defaultSeed;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw quiverError(typeof seed === 'number' ? 'RangeError' : 'TypeError', { where, what: 'seed must be a finite number', got: describeValue(seed) });
    }
    checkInteractionData(where, data, this.needsRatings);
    const budget = checkMaxMemory(where, options.maxMemory);
    const shape = { numUsers: data.numUsers, numItems: data.numItems, numInteractions: data.userIds.length };
    const estimate = this.estimateMemory(shape);
    if (estimate.bytes > budget) throw new MemoryBudgetError(where, estimate, budget, shape);
    const userItems = this.usesUserItems ? buildCsr(data.userIds, data.itemIds, data.ratings, data.numUsers, data.numItems, { duplicates: 'sum' }) : null;
    this.nUsers = data.numUsers;
    this.nItems = data.numItems;
    this.seenPtr = userItems === null ? null : userItems.indptr;
    this.seenIdx = userItems === null ? null : userItems.indices;
    this.seenSource = userItems === null ? data : null;
    this.runSeed = seed;
    this.initWeights(data, userItems, createRng(seed).fork('init'));
    this.weightsChanged();
    this.prepared = data;
    this.fitted = true;
    const d = data as InteractionData & { userIdMap?: IdMapLike; itemIdMap?: IdMapLike };
    const sized = idMapSize(d.userIdMap) === data.numUsers && idMapSize(d.itemIdMap) === data.numItems;
    this.savedIdMaps = sized ? { users: d.userIdMap!, items: d.itemIdMap! } : null;
  }

  fitEpoch(data: InteractionData, epoch: number, hooks?: EpochHooks): number {
    const where = `${this.name}.fitEpoch`;
    if (this.prepared === null || data !== this.prepared) {
      throw quiverError('Error', { where, what: 'data must be the object passed to initialize(data) or fit(data); call initialize(data) first' });
    }
    checkNonNegativeInt(where, 'epoch', epoch);
    let onBatchEnd: BatchHook | null = null;
    if (hooks !== undefined) {
      checkOptionNames(`${where}: hooks`, hooks, ['onBatchEnd']);
      if (hooks.onBatchEnd !== undefined && typeof hooks.onBatchEnd !== 'function') {
        throw quiverError('TypeError', { where, what: 'hooks.onBatchEnd must be a function', got: describeValue(hooks.onBatchEnd) });
      }
      onBatchEnd = hooks.onBatchEnd ?? null;
    }
    const loss = this.runEpoch(epoch, onBatchEnd);
    this.epochEnded(loss);
    this.weightsChanged();
    return loss;
  }

  /** The stream for sampling in `epoch` of the current run: depends only on the seed and the epoch. */
  protected epochRng(epoch: number): Rng {
    return createRng(this.runSeed).fork(`epoch-${epoch}`);
  }

  // ---- queries --------------------------------------------------------------------------

  /** Throws `Error` unless the model has weights. */
  protected checkFitted(where: string): void {
    if (!this.fitted) throw quiverError('Error', { where, what: 'the model is not fitted; call fit(data) (or loadModel) first' });
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    const where = `${this.name}.predict`;
    this.checkFitted(where);
    checkIdArray(where, 'users', users, this.nUsers);
    checkIdArray(where, 'items', items, this.nItems);
    if (users.length !== items.length) {
      throw quiverError('RangeError', { where, what: `items must have the length of users (${users.length})`, got: String(items.length) });
    }
    const out = new Float32Array(users.length);
    this.predictPairs(users, items, out);
    return out;
  }

  scoreAllItems(user: number, out?: Float32Array): Float32Array {
    const where = `${this.name}.scoreAllItems`;
    this.checkFitted(where);
    checkId(where, 'user', user, this.nUsers);
    if (out !== undefined && !(out instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'out must be a Float32Array', got: describeValue(out) });
    if (out !== undefined && out.length !== this.nItems) throw quiverError('RangeError', { where, what: `out must hold numItems (${this.nItems}) scores`, got: `length ${out.length}` });
    const scores = out ?? new Float32Array(this.nItems);
    this.scoreUser(user, scores);
    return scores;
  }

  recommend(user: number, k: number, options?: RecommendOptions): TopK {
    const where = `${this.name}.recommend`;
    this.checkFitted(where);
    checkId(where, 'user', user, this.nUsers);
    const o = resolveRecommendOptions(where, k, options, this.nItems);
    const scores = new Float32Array(this.nItems);
    this.scoreUser(user, scores);
    return this.topK(scores, k, o, o.filterSeen ? this.seenOf(user) : null);
  }

  recommendBatch(users: Int32Array, kIn: number, options?: RecommendOptions): BatchTopK {
    const where = `${this.name}.recommendBatch`;
    this.checkFitted(where);
    checkIdArray(where, 'users', users, this.nUsers);
    const o = resolveRecommendOptions(where, kIn, options, this.nItems);
    // Rows hold min(k, candidates) slots: a k beyond the catalogue never allocates k per user.
    const k = Math.min(kIn, o.items === null ? this.nItems : o.items.length);
    const ids = new Int32Array(users.length * k);
    const out = new Float32Array(users.length * k);
    const scores = new Float32Array(this.nItems);
    const skip = new Uint8Array(this.nItems);
    if (o.exclude !== null) for (let n = 0; n < o.exclude.length; n++) skip[o.exclude[n]] = 1;
    this.ensureSeen();
    const ptr = this.seenPtr!;
    const idx = this.seenIdx!;
    // Candidates kept from the fast float32 block scores, then rescored exactly.
    const numCand = Math.min(k + BLOCK_MARGIN, this.nItems);
    const candIds = new Int32Array(numCand);
    const candScores = new Float32Array(numCand);
    for (let n0 = 0; n0 < users.length; n0 += BLOCK_USERS) {
      const count = Math.min(BLOCK_USERS, users.length - n0);
      const block = k > 0 ? this.scoreBlock(users, n0, count) : null;
      for (let j = 0; j < count; j++) {
        const n = n0 + j;
        const u = users[n];
        if (o.filterSeen) for (let p = ptr[u]; p < ptr[u + 1]; p++) skip[idx[p]] = 1;
        let done = false;
        if (block !== null) {
          const approx = block.subarray(j * this.nItems, (j + 1) * this.nItems);
          const m = selectTopK(approx, numCand, skip, o.items, candIds, candScores, 0);
          for (let t = 0; t < m; t++) approx[candIds[t]] = this.exactScore(u, candIds[t]);
          selectTopK(approx, k, skip, candIds.subarray(0, m), ids, out, n * k);
          // Exact unless an item outside the candidates could still reach the k-th exact score.
          done = m < numCand || numCand === this.nItems || out[n * k + k - 1] > candScores[m - 1] + this.blockScoreError(u);
        }
        if (!done) {
          this.scoreUser(u, scores);
          selectTopK(scores, k, skip, o.items, ids, out, n * k);
        }
        if (o.filterSeen) {
          for (let p = ptr[u]; p < ptr[u + 1]; p++) skip[idx[p]] = 0;
          if (o.exclude !== null) for (let m = 0; m < o.exclude.length; m++) skip[o.exclude[m]] = 1;
        }
      }
    }
    return { ids, scores: out, k };
  }

  similarItems(item: number, k: number): TopK {
    const where = `${this.name}.similarItems`;
    this.checkFitted(where);
    checkId(where, 'item', item, this.nItems);
    checkNonNegativeInt(where, 'k', k);
    const sims = new Float32Array(this.nItems);
    this.itemSimilarities(item, sims);
    return this.topK(sims, k, { filterSeen: false, items: null, exclude: Int32Array.of(item) }, null);
  }

  similarUsers(user: number, k: number): TopK {
    const where = `${this.name}.similarUsers`;
    this.checkFitted(where);
    checkId(where, 'user', user, this.nUsers);
    checkNonNegativeInt(where, 'k', k);
    const sims = new Float32Array(this.nUsers);
    this.userSimilarities(user, sims);
    return this.topK(sims, k, { filterSeen: false, items: null, exclude: Int32Array.of(user) }, null);
  }

  foldIn(items: Int32Array, ratings?: Float32Array): Float32Array {
    const where = `${this.name}.foldIn`;
    this.checkFitted(where);
    checkIdArray(where, 'items', items, this.nItems);
    if (items.length === 0) throw quiverError('RangeError', { where, what: 'items must hold at least 1 item id', got: '0' });
    if (ratings === undefined && this.needsRatings) {
      throw quiverError('TypeError', { where, what: 'ratings must be a Float32Array for an explicit-feedback model', got: 'undefined' });
    }
    const r = ratings === undefined ? null : checkRatings(where, ratings, items.length);
    return this.foldInVector(items, r);
  }

  predictNew(userVector: Float32Array, items: Int32Array): Float32Array {
    const where = `${this.name}.predictNew`;
    this.checkFitted(where);
    this.checkVector(where, userVector);
    checkIdArray(where, 'items', items, this.nItems);
    const all = new Float32Array(this.nItems);
    this.scoreVector(userVector, all);
    const out = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) out[n] = all[items[n]];
    return out;
  }

  recommendForNew(items: Int32Array, ratings: Float32Array | undefined, k: number, options?: RecommendOptions): TopK {
    const where = `${this.name}.recommendForNew`;
    const vector = this.foldIn(items, ratings);
    const o = resolveRecommendOptions(where, k, options, this.nItems);
    const scores = new Float32Array(this.nItems);
    this.scoreVector(vector, scores);
    return this.topK(scores, k, o, o.filterSeen ? items : null);
  }

  private checkVector(where: string, v: unknown): void {
    if (!(v instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'userVector must be a Float32Array', got: describeValue(v) });
    if (v.length !== this.userVectorLength) {
      throw quiverError('RangeError', { where, what: `userVector must have length ${this.userVectorLength} (as foldIn returns)`, got: String(v.length) });
    }
  }

  private seenOf(user: number): Int32Array {
    this.ensureSeen();
    return this.seenIdx!.subarray(this.seenPtr![user], this.seenPtr![user + 1]);
  }

  /** Builds the deferred seen-items index from the training data (see `usesUserItems`). */
  private ensureSeen(): void {
    const src = this.seenSource;
    if (src === null) return;
    const m = buildCsr(src.userIds, src.itemIds, null, this.nUsers, this.nItems, { duplicates: 'sum' });
    this.seenPtr = m.indptr;
    this.seenIdx = m.indices;
    this.seenSource = null;
  }

  /** Top-k of `scores` under the options; `seen` lists further ids to skip. */
  private topK(scores: Float32Array, k: number, o: ResolvedRecommendOptions, seen: Int32Array | null): TopK {
    let skip: Uint8Array | null = null;
    if (seen !== null || o.exclude !== null) {
      skip = new Uint8Array(scores.length);
      if (seen !== null) for (let n = 0; n < seen.length; n++) skip[seen[n]] = 1;
      if (o.exclude !== null) for (let n = 0; n < o.exclude.length; n++) skip[o.exclude[n]] = 1;
    }
    // Never allocate beyond the candidates: recommend(user, 1e9) must not ask for 1e9 slots.
    const kk = Math.min(k, o.items === null ? scores.length : o.items.length);
    const ids = new Int32Array(kk);
    const out = new Float32Array(kk);
    const found = selectTopK(scores, kk, skip, o.items, ids, out, 0);
    return withTopKSummary(found === kk ? { ids, scores: out } : { ids: ids.slice(0, found), scores: out.slice(0, found) });
  }

  // ---- state ------------------------------------------------------------------------------

  getState(): ModelWeights {
    this.checkFitted(`${this.name}.getState`);
    const w = this.weights();
    const out: ModelWeights = Object.create(null);
    for (const name of Object.keys(w)) out[name] = new Tensor(w[name].data.slice(), w[name].shape);
    return out;
  }

  setState(state: ModelWeights): void {
    const where = `${this.name}.setState`;
    if (typeof state !== 'object' || state === null) throw quiverError('TypeError', { where, what: 'state must be a record of tensors', got: describeValue(state) });
    const { numUsers, numItems } = this.sizesOf(state);
    if (!this.fitted || numUsers !== this.nUsers || numItems !== this.nItems) {
      if (this.fitted && (numUsers !== this.nUsers || numItems !== this.nItems)) {
        throw quiverError('RangeError', { where, what: `state must be for ${this.nUsers} users × ${this.nItems} items (this model's sizes)`, got: `${numUsers} × ${numItems}` });
      }
      this.allocateWeights(numUsers, numItems);
      this.nUsers = numUsers;
      this.nItems = numItems;
      this.seenPtr = new Int32Array(numUsers + 1);
      this.seenIdx = new Int32Array(0);
      this.seenSource = null;
      this.savedIdMaps = null;
    }
    const w = this.weights();
    const names = Object.keys(w);
    for (const name of names) {
      const t = Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined;
      if (t === undefined && this.optionalWeights().includes(name)) continue;
      if (t === undefined) throw quiverError('RangeError', { where, what: `state must contain tensor "${name}", missing` });
      if (!(t instanceof Tensor)) throw quiverError('TypeError', { where, what: `state["${name}"] must be a Tensor`, got: describeValue(t) });
      const want = w[name].shape;
      const same = t.shape.length === want.length && t.shape.every((n, i) => n === want[i]);
      if (!same || t.data.length !== w[name].data.length) {
        throw quiverError('RangeError', { where, what: `tensor "${name}" must have shape [${want.join(', ')}]`, got: `[${t.shape.join(', ')}]` });
      }
    }
    for (const name of Object.keys(state)) {
      if (!names.includes(name)) throw quiverError('RangeError', { where, what: `unknown tensor "${name}"; expected ${names.map((n) => `"${n}"`).join(', ')}` });
    }
    for (const name of names) {
      if (Object.prototype.hasOwnProperty.call(state, name)) w[name].data.set(state[name].data);
      else w[name].data.fill(0);
    }
    this.fitted = true;
    this.prepared = null;
    this.weightsChanged();
  }

  /** The optimizer state outside the weights (copies); models with an optimizer override this. */
  protected optimizerState(): OptimizerBuffers {
    return Object.create(null) as OptimizerBuffers;
  }

  /** Checks and restores what {@link RecommenderBase.optimizerState} returned; checks everything before changing anything. */
  protected loadOptimizerState(where: string, state: OptimizerBuffers): void {
    const keys = Object.keys(state);
    if (keys.length > 0) throw quiverError('RangeError', { where, what: `optimizer state must be empty for this model`, got: `keys ${keys.slice(0, 3).map((k) => `"${k}"`).join(', ')}` });
  }

  /**
   * The weights and the optimizer state (copies): what a checkpoint must hold so that training
   * continued with {@link RecommenderBase.setTrainingState} gives bit-identical weights.
   * @returns `{ weights, optimizer }`.
   * @throws {Error} before fit or initialize.
   * @example
   * const saved = model.getTrainingState(); // after some epochs
   * other.initialize(data, { seed }); other.setTrainingState(saved); // continue with fitEpoch
   */
  getTrainingState(): TrainingState {
    const weights = this.getState();
    return { weights, optimizer: this.optimizerState() };
  }

  /**
   * Restores weights and optimizer state saved by {@link RecommenderBase.getTrainingState} into
   * a model prepared for training with `initialize(data)` on the same data, so that `fitEpoch`
   * can continue. Everything is checked before the model changes.
   * @throws {Error} unless `initialize(data)` was called first.
   * @throws {TypeError} for a state that is not `{ weights, optimizer }`.
   * @throws {RangeError} for tensors or optimizer entries of the wrong name, shape or length.
   * @example
   * model.initialize(train, { seed: 42 });
   * model.setTrainingState(checkpoint.state);
   * for (let e = nextEpoch; e < epochs; e++) model.fitEpoch(train, e);
   */
  setTrainingState(state: TrainingState): void {
    const where = `${this.name}.setTrainingState`;
    const prepared = this.prepared;
    if (prepared === null) throw quiverError('Error', { where, what: 'the model is not prepared for training; call initialize(data) with the training data first' });
    if (typeof state !== 'object' || state === null || typeof state.weights !== 'object' || state.weights === null ||
      typeof state.optimizer !== 'object' || state.optimizer === null) {
      throw quiverError('TypeError', { where, what: 'state must be { weights, optimizer } as getTrainingState() returns', got: describeValue(state) });
    }
    const before = this.getState();
    this.setState(state.weights);
    this.prepared = prepared;
    try {
      this.loadOptimizerState(where, state.optimizer);
    } catch (err) {
      this.setState(before);
      this.prepared = prepared;
      throw err;
    }
  }

  seenItems(): {
    /** Row offsets, length `numUsers + 1`: user u's items are `indices[indptr[u]]` up to `indices[indptr[u + 1] - 1]`. */
    indptr: Int32Array;
    /** Item indices of all seen interactions, grouped by user (length `indptr[numUsers]`). */
    indices: Int32Array;
  } | null {
    this.ensureSeen();
    return this.seenPtr === null ? null : { indptr: this.seenPtr, indices: this.seenIdx! };
  }

  setSeen(indptr: Int32Array, indices: Int32Array): void {
    const where = `${this.name}.setSeen`;
    this.checkFitted(where);
    if (!(indptr instanceof Int32Array) || indptr.length !== this.nUsers + 1) {
      throw quiverError('RangeError', { where, what: `indptr must be an Int32Array of length numUsers + 1 = ${this.nUsers + 1}`, got: describeValue(indptr) });
    }
    checkIdArray(where, 'indices', indices, this.nItems);
    if (indptr[0] !== 0 || indptr[this.nUsers] !== indices.length) {
      throw quiverError('RangeError', { where, what: `indptr must start at 0 and end at indices.length (${indices.length})`, got: `${indptr[0]} and ${indptr[this.nUsers]}` });
    }
    for (let u = 0; u < this.nUsers; u++) {
      if (indptr[u + 1] < indptr[u]) throw quiverError('RangeError', { where, what: 'indptr must be non-decreasing', got: `indptr[${u + 1}] = ${indptr[u + 1]} < ${indptr[u]}` });
    }
    this.seenPtr = indptr.slice();
    this.seenIdx = indices.slice();
    this.seenSource = null;
  }

  /** One line for the REPL / `util.inspect`: class, fitted sizes and scalar hyper-parameters (see `modelSummary`). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return modelSummary(this.name, { fitted: this.isFitted, numUsers: this.numUsers, numItems: this.numItems }, this.getConfig());
  }
}
