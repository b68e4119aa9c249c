import { checkBoolean, checkFinite, checkIndices, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { recommendBatch } from '@quiver/mf';
import { withReportSummary } from './report-summary.js';
import { aucCredit, MARK_RELEVANT, MARK_TRAIN, rankingRow } from './kernels/ranking-row.js';
import { sortedContains } from './kernels/sorted-contains.js';
import { idealDcg } from './metrics/ndcg-at-k.js';
import type { InteractionData, ScoringModel } from './model-types.js';
import { userItemCsr } from './user-item-csr.js';

/** Options of {@link evaluateRanking}. */
export interface EvaluateRankingOptions {
  /** Cut-off of the top-k metrics. @defaultValue 10 */
  readonly k?: number;
  /**
   * A test interaction is relevant when its rating is at least this value; `null` makes every
   * test interaction relevant (also the behaviour when the test set has no ratings).
   * @defaultValue null
   */
  readonly relevantMin?: number | null;
  /** Also compute AUC over all non-training items (one full score row per user). @defaultValue true */
  readonly auc?: boolean;
  /** Users per `recommendBatch` call. @defaultValue 256 */
  readonly batchSize?: number;
  /** Return the per-user numbers (hits, number relevant, ...) as well. @defaultValue false */
  readonly perUser?: boolean;
}

/** Per-user numbers of an {@link evaluateRanking} run (one entry per evaluated user). */
export interface RankingPerUser {
  /** The evaluated users (dense ids, ascending). */
  readonly users: Int32Array;
  /** Relevant test items of each user (after removing the user's training items). */
  readonly numRelevant: Int32Array;
  /** Relevant items in each user's top k. */
  readonly hits: Int32Array;
  /** NDCG@k of each user. */
  readonly ndcg: Float64Array;
  /** AUC of each user (NaN when AUC was off or the user has no negative candidate). */
  readonly auc: Float64Array;
}

/** The result of {@link evaluateRanking}. */
export interface RankingReport {
  /** The cut-off used. */
  readonly k: number;
  /**
   * Means over evaluated users, keyed `precision@k` (hits / k), `recall@k`, `ndcg@k`, `map@k`,
   * `hitRate@k`, `mrr@k`, `auc` (when computed) and `coverage@k` (distinct recommended items
   * over all items); and `implicitPrecision@k`, the precision of the `implicit` library's
   * `ranking_metrics_at_k`: all hits over Σ min(k, relevant items of the user), which is not
   * hits / k (it is higher whenever users have fewer than k relevant items) and is only for
   * comparing with figures computed by implicit.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Users with at least one relevant test item: the users the means are over. */
  readonly evaluatedUsers: number;
  /** Users with test interactions but none relevant (left out of every mean). */
  readonly skippedUsers: number;
  /** Relevant test pairs the user also has in train; dropped (they can never be recommended). */
  readonly droppedTrainOverlap: number;
  /** Per-user numbers, when `perUser` was set. */
  readonly perUser?: RankingPerUser;
}

const OPTION_NAMES = ['k', 'relevantMin', 'auc', 'batchSize', 'perUser'];

/**
 * Ranking evaluation with full ranking: for every user with at least one relevant test item,
 * ranks **all** items except that user's training items (never sampled negatives), takes the
 * top `k` with `@quiver/mf`'s `recommendBatch` (heap-based top-k) and averages precision@k, recall@k,
 * NDCG@k, MAP@k, hit rate@k and reciprocal rank within the top k over users. AUC compares each
 * relevant item with every non-training, non-relevant item on the scores the top-k ranks by
 * (`model.scoreAllItems`, into one reused buffer; for explicit models these are not clipped to
 * the rating range, so clipping creates no ties), computed from ranks in O(items · log relevant)
 * per user. The model's seen-items matrix is set to `train` for the
 * call and restored afterwards, so exclusion follows exactly the `train` passed here.
 *
 * Relevant items that also appear in the user's training rows are dropped and counted in
 * `droppedTrainOverlap` (with a split of one dataset this is 0).
 * @param model - A fitted model (any `@quiver/mf` recommender).
 * @param train - The interactions the model was trained on (the items to exclude per user).
 * @param test - Held-out interactions; their ratings decide relevance with `relevantMin`.
 * @returns Means over evaluated users, the number of evaluated and skipped users.
 * @throws {TypeError} for a bad option.
 * @throws {RangeError} when `train` / `test` / the model disagree on numUsers or numItems, when
 *   a column's length differs from `userIds`, or an id is outside `[0, numUsers)` / `[0, numItems)`.
 * @example
 * const report = evaluateRanking(als, train, test, { k: 10, relevantMin: 4 });
 * report.metrics['ndcg@10']; report.evaluatedUsers;
 */
export function evaluateRanking(model: ScoringModel, train: InteractionData, test: InteractionData, options?: EvaluateRankingOptions): RankingReport {
  const where = 'evaluateRanking';
  checkOptionNames(where, options, OPTION_NAMES);
  const o = options ?? {};
  const k = o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k);
  const relevantMin = o.relevantMin === undefined || o.relevantMin === null ? null : checkFinite(where, 'options.relevantMin', o.relevantMin);
  const withAuc = o.auc === undefined ? true : checkBoolean(where, 'options.auc', o.auc);
  const batchSize = o.batchSize === undefined ? 256 : checkPositiveInt(where, 'options.batchSize', o.batchSize);
  const perUser = o.perUser === undefined ? false : checkBoolean(where, 'options.perUser', o.perUser);
  checkSizes(where, model, train, test);
  for (const method of ['scoreAllItems', 'seenItems', 'setSeen'] as const) {
    // Ranking and AUC score every item through the Scorer contract of @quiver/mf.
    if (typeof model[method] !== 'function') throw quiverError('TypeError', { where, what: `model must have ${method}() (the Scorer contract every @quiver/mf model implements)`, got: `${describeValue(model)} without it` });
  }

  const numItems = model.numItems;
  const trainCsr = userItemCsr(train);
  const testCsr = userItemCsr(test);
  const numUsers = test.numUsers;

  // Relevant sets per evaluated user (CSR over evaluated users).
  const evalUsers: number[] = [];
  const relPtr: number[] = [0];
  const relIdx: number[] = [];
  let skipped = 0;
  let overlap = 0;
  for (let u = 0; u < numUsers; u++) {
    const lo = testCsr.indptr[u];
    const hi = testCsr.indptr[u + 1];
    if (lo === hi) continue;
    const before = relIdx.length;
    for (let a = lo; a < hi; a++) {
      if (relevantMin !== null && testCsr.values !== null && !(testCsr.values[a] >= relevantMin)) continue;
      const item = testCsr.indices[a];
      if (sortedContains(trainCsr.indices, trainCsr.indptr[u], trainCsr.indptr[u + 1], item)) {
        overlap++;
        continue;
      }
      if (relIdx.length > before && relIdx[relIdx.length - 1] === item) continue; // duplicate test pair
      relIdx.push(item);
    }
    if (relIdx.length === before) skipped++;
    else {
      evalUsers.push(u);
      relPtr.push(relIdx.length);
    }
  }
  const numEval = evalUsers.length;
  const users = Int32Array.from(evalUsers);
  const numRelevant = new Int32Array(numEval);
  const hitsPerUser = new Int32Array(numEval);
  const ndcgPerUser = new Float64Array(numEval);
  const aucPerUser = new Float64Array(numEval).fill(NaN);
  if (numEval === 0) {
    const empty = { k, metrics: emptyMetrics(k, withAuc), evaluatedUsers: 0, skippedUsers: skipped, droppedTrainOverlap: overlap, ...(perUser ? { perUser: { users, numRelevant, hits: hitsPerUser, ndcg: ndcgPerUser, auc: aucPerUser } } : {}) };
    return withReportSummary(empty, `RankingReport k=${k}`, `no user with a relevant item (${skipped.toLocaleString('en-US')} skipped)`);
  }

  // No list can hold more than numItems items: rank that many (k itself still divides precision@k).
  const kr = Math.min(k, numItems);
  const idcg = new Float64Array(kr + 1);
  for (let n = 1; n <= kr; n++) idcg[n] = idealDcg(n);
  const mark = new Uint8Array(numItems);
  const recommended = new Uint8Array(numItems);
  const row = new Float64Array(4);
  // AUC buffers, reused for every user.
  const scores = new Float32Array(numItems);
  let maxRel = 0;
  for (let e = 0; e < numEval; e++) maxRel = Math.max(maxRel, relPtr[e + 1] - relPtr[e]);
  const pos = new Float64Array(maxRel);
  let sumP = 0;
  let sumR = 0;
  let sumNdcg = 0;
  let sumAp = 0;
  let sumHit = 0;
  let sumRr = 0;
  let sumAuc = 0;
  let numAuc = 0;
  let distinct = 0;
  let totalHits = 0;
  let totalCapped = 0;

  const previousSeen = model.seenItems();
  model.setSeen(trainCsr.indptr, trainCsr.indices);
  try {
    for (let start = 0; start < numEval; start += batchSize) {
      const chunk = users.subarray(start, Math.min(numEval, start + batchSize));
      const top = recommendBatch(model, chunk, kr, { filterSeen: true });
      for (let c = 0; c < chunk.length; c++) {
        const e = start + c;
        const u = chunk[c];
        const rlo = relPtr[e];
        const rhi = relPtr[e + 1];
        const nRel = rhi - rlo;
        for (let a = rlo; a < rhi; a++) mark[relIdx[a]] = MARK_RELEVANT;
        rankingRow(top.ids, c * kr, kr, mark, row);
        const hits = row[0];
        const ndcg = row[1] / idcg[Math.min(kr, nRel)];
        numRelevant[e] = nRel;
        hitsPerUser[e] = hits;
        ndcgPerUser[e] = ndcg;
        sumP += hits / k;
        totalHits += hits;
        totalCapped += Math.min(k, nRel);
        sumR += hits / nRel;
        sumNdcg += ndcg;
        sumAp += row[2] / Math.min(k, nRel);
        sumHit += hits > 0 ? 1 : 0;
        sumRr += row[3];
        for (let i = 0; i < kr; i++) {
          const id = top.ids[c * kr + i];
          if (id >= 0 && recommended[id] === 0) {
            recommended[id] = 1;
            distinct++;
          }
        }
        if (withAuc) {
          const tlo = trainCsr.indptr[u];
          const thi = trainCsr.indptr[u + 1];
          for (let a = tlo; a < thi; a++) mark[trainCsr.indices[a]] = MARK_TRAIN;
          const numNeg = numItems - (thi - tlo) - nRel;
          if (numNeg > 0) {
            model.scoreAllItems(u, scores);
            for (let a = rlo; a < rhi; a++) pos[a - rlo] = scores[relIdx[a]];
            pos.subarray(0, nRel).sort();
            const value = aucCredit(scores, mark, pos, nRel) / (nRel * numNeg);
            aucPerUser[e] = value;
            sumAuc += value;
            numAuc++;
          }
          for (let a = tlo; a < thi; a++) mark[trainCsr.indices[a]] = 0;
        }
        for (let a = rlo; a < rhi; a++) mark[relIdx[a]] = 0;
      }
    }
  } finally {
    if (previousSeen !== null) model.setSeen(previousSeen.indptr, previousSeen.indices);
  }

  const metrics: Record<string, number> = {
    [`precision@${k}`]: sumP / numEval,
    [`recall@${k}`]: sumR / numEval,
    [`ndcg@${k}`]: sumNdcg / numEval,
    [`map@${k}`]: sumAp / numEval,
    [`hitRate@${k}`]: sumHit / numEval,
    [`mrr@${k}`]: sumRr / numEval,
    [`implicitPrecision@${k}`]: totalHits / totalCapped,
  };
  if (withAuc) metrics.auc = numAuc === 0 ? NaN : sumAuc / numAuc;
  metrics[`coverage@${k}`] = distinct / numItems;
  const report: RankingReport = { k, metrics, evaluatedUsers: numEval, skippedUsers: skipped, droppedTrainOverlap: overlap };
  const detail = `${numEval.toLocaleString('en-US')} users (${skipped.toLocaleString('en-US')} without a relevant item skipped${perUser ? '; perUser arrays' : ''})`;
  return withReportSummary(perUser ? { ...report, perUser: { users, numRelevant, hits: hitsPerUser, ndcg: ndcgPerUser, auc: aucPerUser } } : report, `RankingReport k=${k}`, detail);
}

function emptyMetrics(k: number, withAuc: boolean): Record<string, number> {
  const m: Record<string, number> = {};
  for (const name of ['precision', 'recall', 'ndcg', 'map', 'hitRate', 'mrr', 'implicitPrecision']) m[`${name}@${k}`] = NaN;
  if (withAuc) m.auc = NaN;
  m[`coverage@${k}`] = NaN;
  return m;
}

/**
 * Checks that model, train and test agree on the id spaces: matching numUsers / numItems,
 * aligned columns and every id inside its space (an out-of-range id would otherwise be scored
 * silently, e.g. as a relevant item that can never be recommended).
 * @example
 * checkSizes('evaluateRanking', model, train, test);
 */
export function checkSizes(where: string, model: ScoringModel, train: InteractionData | null, test: InteractionData): void {
  if (model === null || typeof model !== 'object' || typeof model.predict !== 'function') {
    throw quiverError('TypeError', { where, what: 'model must be a fitted recommender', got: describeValue(model) });
  }
  for (const [name, d] of [['train', train], ['test', test]] as const) {
    if (d === null) continue;
    if (typeof d !== 'object' || !(d.userIds instanceof Int32Array) || !(d.itemIds instanceof Int32Array)) {
      throw quiverError('TypeError', { where, what: `${name} must be interactions { userIds, itemIds, ratings, numUsers, numItems }`, got: describeValue(d) });
    }
    if (d.numUsers !== model.numUsers) throw quiverError('RangeError', { where, what: `${name}.numUsers must equal the model's numUsers (${model.numUsers})`, got: String(d.numUsers) });
    if (d.numItems !== model.numItems) throw quiverError('RangeError', { where, what: `${name}.numItems must equal the model's numItems (${model.numItems})`, got: String(d.numItems) });
    const n = d.userIds.length;
    if (d.itemIds.length !== n) throw quiverError('RangeError', { where, what: `${name}.itemIds must have the length of ${name}.userIds (${n})`, got: String(d.itemIds.length) });
    if (d.ratings !== null && !(d.ratings instanceof Float32Array)) throw quiverError('TypeError', { where, what: `${name}.ratings must be a Float32Array or null`, got: describeValue(d.ratings) });
    if (d.ratings !== null && d.ratings.length !== n) throw quiverError('RangeError', { where, what: `${name}.ratings must have the length of ${name}.userIds (${n})`, got: String(d.ratings.length) });
    checkIndices(where, `${name}.userIds`, d.userIds, d.numUsers);
    checkIndices(where, `${name}.itemIds`, d.itemIds, d.numItems);
  }
}
