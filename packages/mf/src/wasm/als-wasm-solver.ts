import type { CsrMatrixWithValues } from '@quiver/base';
import { WasmJobPool } from '../parallel/wasm-job-pool.js';
import { createFactorKernels, type FactorKernelExports, type FactorKernels } from './factor-kernels.js';

/** Rows per job of a multi-threaded half-sweep. */
const ROWS_PER_JOB = 256;

/** Arguments of one `cgSweep` job. */
const CG_ARGS = 12;

/** Per-row ridge terms of both sides (frequency-scaled regularisation; see `alsRowReg`). */
export interface AlsRowReg {
  /** `numUsers` terms `λᵤ`, added to the diagonal of each user's system. */
  readonly users: Float64Array;
  /** `numItems` terms `λᵢ`, added to the diagonal of each item's system. */
  readonly items: Float64Array;
}

const align = (n: number): number => (n + 15) & ~15;

/**
 * ALS sweeps with the wasm SIMD kernels of `factor-kernels.wat`: one wasm memory holds both
 * confidence matrices (user × item and its transpose, copied in once; the caller should then use
 * the views {@link AlsWasmSolver.userItems} / {@link AlsWasmSolver.itemUsers} and drop its own
 * copies) and the two factor tables, which the model adopts as its own weights
 * ({@link AlsWasmSolver.tables}): the sweeps update them in place, with no copy per epoch. The half-sweep with fewer rows
 * (items, usually) gets its right-hand sides `Σ c y` from one sequential pass over the other
 * side's rows (`scatterRows`), which avoids gathering random rows of the big table. Arithmetic is float32 (the
 * Gram matrix is accumulated in float64), against float64 in the plain `alsCgSweep`.
 *
 * With `threads > 1` the CG half-sweeps run in jobs of 256 rows on a {@link WasmJobPool} (each
 * thread with its own scratch); every row's solve reads only the other side's table and writes
 * only its own row, so the factors are bit-identical for every thread count. The Gram matrices
 * and `scatterRows` stay on the calling thread. {@link stop} ends the worker threads.
 *
 * With per-row ridge terms (`create`'s `rowReg`, kept in float32), each row's system gets its own
 * `λᵤ I` on top of `YᵀY + reg I` (pass `reg` 0 to {@link AlsWasmSolver.epoch} for Rendle et al.'s
 * frequency-scaled regularisation alone).
 *
 * @example
 * const s = AlsWasmSolver.create(ui, iu, 64);
 * if (s !== null) { const { X, Y } = s.tables(); init(X); init(Y); s.epoch(10, 3); }
 */
export class AlsWasmSolver {
  /** The user × item confidences, a view into wasm memory. */
  readonly userItems: CsrMatrixWithValues;
  /** The item × user confidences, a view into wasm memory. */
  readonly itemUsers: CsrMatrixWithValues;
  private readonly k: FactorKernelExports;
  private readonly buffer: ArrayBuffer;
  private readonly pool: WasmJobPool | null;
  private readonly at: { tmp: number; yty64: number; yty32: number; scratch: number; X: number; Y: number; B: number; ui: number[]; iu: number[]; userReg: number; itemReg: number };

  private constructor(kernels: FactorKernels, ui: CsrMatrixWithValues, iu: CsrMatrixWithValues, private readonly dim: number, threads: number, rowReg: AlsRowReg | null) {
    this.k = kernels.exports;
    const buffer = kernels.memory.buffer as ArrayBuffer;
    this.buffer = buffer;
    const maxRows = Math.max(ui.numRows, iu.numRows);
    this.pool = threads > 1 ? new WasmJobPool(kernels.module, kernels.memory, kernels.exports, ['cgSweep'], threads, Math.ceil(maxRows / ROWS_PER_JOB), CG_ARGS) : null;
    let p = 0;
    const take = (bytes: number): number => {
      const at = p;
      p = align(p + bytes);
      return at;
    };
    const tmp = take(32 * dim); // four rows in float64 (gram)
    const yty64 = take(8 * dim * dim);
    const yty32 = take(4 * dim * dim);
    const scratch = take(12 * dim * threads); // 3·dim float32 per thread
    const X = take(4 * dim * ui.numRows);
    const Y = take(4 * dim * iu.numRows);
    const B = take(4 * dim * Math.min(ui.numRows, iu.numRows));
    const place = (m: CsrMatrixWithValues): { at: number[]; view: CsrMatrixWithValues } => {
      const nnz = m.indptr[m.numRows];
      const a = [take(4 * (m.numRows + 1)), take(4 * nnz), take(4 * nnz)];
      const view: CsrMatrixWithValues = {
        numRows: m.numRows,
        numCols: m.numCols,
        indptr: new Int32Array(buffer, a[0], m.numRows + 1),
        indices: new Int32Array(buffer, a[1], nnz),
        values: new Float32Array(buffer, a[2], nnz),
      };
      view.indptr.set(m.indptr);
      view.indices.set(m.indices.subarray(0, nnz));
      view.values.set(m.values.subarray(0, nnz));
      return { at: a, view };
    };
    const u = place(ui);
    const i = place(iu);
    this.userItems = u.view;
    this.itemUsers = i.view;
    // Per-row ridge terms in float32 (0: none).
    const placeReg = (terms: Float64Array): number => {
      const at = take(4 * terms.length);
      new Float32Array(buffer, at, terms.length).set(terms);
      return at;
    };
    const userReg = rowReg === null ? 0 : placeReg(rowReg.users);
    const itemReg = rowReg === null ? 0 : placeReg(rowReg.items);
    this.at = { tmp, yty64, yty32, scratch, X, Y, B, ui: u.at, iu: i.at, userReg, itemReg };
  }

  /** Bytes of wasm memory needed for these matrices at `dim` factors. */
  private static bytes(ui: CsrMatrixWithValues, iu: CsrMatrixWithValues, dim: number, threads: number, rowReg: boolean): number {
    const nnz = ui.indptr[ui.numRows];
    return align(32 * dim) + align(8 * dim * dim) + align(4 * dim * dim) + align(12 * dim * threads) + align(4 * dim * ui.numRows) +
      align(4 * dim * iu.numRows) + align(4 * dim * Math.min(ui.numRows, iu.numRows)) + align(4 * (ui.numRows + 1)) + align(4 * (iu.numRows + 1)) + 4 * align(4 * nnz) +
      (rowReg ? align(4 * ui.numRows) + align(4 * iu.numRows) : 0);
  }

  /**
   * @param ui - User × item confidences.
   * @param iu - Their transpose.
   * @param threads - Threads of the CG half-sweeps, including the calling one (1–16).
   * @param rowReg - Per-row ridge terms of the users and the items (copied in as float32), or null for none.
   * @returns A solver, or `null` when `dim` is not a multiple of 4 or wasm SIMD (or the memory)
   * is unavailable.
   */
  static create(ui: CsrMatrixWithValues, iu: CsrMatrixWithValues, dim: number, threads = 1, rowReg: AlsRowReg | null = null): AlsWasmSolver | null {
    if (dim % 4 !== 0) return null;
    const kernels = createFactorKernels(AlsWasmSolver.bytes(ui, iu, dim, threads, rowReg !== null));
    if (kernels === null) return null;
    return new AlsWasmSolver(kernels, ui, iu, dim, threads, rowReg);
  }

  /**
   * Ends the worker threads of `threads > 1` (a later epoch starts them again).
   * @returns Resolves with their exit codes.
   */
  stop(): Promise<number[]> {
    return this.pool === null ? Promise.resolve([]) : this.pool.stop();
  }

  /** Worker threads running now. */
  get numWorkers(): number {
    return this.pool?.numWorkers ?? 0;
  }

  /** One CG half-sweep over `numRows` rows: on the calling thread, or in row jobs on the pool. */
  private cgSweep(m: number[], Y: number, X: number, numRows: number, yty: number, cgSteps: number, b: number, rowReg: number): void {
    const { dim, k, at, pool } = this;
    if (pool === null) {
      k.cgSweep(m[0], m[1], m[2], Y, X, numRows, dim, yty, cgSteps, at.scratch, b, rowReg);
      return;
    }
    const jobs = Math.ceil(numRows / ROWS_PER_JOB);
    const a = pool.args;
    for (let j = 0; j < jobs; j++) {
      const r0 = j * ROWS_PER_JOB;
      const o = j * CG_ARGS;
      // Row r0's CSR offsets start at indptr + 4·r0 (offsets are absolute, so indices/conf stay put).
      a[o] = m[0] + 4 * r0;
      a[o + 1] = m[1];
      a[o + 2] = m[2];
      a[o + 3] = Y;
      a[o + 4] = X + 4 * dim * r0;
      a[o + 5] = Math.min(ROWS_PER_JOB, numRows - r0);
      a[o + 6] = dim;
      a[o + 7] = yty;
      a[o + 8] = cgSteps;
      a[o + 9] = 0; // scratch, per thread
      a[o + 10] = b === 0 ? 0 : b + 4 * dim * r0;
      a[o + 11] = rowReg === 0 ? 0 : rowReg + 4 * r0;
    }
    pool.run(0, jobs, CG_ARGS, { arg: 9, base: at.scratch, stride: 12 * dim });
  }

  /**
   * The user (`X`, `numUsers × dim`) and item (`Y`, `numItems × dim`) factor tables: views of the
   * solver's memory, which {@link AlsWasmSolver.epoch} updates in place. A model uses them as its weights.
   */
  tables(): { X: Float32Array; Y: Float32Array } {
    return {
      X: new Float32Array(this.buffer, this.at.X, this.userItems.numRows * this.dim),
      Y: new Float32Array(this.buffer, this.at.Y, this.itemUsers.numRows * this.dim),
    };
  }

  /**
   * One ALS iteration on {@link AlsWasmSolver.tables}, in place: users given items, then items
   * given users (`cgSteps` CG steps per row), every system with `reg I` plus its row's own ridge
   * term when the solver has them.
   */
  epoch(reg: number, cgSteps: number): void {
    const { dim, k, at } = this;
    const nu = this.userItems.numRows;
    const ni = this.itemUsers.numRows;
    // The side with fewer rows gets its right-hand sides Σ c y by one sequential pass over the
    // other side's rows (scatter into a small table) instead of gathering rows of the big table.
    const scatterUsers = nu < ni;
    k.gram(at.Y, ni, dim, reg, at.yty64, at.yty32, at.tmp);
    if (scatterUsers) k.scatterRows(at.iu[0], at.iu[1], at.iu[2], at.Y, ni, dim, at.B, nu);
    this.cgSweep(at.ui, at.Y, at.X, nu, at.yty32, cgSteps, scatterUsers ? at.B : 0, at.userReg);
    k.gram(at.X, nu, dim, reg, at.yty64, at.yty32, at.tmp);
    if (!scatterUsers) k.scatterRows(at.ui[0], at.ui[1], at.ui[2], at.X, nu, dim, at.B, ni);
    this.cgSweep(at.iu, at.X, at.Y, ni, at.yty32, cgSteps, scatterUsers ? 0 : at.B, at.itemReg);
  }

  /**
   * `YᵀY + reg·I` of the item table (float64, as `gramMatrix`), for tests.
   * @returns A new `dim × dim` Float64Array.
   */
  itemGram(reg: number): Float64Array {
    this.k.gram(this.at.Y, this.itemUsers.numRows, this.dim, reg, this.at.yty64, this.at.yty32, this.at.tmp);
    return new Float64Array(this.buffer, this.at.yty64, this.dim * this.dim).slice();
  }
}
