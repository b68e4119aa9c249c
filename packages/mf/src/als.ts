import { initUniform } from '@quiver/core';
import { transposeCsr, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { resolveAlsOptions, type AlsConfig, type AlsOptions } from './als-options.js';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { alsCgSweep } from './kernels/als-cg-sweep.js';
import { alsCholeskySweep, alsSolveRow } from './kernels/als-cholesky-sweep.js';
import { alsLoss } from './kernels/als-loss.js';
import { alsRowReg } from './kernels/als-row-reg.js';
import { gramMatrix } from './kernels/gram-matrix.js';
import type { FitOptions } from './recommender.js';
import { AlsWasmSolver, type AlsRowReg } from './wasm/als-wasm-solver.js';
import type { DataShape } from './memory-budget.js';


/**
 * Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): minimises
 * `Σᵤᵢ cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²)` over all user–item pairs, with `pᵤᵢ = 1` and
 * `cᵤᵢ = 1 + alpha · value` for observed pairs and `pᵤᵢ = 0, cᵤᵢ = 1` otherwise. Each sweep
 * solves every user with the items fixed, then every item with the users fixed, using the
 * precomputed `YᵀY` so a row costs O(nᵤ · factors²), never O(numItems). Factors start uniform in
 * `[0, 0.01)` (as implicit).
 *
 * With `reg: { kind: 'frequency', scale, exponent }` every row gets its own ridge term
 * `λᵤ = scale · wᵤ^exponent`, `wᵤ` the row's summed confidences over all items (Rendle, Krichene,
 * Zhang & Koren 2022's frequency-scaled regularisation; `ialsOptions` maps their
 * parametrisation to these options).
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
  /** Per-user and per-item ridge terms of frequency-scaled `reg` (null for a uniform `reg`). */
  private rowReg: AlsRowReg | null = null;
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
   * their copies in the solver's memory, one k × k system per thread, and the per-row ridge terms
   * of a frequency-scaled `reg`.
   */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const k = this.config.factors;
    const s = this.config.solver;
    const n = shape.numInteractions;
    const rows = shape.numUsers + shape.numItems;
    return {
      ...super.memoryParts(shape),
      'interaction matrices': n * 12 + (shape.numItems + 1) * 4 + (s.kind === 'cg' ? n * 16 + (rows + 2) * 4 : 0),
      'solver buffers': ((s.kind === 'cg' ? s.threads : 1) + 1) * k * k * 8 + (typeof this.config.reg === 'number' ? 0 : rows * (s.kind === 'cg' ? 12 : 8)),
    };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, rng: Rng): void {
    const conf = userItems.values.slice();
    const { alpha, useRatings } = this.config;
    for (let p = 0; p < conf.length; p++) conf[p] = 1 + alpha * (useRatings ? conf[p] : 1);
    this.userItems = { ...userItems, values: conf };
    this.itemUsers = transposeCsr(this.userItems);
    const k = this.config.factors;
    const reg = this.config.reg;
    this.rowReg = null;
    if (typeof reg !== 'number') {
      const ui = this.userItems;
      const iu = this.itemUsers;
      const users = new Float64Array(ui.numRows);
      const items = new Float64Array(iu.numRows);
      alsRowReg(ui.indptr, ui.values, ui.numRows, iu.numRows, reg.scale, reg.exponent, users);
      alsRowReg(iu.indptr, iu.values, iu.numRows, ui.numRows, reg.scale, reg.exponent, items);
      this.rowReg = { users, items };
    }
    // CG with factors % 4 === 0 runs in wasm SIMD; the matrices then live in wasm memory only.
    void this.wasm?.stop();
    const s = this.config.solver;
    this.wasm = s.kind === 'cg' ? AlsWasmSolver.create(this.userItems, this.itemUsers, k, s.threads, this.rowReg) : null;
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
    // A frequency-scaled reg lives in the per-row terms only; the shared Gram matrix gets none.
    const reg = typeof c.reg === 'number' ? c.reg : 0;
    const rr = this.rowReg;
    if (this.wasm !== null && c.solver.kind === 'cg') {
      this.wasm.epoch(reg, c.solver.steps);
    } else {
      gramMatrix(this.itemFactors, this.numItems, k, reg, yty);
      this.sweep(ui, this.itemFactors, this.userFactors, this.numUsers, yty, scratch, rr?.users ?? null);
      gramMatrix(this.userFactors, this.numUsers, k, reg, yty);
      this.sweep(iu, this.userFactors, this.itemFactors, this.numItems, yty, scratch, rr?.items ?? null);
    }
    if (!c.computeLoss) return NaN;
    gramMatrix(this.itemFactors, this.numItems, k, 0, yty);
    return alsLoss(ui.indptr, ui.indices, ui.values, this.userFactors, this.itemFactors, this.numUsers, this.numItems, k, reg, yty, scratch, rr?.users ?? null, rr?.items ?? null);
  }

  private sweep(m: CsrMatrixWithValues, Y: Float32Array, X: Float32Array, numRows: number, yty: Float64Array, scratch: Float64Array, rowReg: Float64Array | null): void {
    const c = this.config;
    if (c.solver.kind === 'cg') alsCgSweep(m.indptr, m.indices, m.values, Y, X, numRows, c.factors, yty, c.solver.steps, scratch, rowReg);
    else alsCholeskySweep(m.indptr, m.indices, m.values, Y, X, numRows, c.factors, yty, scratch, rowReg);
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

  /**
   * The new user's exact solve against the fixed items; with a frequency-scaled `reg` the ridge
   * term is the one a training user with these interactions would get.
   */
  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const { factors: k, reg, alpha, useRatings } = this.config;
    this.refreshCaches();
    if (this.itemGramCache === null) {
      this.itemGramCache = new Float64Array(k * k);
      gramMatrix(this.itemFactors, this.numItems, k, typeof reg === 'number' ? reg : 0, this.itemGramCache);
    }
    const conf = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) conf[n] = 1 + alpha * (useRatings && ratings !== null ? ratings[n] : 1);
    let lambda = 0;
    if (typeof reg !== 'number') {
      const term = new Float64Array(1);
      alsRowReg(Int32Array.of(0, items.length), conf, 1, this.numItems, reg.scale, reg.exponent, term);
      lambda = term[0];
    }
    const a = new Float64Array(k * k);
    const b = new Float64Array(k);
    alsSolveRow(0, items.length, items, conf, this.itemFactors, k, this.itemGramCache, a, b, lambda);
    return Float32Array.from(b);
  }
}
