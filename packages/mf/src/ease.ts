import { Tensor } from '@quiver/core';
import { checkOptionNames, quiverError, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative, checkPlainThreads } from './hyper.js';
import { cooccurrenceGram } from './kernels/cooccurrence-gram.js';
import { easeWeightsByUsers } from './kernels/ease-weights-by-users.js';
import { easeWeights } from './kernels/spd-inverse.js';
import type { DataShape } from './memory-budget.js';
import type { ModelWeights } from './recommender.js';
import { UserHistoryModel } from './user-history-model.js';

/** Options of {@link EASE}. */
export interface EASEOptions {
  /**
   * The L2 penalty λ on the item–item weights, added to the diagonal of `XᵀX`; it grows with the
   * data (Steck used 500 on ML-20M). The default was chosen on validation splits of
   * ml-latest-small's training part (`packages/train/bench/tune-implicit.mjs`). @defaultValue 800
   */
  lambda?: number;
  /**
   * Threads inverting the matrix (the calling one plus worker threads), 1–16; `B` is the same
   * for every count. More than 1 pays off from a few thousand items (see `spdInverse`).
   * @defaultValue 1
   */
  threads?: number;
}

/** The resolved options of an {@link EASE} (`model.config`). */
export type EASEConfig = Readonly<Required<EASEOptions>>;

/** Weight name of EASE's dense item–item matrix `B`, shape `[numItems, numItems]`. */
export const EASE_WEIGHTS = 'item_weights';

/**
 * EASE, the embarrassingly shallow autoencoder (Steck 2019): a dense item × item weight matrix
 * `B` with a zero diagonal that reconstructs each user's binary interaction row, in closed form
 * `B = I − P·diag(1/diag(P))`, `P = (XᵀX + λI)⁻¹` (the minimiser of `‖X − XB‖² + λ‖B‖²` with
 * `diag(B) = 0`). A user's scores are `x_u·B`: the sum of the rows of `B` of the user's items.
 *
 * Training builds `XᵀX` in float64 (`items² × 8` bytes) and inverts it in place (blocked
 * Cholesky, `items³` flops, see `spdInverse`); `B` is kept in float32 (`items² × 4` bytes).
 * When there are fewer users than items (and λ > 0) it inverts the users' `XXᵀ + λI` instead,
 * through the Woodbury identity (`users³ + (users + items)·interactions` flops, see
 * `easeWeightsByUsers`): the same `B` up to rounding.
 * The memory grows with the square of the catalogue: `fit` refuses a catalogue whose matrices
 * do not fit in `maxMemory`, and the error says how many bytes it would need. See
 * {@link UserHistoryModel} for fold-in, `similarUsers` and the saved histories;
 * `similarItems(i)` ranks items by `B[i, j]` (how much item `i` raises the score of `j`).
 * @example
 * const ease = new EASE({ lambda: 400 });
 * ease.fit(train);
 * ease.recommend(0, 10);
 */
export class EASE extends UserHistoryModel {
  readonly kind: ModelKind = 'ease';
  protected readonly name = 'EASE';
  /** The resolved options. */
  readonly config: EASEConfig;
  /** `B`, row-major `numItems × numItems`. */
  private B = new Float32Array(0);
  private n = 0;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a negative or non-finite `lambda`.
   */
  constructor(options: EASEOptions = {}) {
    super();
    checkOptionNames('EASE', options, ['lambda', 'threads']);
    this.config = { lambda: checkNonNegative('EASE', 'lambda', options.lambda ?? 800), threads: checkPlainThreads('EASE', options.threads ?? 1) };
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  /** The float64 Gram matrix being inverted and the float32 `B`. */
  protected modelMemoryParts(shape: DataShape): Record<string, number> {
    const { numUsers: m, numItems: n } = shape;
    const byUsers = this.byUsers(m, n);
    return {
      'Gram matrix (float64)': n * n * 8,
      'item weights (float32)': n * n * 4,
      "users' inverse and product (float64)": byUsers ? (m * m + m * n) * 8 : 0,
      // The SIMD inverse works on a copy in WebAssembly memory (at most 4 GiB).
      'inverse working copy (WebAssembly)': Math.min(4 * 2 ** 30, (byUsers ? m * m : n * n) * 8),
    };
  }

  /** The Woodbury path: fewer users than items (it needs λ > 0). */
  private byUsers(numUsers: number, numItems: number): boolean {
    return numUsers < numItems && this.config.lambda > 0;
  }

  protected override get memoryAdvice(): string {
    return 'EASE holds two dense items × items matrices (12 bytes per item pair): keep fewer items (for example those with at least a few interactions)';
  }

  protected computeModel(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues): void {
    const n = this.n;
    const m = userItems.numRows;
    const gram = new Float64Array(n * n);
    if (this.byUsers(m, n)) {
      easeWeightsByUsers(userItems.indptr, userItems.indices, itemUsers.indptr, itemUsers.indices, m, n, this.config.lambda, gram, { threads: this.config.threads });
    } else {
      cooccurrenceGram(userItems.indptr, userItems.indices, m, n, gram);
      easeWeights(gram, n, this.config.lambda, { threads: this.config.threads });
    }
    const B = this.B;
    for (let t = 0; t < B.length; t++) B[t] = gram[t];
  }

  /** Adds `B[j, :]` into `out`, in float32 (as every score of this model is summed). */
  private addRow(j: number, scale: number, out: Float32Array): void {
    const n = this.n;
    const B = this.B;
    for (let i = 0, t = j * n; i < n; i++, t++) out[i] += scale * B[t];
  }

  protected scoreUser(user: number, out: Float32Array): void {
    out.fill(0);
    for (let p = this.historyPtr[user]; p < this.historyPtr[user + 1]; p++) this.addRow(this.historyItems[p], 1, out);
  }

  protected scoreVector(vector: Float32Array, out: Float32Array): void {
    out.fill(0);
    for (let j = 0; j < vector.length; j++) if (vector[j] !== 0) this.addRow(j, vector[j], out);
  }

  protected predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void {
    const n = this.n;
    for (let m = 0; m < users.length; m++) {
      // Summed in float32 in history order, as scoreUser sums, so both give the same score.
      let s = 0;
      for (let p = this.historyPtr[users[m]]; p < this.historyPtr[users[m] + 1]; p++) s = Math.fround(s + this.B[this.historyItems[p] * n + items[m]]);
      out[m] = s;
    }
  }

  protected itemSimilarities(item: number, out: Float32Array): void {
    out.set(this.B.subarray(item * this.n, (item + 1) * this.n));
  }

  protected modelWeights(): ModelWeights {
    const w: ModelWeights = Object.create(null);
    w[EASE_WEIGHTS] = new Tensor(this.B, [this.n, this.n]);
    return w;
  }

  protected allocateModel(_numUsers: number, numItems: number): void {
    this.n = numItems;
    this.B = new Float32Array(numItems * numItems);
  }

  protected modelSizeOf(state: ModelWeights, where: string): number {
    const B = Object.prototype.hasOwnProperty.call(state, EASE_WEIGHTS) ? state[EASE_WEIGHTS] : undefined;
    if (!(B instanceof Tensor) || B.shape.length !== 2 || B.shape[0] !== B.shape[1] || B.shape[0] < 1) {
      throw quiverError('RangeError', { where, what: `state must contain "${EASE_WEIGHTS}" [numItems, numItems] with numItems ≥ 1`, got: B instanceof Tensor ? `shape [${B.shape.join(', ')}]` : 'none' });
    }
    return B.shape[0];
  }
}
