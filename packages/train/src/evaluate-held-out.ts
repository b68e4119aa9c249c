import { checkBoolean, checkFinite, checkIdArray, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError, type InteractionData } from '@quiver/base';
import { selectTopK, type FoldInModel } from '@quiver/mf';
import { checkSizes } from './evaluate-ranking.js';
import { isExplicitModel, type ScoringModel } from './model-types.js';
import { RankingAccumulator } from './ranking-accumulator.js';
import { checkSummaryOptions, rankingContext, summarizeRanking, SUMMARY_OPTION_NAMES, type RankingReport, type RankingSummaryOptions } from './ranking-summary.js';
import { relevantSets, TRAIN_OVERLAP_POLICIES, type TrainOverlapPolicy } from './relevant-sets.js';
import { userItemCsr } from './user-item-csr.js';

/** Options of {@link evaluateHeldOutUsers}. */
export interface EvaluateHeldOutOptions extends RankingSummaryOptions {
  /** Cut-off of the top-k metrics. @defaultValue 10 */
  readonly k?: number;
  /** A test interaction is relevant when its rating is at least this value; `null`: every one. @defaultValue null */
  readonly relevantMin?: number | null;
  /** Also compute AUC over all items outside the fold-in part. @defaultValue true */
  readonly auc?: boolean;
  /** A test pair that is also a fold-in pair of the user: `'error'` refuses it, `'drop'` leaves it out. @defaultValue 'error' */
  readonly trainOverlap?: TrainOverlapPolicy;
}

/** A model that can serve users it never trained on from their interactions: every `@quiver/mf` model. */
export type HeldOutModel = ScoringModel & Pick<FoldInModel, 'foldIn' | 'predictNew'>;

const OPTION_NAMES = ['k', 'relevantMin', 'auc', 'trainOverlap', ...SUMMARY_OPTION_NAMES];

/**
 * Strong-generalization evaluation (Marlin 2004; the protocol of Liang et al. 2018's Mult-VAE
 * and Steck 2019's EASE): the test users were held out of training entirely. For each of them
 * the model folds in their `foldIn` interactions (`model.foldIn`, with the item weights fixed,
 * no retraining), scores every item for that vector and ranks all items except the fold-in
 * ones; the user's `test` interactions are the relevant items. The metrics, groups and
 * intervals are those of {@link evaluateRanking} (full ranking, never sampled), except that the
 * cold / warm split of `groups` counts each held-out user's fold-in interactions (they have no
 * training ones); item popularity (novelty, head / tail) comes from `train`.
 *
 * Split the data with `@quiver/data`'s `strongGeneralizationSplit`.
 * @param model - A model fitted on `train` (the training users only).
 * @param train - The training interactions (item popularity for novelty and the groups).
 * @param foldIn - The held-out users' interactions given to the model.
 * @param test - The held-out users' interactions to predict.
 * @returns The ranking report over held-out users with a relevant test item.
 * @throws {TypeError} for a bad option or a model without fold-in.
 * @throws {RangeError} for mismatched id spaces, a held-out user with test rows but no fold-in
 *   rows, or (under `trainOverlap: 'error'`) a test pair that is also a fold-in pair.
 * @example
 * const { train, test: heldOut } = strongGeneralizationSplit(data, { testUsers: 0.1 });
 * const ease = new EASE().fit(train);
 * evaluateHeldOutUsers(ease, train, heldOut.foldIn, heldOut.test, { k: 20 }).metrics['recall@20'];
 */
export function evaluateHeldOutUsers(model: HeldOutModel, train: InteractionData, foldIn: InteractionData, test: InteractionData, options?: EvaluateHeldOutOptions): RankingReport {
  const where = 'evaluateHeldOutUsers';
  checkOptionNames(where, options, OPTION_NAMES);
  const o = options ?? {};
  const k = o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k);
  const relevantMin = o.relevantMin === undefined || o.relevantMin === null ? null : checkFinite(where, 'options.relevantMin', o.relevantMin);
  const withAuc = o.auc === undefined ? true : checkBoolean(where, 'options.auc', o.auc);
  const policy = o.trainOverlap === undefined ? 'error' : checkOneOf(where, 'options.trainOverlap', o.trainOverlap, TRAIN_OVERLAP_POLICIES);
  const summary = checkSummaryOptions(where, o, model.numItems);
  checkSizes(where, model, train, test);
  checkSizes(where, model, foldIn, test);
  if (typeof model.foldIn !== 'function' || typeof model.predictNew !== 'function') {
    throw quiverError('TypeError', { where, what: 'model must have foldIn() and predictNew() (the FoldInModel contract every @quiver/mf model implements)', got: `${describeValue(model)} without them` });
  }
  const numItems = model.numItems;
  const trainCsr = userItemCsr(train);
  const foldCsr = userItemCsr(foldIn);
  const rel = relevantSets(where, userItemCsr(test), foldCsr, relevantMin, policy, 'foldIn');
  const users = rel.users;
  const numEval = users.length;
  for (let e = 0; e < numEval; e++) {
    const u = users[e];
    if (foldCsr.indptr[u] === foldCsr.indptr[u + 1]) {
      throw quiverError('RangeError', { where, what: 'every held-out user with test rows must have fold-in rows (the model has nothing else to go on)', got: `user ${u} has none` });
    }
    if (trainCsr.indptr[u] !== trainCsr.indptr[u + 1]) {
      throw quiverError('RangeError', { where, what: 'held-out users must have no training rows (strong generalization); evaluate users seen in training with evaluateRanking', got: `user ${u} has ${trainCsr.indptr[u + 1] - trainCsr.indptr[u]} training rows` });
    }
  }
  // Item popularity comes from train; a held-out user has no training row, so the user-activity
  // groups use what the user folds in (with training counts every user would be cold).
  const userCounts = new Int32Array(foldCsr.indptr.length - 1);
  for (let u = 0; u < userCounts.length; u++) userCounts[u] = foldCsr.indptr[u + 1] - foldCsr.indptr[u];
  const context = { ...rankingContext(trainCsr, numItems, summary), userCounts };
  const acc = new RankingAccumulator(k, numItems, numEval, withAuc, context.itemTail);
  const allItems = new Int32Array(numItems);
  for (let i = 0; i < numItems; i++) allItems[i] = i;
  const skip = new Uint8Array(numItems);
  const ids = new Int32Array(acc.kr);
  const best = new Float32Array(acc.kr);
  // Ratings go to explicit models only (an implicit model's fold-in would read them as confidences).
  const ratings = isExplicitModel(model) ? (foldCsr.values ?? null) : null;
  for (let e = 0; e < numEval; e++) {
    const u = users[e];
    const lo = foldCsr.indptr[u];
    const hi = foldCsr.indptr[u + 1];
    const items = foldCsr.indices.subarray(lo, hi);
    checkIdArray(where, 'foldIn items', items, numItems);
    const vector = model.foldIn(items, ratings === null ? undefined : ratings.subarray(lo, hi));
    const scores = model.predictNew(vector, allItems);
    for (let a = lo; a < hi; a++) skip[foldCsr.indices[a]] = 1;
    ids.fill(-1);
    selectTopK(scores, acc.kr, skip, null, ids, best, 0);
    for (let a = lo; a < hi; a++) skip[foldCsr.indices[a]] = 0;
    acc.add(e, ids, 0, rel.items, rel.indptr[e], rel.indptr[e + 1], withAuc ? scores : null, foldCsr.indices, lo, hi);
  }
  return summarizeRanking(acc, users, rel, context, summary, 'HeldOutReport');
}
