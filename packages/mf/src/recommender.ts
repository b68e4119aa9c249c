import type { InteractionData, ModelKind, TopK } from '@quiver/base';
import type { TrainingState } from './training-state.js';
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

/** Options of {@link EpochTrainable.initialize}. */
export interface InitializeOptions {
  /** Seed of initialisation and sampling. @defaultValue the model's `seed` option */
  seed?: number;
  /** Memory budget in bytes (see {@link FitOptions.maxMemory}). @defaultValue half of this machine's memory */
  maxMemory?: number;
}

/** Named weight tensors, as saved in safetensors files and used by `getState` / `setState`. */
export type ModelWeights = Record<string, Tensor>;


/**
 * The contract every Quiver recommender implements, and all a caller needs to train a model and
 * get recommendations from it (implicit's `RecommenderBase`): `fit`, `recommend`,
 * `similarItems`, and `predict` (a predicted rating for explicit models, a ranking score for
 * implicit ones). Everything else is a separate interface: `Scorer` (every item's score, the seen
 * items; what `recommendBatch` and evaluation work on), {@link EpochTrainable} (the per-epoch API
 * the Trainer drives), {@link TrainingStateful} (checkpoints), `FoldInModel` (new users).
 *
 * Ids are the dense 0-based indices of the training data. A bad id throws `RangeError` naming the
 * value and the allowed range; any query before `fit` throws `Error`. All results are
 * deterministic: top-k ties rank the lower id first, and training is bit-identical for a seed.
 *
 * @example
 * const model = new BiasedMF({ factors: 64 });
 * model.fit(train, { epochs: 20, onEpochEnd: (e, { loss }) => console.log(e, loss) });
 * const { ids, scores } = model.recommend(0, 10);          // unseen items for user 0
 * const preds = model.predict(Int32Array.of(0, 1), Int32Array.of(5, 7));
 */
export interface Recommender {
  /** The model kind, such as `'biased-mf'`. */
  readonly kind: ModelKind;
  /** True once `fit` (or `setState` / `loadModel`) has given the model weights. */
  readonly isFitted: boolean;
  /** Number of users the model knows (0 before fitting). */
  readonly numUsers: number;
  /** Number of items the model knows (0 before fitting). */
  readonly numItems: number;

  /**
   * Trains from scratch on `data`. Remembers which items each user interacted with, for
   * `filterSeen`, and the data's id maps when it has them. After every epoch the loss and the
   * weights are checked: a NaN or ±Infinity stops training with a `TrainingDivergedError` naming
   * the epoch, and leaves the model unfitted.
   * @param data - The training interactions; explicit models need `ratings`.
   * @param options - Epochs, seed, memory budget and callbacks; see {@link FitOptions}.
   * @throws {TypeError} for malformed data or options; {@link RangeError} for out-of-range ids or
   *   values, or when the model would need more memory than `maxMemory`.
   */
  fit(data: InteractionData, options?: FitOptions): void;

  /**
   * Scores `(users[n], items[n])` pairs: a predicted rating for explicit models (clipped to the
   * training ratings' range), a ranking score for implicit ones.
   * @returns A new `Float32Array` of `users.length` scores.
   * @throws {RangeError} when the arrays differ in length or an id is out of range.
   */
  predict(users: Int32Array, items: Int32Array): Float32Array;

  /**
   * The `k` best items for `user`, best first. Returns exactly `k` results when at least `k`
   * items pass the filters, otherwise all of them (a `k` beyond the candidates allocates nothing more).
   * @returns New arrays of at most `k` ids and scores.
   * @throws {RangeError} for a bad user id, a negative or non-integer `k`, or a bad id in `items` / `exclude`.
   * @throws {Error} before fitting.
   */
  recommend(user: number, k: number, options?: RecommendOptions): TopK;

  /**
   * The `k` items most similar to `item` (cosine of their factors for factor models), excluding `item` itself.
   * @returns At most `k` ids and similarities, best first.
   * @throws {RangeError} for a bad item id or `k`; {@link Error} before fitting.
   */
  similarItems(item: number, k: number): TopK;
}

/**
 * The per-epoch training API the Trainer drives (Keras' `fit` over a model's epochs): prepare,
 * run epochs one at a time, and read or replace the weights between them.
 */
export interface EpochTrainable {
  /** The model kind, such as `'biased-mf'`. */
  readonly kind: ModelKind;
  /**
   * Starts training on `data` without running any epoch: checks the data and the memory budget,
   * builds the per-user index and initialises the weights from the seed.
   */
  initialize(data: InteractionData, options?: InitializeOptions): void;
  /**
   * Runs one epoch on the data passed to `initialize` and returns its training loss (NaN for
   * ALS with `computeLoss: false`); `hooks` never change the result.
   */
  fitEpoch(data: InteractionData, epoch: number, hooks?: EpochHooks): number;
  /** A deep copy of the weights, by the names of the weight files. */
  getState(): ModelWeights;
  /** Replaces the weights with a checked copy of `state`. */
  setState(state: ModelWeights): void;
  /** The hyper-parameters, as plain JSON values (what `model.json` stores). */
  getConfig(): Record<string, unknown>;
}

/** What a checkpoint needs: the weights plus the optimizer state, to continue training bit-identically. */
export interface TrainingStateful {
  /** The weights and the optimizer state (copies). */
  getTrainingState(): TrainingState;
  /** Restores `getTrainingState()` into a model prepared with `initialize(data)`. */
  setTrainingState(state: TrainingState): void;
}
