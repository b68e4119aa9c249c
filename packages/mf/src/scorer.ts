import type { SeenItems } from './seen-index.js';

/**
 * A fast, approximate way to score a block of users against every item, for batch recommend:
 * block scores may differ from the exact ones by at most `error(user)`, and `exact` gives the
 * exact score of one pair (what `scoreAllItems` gives it).
 */
export interface BlockScoring {
  /** Scores of `users[start .. start + count)` for every item, row-major `count × numItems` (a view the next call overwrites). */
  score(users: Int32Array, start: number, count: number): Float32Array;
  /** The exact score of `item` for `user`. */
  exact(user: number, item: number): number;
  /** A bound on |block score − exact score| for `user`. */
  error(user: number): number;
}

/**
 * What ranking a model's items needs: the score of every item for a user, and the items each
 * user has seen. Every `@quiver/mf` model is one; `recommendBatch` and `@quiver/train`'s
 * evaluation work on any object with these members.
 */
export interface Scorer {
  /** Number of users (dense ids `0..numUsers-1`). */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** The score of every item for `user`, into `out` when given (`numItems` long). */
  scoreAllItems(user: number, out?: Float32Array): Float32Array;
  /** The seen-items matrix, or null before fitting. */
  seenItems(): SeenItems | null;
  /** Replaces the seen-items matrix. */
  setSeen(indptr: Int32Array, indices: Int32Array): void;
  /** A fast block scorer, when the model has one (factor models with wasm kernels). */
  blockScoring?(): BlockScoring | null;
}
