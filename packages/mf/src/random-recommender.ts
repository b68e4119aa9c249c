import { Tensor } from '@quiver/core';
import { checkOptionNames, type Rng, type InteractionData, type CsrMatrixWithValues, type ModelKind, quiverError } from '@quiver/base';
import { checkSeed } from './hyper.js';
import { FoldInRecommender } from './fold-in-recommender.js';
import type { ModelWeights } from './recommender.js';
import type { DataShape } from './memory-budget.js';

/** Options of {@link RandomRecommender}. */
export interface RandomRecommenderOptions {
  /** Seed of the scores: the same seed gives the same recommendations. @defaultValue 42 */
  seed?: number;
}

/**
 * Random scores, the floor every model must beat. The score of `(user, item)` is a fixed hash
 * of the seed, the user and the item, uniform in `[0, 1)`: recommendations are random yet
 * reproducible, and `predict`, `recommend` and `recommendBatch` agree. A new user (fold-in) is
 * scored as one fixed extra user; similarities are random in the same way.
 * See {@link Recommender} for the full contract.
 *
 * @example
 * const rnd = new RandomRecommender({ seed: 7 });
 * rnd.fit(train);
 * rnd.recommend(0, 10);
 */
export class RandomRecommender extends FoldInRecommender {
  readonly kind: ModelKind = 'random';
  protected readonly name = 'RandomRecommender';
  protected readonly needsRatings = false;
  protected override readonly usesUserItems = false;
  protected readonly defaultEpochs = 1;
  /** The hyper-parameters. */
  readonly config: Readonly<Required<RandomRecommenderOptions>>;
  /** `[numUsers, numItems]`, the model's only "weights". */
  private sizes: Float32Array = new Float32Array(2);

  /**
   * @throws {TypeError} for an unknown option name.
   * @throws {RangeError} for a non-finite seed.
   */
  constructor(options: RandomRecommenderOptions = {}) {
    super();
    checkOptionNames('RandomRecommender', options, ['seed']);
    this.config = { seed: checkSeed('RandomRecommender', options.seed ?? 42) };
  }

  protected get defaultSeed(): number {
    return this.config.seed;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config };
  }

  /** Nothing beyond the seen-items index: scores are hashes. */
  protected memoryParts(_shape: DataShape): Record<string, number> {
    return {};
  }

  private get key(): number {
    return hashScore(0x5bd1e995, Math.floor(this.config.seed), 0) * 4294967296;
  }

  protected initWeights(data: InteractionData, _userItems: CsrMatrixWithValues | null, _rng: Rng): void {
    this.allocateWeights(data.numUsers, data.numItems);
  }
  /** @returns 0: there is nothing to learn. */
  protected runEpoch(_epoch: number): number {
    return 0;
  }
  protected scoreUser(user: number, out: Float32Array): void {
    const key = this.key;
    for (let i = 0; i < out.length; i++) out[i] = hashScore(key, user, i);
  }
  protected scoreVector(_vector: Float32Array, out: Float32Array): void {
    this.scoreUser(-1, out);
  }
  protected predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void {
    const key = this.key;
    for (let n = 0; n < users.length; n++) out[n] = hashScore(key, users[n], items[n]);
  }
  protected get userVectorLength(): number {
    return 0;
  }
  protected foldInVector(): Float32Array {
    return new Float32Array(0);
  }
  protected itemSimilarities(item: number, out: Float32Array): void {
    this.scoreUser(-2 - item, out);
  }
  protected userSimilarities(user: number, out: Float32Array): void {
    const key = this.key ^ 0x2545f491;
    for (let v = 0; v < out.length; v++) out[v] = hashScore(key, user, v);
  }
  protected weights(): ModelWeights {
    const w: ModelWeights = Object.create(null);
    w.sizes = new Tensor(this.sizes, [2]);
    return w;
  }
  protected allocateWeights(numUsers: number, numItems: number): void {
    this.sizes = Float32Array.of(numUsers, numItems);
  }
  protected sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const s = Object.prototype.hasOwnProperty.call(state, 'sizes') ? state.sizes : undefined;
    if (s === undefined || s.data.length !== 2 || !(s.data[0] >= 1) || !(s.data[1] >= 1)) {
      throw quiverError('RangeError', { where: 'RandomRecommender.setState', what: `state must contain tensor "sizes" = [numUsers, numItems]` });
    }
    return { numUsers: s.data[0], numItems: s.data[1] };
  }
}

/** A uniform value in [0, 1) from three 32-bit integers (murmur3's finaliser over a mix). */
function hashScore(key: number, a: number, b: number): number {
  let h = (key ^ Math.imul(a | 0, 0x9e3779b1)) >>> 0;
  h = (h ^ Math.imul(b | 0, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
