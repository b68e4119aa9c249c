import type { TopK } from '@quiver/base';
import type { ResolvedRecommendOptions } from './check-args.js';
import { selectTopK } from './kernels/top-k.js';
import { withTopKSummary } from './model-summary.js';

/**
 * The `k` best ids of `scores` under checked recommend options (allow-list, deny-list) and a
 * further list of ids to skip (the user's seen items), best first, ties to the lower id. Never
 * allocates more than the candidates: `k` beyond them gives every candidate.
 * @returns New arrays of at most `k` ids and scores (with a REPL summary).
 * @example
 * rankTopK(scores, 10, resolveRecommendOptions('f', 10, {}, scores.length), seen);
 */
export function rankTopK(scores: Float32Array, k: number, o: ResolvedRecommendOptions, seen: Int32Array | null): TopK {
  let skip: Uint8Array | null = null;
  if (seen !== null || o.exclude !== null) {
    skip = new Uint8Array(scores.length);
    if (seen !== null) for (let n = 0; n < seen.length; n++) skip[seen[n]] = 1;
    if (o.exclude !== null) for (let n = 0; n < o.exclude.length; n++) skip[o.exclude[n]] = 1;
  }
  const kk = Math.min(k, o.items === null ? scores.length : o.items.length);
  const ids = new Int32Array(kk);
  const out = new Float32Array(kk);
  const found = selectTopK(scores, kk, skip, o.items, ids, out, 0);
  return withTopKSummary(found === kk ? { ids, scores: out } : { ids: ids.slice(0, found), scores: out.slice(0, found) });
}
