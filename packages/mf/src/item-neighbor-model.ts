import { Tensor } from '@quiver/core';
import { quiverError, transposeCsr, type CsrMatrixWithValues, type InteractionData, type Rng } from '@quiver/base';
import { FoldInRecommender } from './fold-in-recommender.js';
import type { DataShape } from './memory-budget.js';
import type { ModelWeights } from './recommender.js';

/** Float32 holds every integer up to 2^24 exactly: the largest catalogue whose neighbor ids the weights file can store. */
export const MAX_NEIGHBOR_ROWS = 2 ** 24;

/**
 * The base of item-neighbourhood models (ItemKNN, RP3beta, P3alpha): the model is a sparse item ×
 * item weight matrix `W` kept as each item's `neighbors` best neighbours, and a user's score for
 * item `i` is `Σ_{j ∈ history(u)} W[j, i]` (the history is binary: the user's training items, part of the weights).
 * A model supplies `computeNeighbors`, which fills the tables from the training matrices.
 *
 * Weights: `neighbor_ids` [numItems, neighbors] (ids as float32, exact below 2^24; −1 pads a row
 * with fewer neighbours, always at its end), `neighbor_weights` [numItems, neighbors], and each
 * user's training items, which known users are scored from: `user_activity` [numUsers] (how many)
 * and `user_history` [interactions] (the item ids, user by user, as float32). Fold-in takes a new user's items (their
 * ratings are ignored) and scores as for a known user; `similarItems` ranks an item's neighbours
 * by weight (others score 0), `similarUsers` by the cosine of binary histories.
 * @example
 * class MyKnn extends ItemNeighborModel { protected computeNeighbors(ui, iu, ids, weights) { ... } }
 */
export abstract class ItemNeighborModel extends FoldInRecommender {
  protected readonly defaultEpochs = 1;
  protected readonly defaultSeed = 42;
  /** Neighbours kept per item. */
  protected abstract readonly neighborCount: number;
  private idsF = new Float32Array(0);
  private ids = new Int32Array(0);
  private sims = new Float32Array(0);
  private activity = new Float32Array(0);
  private historyF = new Float32Array(0);
  /** Each user's training items (CSR): what a known user is scored from. */
  private historyPtr = new Int32Array(1);
  private history = new Int32Array(0);
  private numItemsAllocated = 0;
  /** The history length `allocateWeights` makes room for (set from the data or a state first). */
  private historyLength = 0;

  /**
   * Fills `ids` / `weights` (`numItems · neighborCount`, row-major, best first, −1 / 0 padding)
   * from the user × item matrix `userItems` and its transpose `itemUsers` (values: summed ratings).
   */
  protected abstract computeNeighbors(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues, ids: Int32Array, weights: Float32Array): void;

  /** Neighbour tables plus the transposed matrix and the kernel's scratch. */
  protected memoryParts(shape: DataShape): Record<string, number> {
    return {
      'neighbor tables': shape.numItems * this.neighborCount * 12,
      'item × user matrix': (shape.numItems + 1) * 4 + shape.numInteractions * 8,
      'similarity scratch': shape.numItems * 20,
      'user histories': shape.numUsers * 8 + shape.numInteractions * 8,
    };
  }

  protected initWeights(data: InteractionData, userItems: CsrMatrixWithValues, _rng: Rng): void {
    if (data.numItems > MAX_NEIGHBOR_ROWS) {
      throw quiverError('RangeError', { where: `${this.name}.fit`, what: `numItems must be at most ${MAX_NEIGHBOR_ROWS} (neighbor ids are stored as float32)`, got: String(data.numItems) });
    }
    this.historyLength = userItems.indices.length;
    this.allocateWeights(data.numUsers, data.numItems);
    for (let u = 0; u < data.numUsers; u++) this.activity[u] = userItems.indptr[u + 1] - userItems.indptr[u];
    for (let p = 0; p < userItems.indices.length; p++) this.historyF[p] = userItems.indices[p];
    this.training = userItems;
  }

  /** The training matrix between `initialize` and the epoch that computes the neighbours. */
  private training: CsrMatrixWithValues | null = null;

  /**
   * Computes the neighbours in closed form (so the epoch's time is the model's training time);
   * a further epoch has nothing left to do.
   * @returns 0: there is no loss.
   */
  protected runEpoch(_epoch: number): number {
    const userItems = this.training;
    if (userItems === null) return 0;
    this.computeNeighbors(userItems, transposeCsr(userItems), this.ids, this.sims);
    for (let n = 0; n < this.ids.length; n++) this.idsF[n] = this.ids[n];
    this.training = null;
    return 0;
  }

  protected override weightsChanged(): void {
    for (let n = 0; n < this.idsF.length; n++) this.ids[n] = this.idsF[n];
    for (let u = 0; u < this.activity.length; u++) this.historyPtr[u + 1] = this.historyPtr[u] + this.activity[u];
    for (let p = 0; p < this.historyF.length; p++) this.history[p] = this.historyF[p];
  }

  /** Adds `scale · W[j, :]` into `out`. */
  private addRow(j: number, scale: number, out: Float32Array): void {
    const k = this.neighborCount;
    const ids = this.ids;
    const sims = this.sims;
    for (let t = j * k, end = t + k; t < end; t++) {
      const i = ids[t];
      if (i < 0) break;
      out[i] += scale * sims[t];
    }
  }

  protected scoreUser(user: number, out: Float32Array): void {
    out.fill(0);
    for (let p = this.historyPtr[user]; p < this.historyPtr[user + 1]; p++) this.addRow(this.history[p], 1, out);
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
  protected scoreVector(vector: Float32Array, out: Float32Array): void {
    out.fill(0);
    for (let j = 0; j < vector.length; j++) if (vector[j] !== 0) this.addRow(j, vector[j], out);
  }

  protected predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void {
    const k = this.neighborCount;
    for (let n = 0; n < users.length; n++) {
      const target = items[n];
      // Summed in float32 in history order, as scoreUser sums, so both give the same score.
      let s = 0;
      for (let h = this.historyPtr[users[n]]; h < this.historyPtr[users[n] + 1]; h++) {
        for (let t = this.history[h] * k, end = t + k; t < end && this.ids[t] >= 0; t++) {
          if (this.ids[t] === target) {
            s = Math.fround(s + this.sims[t]);
            break;
          }
        }
      }
      out[n] = s;
    }
  }

  protected itemSimilarities(item: number, out: Float32Array): void {
    out.fill(0);
    this.addRow(item, 1, out);
  }

  /** Cosine of binary histories: |A ∩ B| / sqrt(|A| · |B|). */
  protected userSimilarities(user: number, out: Float32Array): void {
    const ptr = this.historyPtr;
    const items = this.history;
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
    const w: ModelWeights = Object.create(null);
    const shape = [this.numItemsAllocated, this.neighborCount];
    w.neighbor_ids = new Tensor(this.idsF, shape);
    w.neighbor_weights = new Tensor(this.sims, shape);
    w.user_activity = new Tensor(this.activity, [this.activity.length]);
    w.user_history = new Tensor(this.historyF, [this.historyF.length]);
    return w;
  }

  protected allocateWeights(numUsers: number, numItems: number): void {
    const n = numItems * this.neighborCount;
    this.numItemsAllocated = numItems;
    this.idsF = new Float32Array(n);
    this.ids = new Int32Array(n);
    this.sims = new Float32Array(n);
    this.activity = new Float32Array(numUsers);
    this.historyF = new Float32Array(this.historyLength);
    this.historyPtr = new Int32Array(numUsers + 1);
    this.history = new Int32Array(this.historyLength);
  }

  /** Checks the tables before anything changes: shapes, and every id an integer in range, padding last. */
  protected sizesOf(state: ModelWeights): { numUsers: number; numItems: number } {
    const where = `${this.name}.setState`;
    const own = (name: string): Tensor | undefined => (Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined);
    const ids = own('neighbor_ids');
    const sims = own('neighbor_weights');
    const users = own('user_activity');
    const history = own('user_history');
    const k = this.neighborCount;
    if (ids === undefined || sims === undefined || users === undefined || history === undefined || ids.shape.length !== 2 || users.shape.length !== 1 || history.shape.length !== 1) {
      throw quiverError('RangeError', { where, what: 'state must contain "neighbor_ids" and "neighbor_weights" [numItems, neighbors], "user_activity" [numUsers] and "user_history" [interactions]' });
    }
    if (ids.shape[1] !== k || sims.shape.length !== 2 || sims.shape[0] !== ids.shape[0] || sims.shape[1] !== k) {
      throw quiverError('RangeError', { where, what: `"neighbor_ids" and "neighbor_weights" must both be [numItems, ${k}] (this model's neighbors)`, got: `[${ids.shape.join(', ')}] and [${sims.shape.join(', ')}]` });
    }
    const numItems = ids.shape[0];
    const d = ids.data;
    for (let row = 0; row < numItems; row++) {
      let padded = false;
      for (let t = row * k; t < (row + 1) * k; t++) {
        const id = d[t];
        const bad = !Number.isInteger(id) || id < -1 || id >= numItems || id === row || (padded && id !== -1);
        if (bad) throw quiverError('RangeError', { where, what: `neighbor_ids row ${row} must hold item ids in [0, ${numItems}) other than ${row}, then -1 padding`, got: `${id} at position ${t - row * k}` });
        if (id === -1) padded = true;
      }
    }
    let total = 0;
    for (let u = 0; u < users.data.length; u++) {
      const c = users.data[u];
      if (!Number.isInteger(c) || c < 0) throw quiverError('RangeError', { where, what: 'user_activity must hold non-negative integer counts', got: `${c} for user ${u}` });
      total += c;
    }
    if (total !== history.shape[0]) throw quiverError('RangeError', { where, what: `user_history must hold sum(user_activity) = ${total} item ids`, got: String(history.shape[0]) });
    for (let p = 0; p < history.data.length; p++) {
      const id = history.data[p];
      if (!Number.isInteger(id) || id < 0 || id >= numItems) throw quiverError('RangeError', { where, what: `user_history must hold item ids in [0, ${numItems})`, got: `${id} at position ${p}` });
    }
    // A model that takes its sizes from this state allocates this much history.
    if (!this.isFitted) this.historyLength = total;
    return { numUsers: users.shape[0], numItems };
  }
}
