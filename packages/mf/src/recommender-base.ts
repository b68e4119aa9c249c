import {
  buildCsr, checkId, checkIdArray, checkInteractionData, checkNonNegativeInt, checkOptionNames, createRng, describeValue, quiverError,
  type CsrMatrixWithValues, type InteractionData, type ModelKind, type Rng, type TopK,
} from '@quiver/base';
import { resolveRecommendOptions } from './check-args.js';
import { resolveFitOptions } from './fit-options.js';
import { checkMaxMemory, memoryEstimate, MemoryBudgetError, type DataShape, type MemoryEstimate } from './memory-budget.js';
import { ModelStateBase } from './model-state-base.js';
import { rankTopK } from './rank-top-k.js';
import type { EpochHooks, BatchLogs, EpochTrainable, FitOptions, InitializeOptions, RecommendOptions, Recommender, TrainingStateful } from './recommender.js';
import type { BlockScoring, Scorer } from './scorer.js';
import { TrainingDivergedError } from './training-diverged-error.js';
import { firstNonFinite } from './weights-state.js';

/** A batch callback as models receive it (see {@link EpochHooks}). */
export type BatchHook = (batch: number, logs: BatchLogs) => void;

/** Examples per reported batch for models that train a whole epoch in one kernel call. */
export const HOOK_CHUNK = 65_536;

/**
 * The base of every model: the fit loop (with its divergence check), per-epoch training, and the
 * checked queries (`predict`, `scoreAllItems`, `recommend`, `similarItems` / `similarUsers`) on
 * top of a model's state ({@link ModelStateBase}). A model supplies its weights and a few hooks;
 * the contract is {@link Recommender} (plus {@link Scorer} for ranking).
 * @example
 * // A new model implements the protected hooks (initWeights, runEpoch, scoreUser, ...):
 * class MyModel extends RecommenderBase { ... }
 * new MyModel().fit(data); // checks, fit loop, recommend, top-k and filters come from here
 */
export abstract class RecommenderBase extends ModelStateBase implements Recommender, Scorer, EpochTrainable, TrainingStateful {
  abstract readonly kind: ModelKind;
  /** True for explicit-feedback models (fit and foldIn need ratings). */
  protected abstract readonly needsRatings: boolean;
  /** Whether `initWeights` reads the user × item CSR (else it gets null and the seen index is built on first use). */
  protected readonly usesUserItems: boolean = true;
  /** Default epochs and seed (from the constructor options). */
  protected abstract readonly defaultEpochs: number;
  protected abstract readonly defaultSeed: number;
  /** The seed of the current training run. */
  protected runSeed = 0;

  /** Allocates and initialises the weights for `data` (already checked). */
  protected abstract initWeights(data: InteractionData, userItems: CsrMatrixWithValues | null, rng: Rng): void;
  /** Runs one epoch, returns its loss. */
  protected abstract runEpoch(epoch: number, onBatchEnd: BatchHook | null): number;
  /** Called with each epoch's loss after `runEpoch`. */
  protected epochEnded(_loss: number): void {}
  /** Writes the score of every item for a known user into `out` (length numItems). */
  protected abstract scoreUser(user: number, out: Float32Array): void;
  /** Scores pairs (ids already checked). */
  protected abstract predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void;
  /** Similarity of every item to `item` (the query's own score is ignored). */
  protected abstract itemSimilarities(item: number, out: Float32Array): void;
  /** Similarity of every user to `user`. */
  protected abstract userSimilarities(user: number, out: Float32Array): void;
  /** Bytes that training on data of this shape allocates beyond the data itself, by part. */
  protected abstract memoryParts(shape: DataShape): Record<string, number>;
  /** What `MemoryBudgetError` advises, before `'or raise maxMemory'`. */
  protected get memoryAdvice(): string {
    return 'use fewer factors';
  }

  fit(data: InteractionData, options: FitOptions = {}): void {
    const where = `${this.name}.fit`;
    const o = resolveFitOptions(where, options, this.defaultEpochs);
    this.initialize(data, o.init);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const t0 = performance.now();
      const loss = this.fitEpoch(data, epoch);
      if (o.verbose) console.error(`${this.name} epoch ${epoch + 1}/${o.epochs} loss ${loss.toPrecision(6)} ${((performance.now() - t0) / 1000).toFixed(2)}s`);
      // A NaN / ±Infinity loss (ALS with computeLoss: false reports NaN by design) or weight.
      const bad = this.getConfig().computeLoss !== false && !Number.isFinite(loss) ? `the loss is ${loss}` : firstNonFinite(this.weights(), ['rating_range']);
      if (bad !== null) {
        this.abandonTraining();
        const lr = this.getConfig().lr;
        const hint = typeof lr === 'number' ? `try a lower learning rate (lr is ${lr})` : 'try a larger regularisation (reg)';
        throw new TrainingDivergedError({ where, what: `training diverged at epoch ${epoch + 1}: ${bad}`, tail: `; the model is left unfitted; ${hint}` }, epoch);
      }
      if (o.onEpochEnd !== undefined && o.onEpochEnd(epoch, { loss }) === false) break;
    }
  }

  /**
   * Starts training on `data` without running any epoch: checks the data and the memory budget,
   * builds the per-user index and initialises the weights from the seed; `fitEpoch` may follow.
   * @throws As `fit`, and `MemoryBudgetError` above `maxMemory`.
   */
  initialize(data: InteractionData, options: InitializeOptions = {}): void {
    const where = `${this.name}.initialize`;
    checkOptionNames(where, options, ['seed', 'maxMemory']);
    const seed = options.seed ?? this.defaultSeed;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw quiverError(typeof seed === 'number' ? 'RangeError' : 'TypeError', { where, what: 'seed must be a finite number', got: describeValue(seed) });
    checkInteractionData(where, data, this.needsRatings);
    const budget = checkMaxMemory(where, options.maxMemory);
    const shape = { numUsers: data.numUsers, numItems: data.numItems, numInteractions: data.userIds.length };
    const estimate = this.estimateMemory(shape);
    if (estimate.bytes > budget) throw new MemoryBudgetError(where, estimate, budget, shape, this.memoryAdvice);
    const userItems = this.usesUserItems ? buildCsr(data.userIds, data.itemIds, data.ratings, data.numUsers, data.numItems, { duplicates: 'sum' }) : null;
    this.runSeed = seed;
    this.startTraining(data, userItems);
    this.initWeights(data, userItems, createRng(seed).fork('init'));
    this.weightsChanged();
  }

  /**
   * Runs one epoch on the data passed to `initialize` and returns its training loss.
   * @throws {Error} when `initialize` was not called with this `data` object.
   */
  fitEpoch(data: InteractionData, epoch: number, hooks?: EpochHooks): number {
    const where = `${this.name}.fitEpoch`;
    if (!this.isPreparedFor(data)) throw quiverError('Error', { where, what: 'data must be the object passed to initialize(data) or fit(data); call initialize(data) first' });
    checkNonNegativeInt(where, 'epoch', epoch);
    checkOptionNames(`${where}: hooks`, hooks, ['onBatchEnd']);
    if (hooks?.onBatchEnd !== undefined && typeof hooks.onBatchEnd !== 'function') throw quiverError('TypeError', { where, what: 'hooks.onBatchEnd must be a function', got: describeValue(hooks.onBatchEnd) });
    const loss = this.runEpoch(epoch, hooks?.onBatchEnd ?? null);
    this.epochEnded(loss);
    this.weightsChanged();
    return loss;
  }

  /** The stream for sampling in `epoch` of the current run: depends only on the seed and the epoch. */
  protected epochRng(epoch: number): Rng {
    return createRng(this.runSeed).fork(`epoch-${epoch}`);
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    const where = `${this.name}.predict`;
    this.checkFitted(where);
    checkIdArray(where, 'users', users, this.numUsers);
    checkIdArray(where, 'items', items, this.numItems);
    if (users.length !== items.length) throw quiverError('RangeError', { where, what: `items must have the length of users (${users.length})`, got: String(items.length) });
    const out = new Float32Array(users.length);
    this.predictPairs(users, items, out);
    return out;
  }

  /**
   * The score of every item for `user` (what `recommend` ranks by), into `out` when given.
   * @throws {RangeError} for a bad user or an `out` that is not `numItems` long; `Error` before fitting.
   */
  scoreAllItems(user: number, out?: Float32Array): Float32Array {
    const where = `${this.name}.scoreAllItems`;
    this.checkFitted(where);
    checkId(where, 'user', user, this.numUsers);
    if (out !== undefined && !(out instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'out must be a Float32Array', got: describeValue(out) });
    if (out !== undefined && out.length !== this.numItems) throw quiverError('RangeError', { where, what: `out must hold numItems (${this.numItems}) scores`, got: `length ${out.length}` });
    const scores = out ?? new Float32Array(this.numItems);
    this.scoreUser(user, scores);
    return scores;
  }

  recommend(user: number, k: number, options?: RecommendOptions): TopK {
    const where = `${this.name}.recommend`;
    this.checkFitted(where);
    checkId(where, 'user', user, this.numUsers);
    const o = resolveRecommendOptions(where, k, options, this.numItems);
    return rankTopK(this.scoreAllItems(user), k, o, o.filterSeen ? this.seen.itemsOf(user) : null);
  }

  similarItems(item: number, k: number): TopK {
    return this.similar(`${this.name}.similarItems`, 'item', item, k, this.numItems, (q, out) => this.itemSimilarities(q, out));
  }

  /** The `k` users most similar to `user` by cosine of their factors, excluding `user` itself. */
  similarUsers(user: number, k: number): TopK {
    return this.similar(`${this.name}.similarUsers`, 'user', user, k, this.numUsers, (q, out) => this.userSimilarities(q, out));
  }

  private similar(where: string, name: string, query: number, k: number, bound: number, fill: (q: number, out: Float32Array) => void): TopK {
    this.checkFitted(where);
    checkId(where, name, query, bound);
    checkNonNegativeInt(where, 'k', k);
    const sims = new Float32Array(bound);
    fill(query, sims);
    return rankTopK(sims, k, { filterSeen: false, items: null, exclude: Int32Array.of(query) }, null);
  }

  /** A fast block scorer for `recommendBatch`, or null (the default: score user by user). */
  blockScoring(): BlockScoring | null {
    return null;
  }

  /** What training on data of `shape` would allocate beyond the data itself, by part (`fit` refuses more than `maxMemory`). */
  estimateMemory(shape: DataShape): MemoryEstimate {
    const where = `${this.name}.estimateMemory`;
    if (typeof shape !== 'object' || shape === null) throw quiverError('TypeError', { where, what: 'shape must be { numUsers, numItems, numInteractions }', got: describeValue(shape) });
    for (const key of ['numUsers', 'numItems', 'numInteractions'] as const) checkNonNegativeInt(where, key, shape[key]);
    return memoryEstimate({ ...this.memoryParts(shape), 'seen-items index': (shape.numUsers + 1) * 4 + shape.numInteractions * 4 });
  }
}
