import { selectTopK } from './top-k.js';

/** `sim = acc / (rowNorm[i] · colNorm[j] + shrink)`: cosine, asymmetric cosine, RP3beta's popularity penalty. */
export const SIM_RATIO = 0;
/** `sim = acc / (rowNorm[i] + colNorm[j] − acc + shrink)`: Jaccard (Tanimoto for weighted rows). */
export const SIM_TANIMOTO = 1;

/**
 * Scratch of {@link neighborTopK}, allocated once for `numRows` rows and reused for every row.
 * @example
 * const s = neighborScratch(numItems);
 */
export interface NeighborScratch {
  readonly acc: Float64Array;
  readonly sims: Float32Array;
  readonly touched: Int32Array;
  /** `mark[j] === i + 1` once row `i` has touched `j`. */
  readonly mark: Int32Array;
}

/** Scratch for {@link neighborTopK} over `numRows` rows. */
export function neighborScratch(numRows: number): NeighborScratch {
  return { acc: new Float64Array(numRows), sims: new Float32Array(numRows), touched: new Int32Array(numRows), mark: new Int32Array(numRows) };
}

/**
 * The `k` nearest neighbors of rows `[rowStart, rowEnd)` of a row × row similarity that is never
 * built whole: the similarity of rows `i` and `j` is a function of their co-occurrence
 * `acc(i, j) = Σ_m left(i, m) · right(m, j)` over the middle entities `m` (users, for item rows).
 * `left` is the row → middle CSR (`rowPtr`, `rowIdx`, `leftVal`), `right` the middle → row CSR
 * (`midPtr`, `midIdx`, `rightVal`). For each row the kernel accumulates `acc` over the rows it
 * co-occurs with, turns each into a similarity (`SIM_RATIO` or `SIM_TANIMOTO`, see those), and
 * keeps the `k` best (ties to the lower id). Only positive similarities are kept: a row is never
 * its own neighbor (unless `excludeSelf` is false: the rows are new, not among the targets), and rows that never co-occur (similarity 0) or score ≤ 0 or NaN are left out.
 *
 * Writes row `i`'s neighbors best first into `outIds[i·k ..]` / `outSims[i·k ..]`; unused
 * slots get id −1 and similarity 0. Cost Σ over the rows' middle entities of their row counts.
 *
 * Kernel: no checks, no allocation (the scratch comes from {@link neighborScratch}).
 *
 * @returns The number of neighbors written, summed over the rows.
 * @example
 * // item-item cosine over binary interactions (norms = sqrt of the item counts)
 * neighborTopK(iu.indptr, iu.indices, ones, ui.indptr, ui.indices, ones, 0, n, SIM_RATIO, norms, norms, 0, 20, ids, sims, neighborScratch(n));
 */
export function neighborTopK(
  rowPtr: Int32Array,
  rowIdx: Int32Array,
  leftVal: Float32Array,
  midPtr: Int32Array,
  midIdx: Int32Array,
  rightVal: Float32Array,
  rowStart: number,
  rowEnd: number,
  mode: number,
  rowNorm: Float64Array,
  colNorm: Float64Array,
  shrink: number,
  k: number,
  outIds: Int32Array,
  outSims: Float32Array,
  scratch: NeighborScratch,
  excludeSelf = true,
): number {
  const { acc, sims, touched, mark } = scratch;
  let written = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const stamp = i + 1;
    let nTouched = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const m = rowIdx[p];
      const a = leftVal[p];
      for (let q = midPtr[m]; q < midPtr[m + 1]; q++) {
        const j = midIdx[q];
        if (mark[j] !== stamp) {
          mark[j] = stamp;
          acc[j] = 0;
          touched[nTouched++] = j;
        }
        acc[j] += a * rightVal[q];
      }
    }
    const ni = rowNorm[i];
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const c = acc[j];
      const s = mode === SIM_RATIO ? c / (ni * colNorm[j] + shrink) : c / (ni + colNorm[j] - c + shrink);
      sims[j] = (excludeSelf && j === i) || !(s > 0) ? NaN : s;
    }
    const o = i * k;
    const found = selectTopK(sims, k, null, touched, outIds, outSims, o, nTouched);
    for (let t = found; t < k; t++) {
      outIds[o + t] = -1;
      outSims[o + t] = 0;
    }
    written += found;
  }
  return written;
}
