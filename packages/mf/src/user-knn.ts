import { Tensor } from '@quiver/core';
import { checkOptionNames, checkPositiveInt, quiverError, transposeCsr, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative, checkPlainThreads } from './hyper.js';
import { neighborScratch, neighborTopK, type NeighborScratch } from './kernels/neighbor-top-k.js';
import {
  knnNeighbors, resolveSimilarity, resolveWeighting, similarityNorms, squaredRowNorms, weighNewRow, weighRows,
  type ItemSimilarityOptions, type ResolvedSimilarity, type ResolvedWeighting, type RowWeighting, type WeightingOptions,
} from './knn-similarity.js';
import type { DataShape } from './memory-budget.js';
import type { ModelWeights } from './recommender.js';
import { UserHistoryModel } from './user-history-model.js';

/**
 * Options of {@link UserKNN}. The defaults were chosen on validation splits of ml-latest-small's
 * training part (`packages/train/bench/tune-implicit.mjs`).
 */
export interface UserKNNOptions {
  /** Neighbours kept per user. @defaultValue 100 */
  neighbors?: number;
  /** User similarity (the kinds of ItemKNN's, with users' item vectors compared). @defaultValue `'cosine'` */
  similarity?: ItemSimilarityOptions | ItemSimilarityOptions['kind'];
  /** Added to the similarity's denominator: pulls the similarity of users with little overlap towards 0. @defaultValue 0 */
  shrink?: number;
  /** Interaction weighting, with users as documents and items as terms (TF-IDF / BM25 down-weigh items everyone has). @defaultValue `'none'` */
  weighting?: WeightingOptions | WeightingOptions['kind'];
  /** Threads computing the neighbours (the calling one plus worker threads), 1–16; the tables are the same for every count. @defaultValue 1 */
  threads?: number;
}

/** The resolved options of a {@link UserKNN} (`model.config`). */
export interface UserKNNConfig {
  /** Neighbours kept per user. */
  readonly neighbors: number;
  /** The similarity, with its options filled in. */
  readonly similarity: ResolvedSimilarity;
  /** Added to the similarity's denominator. */
  readonly shrink: number;
  /** The weighting, with its options filled in. */
  readonly weighting: ResolvedWeighting;
  /** Threads computing the neighbours. */
  readonly threads: number;
}

/** Weight names of UserKNN's neighbour tables, shape `[numUsers, neighbors]`. */
const IDS = 'user_neighbor_ids';
const SIMS = 'user_neighbor_weights';
/** UserKNN's other weights have no item axis, so the catalogue size is a weight of its own, shape `[1]`. */
const ITEM_COUNT = 'item_count';

/** What fold-in needs, derived from the histories (built at the first fold-in after a change). */
interface FoldInCache {
  readonly stats: RowWeighting;
  /** item → user CSR with the users' weights. */
  readonly itemUsers: CsrMatrixWithValues;
  readonly colNorm: Float64Array;
  readonly scratch: NeighborScratch;
}

/**
 * User-based k-nearest-neighbours for implicit feedback (Herlocker et al. 1999; Dacrema et al.
 * 2019's UserKNN CF): each user keeps their `neighbors` most similar users, and a user's score
 * for an item is the summed similarity of the neighbours who have it. Similarities (cosine,
 * asymmetric cosine, Jaccard; shrinkage; TF-IDF / BM25 weighting with users as documents) are
 * computed from co-occurrence one user at a time and never held dense.
 *
 * Fold-in finds a new user's neighbours among the training users the same way (their items
 * weighed with the training statistics) and scores from them. `similarUsers` ranks a user's
 * neighbours by similarity (others score 0); `similarItems` is the cosine of binary item
 * columns. Weights: `user_neighbor_ids` (float32 ids, −1 padding at the end of a row),
 * `user_neighbor_weights`, and the histories of {@link UserHistoryModel}.
 * @example
 * const knn = new UserKNN({ neighbors: 50, similarity: 'cosine', shrink: 10 });
 * knn.fit(train);
 * knn.recommend(0, 10);
 */
export class UserKNN extends UserHistoryModel {
  readonly kind: ModelKind = 'userknn';
  protected readonly name = 'UserKNN';
  /** The resolved options. */
  readonly config: UserKNNConfig;
  private idsF = new Float32Array(0);
  private ids = new Int32Array(0);
  private sims = new Float32Array(0);
  private usersAllocated = 0;
  /** `[numItems]`: no other weight has an item axis. */
  private itemCount = new Float32Array(1);
  private cache: FoldInCache | null = null;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range or an option its similarity / weighting does not have.
   */
  constructor(options: UserKNNOptions = {}) {
    super();
    const where = 'UserKNN';
    checkOptionNames(where, options, ['neighbors', 'similarity', 'shrink', 'weighting', 'threads']);
    this.config = {
      neighbors: checkPositiveInt(where, 'neighbors', options.neighbors ?? 100),
      similarity: resolveSimilarity(where, options.similarity ?? 'cosine'),
      shrink: checkNonNegative(where, 'shrink', options.shrink ?? 0),
      weighting: resolveWeighting(where, options.weighting ?? 'none'),
      threads: checkPlainThreads(where, options.threads ?? 1),
    };
  }

  getConfig(): Record<string, unknown> {
    return { ...this.config, similarity: { ...this.config.similarity }, weighting: { ...this.config.weighting } };
  }

  protected modelMemoryParts(shape: DataShape): Record<string, number> {
    return {
      'neighbor tables': shape.numUsers * this.config.neighbors * 12,
      'item × user matrix': (shape.numItems + 1) * 4 + shape.numInteractions * 12,
      'similarity scratch': shape.numUsers * 20,
    };
  }

  protected computeModel(userItems: CsrMatrixWithValues): void {
    knnNeighbors(userItems, userItems.numCols, { ...this.config, useRatings: false }, this.config.neighbors, this.ids, this.sims, this.config.threads);
    for (let n = 0; n < this.ids.length; n++) this.idsF[n] = this.ids[n];
  }

  protected override modelChanged(): void {
    for (let n = 0; n < this.idsF.length; n++) this.ids[n] = this.idsF[n];
    this.cache = null;
  }

  /** Adds `scale` to the score of every item of `user`. */
  private addHistory(user: number, scale: number, out: Float32Array): void {
    for (let p = this.historyPtr[user]; p < this.historyPtr[user + 1]; p++) out[this.historyItems[p]] += scale;
  }

  /** Sums the neighbours' histories, weighted by similarity, in neighbour order. */
  private scoreFromNeighbors(ids: Int32Array, sims: Float32Array, offset: number, out: Float32Array): void {
    out.fill(0);
    const k = this.config.neighbors;
    for (let t = offset; t < offset + k; t++) {
      if (ids[t] < 0) break;
      this.addHistory(ids[t], sims[t], out);
    }
  }

  protected scoreUser(user: number, out: Float32Array): void {
    this.scoreFromNeighbors(this.ids, this.sims, user * this.config.neighbors, out);
  }

  private foldInCache(): FoldInCache {
    if (this.cache === null) {
      const rows: CsrMatrixWithValues = {
        indptr: this.historyPtr, indices: this.historyItems, values: new Float32Array(this.historyItems.length).fill(1),
        numRows: this.numUsers, numCols: this.numItems,
      };
      const stats = weighRows(rows, this.numItems, false, this.config.weighting);
      const itemUsers = transposeCsr({ ...rows, values: stats.weights });
      const { colNorm } = similarityNorms(this.config.similarity, squaredRowNorms(rows, stats.weights));
      this.cache = { stats, itemUsers, colNorm, scratch: neighborScratch(this.numUsers) };
    }
    return this.cache;
  }

  /** Finds the new user's neighbours among the training users, then scores from them. */
  protected scoreVector(vector: Float32Array, out: Float32Array): void {
    const c = this.foldInCache();
    let m = 0;
    for (let j = 0; j < vector.length; j++) if (vector[j] !== 0) m++;
    const terms = new Int32Array(m);
    m = 0;
    for (let j = 0; j < vector.length; j++) if (vector[j] !== 0) terms[m++] = j;
    const w = weighNewRow(terms, c.stats, this.config.weighting);
    let sq = 0;
    for (let n = 0; n < w.length; n++) sq += w[n] * w[n];
    const { mode, rowNorm } = similarityNorms(this.config.similarity, Float64Array.of(sq));
    const k = this.config.neighbors;
    const ids = new Int32Array(k);
    const sims = new Float32Array(k);
    c.scratch.mark.fill(0);
    const iu = c.itemUsers;
    neighborTopK(Int32Array.of(0, m), terms, w, iu.indptr, iu.indices, iu.values, 0, 1, mode, rowNorm, c.colNorm, this.config.shrink, k, ids, sims, c.scratch, false);
    this.scoreFromNeighbors(ids, sims, 0, out);
  }

  protected predictPairs(users: Int32Array, items: Int32Array, out: Float32Array): void {
    const k = this.config.neighbors;
    const ptr = this.historyPtr;
    const hist = this.historyItems;
    for (let n = 0; n < users.length; n++) {
      const target = items[n];
      // Summed in float32 in neighbour order, as scoreUser sums, so both give the same score.
      let s = 0;
      for (let t = users[n] * k, end = t + k; t < end && this.ids[t] >= 0; t++) {
        const v = this.ids[t];
        for (let p = ptr[v]; p < ptr[v + 1]; p++) {
          if (hist[p] === target) {
            s = Math.fround(s + this.sims[t]);
            break;
          }
        }
      }
      out[n] = s;
    }
  }

  /** A user's neighbours, by similarity (every other user scores 0). */
  protected override userSimilarities(user: number, out: Float32Array): void {
    out.fill(0);
    const k = this.config.neighbors;
    for (let t = user * k; t < (user + 1) * k && this.ids[t] >= 0; t++) out[this.ids[t]] = this.sims[t];
  }

  /** Cosine of binary item columns: |U(i) ∩ U(j)| / sqrt(|U(i)| · |U(j)|). */
  protected itemSimilarities(item: number, out: Float32Array): void {
    const iu = this.foldInCache().itemUsers;
    out.fill(0);
    for (let p = iu.indptr[item]; p < iu.indptr[item + 1]; p++) this.addHistory(iu.indices[p], 1, out);
    const count = (i: number): number => iu.indptr[i + 1] - iu.indptr[i];
    const ni = count(item);
    for (let j = 0; j < out.length; j++) out[j] = out[j] === 0 ? 0 : out[j] / Math.sqrt(ni * count(j));
  }

  protected modelWeights(): ModelWeights {
    const w: ModelWeights = Object.create(null);
    const shape = [this.usersAllocated, this.config.neighbors];
    w[IDS] = new Tensor(this.idsF, shape);
    w[SIMS] = new Tensor(this.sims, shape);
    w[ITEM_COUNT] = new Tensor(this.itemCount, [1]);
    return w;
  }

  protected allocateModel(numUsers: number, numItems: number): void {
    const n = numUsers * this.config.neighbors;
    this.itemCount = Float32Array.of(numItems);
    this.usersAllocated = numUsers;
    this.idsF = new Float32Array(n);
    this.ids = new Int32Array(n);
    this.sims = new Float32Array(n);
    this.cache = null;
  }

  /**
   * Checks the neighbour tables against the histories' user count (every id a user other than
   * the row's, padding last) and returns the catalogue size, which `item_count` records.
   */
  protected modelSizeOf(state: ModelWeights, where: string): number {
    const own = (name: string): Tensor | undefined => (Object.prototype.hasOwnProperty.call(state, name) ? state[name] : undefined);
    const ids = own(IDS);
    const sims = own(SIMS);
    const activity = own('user_activity');
    const k = this.config.neighbors;
    if (!(ids instanceof Tensor) || !(sims instanceof Tensor) || !(activity instanceof Tensor)) {
      throw quiverError('RangeError', { where, what: `state must contain "${IDS}" and "${SIMS}" [numUsers, neighbors], "user_activity" [numUsers] and "user_history" [interactions]` });
    }
    const numUsers = activity.shape[0];
    if (ids.shape.length !== 2 || ids.shape[0] !== numUsers || ids.shape[1] !== k || sims.shape.length !== 2 || sims.shape[0] !== numUsers || sims.shape[1] !== k) {
      throw quiverError('RangeError', { where, what: `"${IDS}" and "${SIMS}" must both be [${numUsers}, ${k}] (the users of user_activity, this model's neighbors)`, got: `[${ids.shape.join(', ')}] and [${sims.shape.join(', ')}]` });
    }
    for (let row = 0; row < numUsers; row++) {
      let padded = false;
      for (let t = row * k; t < (row + 1) * k; t++) {
        const id = ids.data[t];
        const bad = !Number.isInteger(id) || id < -1 || id >= numUsers || id === row || (padded && id !== -1);
        if (bad) throw quiverError('RangeError', { where, what: `${IDS} row ${row} must hold user ids in [0, ${numUsers}) other than ${row}, then -1 padding`, got: `${id} at position ${t - row * k}` });
        if (id === -1) padded = true;
      }
    }
    return this.numItemsOf(state);
  }

  /** The catalogue size: recorded by the `item_count` weight. */
  private numItemsOf(state: ModelWeights): number {
    const t = Object.prototype.hasOwnProperty.call(state, ITEM_COUNT) ? state[ITEM_COUNT] : undefined;
    const n = t instanceof Tensor && t.data.length === 1 ? t.data[0] : NaN;
    if (!Number.isInteger(n) || n < 1) throw quiverError('RangeError', { where: `${this.name}.setState`, what: `state must contain "${ITEM_COUNT}" [1], the number of items (an integer ≥ 1)`, got: t instanceof Tensor ? String(t.data[0]) : 'none' });
    return n;
  }
}

