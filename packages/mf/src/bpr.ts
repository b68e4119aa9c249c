import { initUniform } from '@quiver/core';
import { checkBoolean, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, createRng, buildCsr, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind, quiverError } from '@quiver/base';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { checkNonNegative, checkPositive, checkSeed } from './hyper.js';
import { bprEpoch, type BprEpochArgs } from './kernels/bpr-epoch.js';
import { HOOK_CHUNK, type BatchHook } from './recommender-base.js';
import type { OptimizerBuffers } from './training-state.js';
import { BprWasmTrainer } from './wasm/bpr-kernels.js';
import type { DataShape } from './memory-budget.js';

/** How {@link BPR} draws negative items. */
export type NegativeSampling = 'uniform' | 'popularity';

/** Options of {@link BPR}. Defaults were tuned on ml-latest-small (see the package README). */
export interface BprOptions {
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /** Epochs of `fit`; each draws as many triples as there are distinct training pairs. @defaultValue 100 */
  epochs?: number;
  /** Learning rate (of Adagrad's steps by default). @defaultValue 0.1 */
  lr?: number;
  /** L2 regularisation (per triple, on the rows it touches). @defaultValue 0.01 */
  reg?: number;
  /** Learn an item bias. @defaultValue true */
  itemBias?: boolean;
  /** Draw negatives uniformly, or in proportion to `popularity^alpha`. @defaultValue 'uniform' */
  negativeSampling?: NegativeSampling;
  /** Exponent of the popularity sampler (0 is uniform, 1 proportional to counts). @defaultValue 0.75 */
  alpha?: number;
  /** Redraw a negative the user has interacted with (as implicit's `verify_negative_samples`). @defaultValue true */
  verifyNegatives?: boolean;
  /** `'sgd'`: plain steps of size `lr`; `'adagrad'`: row-wise Adagrad steps (one accumulator per row, `lr / √G`). @defaultValue 'adagrad' */
  optimizer?: 'sgd' | 'adagrad';
  /** Passes over a new user's items in `foldIn`. @defaultValue 100 */
  foldInEpochs?: number;
  /** Seed of the initial factors and of the sampling. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of a {@link BPR}. */
export type BprConfig = Required<BprOptions>;

const OPTION_NAMES = ['factors', 'epochs', 'lr', 'reg', 'itemBias', 'negativeSampling', 'alpha', 'verifyNegatives', 'optimizer', 'foldInEpochs', 'seed'];

/**
 * Bayesian Personalised Ranking (Rendle et al. 2009) for implicit feedback: every training
 * interaction is a positive (ratings are ignored), and SGD pushes `bᵢ + pᵤ·qᵢ` above
 * `bⱼ + pᵤ·qⱼ` for sampled negatives `j`. Scores are `bᵢ + ⟨pᵤ, qᵢ⟩`. Factors start uniform in
 * `[−0.5, 0.5) / factors` (as implicit). Sampling is seeded: each epoch's stream depends only
 * on the seed and the epoch index.
 *
 * `foldIn` runs `foldInEpochs` passes of the same SGD over the new user's items, starting from
 * zeros, with the item factors and biases fixed, and returns the user factors.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const bpr = new BPR({ factors: 64, epochs: 50 });
 * bpr.fit(train);
 * bpr.recommend(0, 10).ids;
 */
export class BPR extends FactorModel {
  readonly kind: ModelKind = 'bpr';
  protected readonly name = 'BPR';
  protected readonly needsRatings = false;
  /** The hyper-parameters. */
  readonly config: Readonly<BprConfig>;
  private userItems: CsrMatrixWithValues | null = null;
  private rowOf: Int32Array = new Int32Array(0);
  private negativeCdf: Float64Array | null = null;
  private adagrad: Float32Array | null = null;
  private wasm: BprWasmTrainer | null = null;
  private readonly stats: Float64Array = new Float64Array(3);

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range.
   */
  constructor(options: BprOptions = {}) {
    super();
    const where = 'BPR';
    checkOptionNames(where, options, OPTION_NAMES);
    const o = options;
    this.config = {
      factors: checkPositiveInt(where, 'factors', o.factors ?? 64),
      epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 100),
      lr: checkPositive(where, 'lr', o.lr ?? 0.1),
      reg: checkNonNegative(where, 'reg', o.reg ?? 0.01),
      itemBias: checkBoolean(where, 'itemBias', o.itemBias ?? true),
      negativeSampling: checkOneOf(where, 'negativeSampling', o.negativeSampling ?? 'uniform', ['uniform', 'popularity']),
      alpha: checkNonNegative(where, 'alpha', o.alpha ?? 0.75),
      verifyNegatives: checkBoolean(where, 'verifyNegatives', o.verifyNegatives ?? true),
      optimizer: checkOneOf(where, 'optimizer', o.optimizer ?? 'adagrad', ['sgd', 'adagrad']),
      foldInEpochs: checkPositiveInt(where, 'foldInEpochs', o.foldInEpochs ?? 100),
      seed: checkSeed(where, o.seed ?? 42),
    };
  }

  protected get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: false, itemBias: this.config.itemBias, globalMean: false };
  }

  /** The tables, the row of every interaction (4 bytes each) and Adagrad's accumulators. */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    return {
      ...super.memoryParts(shape),
      'training order': shape.numInteractions * 4,
      'optimizer state': this.config.optimizer === 'adagrad' ? (shape.numUsers + 2 * shape.numItems) * 4 : 0,
    };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, rng: Rng): void {
    const k = this.config.factors;
    this.allocateWeights(data.numUsers, data.numItems);
    initUniform(this.userFactors, rng.fork('users'), -0.5 / k, 0.5 / k);
    initUniform(this.itemFactors, rng.fork('items'), -0.5 / k, 0.5 / k);
    this.userItems = userItems;
    this.rowOf = new Int32Array(userItems.indices.length);
    for (let u = 0; u < userItems.numRows; u++) this.rowOf.fill(u, userItems.indptr[u], userItems.indptr[u + 1]);
    this.negativeCdf = null;
    if (this.config.negativeSampling === 'popularity') {
      this.negativeCdf = popularityCdf(userItems.indices, data.numItems, this.config.alpha);
    }
    this.adagrad = this.config.optimizer === 'adagrad' ? new Float32Array(data.numUsers + 2 * data.numItems) : null;
    // factors % 4 === 0: the updates run in wasm SIMD (the triples are still drawn here, in the same order).
    this.wasm = BprWasmTrainer.create(data.numUsers, data.numItems, k, this.itemBias !== null, this.adagrad !== null);
  }

  /** One call of the epoch kernel: the wasm trainer when there is one, else the plain loop. */
  private step(args: BprEpochArgs, rng: Rng): void {
    if (this.wasm !== null) this.wasm.run(args, rng, this.stats);
    else bprEpoch(args, rng, this.stats);
  }

  private epochArgs(userItems: CsrMatrixWithValues, rowOf: Int32Array, userFactors: Float32Array, adagrad: Float32Array | null, numSamples: number, freezeItems: boolean): BprEpochArgs {
    const c = this.config;
    return {
      indptr: userItems.indptr,
      indices: userItems.indices,
      rowOf,
      userFactors,
      itemFactors: this.itemFactors,
      itemBias: this.itemBias,
      numItems: this.numItems,
      dim: c.factors,
      lr: c.lr,
      reg: c.reg,
      negativeCdf: this.negativeCdf,
      verifyNegatives: c.verifyNegatives,
      adagrad,
      numSamples,
      scratch: new Float64Array(3 * c.factors),
      freezeItems,
    };
  }

  /**
   * Draws as many triples as there are distinct training pairs.
   * @returns The mean BPR loss `−ln σ(x̂ᵤᵢⱼ)` over the epoch's triples (before each update).
   */
  protected runEpoch(epoch: number, onBatchEnd: BatchHook | null): number {
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'BPR SGD');
    const ui = this.userItems!;
    const total = ui.indices.length;
    const rng = this.epochRng(epoch);
    if (onBatchEnd === null) {
      this.step(this.epochArgs(ui, this.rowOf, this.userFactors, this.adagrad, total, false), rng);
      return this.stats[1] === 0 ? 0 : this.stats[0] / this.stats[1];
    }
    // The same draws in chunks of HOOK_CHUNK triples (one random stream, so the same result).
    const numBatches = Math.max(1, Math.ceil(total / HOOK_CHUNK));
    let lossSum = 0;
    let used = 0;
    for (let b = 0; b < numBatches; b++) {
      const n = Math.min(HOOK_CHUNK, total - b * HOOK_CHUNK);
      this.step(this.epochArgs(ui, this.rowOf, this.userFactors, this.adagrad, n, false), rng);
      lossSum += this.stats[0];
      used += this.stats[1];
      onBatchEnd(b, { numBatches, loss: this.stats[1] === 0 ? 0 : this.stats[0] / this.stats[1] });
    }
    return used === 0 ? 0 : lossSum / used;
  }

  /** Row-wise Adagrad's accumulators (`numUsers + 2 · numItems`: users, items, item biases) under `"adagrad"`. */
  protected override optimizerState(): OptimizerBuffers {
    const out = super.optimizerState();
    if (this.adagrad !== null) out.adagrad = this.adagrad.slice();
    return out;
  }

  protected override loadOptimizerState(where: string, state: OptimizerBuffers): void {
    if (this.adagrad === null) return super.loadOptimizerState(where, state);
    const names = Object.keys(state);
    const v = state.adagrad;
    if (names.length !== 1 || !(v instanceof Float32Array)) {
      throw quiverError('TypeError', { where, what: `optimizer state must be { adagrad: Float32Array } for optimizer 'adagrad'`, got: `keys ${names.map((n) => `"${n}"`).join(', ') || 'none'}` });
    }
    if (v.length !== this.adagrad.length) throw quiverError('RangeError', { where, what: `optimizer state "adagrad" must have length ${this.adagrad.length}`, got: String(v.length) });
    this.adagrad.set(v);
  }

  protected foldInVector(items: Int32Array): Float32Array {
    if (this.config.negativeSampling === 'popularity' && this.negativeCdf === null) {
      // A loaded model: rebuild the sampler from the saved seen-items matrix.
      this.negativeCdf = popularityCdf(this.seenItems()!.indices, this.numItems, this.config.alpha);
    }
    const n = items.length;
    const single = buildCsr(new Int32Array(n), items, null, 1, this.numItems, { duplicates: 'sum' });
    const rowOf = new Int32Array(single.indices.length);
    const vector = new Float32Array(this.config.factors);
    const adagrad = this.config.optimizer === 'adagrad' ? new Float32Array(1 + 2 * this.numItems) : null;
    const args = this.epochArgs(single, rowOf, vector, adagrad, single.indices.length, true);
    const rng = this.foldInRng();
    for (let e = 0; e < this.config.foldInEpochs; e++) bprEpoch(args, rng, this.stats);
    return vector;
  }

  /** Fold-in sampling stream: fixed by the configured seed, so fold-in is deterministic. */
  private foldInRng(): Rng {
    return createRng(this.config.seed).fork('fold-in');
  }
}

/** Cumulative `count^alpha` over items, the popularity sampler's CDF (all-zero counts fall back to uniform). */
function popularityCdf(indices: Int32Array, numItems: number, alpha: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (let p = 0; p < indices.length; p++) counts[indices[p]]++;
  const cdf = new Float64Array(numItems);
  let acc = 0;
  for (let i = 0; i < numItems; i++) {
    acc += counts[i] > 0 ? counts[i] ** alpha : 0;
    cdf[i] = acc;
  }
  if (acc === 0) for (let i = 0; i < numItems; i++) cdf[i] = i + 1;
  return cdf;
}
