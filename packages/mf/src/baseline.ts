import { checkNonNegativeInt, checkOptionNames, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { FactorModel, type FactorLayout } from './factor-model.js';
import { checkNonNegative, checkPositive, checkSeed } from './hyper.js';
import { biasedMfSgdEpoch } from './kernels/biased-mf-sgd-epoch.js';
import { ridgeFoldIn } from './ridge-fold-in.js';
import type { DataShape } from './memory-budget.js';

/** Options of {@link Baseline}. */
export interface BaselineOptions {
  /** Epochs of `fit`. @defaultValue 20 */
  epochs?: number;
  /** Learning rate. @defaultValue 0.005 */
  lr?: number;
  /** L2 regularisation of the biases (per rating). @defaultValue 0.02 */
  reg?: number;
  /** Seed of the shuffling. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of a {@link Baseline}. */
export type BaselineConfig = Required<BaselineOptions>;

/**
 * Biases-only baseline for explicit ratings, `r̂ᵤᵢ = mu + bᵤ + bᵢ`, trained by per-rating SGD
 * with L2 regularisation (Surprise's `BaselineOnly` with `method: 'sgd'`, same defaults). It
 * has no factors: `similarItems` / `similarUsers` score every candidate 0 (so they list ids in
 * order), and `foldIn` returns `[bᵤ]`. Predictions are clipped to the training rating range.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const base = new Baseline();
 * base.fit(train);
 * base.predict(Int32Array.of(0), Int32Array.of(3));
 */
export class Baseline extends FactorModel {
  readonly kind: ModelKind = 'baseline';
  protected readonly name = 'Baseline';
  protected readonly needsRatings = true;
  protected override readonly usesUserItems = false;
  /** The hyper-parameters. */
  readonly config: Readonly<BaselineConfig>;
  private userIds: Int32Array = new Int32Array(0);
  private itemIds: Int32Array = new Int32Array(0);
  private ratings: Float32Array = new Float32Array(0);
  private order: Int32Array = new Int32Array(0);
  private readonly stats: Float64Array = new Float64Array(2);

  /**
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   * @throws {RangeError} for an option out of range.
   */
  constructor(options: BaselineOptions = {}) {
    super();
    const where = 'Baseline';
    checkOptionNames(where, options, ['epochs', 'lr', 'reg', 'seed']);
    this.config = {
      epochs: checkNonNegativeInt(where, 'epochs', options.epochs ?? 20),
      lr: checkPositive(where, 'lr', options.lr ?? 0.005),
      reg: checkNonNegative(where, 'reg', options.reg ?? 0.02),
      seed: checkSeed(where, options.seed ?? 42),
    };
  }

  protected get layout(): FactorLayout {
    return { factors: 0, userBias: true, itemBias: true, globalMean: true };
  }

  /** The bias tables and the shuffle order (4 bytes a rating). */
  protected override memoryParts(shape: DataShape): Record<string, number> {
    return { ...super.memoryParts(shape), 'training order': shape.numInteractions * 4 };
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrixWithValues | null, _rng: Rng): void {
    this.allocateWeights(data.numUsers, data.numItems);
    const r = data.ratings!;
    this.setRatingStats(r);
    this.userIds = data.userIds;
    this.itemIds = data.itemIds;
    this.ratings = r;
    this.order = new Int32Array(r.length);
  }

  /** @returns The mean squared training error of the epoch. */
  protected runEpoch(epoch: number): number {
    this.refuseFrozenTables(`${this.name}.fitEpoch`, 'per-rating SGD');
    const order = this.order;
    for (let n = 0; n < order.length; n++) order[n] = n;
    this.epochRng(epoch).shuffle(order);
    const empty = new Float32Array(0);
    const { lr, reg } = this.config;
    biasedMfSgdEpoch(order, this.userIds, this.itemIds, this.ratings, this.globalMean[0], empty, empty, this.userBias!, this.itemBias!, 0, lr, lr, 0, reg, this.stats);
    return this.stats[0] / this.stats[1];
  }

  protected foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array {
    return ridgeFoldIn(items, ratings!, this.itemFactors, this.itemBias!, this.globalMean[0], 0, 0, this.config.reg, this.foldInPrior());
  }
}
