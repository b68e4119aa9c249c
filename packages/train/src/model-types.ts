import type { TrainingState } from '@quiver/mf';
import type { InteractionData as MfInteractionData } from '@quiver/base';
/**
 * The parts of `@quiver/mf`'s `Recommender` contract that @quiver/train uses, written
 * structurally so that any object with these members (every `@quiver/mf` model, or a test
 * double) can be trained and evaluated.
 */

/** Training data: parallel id columns with dense 0-based ids (`@quiver/data`'s `Interactions` fits). */
export type InteractionData = MfInteractionData;

/** A tensor-like weight: a Float32Array and its shape (`@quiver/core`'s `Tensor`). */
export interface WeightLike {
  /** The values, row-major (length = product of `shape`). */
  readonly data: Float32Array;
  /** The dimensions, such as `[numItems, factors]`. */
  readonly shape: readonly number[];
}

/** Options of `recommend` / `recommendBatch` (see `@quiver/mf`). */
export interface RecommendOptionsLike {
  /** Leave out the items each user interacted with in the training data. @defaultValue true */
  filterSeen?: boolean;
  /** Allow-list: rank only these item ids. @defaultValue undefined (every item) */
  items?: Int32Array;
  /** Deny-list: never return these item ids (applied after the allow-list). @defaultValue undefined */
  exclude?: Int32Array;
}

/** What the evaluation functions need from a model. */
export interface ScoringModel {
  /** Model kind, such as `'biased-mf'` or `'als'`. */
  readonly kind: string;
  /** Number of users the model knows. */
  readonly numUsers: number;
  /** Number of items the model knows. */
  readonly numItems: number;
  /** Scores `(users[n], items[n])` pairs into a new Float32Array. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /** The score of every item for `user` (the scores `recommendBatch` ranks by), into `out` when given. */
  scoreAllItems(user: number, out?: Float32Array): Float32Array;
  /** Row-major `users.length × k` top-k ids (padding -1) and scores. */
  recommendBatch(users: Int32Array, k: number, options?: RecommendOptionsLike): {
    /** Row-major `users.length × k` item ids; slots without a candidate hold -1. */
    readonly ids: Int32Array;
    /** Row-major `users.length × k` scores matching `ids`; slots without a candidate hold NaN. */
    readonly scores: Float32Array;
  };
  /** The CSR of training interactions used by `filterSeen`, or null. */
  seenItems(): {
    /** Row offsets, length `numUsers + 1`: user u's items are `indices[indptr[u]]` up to `indices[indptr[u + 1] - 1]`. */
    indptr: Int32Array;
    /** Item indices of all seen interactions, grouped by user (length `indptr[numUsers]`). */
    indices: Int32Array;
  } | null;
  /** Replaces the CSR of training interactions used by `filterSeen`. */
  setSeen(indptr: Int32Array, indices: Int32Array): void;
}

/** What the {@link Trainer} needs from a model: scoring plus the per-epoch training API. */
export interface TrainableModel extends ScoringModel {
  /** Checks the data, builds the seen index and initialises the weights (no epoch yet). */
  initialize(data: InteractionData, options?: { seed?: number; maxMemory?: number }): void;
  /** Runs one epoch on the object passed to `initialize`; returns the epoch loss. */
  fitEpoch(data: InteractionData, epoch: number): number;
  /** A deep copy of the weights. */
  getState(): Record<string, WeightLike>;
  /** Replaces the weights with a copy of `state`. */
  setState(state: Record<string, WeightLike>): void;
  /** Hyper-parameters as plain JSON values. */
  getConfig(): Record<string, unknown>;
  /** Weights plus optimizer state (needed by the trainer's `checkpoint` and `resumeFrom`). */
  getTrainingState?(): TrainingState;
  /** Restores {@link TrainableModel.getTrainingState} into a model prepared with `initialize`. */
  setTrainingState?(state: TrainingState): void;
}

/** Model kinds trained on ratings (evaluated with RMSE / MAE); every other kind ranks. */
export const EXPLICIT_KINDS: readonly string[] = ['biased-mf', 'baseline'];

/**
 * Whether a model predicts ratings (`'biased-mf'`, `'baseline'`) rather than ranking scores.
 * @returns true for explicit-feedback models.
 * @example
 * isExplicitModel({ kind: 'als' }); // false
 */
export function isExplicitModel(model: { readonly kind: string }): boolean {
  return EXPLICIT_KINDS.includes(model.kind);
}
