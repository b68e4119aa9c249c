import { initUniform } from '@quiver/core';
import { transposeCsr, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { resolveAlsOptions, type AlsConfig, type AlsOptions } from './als-options.js';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { alsCgSweep } from './kernels/als-cg-sweep.js';
import { alsCholeskySweep, alsSolveRow } from './kernels/als-cholesky-sweep.js';
import { alsLoss } from './kernels/als-loss.js';
import { gramMatrix } from './kernels/gram-matrix.js';
import type { FitOptions } from './recommender.js';
import { AlsWasmSolver } from './wasm/als-wasm-solver.js';
import type { DataShape } from './memory-budget.js';


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
    this.config = resolveAlsOptions('ALS', options);
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
    const s = this.config.solver;
    const n = shape.numInteractions;
    return {
      ...super.memoryParts(shape),
      'interaction matrices': n * 12 + (shape.numItems + 1) * 4 + (s.kind === 'cg' ? n * 16 + (shape.numUsers + shape.numItems + 2) * 4 : 0),
      'solver buffers': ((s.kind === 'cg' ? s.threads : 1) + 1) * k * k * 8,
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
    const s = this.config.solver;
    this.wasm = s.kind === 'cg' ? AlsWasmSolver.create(this.userItems, this.itemUsers, k, s.threads) : null;
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
    const scratch = new Float64Array(c.solver.kind === 'cg' ? 4 * k : k * k + k);
    if (this.wasm !== null && c.solver.kind === 'cg') {
      this.wasm.epoch(c.reg, c.solver.steps);
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
    if (c.solver.kind === 'cg') alsCgSweep(m.indptr, m.indices, m.values, Y, X, numRows, c.factors, yty, c.solver.steps, scratch);
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
