import { checkIdArray, describeValue, quiverError, type TopK } from '@quiver/base';
import { checkRatings, resolveRecommendOptions } from './check-args.js';
import { rankTopK } from './rank-top-k.js';
import { RecommenderBase } from './recommender-base.js';
import type { RecommendOptions } from './recommender.js';

/**
 * Fold-in: serving a user the model never saw in training, from their interactions, without
 * retraining. A model computes a user vector with the item weights fixed (its layout is that of
 * one row of the model's user representation) and scores items for it.
 */
export interface FoldInModel {
  /**
   * A user vector for a user the model has never seen, computed from their interactions with
   * the item weights fixed (no retraining).
   * @param items - Item ids the new user interacted with (at least one).
   * @param ratings - Their ratings (explicit models require them), same length.
   * @returns A new `Float32Array`.
   */
  foldIn(items: Int32Array, ratings?: Float32Array): Float32Array;
  /** Scores `items` for a folded-in vector; explicit models clip to the rating range. */
  predictNew(userVector: Float32Array, items: Int32Array): Float32Array;
  /** `foldIn(items, ratings)` then the top `k` for that vector; `filterSeen` leaves out `items`. */
  recommendForNew(items: Int32Array, ratings: Float32Array | undefined, k: number, options?: RecommendOptions): TopK;
}

/**
 * A {@link RecommenderBase} that implements {@link FoldInModel} from three hooks: the fold-in
 * vector, its length, and the scores of every item for a vector. Every `@quiver/mf` model is one.
 * @example
 * const v = model.foldIn(Int32Array.of(3, 8), Float32Array.of(5, 4));
 * model.recommendForNew(Int32Array.of(3, 8), Float32Array.of(5, 4), 10);
 */
export abstract class FoldInRecommender extends RecommenderBase implements FoldInModel {
  /** Length of a folded-in user vector. */
  protected abstract get userVectorLength(): number;
  /** Computes the fold-in vector (ids and ratings already checked; ratings null for implicit). */
  protected abstract foldInVector(items: Int32Array, ratings: Float32Array | null): Float32Array;
  /** Writes the score of every item for a folded-in vector into `out`. */
  protected abstract scoreVector(vector: Float32Array, out: Float32Array): void;

  /**
   * @throws {RangeError} for no items, a bad item id or a non-finite rating; `TypeError` when an
   *   explicit model gets no ratings; `Error` before fitting.
   */
  foldIn(items: Int32Array, ratings?: Float32Array): Float32Array {
    const where = `${this.name}.foldIn`;
    this.checkFitted(where);
    checkIdArray(where, 'items', items, this.numItems);
    if (items.length === 0) throw quiverError('RangeError', { where, what: 'items must hold at least 1 item id', got: '0' });
    if (ratings === undefined && this.needsRatings) {
      throw quiverError('TypeError', { where, what: 'ratings must be a Float32Array for an explicit-feedback model', got: 'undefined' });
    }
    const r = ratings === undefined ? null : checkRatings(where, ratings, items.length);
    return this.foldInVector(items, r);
  }

  /** @throws {RangeError} when the vector has the wrong length or an item id is bad. */
  predictNew(userVector: Float32Array, items: Int32Array): Float32Array {
    const where = `${this.name}.predictNew`;
    this.checkFitted(where);
    if (!(userVector instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'userVector must be a Float32Array', got: describeValue(userVector) });
    if (userVector.length !== this.userVectorLength) {
      throw quiverError('RangeError', { where, what: `userVector must have length ${this.userVectorLength} (as foldIn returns)`, got: String(userVector.length) });
    }
    checkIdArray(where, 'items', items, this.numItems);
    const all = new Float32Array(this.numItems);
    this.scoreVector(userVector, all);
    const out = new Float32Array(items.length);
    for (let n = 0; n < items.length; n++) out[n] = all[items[n]];
    return out;
  }

  /** @throws As {@link FoldInRecommender.foldIn} and `recommend`. */
  recommendForNew(items: Int32Array, ratings: Float32Array | undefined, k: number, options?: RecommendOptions): TopK {
    const where = `${this.name}.recommendForNew`;
    const vector = this.foldIn(items, ratings);
    const o = resolveRecommendOptions(where, k, options, this.numItems);
    const scores = new Float32Array(this.numItems);
    this.scoreVector(vector, scores);
    return rankTopK(scores, k, o, o.filterSeen ? items : null);
  }
}
