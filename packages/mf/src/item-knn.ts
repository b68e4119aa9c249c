import { checkBoolean, checkOptionNames, checkPositiveInt, quiverError, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative, checkPlainThreads } from './hyper.js';
import { ItemNeighborModel } from './item-neighbor-model.js';
import { knnNeighbors, resolveSimilarity, resolveWeighting, type ItemSimilarityOptions, type ResolvedSimilarity, type ResolvedWeighting, type WeightingOptions } from './knn-similarity.js';

/**
 * Options of {@link ItemKNN}. The defaults were chosen on validation splits of ml-latest-small's
 * training part (`packages/train/bench/tune-implicit.mjs`); neighbors and shrink sit at the ends of
 * that grid (10 and 800), so they are a point of a ridge rather than a measured optimum.
 */
export interface ItemKNNOptions {
  /** Neighbours kept per item. @defaultValue 10 */
  neighbors?: number;
  /** Item similarity. @defaultValue `'cosine'` */
  similarity?: ItemSimilarityOptions | ItemSimilarityOptions['kind'];
  /** Added to the similarity's denominator: pulls the similarity of rarely co-occurring items towards 0. @defaultValue 800 */
  shrink?: number;
  /** Interaction weighting. @defaultValue `'tfidf'` */
  weighting?: WeightingOptions | WeightingOptions['kind'];
  /** Threads computing the neighbours (the calling one plus worker threads), 1–16; the tables are the same for every count. @defaultValue 1 */
  threads?: number;
  /** Use the ratings as the values (they must be positive); otherwise each interaction is 1. @defaultValue false */
  useRatings?: boolean;
}

/** The resolved options of an {@link ItemKNN} (`model.config`). */
export interface ItemKNNConfig {
  /** Neighbours kept per item. */
  readonly neighbors: number;
  /** The similarity, with its options filled in. */
  readonly similarity: ResolvedSimilarity;
  /** Added to the similarity's denominator. */
  readonly shrink: number;
  /** The weighting, with its options filled in. */
  readonly weighting: ResolvedWeighting;
  /** Threads computing the neighbours. */
  readonly threads: number;
  /** Whether the ratings are the values. */
  readonly useRatings: boolean;
}

/**
 * Item-based k-nearest-neighbours for implicit feedback (Sarwar et al. 2001; Deshpande &
 * Karypis 2004): each item keeps its `neighbors` most similar items, and a user's score for an
 * item is the sum of its similarities to the user's items. The similarity is computed from
 * co-occurrence, one item at a time, and never held as a dense matrix. See
 * {@link ItemNeighborModel} for scoring, fold-in and the weight files.
 * @example
 * const knn = new ItemKNN({ neighbors: 50, similarity: 'cosine', shrink: 10, weighting: 'bm25' });
 * knn.fit(train);
 * knn.recommend(0, 10);
 */
export class ItemKNN extends ItemNeighborModel {
  readonly kind: ModelKind = 'itemknn';
  protected readonly name = 'ItemKNN';
  /** The resolved options. */
  readonly config: ItemKNNConfig;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range or an option its similarity / weighting does not have.
   */
  constructor(options: ItemKNNOptions = {}) {
    super();
    const where = 'ItemKNN';
    checkOptionNames(where, options, ['neighbors', 'similarity', 'shrink', 'weighting', 'useRatings', 'threads']);
    this.config = {
      neighbors: checkPositiveInt(where, 'neighbors', options.neighbors ?? 10),
      similarity: resolveSimilarity(where, options.similarity ?? 'cosine'),
      shrink: checkNonNegative(where, 'shrink', options.shrink ?? 800),
      weighting: resolveWeighting(where, options.weighting ?? 'tfidf'),
      threads: checkPlainThreads(where, options.threads ?? 1),
      useRatings: checkBoolean(where, 'useRatings', options.useRatings ?? false),
    };
  }

  protected get neighborCount(): number {
    return this.config.neighbors;
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config, similarity: { ...this.config.similarity }, weighting: { ...this.config.weighting } };
  }

  protected computeNeighbors(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues, ids: Int32Array, weights: Float32Array): void {
    if (this.config.useRatings) {
      for (let p = 0; p < itemUsers.values.length; p++) {
        if (!(itemUsers.values[p] > 0)) throw quiverError('RangeError', { where: 'ItemKNN.fit', what: 'with useRatings every (summed) rating must be positive', got: String(itemUsers.values[p]), hint: { option: 'useRatings', value: 'false' } });
      }
    }
    knnNeighbors(itemUsers, userItems.numRows, this.config, this.config.neighbors, ids, weights, this.config.threads);
  }
}
