import { checkBoolean, checkOptionNames, checkPositiveInt, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative, checkPlainThreads } from './hyper.js';
import { ItemNeighborModel } from './item-neighbor-model.js';
import { SIM_RATIO } from './kernels/neighbor-top-k.js';
import { neighborRows } from './parallel/neighbor-rows.js';

/**
 * Options of {@link RP3beta}. The defaults of RP3beta and of P3alpha were chosen on validation
 * splits of ml-latest-small's training part (`packages/train/bench/tune-implicit.mjs`).
 */
export interface RP3betaOptions {
  /** Neighbours kept per item. @defaultValue 400 */
  neighbors?: number;
  /** Exponent of the transition probabilities (1: the plain random walk). @defaultValue 0.6 (P3alpha: 1.2) */
  alpha?: number;
  /** Popularity penalty: the walk's probability of reaching item j is divided by popularity(j)^beta. @defaultValue 0.3 */
  beta?: number;
  /** Divide each item's kept weights by their sum. @defaultValue false */
  normalize?: boolean;
  /** Threads computing the neighbours (the calling one plus worker threads), 1–16; the tables are the same for every count. @defaultValue 1 */
  threads?: number;
}

/** The resolved options of an {@link RP3beta} (`model.config`). */
export type RP3betaConfig = Readonly<Required<RP3betaOptions>>;

/** Options of {@link P3alpha}: those of RP3beta without the popularity penalty. */
export type P3alphaOptions = Omit<RP3betaOptions, 'beta'>;

/**
 * RP3beta (Christoffel et al. 2015; Paudel et al. 2017): item similarity from a
 * three-step random walk item → user → item on the bipartite interaction graph, each transition
 * probability raised to `alpha`, divided by the target item's popularity to the power `beta`.
 * `W[i, j] = Σ_u (x_ui / deg(i))^alpha · (x_uj / deg(u))^alpha / deg(j)^beta` over binary
 * interactions; each item keeps its `neighbors` largest weights (optionally normalised to sum
 * to 1). Dacrema et al. 2019 found it among the strongest simple baselines. See
 * {@link ItemNeighborModel} for scoring, fold-in and the weight files.
 * @example
 * const rp3 = new RP3beta({ alpha: 0.6, beta: 0.3, neighbors: 400 });
 * rp3.fit(train);
 * rp3.recommend(0, 10);
 */
export class RP3beta extends ItemNeighborModel {
  readonly kind: ModelKind = 'rp3beta';
  protected readonly name: string = 'RP3beta';
  /** The resolved options. */
  readonly config: RP3betaConfig;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range.
   */
  constructor(options: RP3betaOptions = {}) {
    super();
    const where = new.target === P3alpha ? 'P3alpha' : 'RP3beta';
    checkOptionNames(where, options, new.target === P3alpha ? ['neighbors', 'alpha', 'normalize', 'threads'] : ['neighbors', 'alpha', 'beta', 'normalize', 'threads']);
    this.config = {
      neighbors: checkPositiveInt(where, 'neighbors', options.neighbors ?? 400),
      alpha: checkNonNegative(where, 'alpha', options.alpha ?? (new.target === P3alpha ? 1.2 : 0.6)),
      beta: new.target === P3alpha ? 0 : checkNonNegative(where, 'beta', options.beta ?? 0.3),
      normalize: checkBoolean(where, 'normalize', options.normalize ?? false),
      threads: checkPlainThreads(where, options.threads ?? 1),
    };
  }

  protected get neighborCount(): number {
    return this.config.neighbors;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  protected computeNeighbors(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues, ids: Int32Array, weights: Float32Array): void {
    const { alpha, beta, neighbors } = this.config;
    const degree = (m: CsrMatrixWithValues, r: number): number => m.indptr[r + 1] - m.indptr[r];
    const left = new Float32Array(itemUsers.indices.length);
    for (let i = 0; i < itemUsers.numRows; i++) {
      const p = (1 / degree(itemUsers, i)) ** alpha;
      left.fill(p, itemUsers.indptr[i], itemUsers.indptr[i + 1]);
    }
    const right = new Float32Array(userItems.indices.length);
    for (let u = 0; u < userItems.numRows; u++) {
      const p = (1 / degree(userItems, u)) ** alpha;
      right.fill(p, userItems.indptr[u], userItems.indptr[u + 1]);
    }
    const n = itemUsers.numRows;
    const ones = new Float64Array(n).fill(1);
    const penalty = new Float64Array(n);
    for (let j = 0; j < n; j++) penalty[j] = degree(itemUsers, j) ** beta;
    neighborRows(
      { rowPtr: itemUsers.indptr, rowIdx: itemUsers.indices, leftVal: left, midPtr: userItems.indptr, midIdx: userItems.indices, rightVal: right, numRows: n, mode: SIM_RATIO, rowNorm: ones, colNorm: penalty, shrink: 0, k: neighbors },
      ids, weights, this.config.threads,
    );
    if (this.config.normalize) {
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let t = i * neighbors; t < (i + 1) * neighbors && ids[t] >= 0; t++) sum += weights[t];
        if (sum > 0) for (let t = i * neighbors; t < (i + 1) * neighbors && ids[t] >= 0; t++) weights[t] /= sum;
      }
    }
  }
}

/**
 * P3alpha (Cooper et al. 2014): {@link RP3beta} without the popularity penalty (beta = 0).
 * @example
 * const p3 = new P3alpha({ alpha: 1, neighbors: 100 });
 */
export class P3alpha extends RP3beta {
  override readonly kind: ModelKind = 'p3alpha';
  protected override readonly name: string = 'P3alpha';

  /** @throws As {@link RP3beta}'s constructor; `beta` is not an option. */
  constructor(options: P3alphaOptions = {}) {
    super(options);
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = this.config;
    return rest;
  }
}
