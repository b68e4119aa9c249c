import { checkIdArray, quiverError, type BatchTopK } from '@quiver/base';
import { resolveRecommendOptions } from './check-args.js';
import { selectTopK } from './kernels/top-k.js';
import type { RecommendOptions } from './recommender.js';
import type { Scorer } from './scorer.js';

/** Users scored per block by the block scorer. */
const BLOCK_USERS = 32;
/** Extra candidates kept from the approximate block scores before the exact rescoring. */
const BLOCK_MARGIN = 16;

/**
 * The top `k` items of many users at once, best first, with one bounded heap per user (no full
 * sort): row `n` equals `model.recommend(users[n], k, options)`, padded with id -1 / score NaN.
 * When the model has a block scorer (factor models with `factors % 4 === 0`), users are scored
 * 32 at a time in WebAssembly SIMD, the top `k + 16` candidates are rescored exactly, and a user
 * falls back to exact scoring unless the bound on the block scores' error proves the result exact.
 *
 * @param model - A fitted model (any {@link Scorer}).
 * @param users - Dense user ids.
 * @param k - Items per user; clamped to the number of candidates (the result's `k` says how many).
 * @param options - `filterSeen` (default true), allow-list `items`, deny-list `exclude`.
 * @returns Row-major `users.length × k` ids and scores.
 * @throws {Error} before fitting; {@link RangeError} for a bad user id (naming its position), `k` or list entry.
 * @example
 * const { ids, k } = recommendBatch(model, Int32Array.of(0, 1, 2), 10); // ids.length === 3 * k
 */
export function recommendBatch(model: Scorer, users: Int32Array, k: number, options?: RecommendOptions): BatchTopK {
  const where = 'recommendBatch';
  const seen = model.seenItems();
  if (seen === null) throw quiverError('Error', { where, what: 'the model is not fitted; call fit(data) (or loadModel) first' });
  const numItems = model.numItems;
  checkIdArray(where, 'users', users, model.numUsers);
  const o = resolveRecommendOptions(where, k, options, numItems);
  // Rows hold min(k, candidates) slots: a k beyond the catalogue never allocates k per user.
  const kk = Math.min(k, o.items === null ? numItems : o.items.length);
  const ids = new Int32Array(users.length * kk);
  const out = new Float32Array(users.length * kk);
  const scores = new Float32Array(numItems);
  const skip = new Uint8Array(numItems);
  if (o.exclude !== null) for (let n = 0; n < o.exclude.length; n++) skip[o.exclude[n]] = 1;
  const { indptr: ptr, indices: idx } = seen;
  const blocks = kk > 0 && typeof model.blockScoring === 'function' ? model.blockScoring() : null;
  const numCand = Math.min(kk + BLOCK_MARGIN, numItems);
  const candIds = new Int32Array(numCand);
  const candScores = new Float32Array(numCand);
  for (let n0 = 0; n0 < users.length; n0 += BLOCK_USERS) {
    const count = Math.min(BLOCK_USERS, users.length - n0);
    const block = blocks === null ? null : blocks.score(users, n0, count);
    for (let j = 0; j < count; j++) {
      const n = n0 + j;
      const u = users[n];
      if (o.filterSeen) for (let p = ptr[u]; p < ptr[u + 1]; p++) skip[idx[p]] = 1;
      let done = false;
      if (block !== null && blocks !== null) {
        const approx = block.subarray(j * numItems, (j + 1) * numItems);
        const m = selectTopK(approx, numCand, skip, o.items, candIds, candScores, 0);
        for (let t = 0; t < m; t++) approx[candIds[t]] = blocks.exact(u, candIds[t]);
        selectTopK(approx, kk, skip, candIds.subarray(0, m), ids, out, n * kk);
        // Exact unless an item outside the candidates could still reach the k-th exact score.
        done = m < numCand || numCand === numItems || out[n * kk + kk - 1] > candScores[m - 1] + blocks.error(u);
      }
      if (!done) {
        model.scoreAllItems(u, scores);
        selectTopK(scores, kk, skip, o.items, ids, out, n * kk);
      }
      if (o.filterSeen) {
        for (let p = ptr[u]; p < ptr[u + 1]; p++) skip[idx[p]] = 0;
        if (o.exclude !== null) for (let m = 0; m < o.exclude.length; m++) skip[o.exclude[m]] = 1;
      }
    }
  }
  return { ids, scores: out, k: kk };
}
