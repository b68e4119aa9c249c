import { initUniform } from '@quiver/core';
import { checkBoolean, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, transposeCsr, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind, quiverError } from '@quiver/base';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { checkNonNegative, checkSeed, checkThreads } from './hyper.js';
import { alsCgSweep } from './kernels/als-cg-sweep.js';
import { alsCholeskySweep, alsSolveRow } from './kernels/als-cholesky-sweep.js';
import { alsLoss } from './kernels/als-loss.js';
import { gramMatrix } from './kernels/gram-matrix.js';
import type { FitOptions } from './recommender.js';
import { AlsWasmSolver } from './wasm/als-wasm-solver.js';
import type { DataShape } from './memory-budget.js';

/** Options of {@link ALS}. Defaults were tuned on ml-latest-small (see the package README). */
export interface AlsOptions {
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /** Alternating sweeps (users then items) of `fit`. @defaultValue 15 */
  epochs?: number;
  /** L2 regularisation λ of both tables (on the scale of a row's summed confidences). @defaultValue 10 */
  reg?: number;
  /**
   * Confidence slope: an observed pair has confidence `1 + alpha · value`. The default 0 weighs
   * observed and unobserved pairs alike (implicit's default `alpha = 1` does the same, since
   * implicit uses `c = alpha · value`); raise it for counts or strong signals.
   * @defaultValue 0
   */
  alpha?: number;
  /**
   * Use the ratings as the values in the confidence; otherwise every interaction has value 1
   * (repeated interactions add up either way).
   * @defaultValue false
   */
  useRatings?: boolean;
  /** `'cg'`: a few conjugate-gradient steps per row, warm-started (implicit's default); `'cholesky'`: the exact solve. @defaultValue 'cg' */
  solver?: 'cg' | 'cholesky';
  /** CG steps per row and sweep. @defaultValue 3 */
  cgSteps?: number;
  /** Compute the training loss after each epoch (costs about one extra half-sweep); when false `fitEpoch` returns NaN. @defaultValue true */
  computeLoss?: boolean;
  /** Seed of the initial factors. @defaultValue 42 */
  seed?: number;
  /**
   * Threads of the CG half-sweeps (worker threads over shared WebAssembly memory plus the calling
   * thread, 1–16). Every row's solve is independent, so the factors are the same for every thread
   * count. More than 1 needs `solver: 'cg'` and `factors` a multiple of 4 (the SIMD kernels).
   * @defaultValue 1
   */
  threads?: number;
}

/** The resolved hyper-parameters of an {@link ALS}. */
export type AlsConfig = Required<AlsOptions>;

const OPTION_NAMES = ['factors', 'epochs', 'reg', 'alpha', 'useRatings', 'solver', 'cgSteps', 'computeLoss', 'seed', 'threads'];

/**
 * Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): minimises
 * `Σᵤᵢ cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²)` over all user–item pairs, with `pᵤᵢ = 1` and
 * `cᵤᵢ = 1 + alpha · value` for observed pairs and `pᵤᵢ = 0, cᵤᵢ = 1` otherwise. Each sweep
 * solves every user with the items fixed, then every item with the users fixed, using the
 * precomputed `YᵀY` so a row costs O(nᵤ · factors²), never O(numItems). Factors start uniform in
 * `[0, 0.01)` (as implicit).
 *
 * `foldIn` solves the same least-squares problem exactly for a new user against the fixed
 * item factors (implicit's `recalculate_user`); ratings are used as values when `useRatings`.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const als = new ALS({ factors: 64, alpha: 10 });
 * als.fit(train);
 * als.similarItems(3, 5);
 */
export class ALS extends FactorModel {
  readonly kind: ModelKind = 'als';
  protected readonly name = 'ALS';
  protected readonly needsRatings = false;
  /** The hyper-parameters. */
  readonly config: Readonly<AlsConfig>;
  private userItems: CsrMatrixWithValues | null = null;
  private itemUsers: CsrMatrixWithValues | null = null;
  private yty: Float64Array | null = null;
  private itemGramCache: Float64Array | null = null;
  private wasm: AlsWasmSolver | null = null;

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range.
   */
  constructor(options: AlsOptions = {}) {
    super();
    const where = 'ALS';
    checkOptionNames(where, options, OPTION_NAMES);
    const o = options;
    this.config = {
      factors: checkPositiveInt(where, 'factors', o.factors ?? 64),
      epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 15),
      reg: checkNonNegative(where, 'reg', o.reg ?? 10),
      alpha: checkNonNegative(where, 'alpha', o.alpha ?? 0),
      useRatings: checkBoolean(where, 'useRatings', o.useRatings ?? false),
      solver: checkOneOf(where, 'solver', o.solver ?? 'cg', ['cg', 'cholesky']),
      cgSteps: checkPositiveInt(where, 'cgSteps', o.cgSteps ?? 3),
      computeLoss: checkBoolean(where, 'computeLoss', o.computeLoss ?? true),
      seed: checkSeed(where, o.seed ?? 42),
      threads: checkThreads(where, o.threads ?? 1, o.factors ?? 64),
    };
    const c = this.config;
    if (c.threads > 1 && c.solver !== 'cg') {
      throw quiverError('RangeError', { where, what: `threads > 1 requires solver 'cg'`, got: `threads ${c.threads} with solver '${c.solver}'` });
    }
  }

  protected get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: false, itemBias: false, globalMean: false };
  }

  /**
   * The tables, the confidence values and the item × user transpose (12 bytes an interaction),
   * their copies in the solver's memory, and one k × k system per thread.
   */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const k = this.config.factors;
    const n = shape.numInteractions;
    return {
      ...super.memoryParts(shape),
      'interaction matrices': n * 12 + (shape.numItems + 1) * 4 + (this.config.solver === 'cg' ? n * 16 + (shape.numUsers + shape.numItems + 2) * 4 : 0),
      'solver buffers': (this.config.threads + 1) * k * k * 8,
    };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, rng: Rng): void {
    const conf = userItems.values.slice();
    const { alpha, useRatings } = this.config;
    for (let p = 0; p < conf.length; p++) conf[p] = 1 + alpha * (useRatings ? conf[p] : 1);
    this.userItems = { ...userItems, values: conf };
    this.itemUsers = transposeCsr(this.userItems);
    const k = this.config.factors;
    // CG with factors % 4 === 0 runs in wasm SIMD; the matrices then live in wasm memory only.
    void this.wasm?.stop();
    this.wasm = this.config.solver === 'cg' ? AlsWasmSolver.create(this.userItems, this.itemUsers, k, this.config.threads) : null;
    if (this.wasm !== null) {
      this.userItems = this.wasm.userItems;
      this.itemUsers = this.wasm.itemUsers;
    }
    // With the wasm solver the factor tables live in its memory (no copies per sweep).
    this.allocateWeights(data.numUsers, data.numItems);
    initUniform(this.userFactors, rng.fork('users'), 0, 0.01);
    initUniform(this.itemFactors, rng.fork('items'), 0, 0.01);
    this.yty = new Float64Array(k * k);
  }

  /** The solver's tables become the model's weights when the sizes are the solver's. */
  protected override allocateWeights(numUsers: number, numItems: number): void {
    const w = this.wasm;
    if (w !== null && w.userItems.numRows === numUsers && w.itemUsers.numRows === numItems) {
      const { X, Y } = w.tables();
      super.allocateWeights(numUsers, numItems, { P: X, Q: Y, bu: new Float32Array(0), bi: new Float32Array(0) });
    } else {
      void w?.stop();
      this.wasm = null;
      super.allocateWeights(numUsers, numItems);
    }
  }

  /**
   * One sweep: users given items, then items given users.
   * @returns The weighted loss after the sweep (see `alsLoss`), or NaN when `computeLoss` is false.
   */
  protected runEpoch(_epoch: number): number {
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'ALS sweep');
    const c = this.config;
    const k = c.factors;
    const ui = this.userItems!;
    const iu = this.itemUsers!;
    const yty = this.yty!;
    const scratch = new Float64Array(c.solver === 'cg' ? 4 * k : k * k + k);
    if (this.wasm !== null) {
      this.wasm.epoch(c.reg, c.cgSteps);
      if (!c.computeLoss) return NaN;
      gramMatrix(this.itemFactors, this.numItems, k, 0, yty);
      return alsLoss(ui.indptr, ui.indices, ui.values, this.userFactors, this.itemFactors, this.numUsers, this.numItems, k, c.reg, yty, scratch);
    }
    gramMatrix(this.itemFactors, this.numItems, k, c.reg, yty);
    this.sweep(ui, this.itemFactors, this.userFactors, this.numUsers, yty, scratch);
    gramMatrix(this.userFactors, this.numUsers, k, c.reg, yty);
    this.sweep(iu, this.userFactors, this.itemFactors, this.numItems, yty, scratch);
    if (!c.computeLoss) return NaN;
    gramMatrix(this.itemFactors, this.numItems, k, 0, yty);
    return alsLoss(ui.indptr, ui.indices, ui.values, this.userFactors, this.itemFactors, this.numUsers, this.numItems, k, c.reg, yty, scratch);
  }

  private sweep(m: CsrMatrixWithValues, Y: Float32Array, X: Float32Array, numRows: number, yty: Float64Array, scratch: Float64Array): void {
    const c = this.config;
    if (c.solver === 'cg') alsCgSweep(m.indptr, m.indices, m.values, Y, X, numRows, c.factors, yty, c.cgSteps, scratch);
    else alsCholeskySweep(m.indptr, m.indices, m.values, Y, X, numRows, c.factors, yty, scratch);
  }

  protected override weightsChanged(): void {
    super.weightsChanged();
    this.itemGramCache = null;
  }

  /**
   * Trains as {@link Recommender.fit}; then ends the worker threads of `threads > 1` (a later
   * `fitEpoch` starts them again).
   */
  override fit(data: InteractionData, options: FitOptions = {}): void {
    try {
      super.fit(data, options);
    } finally {
      void this.wasm?.stop();
    }
  }

  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const { factors: k, reg, alpha, useRatings } = this.config;
    this.refreshCaches();
    if (this.itemGramCache === null) {
      this.itemGramCache = new Float64Array(k * k);
      gramMatrix(this.itemFactors, this.numItems, k, reg, this.itemGramCache);
    }
    const conf = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) conf[n] = 1 + alpha * (useRatings && ratings !== null ? ratings[n] : 1);
    const a = new Float64Array(k * k);
    const b = new Float64Array(k);
    alsSolveRow(0, items.length, items, conf, this.itemFactors, k, this.itemGramCache, a, b);
    return Float32Array.from(b);
  }
}
