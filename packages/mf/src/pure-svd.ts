import { checkBoolean, checkNonNegativeInt, checkOptionNames, checkPositiveInt, transposeCsr, type CsrMatrixWithValues, type InteractionData, type ModelKind, type Rng } from '@quiver/base';
import { FactorModel, type FactorLayout, type TrainingDefaults } from './factor-model.js';
import { checkSeed } from './hyper.js';
import { csrTimesDense } from './kernels/csr-times-dense.js';
import { randomizedSvd } from './kernels/randomized-svd.js';
import type { DataShape } from './memory-budget.js';

/**
 * Options of {@link PureSVD}. The defaults were chosen on a validation split of ml-latest-small
 * (bench/puresvd-slim.mjs): 50 factors were best among 10–200; more power iterations or
 * oversamples changed validation NDCG@10 less than the seed of the sketch does.
 */
export interface PureSVDOptions {
  /** Singular components kept: the factors of every user and item. @defaultValue 50 */
  factors?: number;
  /**
   * Extra columns of the randomized sketch beyond `factors` (Halko et al.'s `p`): more make the
   * leading components more accurate. The sketch is never wider than `min(numUsers, numItems)`.
   * @defaultValue 10
   */
  oversamples?: number;
  /**
   * Power iterations of the randomized SVD (each multiplies the sketch by `X Xᵀ` once,
   * re-orthonormalised): more sharpen the components when the spectrum decays slowly, as it
   * does for interaction data. 0 is the plain sketch.
   * @defaultValue 2
   */
  powerIterations?: number;
  /**
   * Factorise the ratings (repeated interactions summed) instead of the binary matrix (1 for
   * every user–item pair that occurs, however often).
   * @defaultValue false
   */
  useRatings?: boolean;
  /** Seed of the Gaussian test matrix of the randomized SVD. @defaultValue 42 */
  seed?: number;
}

/**
 * The resolved options of a {@link PureSVD} (`model.config`); `epochs` is always 1, since one
 * epoch computes the whole decomposition (it is not an option, and `getConfig` leaves it out).
 */
export type PureSVDConfig = Readonly<Required<PureSVDOptions>> & TrainingDefaults;

/**
 * PureSVD (Cremonesi, Koren & Turrin 2010): the truncated SVD `X ≈ U Σ Vᵀ` of the binary
 * user × item matrix (missing pairs are zeros), computed by randomized SVD (Halko, Martinsson
 * & Tropp 2011: a Gaussian sketch with `oversamples` extra columns, `powerIterations` power
 * iterations, a QR of the sketch and the small SVD of `B = QᵀX` from the eigen-decomposition
 * of `B Bᵀ`). Items get the right singular vectors as factors (`V`, orthonormal columns) and
 * users their projection `X V = U Σ`, so a user's scores are `x_u V Vᵀ`: their history
 * projected on the top `factors` item directions. There are no biases.
 *
 * One epoch computes the decomposition (`fit` runs one by default; later epochs have nothing to
 * do). The loss is the share of `‖X‖²_F` the projection misses, `1 − ‖X V‖²_F / ‖X‖²_F`.
 * `foldIn` computes `x V` for the new user's items, exactly what a training user with those
 * items has. `similarItems` ranks by the cosine of the rows of `V`. See {@link FactorModel}
 * for scoring, saving and the core `Embedding` views.
 * @example
 * const svd = new PureSVD({ factors: 50 });
 * svd.fit(train);
 * svd.recommend(0, 10);
 */
export class PureSVD extends FactorModel {
  /** The model kind, `'puresvd'` (the `kind` of model.json). */
  readonly kind: ModelKind = 'puresvd';
  protected readonly name = 'PureSVD';
  protected readonly needsRatings = false;
  /** The resolved options. */
  readonly config: PureSVDConfig;
  /** The matrix to decompose, between `initialize` and the epoch that decomposes it. */
  private training: CsrMatrixWithValues | null = null;
  private sketchRng: Rng | null = null;
  /** The loss of the decomposition (what every epoch of the run reports). */
  private residual = NaN;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range.
   */
  constructor(options: PureSVDOptions = {}) {
    super();
    const where = 'PureSVD';
    checkOptionNames(where, options, ['factors', 'oversamples', 'powerIterations', 'useRatings', 'seed']);
    this.config = {
      factors: checkPositiveInt(where, 'factors', options.factors ?? 50),
      oversamples: checkNonNegativeInt(where, 'oversamples', options.oversamples ?? 10),
      powerIterations: checkNonNegativeInt(where, 'powerIterations', options.powerIterations ?? 2),
      useRatings: checkBoolean(where, 'useRatings', options.useRatings ?? false),
      seed: checkSeed(where, options.seed ?? 42),
      epochs: 1,
    };
  }

  protected get layout(): FactorLayout {
    return { factors: this.config.factors, userBias: false, itemBias: false, globalMean: false };
  }

  /** The options (without `epochs`, which is not one). */
  override getConfig(): Record<string, unknown> {
    const { epochs: _epochs, ...options } = this.config;
    return options;
  }

  /** The factor tables, plus the transposed matrix, the values and the sketch matrices (float64). */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    const width = Math.min(this.config.factors + this.config.oversamples, shape.numUsers, shape.numItems);
    return {
      ...super.memoryParts(shape),
      'item × user matrix': (shape.numItems + 1) * 4 + shape.numInteractions * 12,
      'sketch matrices': ((shape.numUsers + shape.numItems) * width + width * width * 2) * 8,
      'singular vectors': shape.numItems * this.config.factors * 8,
    };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, rng: Rng): void {
    const values = this.config.useRatings ? userItems.values : new Float32Array(userItems.values.length).fill(1);
    this.training = { ...userItems, values };
    this.sketchRng = rng.fork('sketch');
    this.residual = NaN;
    this.allocateWeights(data.numUsers, data.numItems);
  }

  /**
   * The first epoch computes the decomposition and sets the factors; a further epoch has nothing
   * left to do.
   * @returns The share of `‖X‖²_F` the rank-`factors` projection misses (the same every epoch).
   */
  protected runEpoch(_epoch: number): number {
    const x = this.training;
    if (x === null) return this.residual;
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'decomposition');
    const { factors: k, oversamples, powerIterations } = this.config;
    const m = this.numUsers;
    const n = this.numItems;
    const width = Math.min(k + oversamples, m, n);
    const rng = this.sketchRng!;
    const omega = new Float64Array(n * width);
    for (let p = 0; p < omega.length; p++) omega[p] = rng.normal();
    const xt = transposeCsr(x);
    const sigma = new Float64Array(k);
    const v = new Float64Array(n * k);
    randomizedSvd(x.indptr, x.indices, x.values, xt.indptr, xt.indices, xt.values, m, n, omega, width, powerIterations, k, sigma, v);
    // Item factors V in float32; user factors X V from those float32 values, so that foldIn
    // (the same product for a new row) reproduces a training user's factors.
    const q = this.itemFactors;
    for (let p = 0; p < q.length; p++) q[p] = v[p];
    for (let p = 0; p < q.length; p++) v[p] = q[p];
    const xv = new Float64Array(m * k);
    csrTimesDense(x.indptr, x.indices, x.values, m, v, k, xv);
    const pu = this.userFactors;
    let captured = 0;
    for (let p = 0; p < pu.length; p++) {
      pu[p] = xv[p];
      captured += xv[p] * xv[p];
    }
    let total = 0;
    for (let p = 0; p < x.values.length; p++) total += x.values[p] * x.values[p];
    this.residual = total > 0 ? Math.max(0, 1 - captured / total) : 0;
    this.training = null;
    this.sketchRng = null;
    return this.residual;
  }

  /**
   * `x V` for the new user's items: 1 per distinct item, or with `useRatings` the item's summed
   * ratings (1 each when none are given), summed in ascending item order as training does.
   */
  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    const k = this.config.factors;
    const useRatings = this.config.useRatings;
    const order = Int32Array.from(items.keys()).sort((a, b) => items[a] - items[b] || a - b);
    const q = this.itemFactors;
    const acc = new Float64Array(k);
    for (let t = 0; t < order.length; ) {
      const item = items[order[t]];
      let value = 0;
      for (; t < order.length && items[order[t]] === item; t++) value = Math.fround(value + (useRatings && ratings !== null ? ratings[order[t]] : 1));
      if (!useRatings) value = 1;
      for (let f = 0; f < k; f++) acc[f] += value * q[item * k + f];
    }
    return Float32Array.from(acc);
  }
}
