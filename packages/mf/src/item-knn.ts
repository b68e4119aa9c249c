import { checkBoolean, checkOneOf, checkOptionNames, checkPositiveInt, quiverError, transposeCsr, type CsrMatrixWithValues, type ModelKind } from '@quiver/base';
import { checkNonNegative, checkPositive } from './hyper.js';
import { ItemNeighborModel } from './item-neighbor-model.js';
import { neighborScratch, neighborTopK, SIM_RATIO, SIM_TANIMOTO } from './kernels/neighbor-top-k.js';
import { checkSolverKeys, solverObject } from './solver-options.js';

/** Cosine of two items' (weighted) user vectors: `a·b / (‖a‖ ‖b‖ + shrink)`. */
export interface CosineSimilarity {
  /** The tag of this variant. */
  readonly kind: 'cosine';
}
/**
 * Asymmetric cosine (Aiolli 2013): `a·b / (‖a‖²^alpha · ‖b‖²^(1−alpha) + shrink)`; alpha 0.5 is
 * the cosine. On binary data ‖a‖² is the item's number of users.
 */
export interface AsymmetricCosineSimilarity {
  /** The tag of this variant. */
  readonly kind: 'asymmetric-cosine';
  /** @defaultValue 0.5 */
  readonly alpha?: number;
}
/** Jaccard (Tanimoto on weighted vectors): `a·b / (‖a‖² + ‖b‖² − a·b + shrink)`. */
export interface JaccardSimilarity {
  /** The tag of this variant. */
  readonly kind: 'jaccard';
}
/** How {@link ItemKNN} compares two items: a tagged union on `kind` (a kind alone stands for its defaults). */
export type ItemSimilarityOptions = CosineSimilarity | AsymmetricCosineSimilarity | JaccardSimilarity;

/** No weighting: an interaction weighs its value (1, or the rating with `useRatings`). */
export interface NoWeighting {
  /** The tag of this variant. */
  readonly kind: 'none';
}
/**
 * TF-IDF with items as documents and users as terms (implicit's `tfidf_weight`):
 * `w = sqrt(x) · (log N − log(1 + items of the user))`, N the number of items. Users who
 * interacted with almost everything weigh little.
 */
export interface TfIdfWeighting {
  /** The tag of this variant. */
  readonly kind: 'tfidf';
}
/**
 * Okapi BM25 with items as documents and users as terms (implicit's `bm25_weight`):
 * `w = x (k1 + 1) / (k1 · (1 − b + b · len(i) / avg len) + x) · idf(u)`, `len(i)` the item's summed values.
 */
export interface Bm25Weighting {
  /** The tag of this variant. */
  readonly kind: 'bm25';
  /** @defaultValue 100 (implicit's) */
  readonly k1?: number;
  /** @defaultValue 0.8 (implicit's) */
  readonly b?: number;
}
/** How {@link ItemKNN} weighs each interaction before comparing items. */
export type WeightingOptions = NoWeighting | TfIdfWeighting | Bm25Weighting;

/** Options of {@link ItemKNN}. */
export interface ItemKNNOptions {
  /** Neighbours kept per item. @defaultValue 100 */
  neighbors?: number;
  /** Item similarity. @defaultValue `'cosine'` */
  similarity?: ItemSimilarityOptions | ItemSimilarityOptions['kind'];
  /** Added to the similarity's denominator: pulls the similarity of rarely co-occurring items towards 0. @defaultValue 10 */
  shrink?: number;
  /** Interaction weighting. @defaultValue `'none'` */
  weighting?: WeightingOptions | WeightingOptions['kind'];
  /** Use the ratings as the values (they must be positive); otherwise each interaction is 1. @defaultValue false */
  useRatings?: boolean;
}

/** The resolved options of an {@link ItemKNN} (`model.config`). */
export interface ItemKNNConfig {
  /** Neighbours kept per item. */
  readonly neighbors: number;
  /** The similarity, with its options filled in. */
  readonly similarity: CosineSimilarity | Required<AsymmetricCosineSimilarity> | JaccardSimilarity;
  /** Added to the similarity's denominator. */
  readonly shrink: number;
  /** The weighting, with its options filled in. */
  readonly weighting: NoWeighting | TfIdfWeighting | Required<Bm25Weighting>;
  /** Whether the ratings are the values. */
  readonly useRatings: boolean;
}

const SIMILARITIES = ['cosine', 'asymmetric-cosine', 'jaccard'] as const;
const WEIGHTINGS = ['none', 'tfidf', 'bm25'] as const;

function resolveSimilarity(where: string, value: unknown): ItemKNNConfig['similarity'] {
  const s = solverObject(where, value, SIMILARITIES, 'similarity');
  const kind = checkOneOf(where, 'similarity.kind', s.kind, SIMILARITIES);
  if (kind === 'asymmetric-cosine') {
    checkSolverKeys(where, s, ['kind', 'alpha'], `similarity '${kind}'`, '', 'similarity');
    const alpha = checkNonNegative(where, 'similarity.alpha', s.alpha ?? 0.5);
    if (alpha > 1) throw quiverError('RangeError', { where, what: 'similarity.alpha must be in [0, 1]', got: String(alpha) });
    return { kind, alpha };
  }
  checkSolverKeys(where, s, ['kind'], `similarity '${kind}'`, '', 'similarity');
  return { kind };
}

function resolveWeighting(where: string, value: unknown): ItemKNNConfig['weighting'] {
  const w = solverObject(where, value, WEIGHTINGS, 'weighting');
  const kind = checkOneOf(where, 'weighting.kind', w.kind, WEIGHTINGS);
  if (kind === 'bm25') {
    checkSolverKeys(where, w, ['kind', 'k1', 'b'], "weighting 'bm25'", '', 'weighting');
    const b = checkNonNegative(where, 'weighting.b', w.b ?? 0.8);
    if (b > 1) throw quiverError('RangeError', { where, what: 'weighting.b must be in [0, 1]', got: String(b) });
    return { kind, k1: checkPositive(where, 'weighting.k1', w.k1 ?? 100), b };
  }
  checkSolverKeys(where, w, ['kind'], `weighting '${kind}'`, '', 'weighting');
  return { kind };
}

/**
 * Each interaction's weight, in `itemUsers`' entry order (items as documents, users as terms).
 * `x` is 1 or the summed rating.
 */
export function weighInteractions(itemUsers: CsrMatrixWithValues, numUsers: number, useRatings: boolean, weighting: ItemKNNConfig['weighting']): Float32Array {
  const { indptr, indices, values } = itemUsers;
  const nnz = indices.length;
  const x = new Float32Array(nnz);
  for (let p = 0; p < nnz; p++) x[p] = useRatings ? values[p] : 1;
  if (weighting.kind === 'none') return x;
  const numItems = itemUsers.numRows;
  const df = new Float64Array(numUsers);
  for (let p = 0; p < nnz; p++) df[indices[p]]++;
  const logN = Math.log(numItems);
  const idf = df.map((d) => logN - Math.log1p(d));
  if (weighting.kind === 'tfidf') {
    for (let p = 0; p < nnz; p++) x[p] = Math.sqrt(x[p]) * idf[indices[p]];
    return x;
  }
  const { k1, b } = weighting;
  const len = new Float64Array(numItems);
  let total = 0;
  for (let i = 0; i < numItems; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) len[i] += x[p];
    total += len[i];
  }
  const avg = total / Math.max(1, numItems);
  for (let i = 0; i < numItems; i++) {
    const norm = 1 - b + (b * len[i]) / avg;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) x[p] = ((x[p] * (k1 + 1)) / (k1 * norm + x[p])) * idf[indices[p]];
  }
  return x;
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
  protected readonly needsRatings = false;
  /** The resolved options. */
  readonly config: ItemKNNConfig;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong type.
   * @throws {RangeError} for a value out of range or an option its similarity / weighting does not have.
   */
  constructor(options: ItemKNNOptions = {}) {
    super();
    const where = 'ItemKNN';
    checkOptionNames(where, options, ['neighbors', 'similarity', 'shrink', 'weighting', 'useRatings']);
    this.config = {
      neighbors: checkPositiveInt(where, 'neighbors', options.neighbors ?? 100),
      similarity: resolveSimilarity(where, options.similarity ?? 'cosine'),
      shrink: checkNonNegative(where, 'shrink', options.shrink ?? 10),
      weighting: resolveWeighting(where, options.weighting ?? 'none'),
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
    const { useRatings, similarity, shrink } = this.config;
    if (useRatings) {
      for (let p = 0; p < itemUsers.values.length; p++) {
        if (!(itemUsers.values[p] > 0)) throw quiverError('RangeError', { where: 'ItemKNN.fit', what: 'with useRatings every (summed) rating must be positive', got: String(itemUsers.values[p]), hint: { option: 'useRatings', value: 'false' } });
      }
    }
    const w = weighInteractions(itemUsers, userItems.numRows, useRatings, this.config.weighting);
    // The same weights in user → item order, for the middle step of the co-occurrence.
    const ui = transposeCsr({ ...itemUsers, values: w });
    const n = itemUsers.numRows;
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) sq[i] += w[p] * w[p];
    let rowNorm = sq;
    let colNorm = sq;
    let mode = SIM_TANIMOTO;
    if (similarity.kind !== 'jaccard') {
      const alpha = similarity.kind === 'cosine' ? 0.5 : similarity.alpha;
      rowNorm = sq.map((s) => s ** alpha);
      colNorm = sq.map((s) => s ** (1 - alpha));
      mode = SIM_RATIO;
    }
    neighborTopK(itemUsers.indptr, itemUsers.indices, w, ui.indptr, ui.indices, ui.values, 0, n, mode, rowNorm, colNorm, shrink, this.config.neighbors, ids, weights, neighborScratch(n));
  }
}
