import { positivesAbove } from './auc-pairs.js';

/** Relevance marker in the per-item `mark` array of the ranking kernels. */
export const MARK_RELEVANT = 2;
/** Training-item marker in the per-item `mark` array of the ranking kernels. */
export const MARK_TRAIN = 1;

/**
 * Ranking kernel: scores one user's top-k row `ids[offset..offset+k)` against the items marked
 * {@link MARK_RELEVANT} in `mark`, and writes into `out`:
 * `out[0]` hits, `out[1]` DCG (binary gains, `1 / log2(i + 2)`), `out[2]` the sum of
 * precision@(i+1) over hit positions (the AP numerator), `out[3]` the reciprocal rank of the
 * first hit (0 when none). Ids < 0 are padding. No checks, no allocation.
 * @example
 * rankingRow(Int32Array.of(4, 2), 0, 2, Uint8Array.of(0, 0, 2, 0, 0), out); // out = [1, 1/log2(3), 0.5, 0.5]
 */
export function rankingRow(ids: Int32Array, offset: number, k: number, mark: Uint8Array, out: Float64Array): void {
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  let rr = 0;
  for (let i = 0; i < k; i++) {
    const id = ids[offset + i];
    if (id >= 0 && mark[id] === MARK_RELEVANT) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
      apSum += hits / (i + 1);
      if (rr === 0) rr = 1 / (i + 1);
    }
  }
  out[0] = hits;
  out[1] = dcg;
  out[2] = apSum;
  out[3] = rr;
}

/**
 * AUC kernel over one user's full score row: the summed credit of every candidate negative
 * (an item with `mark[j] === 0`), each credited with the positives ranked above it (ties one
 * half; see `positivesAbove`). `sortedPos[0..numPos)` holds the positives' scores ascending.
 * @returns The number of correctly ordered (positive, negative) pairs.
 * @example
 * const credit = aucCredit(scores, mark, sortedPositives, numPositives); // auc = credit / (P · N)
 */
export function aucCredit(scores: Float32Array, mark: Uint8Array, sortedPos: Float64Array, numPos: number): number {
  let credit = 0;
  const n = scores.length;
  for (let j = 0; j < n; j++) {
    if (mark[j] !== 0) continue;
    credit += positivesAbove(sortedPos, numPos, scores[j]);
  }
  return credit;
}
