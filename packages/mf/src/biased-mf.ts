import { checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, initNormal, type Rng } from '@quiver/core';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { checkNonNegative, checkPositive, checkSeed } from './hyper.js';
import type { InteractionData } from './interaction-data.js';
import { biasedMfSgdEpoch } from './kernels/biased-mf-sgd-epoch.js';
import { MiniBatchTrainer, type MiniBatchOptimizer } from './minibatch-trainer.js';
import type { ModelKind } from './recommender.js';
import { HOOK_CHUNK, type BatchHook } from './recommender-base.js';
import { ridgeFoldIn } from './ridge-fold-in.js';
import type { OptimizerBuffers } from './training-state.js';
import type { CsrMatrix } from './sparse-matrix.js';

/** How {@link BiasedMF} trains. */
export type BiasedMfSolver = 'sgd' | 'minibatch';

/** Options of {@link BiasedMF}. Defaults were tuned on ml-latest-small (see the package README). */
export interface BiasedMfOptions {
  /** Latent factors per user and item. @defaultValue 128 */
  factors?: number;
  /** Epochs of `fit`. @defaultValue 60 */
  epochs?: number;
  /**
   * Learning rate of the factors.
   * @defaultValue 0.01 for the `'sgd'` solver; for `'minibatch'`: 0.01 with `'sgd'` (the loss
   * is summed over the batch, so this matches per-rating SGD), 0.05 with `'adagrad'`, 0.002
   * with `'sparse-adam'`
   */
  lr?: number;
  /** Learning rate of the biases. @defaultValue the value of `lr` */
  lrBias?: number;
  /** L2 regularisation of the factors (per rating, Surprise's `reg_pu`/`reg_qi`). @defaultValue 0.08 */
  reg?: number;
  /** L2 regularisation of the biases (per rating). @defaultValue 0.02 */
  regBias?: number;
  /** Standard deviation of the N(0, std²) initial factors. @defaultValue 0.03 */
  initStd?: number;
  /** Multiply the learning rates by this after every epoch (`lr · lrDecay^epoch`). @defaultValue 1 */
  lrDecay?: number;
  /**
   * `'sgd'`: the fast per-rating SGD loop (Funk / Surprise). `'minibatch'`: mini-batches of
   * `batchSize` ratings through core `Embedding`s with sparse gradients and a core optimizer.
   * @defaultValue 'sgd'
   */
  solver?: BiasedMfSolver;
  /** Optimizer of the `'minibatch'` solver. @defaultValue 'sparse-adam' */
  optimizer?: MiniBatchOptimizer;
  /** Ratings per mini-batch (`'minibatch'` solver). @defaultValue 512 */
  batchSize?: number;
  /** Seed of the initial factors and of the shuffling. @defaultValue 42 */
  seed?: number;
}

const OPTION_NAMES = ['factors', 'epochs', 'lr', 'lrBias', 'reg', 'regBias', 'initStd', 'lrDecay', 'solver', 'optimizer', 'batchSize', 'seed'];

/** The resolved hyper-parameters of a {@link BiasedMF}. */
export type BiasedMfConfig = Required<BiasedMfOptions>;

/**
 * Biased matrix factorisation for explicit ratings (Koren's "SVD", Surprise's `SVD`):
 * `r̂ᵤᵢ = mu + bᵤ + bᵢ + ⟨pᵤ, qᵢ⟩`, trained by minimising the squared error with L2
 * regularisation. The default solver is a per-rating SGD loop over the typed arrays in a seeded
 * shuffled order; `solver: 'minibatch'` trains the same model through core `Embedding`s and
 * any core optimizer. Predictions are clipped to the range of the training ratings.
 *
 * `foldIn` solves the ridge regression of a new user's ratings on the fixed item factors and
 * biases (exactly the point where the SGD updates balance) and returns `[p..., bᵤ]`.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const model = new BiasedMF({ factors: 64, epochs: 50 });
 * model.fit(train);
 * model.predict(Int32Array.of(0), Int32Array.of(12)); // predicted rating
 */
export class BiasedMF extends FactorModel {
  readonly kind: ModelKind = 'biased-mf';
  protected readonly name = 'BiasedMF';
  protected readonly needsRatings = true;
  /** The hyper-parameters. */
  readonly config: Readonly<BiasedMfConfig>;
  private userIds: Int32Array = new Int32Array(0);
  private itemIds: Int32Array = new Int32Array(0);
  private ratings: Float32Array = new Float32Array(0);
  private order: Int32Array = new Int32Array(0);
  private readonly stats: Float64Array = new Float64Array(2);
  private miniBatch: MiniBatchTrainer | null = null;

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range (such as `factors` 0 or a negative `reg`).
   */
  constructor(options: BiasedMfOptions = {}) {
    super();
    this.config = resolveBiasedMfOptions('BiasedMF', options, 128);
  }

  protected get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: true, itemBias: true, globalMean: true };
  }
  protected get defaultEpochs(): number {
    return this.config.epochs;
  }
  protected get defaultSeed(): number {
    return this.config.seed;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrix, rng: Rng): void {
    this.allocateWeights(data.numUsers, data.numItems);
    initNormal(this.userFactors, rng.fork('users'), 0, this.config.initStd);
    initNormal(this.itemFactors, rng.fork('items'), 0, this.config.initStd);
    const r = data.ratings!;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let n = 0; n < r.length; n++) {
      sum += r[n];
      if (r[n] < lo) lo = r[n];
      if (r[n] > hi) hi = r[n];
    }
    this.globalMean[0] = sum / r.length;
    this.ratingRange[0] = lo;
    this.ratingRange[1] = hi;
    this.userIds = data.userIds;
    this.itemIds = data.itemIds;
    this.ratings = r;
    this.order = new Int32Array(r.length);
    this.miniBatch =
      this.config.solver === 'minibatch'
        ? new MiniBatchTrainer(this.userFactors, this.itemFactors, this.userBias!, this.itemBias!, this.globalMean, this.config)
        : null;
  }

  /**
   * One epoch over every rating in a shuffled order that depends only on the seed and `epoch`.
   * @returns The mean squared training error of the epoch (each error measured just before its update).
   */
  protected runEpoch(epoch: number, onBatchEnd: BatchHook | null): number {
    const c = this.config;
    const order = this.order;
    for (let n = 0; n < order.length; n++) order[n] = n;
    this.epochRng(epoch).shuffle(order);
    const decay = c.lrDecay ** epoch;
    if (this.miniBatch !== null) {
      return this.miniBatch.epoch(order, this.userIds, this.itemIds, this.ratings, decay, onBatchEnd);
    }
    // With a batch hook the same sequential pass runs in chunks (identical updates, same result).
    const chunk = onBatchEnd === null ? Math.max(1, order.length) : HOOK_CHUNK;
    const numBatches = Math.ceil(order.length / chunk);
    let sse = 0;
    for (let b = 0; b < numBatches; b++) {
      const part = order.subarray(b * chunk, Math.min(order.length, (b + 1) * chunk));
      biasedMfSgdEpoch(
        part, this.userIds, this.itemIds, this.ratings, this.globalMean[0],
        this.userFactors, this.itemFactors, this.userBias!, this.itemBias!, c.factors,
        c.lr * decay, c.lrBias * decay, c.reg, c.regBias, this.stats,
      );
      sse += this.stats[0];
      if (onBatchEnd !== null) onBatchEnd(b, { numBatches, loss: this.stats[0] / this.stats[1] });
    }
    return sse / order.length;
  }

  /** The mini-batch solver's optimizer state (empty for the per-rating SGD solver, which has none). */
  protected override optimizerState(): OptimizerBuffers {
    return this.miniBatch === null ? super.optimizerState() : this.miniBatch.optimizerState();
  }

  protected override loadOptimizerState(where: string, state: OptimizerBuffers): void {
    if (this.miniBatch === null) super.loadOptimizerState(where, state);
    else this.miniBatch.loadOptimizerState(where, state);
  }

  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const c = this.config;
    return ridgeFoldIn(items, ratings!, this.itemFactors, this.itemBias!, this.globalMean[0], c.factors, c.reg, c.regBias);
  }
}

/** Checks and fills in {@link BiasedMfOptions} (shared with {@link Baseline}). */
export function resolveBiasedMfOptions(where: string, o: BiasedMfOptions, defaultFactors: number): BiasedMfConfig {
  checkOptionNames(where, o, OPTION_NAMES);
  const solver = checkOneOf(where, 'solver', o.solver ?? 'sgd', ['sgd', 'minibatch']);
  const optimizer = checkOneOf(where, 'optimizer', o.optimizer ?? 'sparse-adam', ['sgd', 'adagrad', 'sparse-adam']);
  const defaultLr = solver === 'sgd' || optimizer === 'sgd' ? 0.01 : optimizer === 'adagrad' ? 0.05 : 0.002;
  const lr = checkPositive(where, 'lr', o.lr ?? defaultLr);
  return {
    factors: defaultFactors === 0 ? 0 : checkPositiveInt(where, 'factors', o.factors ?? defaultFactors),
    epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 60),
    lr,
    lrBias: checkPositive(where, 'lrBias', o.lrBias ?? lr),
    reg: checkNonNegative(where, 'reg', o.reg ?? 0.08),
    regBias: checkNonNegative(where, 'regBias', o.regBias ?? 0.02),
    initStd: checkPositive(where, 'initStd', o.initStd ?? 0.03),
    lrDecay: checkPositive(where, 'lrDecay', o.lrDecay ?? 1),
    solver,
    optimizer,
    batchSize: checkPositiveInt(where, 'batchSize', o.batchSize ?? 512),
    seed: checkSeed(where, o.seed ?? 42),
  };
}
