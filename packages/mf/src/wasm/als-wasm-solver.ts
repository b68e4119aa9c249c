import type { CsrMatrix } from '../sparse-matrix.js';
import { createFactorKernels, type FactorKernelExports } from './factor-kernels.js';

const align = (n: number): number => (n + 15) & ~15;

/**
 * ALS sweeps with the wasm SIMD kernels of `factor-kernels.wat`: one wasm memory holds both
 * confidence matrices (user × item and its transpose, copied in once; the caller should then use
 * the views {@link AlsWasmSolver.userItems} / {@link AlsWasmSolver.itemUsers} and drop its own
 * copies) and the two factor tables, which are copied in at the start of each epoch and back at
 * its end, so the model's `Float32Array`s stay the source of truth. The half-sweep with fewer rows
 * (items, usually) gets its right-hand sides `Σ c y` from one sequential pass over the other
 * side's rows (`scatterRows`), which avoids gathering random rows of the big table. Arithmetic is float32 (the
 * Gram matrix is accumulated in float64), against float64 in the plain `alsCgSweep`.
 *
 * @example
 * const s = AlsWasmSolver.create(ui, iu, 64);
 * if (s !== null) s.epoch(userFactors, itemFactors, 10, 3);
 */
export class AlsWasmSolver {
  /** The user × item confidences, a view into wasm memory. */
  readonly userItems: CsrMatrix;
  /** The item × user confidences, a view into wasm memory. */
  readonly itemUsers: CsrMatrix;
  private readonly k: FactorKernelExports;
  private readonly buffer: ArrayBuffer;
  private readonly at: { tmp: number; yty64: number; yty32: number; scratch: number; X: number; Y: number; B: number; ui: number[]; iu: number[] };

  private constructor(k: FactorKernelExports, buffer: ArrayBuffer, ui: CsrMatrix, iu: CsrMatrix, private readonly dim: number) {
    this.k = k;
    this.buffer = buffer;
    let p = 0;
    const take = (bytes: number): number => {
      const at = p;
      p = align(p + bytes);
      return at;
    };
    const tmp = take(8 * dim);
    const yty64 = take(8 * dim * dim);
    const yty32 = take(4 * dim * dim);
    const scratch = take(12 * dim);
    const X = take(4 * dim * ui.numRows);
    const Y = take(4 * dim * iu.numRows);
    const B = take(4 * dim * Math.min(ui.numRows, iu.numRows));
    const place = (m: CsrMatrix): { at: number[]; view: CsrMatrix } => {
      const nnz = m.indptr[m.numRows];
      const a = [take(4 * (m.numRows + 1)), take(4 * nnz), take(4 * nnz)];
      const view: CsrMatrix = {
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
    this.at = { tmp, yty64, yty32, scratch, X, Y, B, ui: u.at, iu: i.at };
  }

  /** Bytes of wasm memory needed for these matrices at `dim` factors. */
  private static bytes(ui: CsrMatrix, iu: CsrMatrix, dim: number): number {
    const nnz = ui.indptr[ui.numRows];
    return align(8 * dim) + align(8 * dim * dim) + align(4 * dim * dim) + align(12 * dim) + align(4 * dim * ui.numRows) +
      align(4 * dim * iu.numRows) + align(4 * dim * Math.min(ui.numRows, iu.numRows)) + align(4 * (ui.numRows + 1)) + align(4 * (iu.numRows + 1)) + 4 * align(4 * nnz);
  }

  /**
   * @param ui - User × item confidences.
   * @param iu - Their transpose.
   * @returns A solver, or `null` when `dim` is not a multiple of 4 or wasm SIMD (or the memory)
   * is unavailable.
   */
  static create(ui: CsrMatrix, iu: CsrMatrix, dim: number): AlsWasmSolver | null {
    if (dim % 4 !== 0) return null;
    const kernels = createFactorKernels(AlsWasmSolver.bytes(ui, iu, dim));
    if (kernels === null) return null;
    return new AlsWasmSolver(kernels.exports, kernels.memory.buffer as ArrayBuffer, ui, iu, dim);
  }

  /**
   * One ALS iteration: users given items, then items given users (`cgSteps` CG steps per row).
   * Reads and updates `userFactors` and `itemFactors` in place.
   */
  epoch(userFactors: Float32Array, itemFactors: Float32Array, reg: number, cgSteps: number): void {
    const { dim, k, at } = this;
    const nu = this.userItems.numRows;
    const ni = this.itemUsers.numRows;
    const X = new Float32Array(this.buffer, at.X, nu * dim);
    const Y = new Float32Array(this.buffer, at.Y, ni * dim);
    X.set(userFactors);
    Y.set(itemFactors);
    // The side with fewer rows gets its right-hand sides Σ c y by one sequential pass over the
    // other side's rows (scatter into a small table) instead of gathering rows of the big table.
    const scatterUsers = nu < ni;
    k.gram(at.Y, ni, dim, reg, at.yty64, at.yty32, at.tmp);
    if (scatterUsers) k.scatterRows(at.iu[0], at.iu[1], at.iu[2], at.Y, ni, dim, at.B, nu);
    k.cgSweep(at.ui[0], at.ui[1], at.ui[2], at.Y, at.X, nu, dim, at.yty32, cgSteps, at.scratch, scatterUsers ? at.B : 0);
    k.gram(at.X, nu, dim, reg, at.yty64, at.yty32, at.tmp);
    if (!scatterUsers) k.scatterRows(at.ui[0], at.ui[1], at.ui[2], at.X, nu, dim, at.B, ni);
    k.cgSweep(at.iu[0], at.iu[1], at.iu[2], at.X, at.Y, ni, dim, at.yty32, cgSteps, at.scratch, scatterUsers ? 0 : at.B);
    userFactors.set(X);
    itemFactors.set(Y);
  }

  /**
   * `YᵀY + reg·I` of `table` (float64, as `gramMatrix`), for tests and the loss.
   * @returns A new `dim × dim` Float64Array.
   */
  gram(table: Float32Array, reg: number): Float64Array {
    const n = table.length / this.dim;
    new Float32Array(this.buffer, this.at.Y, table.length).set(table);
    this.k.gram(this.at.Y, n, this.dim, reg, this.at.yty64, this.at.yty32, this.at.tmp);
    return new Float64Array(this.buffer, this.at.yty64, this.dim * this.dim).slice();
  }
}
