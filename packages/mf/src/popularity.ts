import { Tensor } from '@quiver/core';
import { checkOptionNames, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind, quiverError } from '@quiver/base';
import { FoldInRecommender } from './fold-in-recommender.js';
import type { ModelWeights } from './recommender.js';
import type { DataShape } from './memory-budget.js';

/** Options of {@link Popularity} (none today; the object is accepted for symmetry). */
export type PopularityOptions = Record<string, never>;

/**
 * The "no personalisation" baseline: every user gets the items most users interacted with.
 * An item's score is its number of distinct training users (ratings are ignored); `similarItems`
 * ranks the other items by that same popularity and `similarUsers` ranks users by their number
 * of items. `fit` has nothing to iterate: `fitEpoch` recounts and returns 0. `foldIn` returns an
 * empty vector and `recommendForNew` the most popular items not in the new user's list.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const pop = new Popularity();
 * pop.fit(train);
 * pop.recommend(0, 10); // the 10 most popular items user 0 has not seen
 */
export class Popularity extends FoldInRecommender {
  readonly kind: ModelKind = 'popularity';
  protected readonly name = 'Popularity';
  protected readonly needsRatings = false;
  protected readonly defaultEpochs = 1;
  protected readonly defaultSeed = 42;
  private itemCounts: Float32Array = new Float32Array(0);
  private userCounts: Float32Array = new Float32Array(0);

  /** @throws {TypeError} for any option name (there are none). */
  constructor(options: PopularityOptions = {}) {
    super();
    checkOptionNames('Popularity', options, []);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }

  /** One count per user and per item. */
  protected memoryParts(shape: DataShape): Record<string, number> {
    return { counts: (shape.numUsers + shape.numItems) * 4 };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, _rng: Rng): void {
    this.allocateWeights(data.numUsers, data.numItems);
    for (let u = 0; u < userItems.numRows; u++) this.userCounts[u] = userItems.indptr[u + 1] - userItems.indptr[u];
    for (let p = 0; p < userItems.indices.length; p++) this.itemCounts[userItems.indices[p]]++;
  }

  /** @returns 0: counting has no loss. */
  protected runEpoch(_epoch: number): number {
    return 0;
  }

  protected scoreUser(_user: number, out: Float32Array): void {
    out.set(this.itemCounts);
  }
  protected scoreVector(_vector: Float32Array, out: Float32Array): void {
    out.set(this.itemCounts);
  }
  protected predictPairs(_users: Int32Array, items: Int32Array, out: Float32Array): void {
    for (let n = 0; n < items.length; n++) out[n] = this.itemCounts[items[n]];
  }
  protected get userVectorLength(): number {
    return 0;
  }
  protected foldInVector(): Float32Array {
    return new Float32Array(0);
  }
  protected itemSimilarities(_item: number, out: Float32Array): void {
    out.set(this.itemCounts);
  }
  protected userSimilarities(_user: number, out: Float32Array): void {
    out.set(this.userCounts);
  }
  protected weights(): ModelWeights {
    const w: ModelWeights = Object.create(null);
    w.item_popularity = new Tensor(this.itemCounts, [this.itemCounts.length]);
    w.user_activity = new Tensor(this.userCounts, [this.userCounts.length]);
    return w;
  }
  protected allocateWeights(numUsers: number, numItems: number): void {
    this.itemCounts = new Float32Array(numItems);
    this.userCounts = new Float32Array(numUsers);
  }
  protected sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const users = Object.prototype.hasOwnProperty.call(state, 'user_activity') ? state.user_activity : undefined;
    const items = Object.prototype.hasOwnProperty.call(state, 'item_popularity') ? state.item_popularity : undefined;
    if (users === undefined || items === undefined || users.shape.length !== 1 || items.shape.length !== 1) {
      throw quiverError('RangeError', { where: 'Popularity.setState', what: `state must contain 1-D tensors "item_popularity" and "user_activity"` });
    }
    return { numUsers: users.shape[0], numItems: items.shape[0] };
  }
}
