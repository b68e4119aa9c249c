import { initNormal } from '@quiver/core';
import type { Rng, InteractionData, CsrMatrixWithValues, ModelKind } from '@quiver/base';
import { resolveBiasedMfOptions, type BiasedMfConfig, type BiasedMfOptions, type BiasedMfSolverOptions } from './biased-mf-options.js';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { biasedMfSgdEpoch } from './kernels/biased-mf-sgd-epoch.js';
import { MiniBatchTrainer } from './minibatch-trainer.js';
import { chooseGrid } from './parallel/block-grid.js';
import { BlockSgdEngine } from './parallel/block-sgd-engine.js';
import type { FitOptions } from './recommender.js';
import { HOOK_CHUNK, type BatchHook } from './recommender-base.js';
import { ridgeFoldIn } from './ridge-fold-in.js';
import type { OptimizerBuffers } from './training-state.js';
import type { DataShape } from './memory-budget.js';

/**
 * Biased matrix factorisation for explicit ratings (Koren's "SVD", Surprise's `SVD`):
 * `r̂ᵤᵢ = mu + bᵤ + bᵢ + ⟨pᵤ, qᵢ⟩`, trained by minimising the squared error with L2
 * regularisation. The default solver is a per-rating SGD loop over the typed arrays in a seeded
 * shuffled order; `solver: 'minibatch'` trains the same model through core `Embedding`s and
 * any core optimizer (see {@link BiasedMfSolverOptions}). Predictions are clipped to the range of the training ratings.
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
  protected override readonly usesUserItems = false;
  /** The hyper-parameters. */
  readonly config: Readonly<BiasedMfConfig>;
  private userIds: Int32Array = new Int32Array(0);
  private itemIds: Int32Array = new Int32Array(0);
  private ratings: Float32Array = new Float32Array(0);
  private order: Int32Array = new Int32Array(0);
  private readonly stats: Float64Array = new Float64Array(2);
  private miniBatch: MiniBatchTrainer | null = null;
  private engine: BlockSgdEngine | null = null;

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range (such as `factors` 0 or a negative `reg`).
   */
  constructor(options: BiasedMfOptions = {}) {
    super();
    this.config = resolveBiasedMfOptions('BiasedMF', options);
  }

  protected get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: true, itemBias: true, globalMean: true };
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrixWithValues | null, rng: Rng): void {
    const c = this.config;
    const r = data.ratings!;
    void this.engine?.stopWorkers();
    this.engine = null;
    const s = c.solver;
    if (s.kind === 'sgd' && s.schedule === 'blocks') {
      // The engine is built first: the model's tables then live in its memory (no copies per epoch).
      const grid = s.grid > 0 ? Math.max(s.grid, Math.ceil(Math.max(data.numUsers, data.numItems) / 65_535)) : chooseGrid(data.numUsers, data.numItems, c.factors);
      this.engine = new BlockSgdEngine(data.userIds, data.itemIds, r, data.numUsers, data.numItems, c.factors, grid, s.threads);
    }
    this.allocateWeights(data.numUsers, data.numItems);
    initNormal(this.userFactors, rng.fork('users'), 0, this.config.initStd);
    initNormal(this.itemFactors, rng.fork('items'), 0, this.config.initStd);
    this.setRatingStats(r);
    this.userIds = data.userIds;
    this.itemIds = data.itemIds;
    this.ratings = r;
    this.order = this.engine === null ? new Int32Array(r.length) : new Int32Array(0);
    this.miniBatch =
      s.kind === 'minibatch'
        ? new MiniBatchTrainer(
            { users: this.userEmbedding!, items: this.itemEmbedding!, userBias: this.userBiasEmbedding!, itemBias: this.itemBiasEmbedding! },
            this.globalMean,
            { factors: c.factors, lr: c.lr, lrBias: c.lrBias, reg: c.reg, regBias: c.regBias, batchSize: s.batchSize, optimizer: s.optimizer },
          )
        : null;
  }

  /**
   * Tables, plus the shuffle order (4 bytes a rating), or the block schedule's records (at most 8
   * bytes a rating), and the mini-batch optimizer's moments (SparseAdam 2, Adagrad 1 per weight).
   */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const s = this.config.solver;
    const parts = super.memoryParts(shape);
    const weights = parts['factor tables'] + parts['bias tables'];
    const blocks = s.kind === 'sgd' && s.schedule === 'blocks';
    return {
      ...parts,
      'training order': blocks ? shape.numInteractions * 8 : shape.numInteractions * 4,
      'optimizer state': s.kind === 'minibatch' ? weights * (s.optimizer === 'sparse-adam' ? 2 : s.optimizer === 'adagrad' ? 1 : 0) : 0,
    };
  }

  /** Weights of the block schedule live in its engine's memory when the sizes are the engine's. */
  protected override allocateWeights(numUsers: number, numItems: number): void {
    const e = this.engine;
    if (e !== null && e.tables().bu.length === numUsers && e.tables().bi.length === numItems) {
      super.allocateWeights(numUsers, numItems, e.tables());
    } else {
      void e?.stopWorkers();
      this.engine = null;
      super.allocateWeights(numUsers, numItems);
    }
  }

  /**
   * One epoch over every rating in a shuffled order that depends only on the seed and `epoch`.
   * @returns The mean squared training error of the epoch (each error measured just before its update).
   */
  protected runEpoch(epoch: number, onBatchEnd: BatchHook | null): number {
    const c = this.config;
    if (c.solver.kind === 'sgd') this.refuseFrozenTables(`${this.name}.fitEpoch`, `'sgd' solver`);
    if (this.engine !== null) return this.runBlockEpoch(this.engine, epoch, onBatchEnd);
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

  /**
   * One epoch of the `'blocks'` schedule: `grid` rounds in a seeded order, round `s` training
   * blocks `(r, (r + shift[s]) mod grid)`; with a batch hook, one batch per round (the model's
   * tables are the engine's, so the hook sees the weights as they are).
   */
  private runBlockEpoch(engine: BlockSgdEngine, epoch: number, onBatchEnd: BatchHook | null): number {
    const c = this.config;
    const decay = c.lrDecay ** epoch;
    const G = engine.grid;
    const shifts = this.epochRng(epoch).shuffle(iota(G));
    const step = { mu: this.globalMean[0], lr: c.lr * decay, lrBias: c.lrBias * decay, reg: c.reg, regBias: c.regBias };
    const blockIds = new Int32Array(G);
    let sse = 0;
    for (let s = 0; s < G; s++) {
      let count = 0;
      for (let r = 0; r < G; r++) {
        blockIds[r] = r * G + ((r + shifts[s]) % G);
        count += engine.blockSize(blockIds[r]);
      }
      // Largest blocks first, so threads taking blocks off the round's counter finish together
      // (the order within a round does not change the result: its blocks share no rows).
      blockIds.sort((a, b) => engine.blockSize(b) - engine.blockSize(a) || a - b);
      const roundSse = engine.runRound(blockIds, step);
      sse += roundSse;
      if (onBatchEnd !== null) onBatchEnd(s, { numBatches: G, loss: count > 0 ? roundSse / count : 0 });
    }
    return sse / this.ratings.length;
  }

  /**
   * Trains as {@link Recommender.fit}; then ends the worker threads of `threads > 1` (a later
   * `fitEpoch` starts them again).
   */
  override fit(data: InteractionData, options: FitOptions = {}): void {
    try {
      super.fit(data, options);
    } finally {
      void this.engine?.stopWorkers();
    }
  }

  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const c = this.config;
    return ridgeFoldIn(items, ratings!, this.itemFactors, this.itemBias!, this.globalMean[0], c.factors, c.reg, c.regBias, this.foldInPrior());
  }
}

function iota(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let j = 0; j < n; j++) a[j] = j;
  return a;
}
