import { checkOneOf, quiverError, transposeCsr, type CsrMatrixWithValues } from '@quiver/base';
import { checkNonNegative, checkPositive } from './hyper.js';
import { SIM_RATIO, SIM_TANIMOTO } from './kernels/neighbor-top-k.js';
import { neighborRows } from './parallel/neighbor-rows.js';
import { checkSolverKeys, solverObject } from './solver-options.js';

/** Cosine of two rows' weighted vectors (items' user vectors in ItemKNN, users' item vectors in UserKNN): `a·b / (‖a‖ ‖b‖ + shrink)`. */
export interface CosineSimilarity {
  /** The tag of this variant. */
  readonly kind: 'cosine';
}
/**
 * Asymmetric cosine (Aiolli 2013): `a·b / (‖a‖²^alpha · ‖b‖²^(1−alpha) + shrink)`; alpha 0.5 is
 * the cosine. On binary data ‖a‖² is the row's number of interactions.
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
/** How ItemKNN compares two items and UserKNN two users: a tagged union on `kind` (a kind alone stands for its defaults). */
export type ItemSimilarityOptions = CosineSimilarity | AsymmetricCosineSimilarity | JaccardSimilarity;

/** No weighting: an interaction weighs its value (1, or the rating with `useRatings`). */
export interface NoWeighting {
  /** The tag of this variant. */
  readonly kind: 'none';
}
/**
 * TF-IDF (implicit's `tfidf_weight`), with the compared rows as documents (items in ItemKNN,
 * users in UserKNN) and the other side as terms: `w = sqrt(x) · (log N − log(1 + df))`, N the
 * number of documents and df the term's number of documents. In ItemKNN, users who interacted
 * with almost everything weigh little; in UserKNN, items everyone has.
 */
export interface TfIdfWeighting {
  /** The tag of this variant. */
  readonly kind: 'tfidf';
}
/**
 * Okapi BM25 (implicit's `bm25_weight`), documents and terms as for TF-IDF:
 * `w = x (k1 + 1) / (k1 · (1 − b + b · len(d) / avg len) + x) · idf(t)`, `len(d)` the document's summed values.
 */
export interface Bm25Weighting {
  /** The tag of this variant. */
  readonly kind: 'bm25';
  /** @defaultValue 100 (implicit's) */
  readonly k1?: number;
  /** @defaultValue 0.8 (implicit's) */
  readonly b?: number;
}
/** How ItemKNN and UserKNN weigh each interaction before comparing rows. */
export type WeightingOptions = NoWeighting | TfIdfWeighting | Bm25Weighting;

/** A similarity with its options filled in. */
export type ResolvedSimilarity = CosineSimilarity | Required<AsymmetricCosineSimilarity> | JaccardSimilarity;
/** A weighting with its options filled in. */
export type ResolvedWeighting = NoWeighting | TfIdfWeighting | Required<Bm25Weighting>;

const SIMILARITIES = ['cosine', 'asymmetric-cosine', 'jaccard'] as const;
const WEIGHTINGS = ['none', 'tfidf', 'bm25'] as const;

/** Checks a `similarity` option (a kind or a tagged object) and fills in its defaults. */
export function resolveSimilarity(where: string, value: unknown): ResolvedSimilarity {
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

/** Checks a `weighting` option (a kind or a tagged object) and fills in its defaults. */
export function resolveWeighting(where: string, value: unknown): ResolvedWeighting {
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


/** The statistics a weighting takes from the training rows, to weigh a new row the same way. */
export interface RowWeighting {
  /** Each stored entry's weight, in the rows' entry order. */
  readonly weights: Float32Array;
  /** Each term's idf (null without weighting). */
  readonly idf: Float64Array | null;
  /** The documents' mean summed value (BM25's average length). */
  readonly avgLength: number;
}

/**
 * Each interaction's weight, with the CSR `rows` as documents and their column ids as terms
 * (`numTerms` of them). `x` is 1, or the stored (summed) value with `useRatings`.
 */
export function weighRows(rows: CsrMatrixWithValues, numTerms: number, useRatings: boolean, weighting: ResolvedWeighting): RowWeighting {
  const { indptr, indices, values } = rows;
  const nnz = indices.length;
  const numDocs = rows.numRows;
  const x = new Float32Array(nnz);
  for (let p = 0; p < nnz; p++) x[p] = useRatings ? values[p] : 1;
  let total = 0;
  for (let p = 0; p < nnz; p++) total += x[p];
  const avgLength = total / Math.max(1, numDocs);
  if (weighting.kind === 'none') return { weights: x, idf: null, avgLength };
  const df = new Float64Array(numTerms);
  for (let p = 0; p < nnz; p++) df[indices[p]]++;
  const logN = Math.log(numDocs);
  const idf = df.map((d) => logN - Math.log1p(d));
  if (weighting.kind === 'tfidf') {
    for (let p = 0; p < nnz; p++) x[p] = Math.sqrt(x[p]) * idf[indices[p]];
    return { weights: x, idf, avgLength };
  }
  for (let d = 0; d < numDocs; d++) {
    let len = 0;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) len += x[p];
    const norm = bm25Norm(weighting, len, avgLength);
    for (let p = indptr[d]; p < indptr[d + 1]; p++) x[p] = ((x[p] * (weighting.k1 + 1)) / (weighting.k1 * norm + x[p])) * idf[indices[p]];
  }
  return { weights: x, idf, avgLength };
}

function bm25Norm(w: Required<Bm25Weighting>, len: number, avgLength: number): number {
  return 1 - w.b + (w.b * len) / avgLength;
}

/**
 * The weights of a new document (a row the model did not train on) with the training rows'
 * statistics: binary values (each of `terms` counts 1).
 */
export function weighNewRow(terms: Int32Array, stats: RowWeighting, weighting: ResolvedWeighting): Float32Array {
  const out = new Float32Array(terms.length).fill(1);
  if (weighting.kind === 'none') return out;
  const idf = stats.idf!;
  if (weighting.kind === 'tfidf') {
    for (let n = 0; n < terms.length; n++) out[n] = idf[terms[n]];
    return out;
  }
  const norm = bm25Norm(weighting, terms.length, stats.avgLength);
  for (let n = 0; n < terms.length; n++) out[n] = ((weighting.k1 + 1) / (weighting.k1 * norm + 1)) * idf[terms[n]];
  return out;
}

/** The kernel's mode and norms of a similarity, from each row's squared norm `sq`. */
export function similarityNorms(similarity: ResolvedSimilarity, sq: Float64Array): { mode: number; rowNorm: Float64Array; colNorm: Float64Array } {
  if (similarity.kind === 'jaccard') return { mode: SIM_TANIMOTO, rowNorm: sq, colNorm: sq };
  const alpha = similarity.kind === 'cosine' ? 0.5 : similarity.alpha;
  return { mode: SIM_RATIO, rowNorm: sq.map((s) => s ** alpha), colNorm: sq.map((s) => s ** (1 - alpha)) };
}

/** Each row's squared norm under the weights. */
export function squaredRowNorms(rows: CsrMatrixWithValues, weights: Float32Array): Float64Array {
  const sq = new Float64Array(rows.numRows);
  for (let r = 0; r < rows.numRows; r++) for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) sq[r] += weights[p] * weights[p];
  return sq;
}

/**
 * The `k` nearest rows of every row of `rows` (items in ItemKNN, users in UserKNN) under a
 * weighted similarity, computed from co-occurrence one row at a time (never dense), into
 * `ids` / `sims` (`numRows · k`, best first, −1 / 0 padding), on `threads` threads (the same
 * tables for every count).
 */
export function knnNeighbors(
  rows: CsrMatrixWithValues,
  numTerms: number,
  o: { readonly similarity: ResolvedSimilarity; readonly weighting: ResolvedWeighting; readonly shrink: number; readonly useRatings: boolean },
  k: number,
  ids: Int32Array,
  sims: Float32Array,
  threads: number,
): void {
  const w = weighRows(rows, numTerms, o.useRatings, o.weighting).weights;
  // The same weights in term → row order, for the middle step of the co-occurrence.
  const t = transposeCsr({ ...rows, values: w });
  const n = rows.numRows;
  const { mode, rowNorm, colNorm } = similarityNorms(o.similarity, squaredRowNorms(rows, w));
  neighborRows({ rowPtr: rows.indptr, rowIdx: rows.indices, leftVal: w, midPtr: t.indptr, midIdx: t.indices, rightVal: t.values, numRows: n, mode, rowNorm, colNorm, shrink: o.shrink, k }, ids, sims, threads);
}
