import { checkFinite, checkInt32Array, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { giniOfSorted } from '../kernels/gini-index.js';
import { cosineListDiversity, itemNorms, jaccardListDiversity } from '../kernels/list-diversity.js';
import { listPopularity } from '../kernels/list-popularity.js';

/** Item embeddings for intra-list diversity under cosine similarity. */
export interface ItemEmbeddingFeatures {
  /** Tag of the union. */
  readonly kind: 'embeddings';
  /** Row-major, numItems × dim: item `i`'s vector is `vectors[i·dim .. (i+1)·dim)`. */
  readonly vectors: Float32Array;
  /** Length of each vector. */
  readonly dim: number;
}

/** Item feature sets (e.g. genres) for intra-list diversity under Jaccard similarity. */
export interface ItemSetFeatures {
  /** Tag of the union. */
  readonly kind: 'sets';
  /** CSR row pointers, length numItems + 1: item `i`'s features are `indices[indptr[i] .. indptr[i+1])`. */
  readonly indptr: Int32Array;
  /** Feature ids (>= 0), sorted ascending without duplicates within each item's row. */
  readonly indices: Int32Array;
}

/**
 * What makes two items similar for intra-list diversity: embeddings (cosine similarity; a zero
 * vector is similar to nothing) or feature sets (Jaccard similarity; two empty sets count as
 * not similar, similarity 0, like zero vectors).
 */
export type ItemFeatures = ItemEmbeddingFeatures | ItemSetFeatures;

/** Options of `beyondAccuracy`. */
export interface BeyondAccuracyOptions {
  /** Item features for intra-list diversity. @defaultValue none (diversity is null) */
  readonly itemFeatures?: ItemFeatures;
}

/** Per-list values of `beyondAccuracy`, one entry per list (length `listCount`). */
export interface BeyondAccuracyPerList {
  /** Mean self-information of the list's items in bits (NaN for a list of padding only). */
  readonly novelty: Float64Array;
  /** Mean training popularity of the list's items as a fraction of training users (ARP; NaN for a list of padding only). */
  readonly popularity: Float64Array;
  /** Intra-list diversity (NaN for a list with fewer than 2 items), or null without item features. */
  readonly diversity: Float64Array | null;
}

/** The result of `beyondAccuracy`. */
export interface BeyondAccuracyReport {
  /** Novelty, popularity and diversity of each list. */
  readonly perList: BeyondAccuracyPerList;
  /** Gini index of how often each item is recommended over all lists (NaN when nothing is). */
  readonly gini: number;
  /** Distinct recommended items / numItems. */
  readonly coverage: number;
  /** Number of lists: `ids.length / k`. */
  readonly listCount: number;
}

const WHERE = 'beyondAccuracy';

/**
 * Beyond-accuracy metrics of a set of top-k lists, measured against the training data:
 * - **novelty** of a list (Zhou et al. 2010; Vargas & Castells 2011): the mean self-information
 *   `−log2(max(count(i), 1) / numTrainUsers)` of its items, in bits: high when the list holds
 *   items few training users know. An item no training user has (count 0) is floored to a
 *   count of 1, so it scores `log2(numTrainUsers)`, as novel as the rarest seen item, instead
 *   of infinity.
 * - **popularity** (average recommendation popularity, ARP, Abdollahpouri et al. 2019): the mean
 *   `count(i) / numTrainUsers` of its items, a fraction in [0, 1] (the paper uses raw counts;
 *   the fraction compares across data sets).
 * - **diversity** (intra-list diversity, Ziegler et al. 2005), with `options.itemFeatures`: the
 *   mean over the list's unordered pairs of `1 − sim(i, j)`, cosine similarity of embeddings
 *   (in [0, 2]) or Jaccard similarity of feature sets (in [0, 1]); NaN for a list with fewer
 *   than 2 items.
 * - **gini**: the Gini index of the number of times each of the numItems items is recommended
 *   over all lists, `Σᵢ (2i − n − 1) xᵢ / (n Σ x)` over the counts sorted ascending (i from 1,
 *   n = numItems): 0 when every item is recommended equally often, `(n − 1)/n` when one item
 *   gets every slot; NaN when no list holds an item.
 * - **coverage**: distinct recommended items / numItems.
 *
 * Entries < 0 of `ids` are padding (short lists) and skipped everywhere. Items are taken as
 * given: an item repeated in a list counts twice (and is a pair of similarity 1).
 * @param ids - Row-major, numLists × k: list `l` is `ids[l·k .. (l+1)·k)`, best first.
 * @param k - Length of each list.
 * @param itemCounts - Number of training users of each item; its length is numItems.
 * @param numTrainUsers - Number of training users (the denominator of popularity); each count
 * must be at most this.
 * @returns Per-list novelty, popularity and diversity, and the catalogue-level gini and coverage.
 * @throws {TypeError} when ids, itemCounts or the features' arrays are not the documented typed
 * arrays, or an option is unknown.
 * @throws {RangeError} when ids.length is not a multiple of k, an id is >= numItems, a count is
 * negative or above numTrainUsers, or the features do not match numItems (vectors.length ≠
 * numItems·dim, indptr.length ≠ numItems + 1, rows unsorted, ...). Each message names the bad
 * value and where it is.
 * @example
 * const r = beyondAccuracy(topK.ids, 10, itemCounts, numTrainUsers, { itemFeatures: { kind: 'sets', indptr, indices } });
 * console.log(r.gini, r.coverage, r.perList.novelty[0]);
 */
export function beyondAccuracy(
  ids: Int32Array,
  k: number,
  itemCounts: Int32Array,
  numTrainUsers: number,
  options: BeyondAccuracyOptions = {},
): BeyondAccuracyReport {
  checkOptionNames(WHERE, options, ['itemFeatures']);
  checkInt32Array(WHERE, 'ids', ids);
  checkPositiveInt(WHERE, 'k', k);
  checkInt32Array(WHERE, 'itemCounts', itemCounts);
  checkPositiveInt(WHERE, 'numTrainUsers', numTrainUsers);
  const numItems = itemCounts.length;
  if (numItems === 0) throw quiverError('RangeError', { where: WHERE, what: 'itemCounts must hold one count per item (numItems >= 1)', got: 'Int32Array(0)' });
  if (ids.length % k !== 0) throw quiverError('RangeError', { where: WHERE, what: `ids.length must be a multiple of k (${k}): ids is numLists × k, row-major`, got: `${ids.length}` });
  for (let i = 0; i < numItems; i++) {
    const c = itemCounts[i];
    if (c < 0 || c > numTrainUsers) {
      throw quiverError('RangeError', { where: WHERE, what: `itemCounts[${i}] must be in [0, ${numTrainUsers}] (training users of the item, at most numTrainUsers)`, got: `${c}` });
    }
  }
  for (let e = 0; e < ids.length; e++) {
    if (ids[e] >= numItems) {
      throw quiverError('RangeError', { where: WHERE, what: `ids[${e}] (list ${Math.floor(e / k)}, rank ${e % k}) must be < numItems (${numItems}, the length of itemCounts) or < 0 for padding`, got: `${ids[e]}` });
    }
  }
  const features = options.itemFeatures === undefined ? null : checkItemFeatures(options.itemFeatures, numItems);

  const listCount = ids.length / k;
  const novelty = new Float64Array(listCount);
  const popularity = new Float64Array(listCount);
  const recommended = new Int32Array(numItems);
  const out = new Float64Array(3);
  for (let l = 0; l < listCount; l++) {
    listPopularity(ids, l * k, k, itemCounts, numTrainUsers, recommended, out);
    novelty[l] = out[0];
    popularity[l] = out[1];
  }

  let diversity: Float64Array | null = null;
  if (features !== null) {
    diversity = new Float64Array(listCount);
    if (features.kind === 'embeddings') {
      const norms = new Float64Array(numItems);
      itemNorms(features.vectors, features.dim, norms);
      for (let l = 0; l < listCount; l++) diversity[l] = cosineListDiversity(ids, l * k, k, features.vectors, features.dim, norms);
    } else {
      for (let l = 0; l < listCount; l++) diversity[l] = jaccardListDiversity(ids, l * k, k, features.indptr, features.indices);
    }
  }

  let distinct = 0;
  for (let i = 0; i < numItems; i++) if (recommended[i] > 0) distinct++;
  const sorted = recommended.slice().sort();
  return { perList: { novelty, popularity, diversity }, gini: giniOfSorted(sorted), coverage: distinct / numItems, listCount };
}

/** Checks `options.itemFeatures` against the catalogue size. */
function checkItemFeatures(f: ItemFeatures, numItems: number): ItemFeatures {
  if (f === null || typeof f !== 'object') {
    throw quiverError('TypeError', { where: WHERE, what: "options.itemFeatures must be { kind: 'embeddings', vectors, dim } or { kind: 'sets', indptr, indices }", got: describeValue(f) });
  }
  const kind = checkOneOf(WHERE, 'options.itemFeatures.kind', (f as { kind?: unknown }).kind, ['embeddings', 'sets'] as const);
  if (kind === 'embeddings') {
    const e = f as ItemEmbeddingFeatures;
    checkOptionNames(`${WHERE} (options.itemFeatures)`, e, ['kind', 'vectors', 'dim']);
    if (!(e.vectors instanceof Float32Array)) {
      throw quiverError('TypeError', { where: WHERE, what: 'options.itemFeatures.vectors must be a Float32Array (row-major numItems × dim)', got: describeValue(e.vectors) });
    }
    checkPositiveInt(WHERE, 'options.itemFeatures.dim', e.dim);
    if (e.vectors.length !== numItems * e.dim) {
      throw quiverError('RangeError', { where: WHERE, what: `options.itemFeatures.vectors.length must be numItems · dim = ${numItems} · ${e.dim} = ${numItems * e.dim}`, got: `${e.vectors.length}` });
    }
    for (let x = 0; x < e.vectors.length; x++) {
      if (!Number.isFinite(e.vectors[x])) checkFinite(WHERE, `options.itemFeatures.vectors[${x}] (item ${Math.floor(x / e.dim)})`, e.vectors[x]);
    }
    return e;
  }
  const s = f as ItemSetFeatures;
  checkOptionNames(`${WHERE} (options.itemFeatures)`, s, ['kind', 'indptr', 'indices']);
  checkInt32Array(WHERE, 'options.itemFeatures.indptr', s.indptr);
  checkInt32Array(WHERE, 'options.itemFeatures.indices', s.indices);
  const { indptr, indices } = s;
  if (indptr.length !== numItems + 1) {
    throw quiverError('RangeError', { where: WHERE, what: `options.itemFeatures.indptr.length must be numItems + 1 = ${numItems + 1}`, got: `${indptr.length}` });
  }
  if (indptr[0] !== 0) throw quiverError('RangeError', { where: WHERE, what: 'options.itemFeatures.indptr[0] must be 0', got: `${indptr[0]}` });
  if (indptr[numItems] !== indices.length) {
    throw quiverError('RangeError', { where: WHERE, what: `options.itemFeatures.indptr[${numItems}] (the last) must equal indices.length (${indices.length})`, got: `${indptr[numItems]}` });
  }
  for (let i = 0; i < numItems; i++) {
    if (indptr[i + 1] < indptr[i]) {
      throw quiverError('RangeError', { where: WHERE, what: 'options.itemFeatures.indptr must be non-decreasing', got: `indptr[${i}] = ${indptr[i]} then indptr[${i + 1}] = ${indptr[i + 1]}` });
    }
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      if (indices[p] < 0) throw quiverError('RangeError', { where: WHERE, what: `options.itemFeatures.indices[${p}] (item ${i}) must be a feature id >= 0`, got: `${indices[p]}` });
      if (p > indptr[i] && indices[p] <= indices[p - 1]) {
        throw quiverError('RangeError', {
          where: WHERE,
          what: `options.itemFeatures.indices of item ${i} must be sorted ascending without duplicates`,
          got: `${indices[p - 1]} then ${indices[p]} at [${p - 1}], [${p}]`,
        });
      }
    }
  }
  return s;
}
