import { checkBoolean, checkFinite, checkIndices, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { recommendBatch } from '@quiver/mf';
import type { InteractionData, ScoringModel } from './model-types.js';
import { RankingAccumulator } from './ranking-accumulator.js';
import { checkSummaryOptions, rankingContext, summarizeRanking, SUMMARY_OPTION_NAMES, type RankingReport, type RankingSummaryOptions } from './ranking-summary.js';
import { relevantSets, TRAIN_OVERLAP_POLICIES, type TrainOverlapPolicy } from './relevant-sets.js';
import { userItemCsr } from './user-item-csr.js';

export type { RankingReport, RankingPerUser, RankingGroups, ConfidenceInterval } from './ranking-summary.js';

/** Options of {@link evaluateRanking}. */
export interface EvaluateRankingOptions extends RankingSummaryOptions {
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
  /**
   * A test pair that is also a training pair of the same user is leakage: `'error'` refuses the
   * test set, `'drop'` leaves such pairs out and counts them in `droppedTrainOverlap` (for data
   * where repeat interactions are expected). @defaultValue 'error'
   */
  readonly trainOverlap?: TrainOverlapPolicy;
}

const OPTION_NAMES = ['k', 'relevantMin', 'auc', 'batchSize', 'perUser', 'trainOverlap', ...SUMMARY_OPTION_NAMES];

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
 * Beside accuracy it reports what the lists are like (novelty, the popularity of what is
 * recommended, Gini and coverage; intra-list diversity with `itemFeatures`), and on request
 * bootstrap confidence intervals over users (`intervals`) and every metric split by user activity
 * and item popularity (`groups`); see {@link RankingSummaryOptions}.
 *
 * A test pair the user also has in `train` is leakage and is refused (see `trainOverlap`).
 * @param model - A fitted model (any `@quiver/mf` recommender).
 * @param train - The interactions the model was trained on (the items to exclude per user).
 * @param test - Held-out interactions; their ratings decide relevance with `relevantMin`.
 * @returns Means over evaluated users, the number of evaluated and skipped users.
 * @throws {TypeError} for a bad option.
 * @throws {RangeError} when `train` / `test` / the model disagree on numUsers or numItems, when
 *   a column's length differs from `userIds`, an id is outside `[0, numUsers)` / `[0, numItems)`,
 *   or (under `trainOverlap: 'error'`) a test pair is also a training pair.
 * @example
 * const report = evaluateRanking(als, train, test, { k: 10, relevantMin: 4, intervals: true });
 * report.metrics['ndcg@10']; report.intervals!['ndcg@10']; report.evaluatedUsers;
 */
export function evaluateRanking(model: ScoringModel, train: InteractionData, test: InteractionData, options?: EvaluateRankingOptions): RankingReport {
  const where = 'evaluateRanking';
  checkOptionNames(where, options, OPTION_NAMES);
  const o = options ?? {};
  const k = o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k);
  const relevantMin = o.relevantMin === undefined || o.relevantMin === null ? null : checkFinite(where, 'options.relevantMin', o.relevantMin);
  const withAuc = o.auc === undefined ? true : checkBoolean(where, 'options.auc', o.auc);
  const batchSize = o.batchSize === undefined ? 256 : checkPositiveInt(where, 'options.batchSize', o.batchSize);
  const policy = o.trainOverlap === undefined ? 'error' : checkOneOf(where, 'options.trainOverlap', o.trainOverlap, TRAIN_OVERLAP_POLICIES);
  const summary = checkSummaryOptions(where, o, model.numItems);
  checkSizes(where, model, train, test);
  for (const method of ['scoreAllItems', 'seenItems', 'setSeen'] as const) {
    // Ranking and AUC score every item through the Scorer contract of @quiver/mf.
    if (typeof model[method] !== 'function') throw quiverError('TypeError', { where, what: `model must have ${method}() (the Scorer contract every @quiver/mf model implements)`, got: `${describeValue(model)} without it` });
  }

  const numItems = model.numItems;
  const trainCsr = userItemCsr(train);
  const rel = relevantSets(where, userItemCsr(test), trainCsr, relevantMin, policy, 'train');
  const users = rel.users;
  const numEval = users.length;
  const context = rankingContext(trainCsr, numItems, summary);
  const acc = new RankingAccumulator(k, numItems, numEval, withAuc, context.itemTail);
  const scores = new Float32Array(numItems);
  const previousSeen = model.seenItems();
  model.setSeen(trainCsr.indptr, trainCsr.indices);
  try {
    for (let start = 0; start < numEval; start += batchSize) {
      const chunk = users.subarray(start, Math.min(numEval, start + batchSize));
      const top = recommendBatch(model, chunk, acc.kr, { filterSeen: true });
      for (let c = 0; c < chunk.length; c++) {
        const u = chunk[c];
        if (withAuc) model.scoreAllItems(u, scores);
        const e = start + c;
        acc.add(e, top.ids, c * acc.kr, rel.items, rel.indptr[e], rel.indptr[e + 1], withAuc ? scores : null, trainCsr.indices, trainCsr.indptr[u], trainCsr.indptr[u + 1]);
      }
    }
  } finally {
    if (previousSeen !== null) model.setSeen(previousSeen.indptr, previousSeen.indices);
  }
  return summarizeRanking(acc, users, rel, context, summary, 'RankingReport');
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
