import { checkBoolean, checkInRange, checkOptionNames, checkPositiveInt, transposeCsr, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative } from './hyper.js';
import { ItemNeighborModel } from './item-neighbor-model.js';
import { selectTopK } from './kernels/top-k.js';
import type { DataShape } from './memory-budget.js';
import { solveSlimColumns, type SlimColumns } from './parallel/slim-columns.js';

/**
 * Options of {@link SLIM}. `l1` and `l2` were chosen on a validation split of ml-latest-small
 * (bench/puresvd-slim.mjs); `neighbors` is the item-neighbourhood models' 100, which keeps about
 * a third of ml-latest-small's non-zero weights (300 and 1000, which keeps them all, scored
 * 0.0008 and 0.0019 higher validation NDCG@10).
 */
export interface SLIMOptions {
  /**
   * L1 weight of the ElasticNet, on the scale of the squared error summed over users
   * (`½‖x_i − X w‖² + l1‖w‖₁ + ½ l2‖w‖²`). scikit-learn's `ElasticNet(alpha, l1_ratio)`, whose
   * error term is divided by the number of users `m`, is `l1 = alpha · l1_ratio · m`.
   * @defaultValue 1
   */
  l1?: number;
  /**
   * L2 weight of the ElasticNet (same scale as `l1`): scikit-learn's
   * `l2 = alpha · (1 − l1_ratio) · m`.
   * @defaultValue 200
   */
  l2?: number;
  /** Constrain the weights to be non-negative (SLIM's original constraint). @defaultValue true */
  positive?: boolean;
  /**
   * Full coordinate-descent sweeps per item at most (after each, the non-zero weights are swept
   * until they settle, at most as many times again).
   * @defaultValue 100
   */
  maxIterations?: number;
  /**
   * An item's sweeps end when a full sweep changed no weight by more than `tolerance · max |w|`
   * (1e-4 gave the same validation NDCG@10 on ml-latest-small and took longer).
   * @defaultValue 1e-3
   */
  tolerance?: number;
  /** Weights kept per item (the largest `|W[j, i]|` of its row `j`). @defaultValue 100 */
  neighbors?: number;
  /**
   * Threads solving the items (the calling thread plus worker threads, 1–16). Every item is
   * solved alone, so the weights are identical for every thread count.
   * @defaultValue 1
   */
  threads?: number;
}

/** The resolved options of a {@link SLIM} (`model.config`). */
export type SLIMConfig = Readonly<Required<SLIMOptions>>;

/**
 * SLIM (Ning & Karypis 2011) in the ElasticNet form of Dacrema et al. 2019: an item × item
 * weight matrix `W` with zero diagonal, each column the ElasticNet regression of an item's
 * binary user column on the other items',
 * `w_i = argmin ½‖x_i − X w‖² + l1‖w‖₁ + ½ l2‖w‖²`, `w_ii = 0`, `w ≥ 0` when `positive`,
 * solved by cyclic coordinate descent (see the `slimColumn` kernel; only the items that
 * co-occur with `i` are candidates, which is exact). A user's score for item `i` is
 * `Σ_{j ∈ history} W[j, i]`; each item `j` keeps the `neighbors` largest `|W[j, i]|` of its
 * row. The columns are solved in parallel over `threads`. See {@link ItemNeighborModel} for
 * scoring, fold-in and the weight files.
 * @example
 * const slim = new SLIM({ l1: 1, l2: 200, threads: 2 });
 * slim.fit(train);
 * slim.recommend(0, 10);
 */
export class SLIM extends ItemNeighborModel {
  /** The model kind, `'slim'` (the `kind` of model.json). */
  readonly kind: ModelKind = 'slim';
  protected readonly name = 'SLIM';
  /** The resolved options. */
  readonly config: SLIMConfig;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range.
   */
  constructor(options: SLIMOptions = {}) {
    super();
    const where = 'SLIM';
    checkOptionNames(where, options, ['l1', 'l2', 'positive', 'maxIterations', 'tolerance', 'neighbors', 'threads']);
    this.config = {
      l1: checkNonNegative(where, 'l1', options.l1 ?? 1),
      l2: checkNonNegative(where, 'l2', options.l2 ?? 200),
      positive: checkBoolean(where, 'positive', options.positive ?? true),
      maxIterations: checkPositiveInt(where, 'maxIterations', options.maxIterations ?? 100),
      tolerance: checkNonNegative(where, 'tolerance', options.tolerance ?? 1e-3),
      neighbors: checkPositiveInt(where, 'neighbors', options.neighbors ?? 100),
      threads: checkInRange(where, 'threads', checkPositiveInt(where, 'threads', options.threads ?? 1), 1, 16),
    };
  }

  protected get neighborCount(): number {
    return this.config.neighbors;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  /**
   * The base's tables plus the solver's per-thread scratch and the solved columns before the
   * per-row truncation: about 24 bytes per non-zero weight (columns, their per-chunk copies and
   * the transposed rows), estimated as `2 · neighbors` non-zeros per item (ml-latest-small's
   * default fit has about 145 per item).
   */
  protected override modelMemoryParts(shape: DataShape): Record<string, number> {
    return {
      ...super.modelMemoryParts(shape),
      'solver scratch': this.config.threads * (shape.numItems * 48 + shape.numUsers * 20),
      'solved columns': shape.numItems * Math.min(Math.max(shape.numItems - 1, 0), 2 * this.config.neighbors) * 24,
    };
  }

  protected computeNeighbors(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues, ids: Int32Array, weights: Float32Array): void {
    const columns = this.solveColumns(userItems, itemUsers);
    keepLargestPerRow(columns, itemUsers.numRows, this.config.neighbors, ids, weights);
  }

  /** Every column of `W` (before the per-row truncation). */
  private solveColumns(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues): SlimColumns {
    const { l1, l2, positive, maxIterations, tolerance, threads } = this.config;
    return solveSlimColumns(
      { itemPtr: itemUsers.indptr, itemUsers: itemUsers.indices, userPtr: userItems.indptr, userItems: userItems.indices, numUsers: userItems.numRows, numItems: itemUsers.numRows, l1, l2, positive, maxIterations, tolerance },
      threads,
    );
  }
}

/**
 * Transposes the columns of `W` into rows and keeps, per row `j`, the `k` entries of largest
 * `|W[j, i]|` (ties: lower `i`), best first, into `ids` / `weights` (`numItems · k`, padding
 * −1 / 0).
 */
function keepLargestPerRow(columns: SlimColumns, numItems: number, k: number, ids: Int32Array, weights: Float32Array): void {
  const rows = transposeCsr({ numRows: numItems, numCols: numItems, indptr: columns.indptr, indices: columns.rows, values: columns.values });
  const magnitude = new Float32Array(numItems);
  const signed = new Float32Array(numItems);
  const candidates = new Int32Array(numItems);
  for (let j = 0; j < numItems; j++) {
    let c = 0;
    for (let p = rows.indptr[j]; p < rows.indptr[j + 1]; p++) {
      const i = rows.indices[p];
      const v = rows.values[p];
      signed[i] = v;
      magnitude[i] = v < 0 ? -v : v;
      candidates[c++] = i;
    }
    const kept = selectTopK(magnitude, k, null, candidates, ids, weights, j * k, c);
    for (let t = j * k; t < j * k + k; t++) weights[t] = t < j * k + kept ? signed[ids[t]] : 0;
  }
}
