import type { BatchTopK, InteractionData, ModelKind, TopK } from '@quiver/base';
import type { Tensor } from '@quiver/core';

/** Options of {@link Recommender.recommend} and friends. */
export interface RecommendOptions {
  /**
   * Leave out the items the user interacted with in the training data (for
   * `recommendForNew`: the items passed in).
   * @defaultValue true
   */
  filterSeen?: boolean;
  /** Allow-list: rank only these item ids. @defaultValue undefined (every item) */
  items?: Int32Array;
  /** Deny-list: never return these item ids (applied after the allow-list). @defaultValue undefined */
  exclude?: Int32Array;
}

/** What `onEpochEnd` receives after each epoch. */
export interface EpochLogs {
  /** The epoch's training loss (see each model's `fitEpoch` for its definition). */
  readonly loss: number;
}

/** Options of {@link Recommender.fit}. */
/** Logs passed to {@link EpochHooks.onBatchEnd}. */
export interface BatchLogs {
  /** Number of batches in this epoch. */
  readonly numBatches: number;
  /** Mean training loss over the batch's examples (before their updates). */
  readonly loss: number;
}

/**
 * Callbacks inside one epoch, for progress bars and logging. Models that train in batches
 * (BiasedMF's SGD path in chunks of 65,536 ratings, its mini-batch solver per batch, BPR in chunks of
 * 65,536 triples) call `onBatchEnd` after each; models that solve a whole epoch at once (ALS,
 * Baseline, Popularity, Random) never do. The weights are the same with or without hooks.
 */
export interface EpochHooks {
  /** Called after batch `batch` (0-based) of the epoch. */
  readonly onBatchEnd?: (batch: number, logs: BatchLogs) => void;
}

export interface FitOptions {
  /** Number of epochs (ALS: alternating sweeps). @defaultValue the model's `epochs` option */
  epochs?: number;
  /** Seed of initialisation and sampling: the same seed gives bit-identical weights. @defaultValue the model's `seed` option */
  seed?: number;
  /**
   * Called after each epoch with its 0-based index and logs; return `false` to stop training
   * early (any other return value continues).
   * @defaultValue undefined
   */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | boolean;
  /** Print one line per epoch (epoch, loss, seconds) to stderr. @defaultValue false */
  verbose?: boolean;
  /**
   * Memory budget in bytes: `fit` refuses, before allocating, data and options whose weights,
   * optimizer state and training buffers would need more (see `estimateMemory`).
   * @defaultValue half of this machine's memory (`os.totalmem() / 2`)
   */
  maxMemory?: number;
}

/** Options of {@link Recommender.initialize}. */
export interface InitializeOptions {
  /** Seed of initialisation and sampling. @defaultValue the model's `seed` option */
  seed?: number;
  /** Memory budget in bytes (see {@link FitOptions.maxMemory}). @defaultValue half of this machine's memory */
  maxMemory?: number;
}

/** Named weight tensors, as saved in safetensors files and used by `getState` / `setState`. */
export type ModelWeights = Record<string, Tensor>;


/**
 * The one contract every Quiver recommender implements (implicit's `RecommenderBase`). It is
 * documented here in full; each model's docs only add what is specific to it.
 *
 * Ids are the dense 0-based indices of the training `InteractionData` (`@quiver/base`). A bad id throws
 * `RangeError` naming the value and the allowed range; any query before `fit` (or
 * `initialize`) throws `Error`. All results are deterministic: top-k ties rank the lower id
 * first, and training is bit-identical for the same seed.
 *
 * @example
 * const model = new BiasedMF({ factors: 64 });
 * model.fit(train, { epochs: 20, onEpochEnd: (e, { loss }) => console.log(e, loss) });
 * const { ids, scores } = model.recommend(0, 10);          // unseen items for user 0
 * const preds = model.predict(Int32Array.of(0, 1), Int32Array.of(5, 7));
 * const vec = model.foldIn(Int32Array.of(3, 8), Float32Array.of(5, 4)); // a new user
 */
export interface Recommender {
  /** The model kind, such as `'biased-mf'`. */
  readonly kind: ModelKind;
  /** True once `fit` or `initialize` (or `setState` / `loadModel`) has given the model weights. */
  readonly isFitted: boolean;
  /** Number of users the model knows (0 before fitting). */
  readonly numUsers: number;
  /** Number of items the model knows (0 before fitting). */
  readonly numItems: number;

  /**
   * Trains from scratch on `data`: `initialize(data)` then `fitEpoch` for each epoch, calling
   * `onEpochEnd` after each and stopping when it returns `false`. Remembers which items each
   * user interacted with, for `filterSeen`, and the data's id maps when it has them. After every
   * epoch the loss and the weights are checked: a NaN or ±Infinity stops training with a
   * `TrainingDivergedError` naming the epoch, and leaves the model unfitted.
   * @param data - The training interactions; explicit models need `ratings`.
   * @param options - Epochs, seed and callbacks; see {@link FitOptions}.
   * @throws {TypeError} for malformed data or options; {@link RangeError} for out-of-range ids or
   *   values, or when the model would need more memory than `maxMemory`.
   * @throws {TrainingDivergedError} when the loss or a weight stops being finite.
   */
  fit(data: InteractionData, options?: FitOptions): void;

  /**
   * Starts training on `data` without running any epoch: checks the data, builds the
   * per-user index and initialises the weights from the seed. The model is usable (its
   * predictions are those of the initial weights) and {@link fitEpoch} may follow.
   * @throws As {@link fit}.
   */
  initialize(data: InteractionData, options?: InitializeOptions): void;

  /**
   * Runs one epoch on the data passed to `initialize` and returns its training loss.
   * @param data - The same object that was passed to `initialize`.
   * @param epoch - The 0-based epoch index (used by learning-rate decay and for sampling streams).
   * @param hooks - Per-batch callbacks (see {@link EpochHooks}); they never change the result.
   * @returns The epoch's training loss (NaN for ALS with `computeLoss: false`).
   * @throws {Error} when `initialize` was not called with this `data` object.
   */
  fitEpoch(data: InteractionData, epoch: number, hooks?: EpochHooks): number;

  /**
   * Scores `(users[n], items[n])` pairs: a predicted rating for explicit models, a ranking
   * score for implicit ones.
   * @returns A new `Float32Array` of `users.length` scores.
   * @throws {RangeError} when the arrays differ in length or an id is out of range.
   */
  predict(users: Int32Array, items: Int32Array): Float32Array;

  /**
   * The score of every item for `user`: the scores {@link recommend} ranks by (for explicit
   * models the predicted rating before `predict` clips it to the training range), written into
   * `out` when given (no allocation), else into a new array.
   * @returns `out`, or a new `Float32Array` of `numItems` scores.
   * @throws {RangeError} for a bad user id or an `out` that is not `numItems` long.
   * @throws {TypeError} when `out` is not a Float32Array.
   * @throws {Error} before fitting.
   */
  scoreAllItems(user: number, out?: Float32Array): Float32Array;

  /**
   * The `k` best items for `user`, best first. Returns exactly `k` results when at least `k`
   * items pass the filters, otherwise all of them.
   * @returns New arrays of at most `k` ids and scores.
   * @throws {RangeError} for a bad user id, a negative or non-integer `k`, or a bad id in `items` / `exclude`.
   * @throws {Error} before fitting.
   */
  recommend(user: number, k: number, options?: RecommendOptions): TopK;

  /**
   * {@link recommend} for many users with one heap-based top-k per user (no full sort): row
   * `n` of the result equals `recommend(users[n], k, options)`, padded with id -1 / score NaN.
   * A `k` above the number of candidate items (the allow-list, else every item) is clamped to it,
   * so rows never hold more slots than there are items; the result's `k` says how many.
   * @returns Row-major `users.length × k` arrays.
   * @throws As {@link recommend}, naming the position of a bad user id.
   */
  recommendBatch(users: Int32Array, k: number, options?: RecommendOptions): BatchTopK;

  /**
   * The `k` items most similar to `item` by cosine of their factors, excluding `item` itself.
   * @returns At most `k` ids and similarities, best first.
   * @throws {RangeError} for a bad item id or `k`; {@link Error} before fitting.
   */
  similarItems(item: number, k: number): TopK;

  /**
   * The `k` users most similar to `user` by cosine of their factors, excluding `user` itself.
   * @returns At most `k` ids and similarities, best first.
   * @throws {RangeError} for a bad user id or `k`; {@link Error} before fitting.
   */
  similarUsers(user: number, k: number): TopK;

  /**
   * A user vector for a user the model has never seen, computed from their interactions with
   * the item weights fixed (no retraining). Its layout is that of one row of the model's user
   * representation (see each model); pass it to {@link recommendForNew} or {@link predictNew}.
   * @param items - Item ids the new user interacted with (at least one).
   * @param ratings - Their ratings (explicit models require them), same length.
   * @returns A new `Float32Array`.
   * @throws {RangeError} for no items, a bad item id or a non-finite rating; {@link TypeError}
   * when an explicit model gets no ratings.
   */
  foldIn(items: Int32Array, ratings?: Float32Array): Float32Array;

  /**
   * Scores `items` for a folded-in user vector (see {@link foldIn}); explicit models clip to the rating range.
   * @returns A new `Float32Array`, one score per item.
   * @throws {RangeError} when the vector has the wrong length or an item id is bad.
   */
  predictNew(userVector: Float32Array, items: Int32Array): Float32Array;

  /**
   * `foldIn(items, ratings)` then the top `k` for that vector; `filterSeen` leaves out `items`.
   * @returns At most `k` ids and scores, best first.
   * @throws As {@link foldIn} and {@link recommend}.
   */
  recommendForNew(items: Int32Array, ratings: Float32Array | undefined, k: number, options?: RecommendOptions): TopK;

  /**
   * A deep copy of the weights (for restore-best and for saving), by the names of the weight files.
   * @returns A prototype-free record of new tensors.
   * @throws {Error} before fitting.
   */
  getState(): ModelWeights;

  /**
   * Replaces the weights with a copy of `state` (from `getState` of a model of the same kind
   * and sizes). A model that was never fitted needs {@link setSeen} (or loadModel) to filter seen items.
   * @throws {RangeError} when a tensor is missing or has the wrong shape.
   */
  setState(state: ModelWeights): void;

  /** The hyper-parameters, as plain JSON values (what `model.json` stores). */
  getConfig(): Record<string, unknown>;

  /** The user × item matrix of training interactions used by `filterSeen`, or null before fitting. */
  seenItems(): {
    /** Row offsets, length `numUsers + 1`: user u's items are `indices[indptr[u]]` up to `indices[indptr[u + 1] - 1]`. */
    indptr: Int32Array;
    /** Item indices of all seen interactions, grouped by user (length `indptr[numUsers]`). */
    indices: Int32Array;
  } | null;

  /** Replaces the seen-items matrix (CSR over `numUsers` rows; `loadModel` uses it). */
  setSeen(indptr: Int32Array, indices: Int32Array): void;
}
