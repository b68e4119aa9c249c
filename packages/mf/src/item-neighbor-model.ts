import { Tensor } from '@quiver/core';
import { quiverError, type CsrMatrixWithValues } from '@quiver/base';
import type { DataShape } from './memory-budget.js';
import type { ModelWeights } from './recommender.js';
import { MAX_HISTORY_ITEMS, UserHistoryModel } from './user-history-model.js';

/** Float32 holds every integer up to 2^24 exactly: the largest catalogue whose neighbor ids the weights file can store. */
export const MAX_NEIGHBOR_ROWS = MAX_HISTORY_ITEMS;

/**
 * The base of item-neighbourhood models (ItemKNN, RP3beta, P3alpha, SLIM): the model is a sparse item ×
 * item weight matrix `W` kept as each item's `neighbors` best neighbours, and a user's score for
 * item `i` is `Σ_{j ∈ history(u)} W[j, i]` (the history is binary: the user's training items, part of the weights).
 * A model supplies `computeNeighbors`, which fills the tables from the training matrices.
 *
 * Weights: `neighbor_ids` [numItems, neighbors] (ids as float32, exact below 2^24; −1 pads a row
 * with fewer neighbours, always at its end), `neighbor_weights` [numItems, neighbors], and the
 * user histories of {@link UserHistoryModel}. `similarItems` ranks an item's neighbours by
 * weight (others score 0).
 * @example
 * class MyKnn extends ItemNeighborModel { protected computeNeighbors(ui, iu, ids, weights) { ... } }
 */
export abstract class ItemNeighborModel extends UserHistoryModel {
  /** Neighbours kept per item. */
  protected abstract readonly neighborCount: number;
  private idsF = new Float32Array(0);
  private ids = new Int32Array(0);
  private sims = new Float32Array(0);
  private numItemsAllocated = 0;

  /**
   * Fills `ids` / `weights` (`numItems · neighborCount`, row-major, best first, −1 / 0 padding)
   * from the user × item matrix `userItems` and its transpose `itemUsers` (values: summed ratings).
   */
  protected abstract computeNeighbors(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues, ids: Int32Array, weights: Float32Array): void;

  /** Neighbour tables plus the transposed matrix and the kernel's scratch. */
  protected modelMemoryParts(shape: DataShape): Record<string, number> {
    return {
      'neighbor tables': shape.numItems * this.neighborCount * 12,
      'item × user matrix': (shape.numItems + 1) * 4 + shape.numInteractions * 8,
      'similarity scratch': shape.numItems * 20,
    };
  }

  protected computeModel(userItems: CsrMatrixWithValues, itemUsers: CsrMatrixWithValues): void {
    this.computeNeighbors(userItems, itemUsers, this.ids, this.sims);
    for (let n = 0; n < this.ids.length; n++) this.idsF[n] = this.ids[n];
  }

  protected override modelChanged(): void {
    for (let n = 0; n < this.idsF.length; n++) this.ids[n] = this.idsF[n];
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
    for (let p = this.historyPtr[user]; p < this.historyPtr[user + 1]; p++) this.addRow(this.historyItems[p], 1, out);
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
        for (let t = this.historyItems[h] * k, end = t + k; t < end && this.ids[t] >= 0; t++) {
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

  protected modelWeights(): ModelWeights {
    const w: ModelWeights = Object.create(null);
    const shape = [this.numItemsAllocated, this.neighborCount];
    w.neighbor_ids = new Tensor(this.idsF, shape);
    w.neighbor_weights = new Tensor(this.sims, shape);
    return w;
  }

  protected allocateModel(_numUsers: number, numItems: number): void {
    const n = numItems * this.neighborCount;
    this.numItemsAllocated = numItems;
    this.idsF = new Float32Array(n);
    this.ids = new Int32Array(n);
    this.sims = new Float32Array(n);
  }

  /** Checks the tables: shapes, and every id an integer in range, padding last. */
  protected modelSizeOf(state: ModelWeights, where: string): number {
    const own = (name: string): Tensor | undefined => (Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined);
    const ids = own('neighbor_ids');
    const sims = own('neighbor_weights');
    const k = this.neighborCount;
    if (!(ids instanceof Tensor) || !(sims instanceof Tensor) || ids.shape.length !== 2) {
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
    return numItems;
  }
}
