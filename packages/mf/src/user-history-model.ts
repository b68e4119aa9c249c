import { Tensor } from '@quiver/core';
import { quiverError, transposeCsr, type CsrMatrixWithValues, type InteractionData, type Rng } from '@quiver/base';
import { FoldInRecommender } from './fold-in-recommender.js';
import type { DataShape } from './memory-budget.js';
import type { ModelWeights } from './recommender.js';

/** Weight names of the user histories every {@link UserHistoryModel} saves. */
export const HISTORY_WEIGHTS = {
  /** Each user's number of training items, shape `[numUsers]`. */
  activity: 'user_activity',
  /** The training items, user by user (ids as float32, exact below 2^24), shape `[interactions]`. */
  history: 'user_history',
} as const;

/** Float32 holds every integer up to 2^24 exactly: the largest catalogue whose ids the history weights can store. */
export const MAX_HISTORY_ITEMS = 2 ** 24;

/**
 * The base of the memory-based models (ItemKNN, RP3beta, P3alpha, SLIM, EASE, UserKNN), which
 * score a user from their training items rather than from a learned user vector. Each user's
 * binary training history is part of the weights (`user_activity` [numUsers] and
 * `user_history` [interactions]), so a saved model scores known users as the trained one did.
 * The model is computed once, in the first epoch, from the training matrices
 * (`computeModel`); a further epoch has nothing left to do. Fold-in takes a new user's items
 * as a 0/1 vector over the catalogue (ratings are not used), and `similarUsers` is the cosine
 * of binary histories.
 * @example
 * class MyModel extends UserHistoryModel { protected computeModel(ui, iu) { ... } ... }
 */
export abstract class UserHistoryModel extends FoldInRecommender {
  protected readonly defaultEpochs = 1;
  protected readonly defaultSeed = 42;
  protected readonly needsRatings = false;
  private activity = new Float32Array(0);
  private historyF = new Float32Array(0);
  /** Each user's training items (CSR): `historyItems[historyPtr[u] .. historyPtr[u + 1])`. */
  protected historyPtr = new Int32Array(1);
  /** See {@link UserHistoryModel.historyPtr}. */
  protected historyItems = new Int32Array(0);
  /** The history length `allocateWeights` makes room for (set from the data or a state first). */
  private historyLength = 0;
  /** The training matrix between `initialize` and the epoch that computes the model. */
  private training: CsrMatrixWithValues | null = null;

  /**
   * Computes the model from the user × item matrix `userItems` (values: summed ratings) and its
   * transpose, into the weights `allocateModel` made.
   */
  protected abstract computeModel(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues): void;
  /** Allocates the model's own weights (beyond the histories) for these sizes. */
  protected abstract allocateModel(numUsers: number, numItems: number): void;
  /** The model's own weights, by name (views). */
  protected abstract modelWeights(): ModelWeights;
  /**
   * Checks the model's own tensors in a state (the histories are checked already) and returns
   * the number of items they imply.
   */
  protected abstract modelSizeOf(state: ModelWeights, where: string): number;
  /** Bytes of the model's own weights and training scratch for data of this shape. */
  protected abstract modelMemoryParts(shape: DataShape): Record<string, number>;
  /** Rebuilds what the model derives from its weights (called after training and `setState`). */
  protected modelChanged(): void {}

  protected memoryParts(shape: DataShape): Record<string, number> {
    return { ...this.modelMemoryParts(shape), 'user histories': shape.numUsers * 8 + shape.numInteractions * 8 };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, _rng: Rng): void {
    if (data.numItems > MAX_HISTORY_ITEMS) {
      throw quiverError('RangeError', { where: `${this.name}.fit`, what: `numItems must be at most ${MAX_HISTORY_ITEMS} (item ids are stored as float32)`, got: String(data.numItems) });
    }
    this.historyLength = userItems.indices.length;
    this.allocateWeights(data.numUsers, data.numItems);
    for (let u = 0; u < data.numUsers; u++) this.activity[u] = userItems.indptr[u + 1] - userItems.indptr[u];
    for (let p = 0; p < userItems.indices.length; p++) this.historyF[p] = userItems.indices[p];
    this.training = userItems;
  }

  /**
   * Computes the model in closed form (so the epoch's time is the model's training time).
   * @returns 0: there is no loss.
   */
  protected runEpoch(_epoch: number): number {
    const userItems = this.training;
    if (userItems === null) return 0;
    this.computeModel(userItems, transposeCsr(userItems));
    this.training = null;
    return 0;
  }

  protected override weightsChanged(): void {
    for (let u = 0; u < this.activity.length; u++) this.historyPtr[u + 1] = this.historyPtr[u] + this.activity[u];
    for (let p = 0; p < this.historyF.length; p++) this.historyItems[p] = this.historyF[p];
    this.modelChanged();
  }

  protected get userVectorLength(): number {
    return this.numItems;
  }
  /** The new user's items as a 0/1 vector over the catalogue (ratings are not used). */
  protected foldInVector(items: Int32Array): Float32Array {
    const v = new Float32Array(this.numItems);
    for (let n = 0; n < items.length; n++) v[items[n]] = 1;
    return v;
  }

  /** Cosine of binary histories: |A ∩ B| / sqrt(|A| · |B|). */
  protected userSimilarities(user: number, out: Float32Array): void {
    const ptr = this.historyPtr;
    const items = this.historyItems;
    const mark = new Uint8Array(this.numItems);
    for (let p = ptr[user]; p < ptr[user + 1]; p++) mark[items[p]] = 1;
    const nu = ptr[user + 1] - ptr[user];
    for (let v = 0; v < this.numUsers; v++) {
      let overlap = 0;
      for (let p = ptr[v]; p < ptr[v + 1]; p++) overlap += mark[items[p]];
      const nv = ptr[v + 1] - ptr[v];
      out[v] = overlap === 0 ? 0 : overlap / Math.sqrt(nu * nv);
    }
  }

  protected weights(): ModelWeights {
    const w = this.modelWeights();
    w[HISTORY_WEIGHTS.activity] = new Tensor(this.activity, [this.activity.length]);
    w[HISTORY_WEIGHTS.history] = new Tensor(this.historyF, [this.historyF.length]);
    return w;
  }

  protected allocateWeights(numUsers: number, numItems: number): void {
    this.allocateModel(numUsers, numItems);
    this.activity = new Float32Array(numUsers);
    this.historyF = new Float32Array(this.historyLength);
    this.historyPtr = new Int32Array(numUsers + 1);
    this.historyItems = new Int32Array(this.historyLength);
  }

  /** Checks the histories and the model's tensors before anything changes. */
  protected sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const where = `${this.name}.setState`;
    const own = (name: string): Tensor | undefined => (Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined);
    const users = own(HISTORY_WEIGHTS.activity);
    const history = own(HISTORY_WEIGHTS.history);
    if (!(users instanceof Tensor) || !(history instanceof Tensor) || users.shape.length !== 1 || history.shape.length !== 1) {
      throw quiverError('RangeError', { where, what: `state must contain "${HISTORY_WEIGHTS.activity}" [numUsers] and "${HISTORY_WEIGHTS.history}" [interactions]` });
    }
    const numItems = this.modelSizeOf(state, where);
    let total = 0;
    for (let u = 0; u < users.data.length; u++) {
      const c = users.data[u];
      if (!Number.isInteger(c) || c < 0) throw quiverError('RangeError', { where, what: `${HISTORY_WEIGHTS.activity} must hold non-negative integer counts`, got: `${c} for user ${u}` });
      total += c;
    }
    if (total !== history.shape[0]) throw quiverError('RangeError', { where, what: `${HISTORY_WEIGHTS.history} must hold sum(${HISTORY_WEIGHTS.activity}) = ${total} item ids`, got: String(history.shape[0]) });
    for (let p = 0; p < history.data.length; p++) {
      const id = history.data[p];
      if (!Number.isInteger(id) || id < 0 || id >= numItems) throw quiverError('RangeError', { where, what: `${HISTORY_WEIGHTS.history} must hold item ids in [0, ${numItems})`, got: `${id} at position ${p}` });
    }
    // A model that takes its sizes from this state allocates this much history.
    if (!this.isFitted) this.historyLength = total;
    return { numUsers: users.shape[0], numItems };
  }
}

