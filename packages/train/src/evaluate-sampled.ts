import { checkBoolean, checkFinite, checkOptionNames, checkPositiveInt, checkSeed, createRng, describeValue, quiverError } from '@quiver/base';
import { checkSizes } from './evaluate-ranking.js';
import { mergeSortedUnique, sampleAbsent, sampledRankRow } from './kernels/sampled-rank.js';
import type { InteractionData, ScoringModel } from './model-types.js';
import { withReportSummary } from './report-summary.js';
import { relevantSets } from './relevant-sets.js';
import { userItemCsr } from './user-item-csr.js';

/** Options of {@link evaluateSampled}. */
export interface EvaluateSampledOptions {
  /** Sampled negatives per test user (NCF and Dacrema et al. use 100). @defaultValue 100 */
  readonly negatives?: number;
  /** Cut-off of the hit rate and NDCG. @defaultValue 10 */
  readonly k?: number;
  /** Seed of the negative sampling; user u draws from the stream `fork(u)` of this seed. @defaultValue 42 */
  readonly seed?: number | string;
  /**
   * A test interaction is relevant when its rating is at least this value; `null` makes every
   * test interaction relevant (also the behaviour when the test set has no ratings).
   * Non-relevant test items are still never drawn as negatives. @defaultValue null
   */
  readonly relevantMin?: number | null;
  /** Return the per-user numbers as well. @defaultValue false */
  readonly perUser?: boolean;
}

/** Per-user numbers of an {@link evaluateSampled} run (one entry per evaluated user). */
export interface SampledPerUser {
  /** The evaluated users (dense ids, ascending). */
  readonly users: Int32Array;
  /** Sampled hit rate@k of each user (the mean over their relevant items). */
  readonly hitRate: Float64Array;
  /** Sampled NDCG@k of each user (the mean over their relevant items). */
  readonly ndcg: Float64Array;
  /** Sampled reciprocal rank of each user (the mean over their relevant items). */
  readonly mrr: Float64Array;
}

/** The result of {@link evaluateSampled}. */
export interface SampledRankingReport {
  /** The cut-off used. */
  readonly k: number;
  /** The number of sampled negatives per user. */
  readonly negatives: number;
  /**
   * Means over evaluated users, keyed so that they cannot be mistaken for full-ranking metrics:
   * `hitRate@k(sampled n)`, `ndcg@k(sampled n)` and `mrr(sampled n)` (n = negatives), e.g.
   * `hitRate@10(sampled 100)`.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Users with at least one relevant test item: the users the means are over. */
  readonly evaluatedUsers: number;
  /** Users with test interactions but none relevant (left out of every mean). */
  readonly skippedUsers: number;
  /** Per-user numbers, when `perUser` was set. */
  readonly perUser?: SampledPerUser;
}

const OPTION_NAMES = ['negatives', 'k', 'seed', 'relevantMin', 'perUser'];

/**
 * Leave-one-out evaluation with sampled negatives, the protocol of NCF (He et al. 2017) that
 * Dacrema et al. (2019) reproduce: for each test user with at least one relevant test item,
 * `negatives` items are drawn uniformly without replacement among the items in neither the
 * user's train rows nor their test rows, and each relevant test item is ranked among those
 * negatives (only; the user's other relevant items do not compete) by `model.predict`.
 *
 * - `rank = 1 + (negatives scoring strictly higher) + (negatives scoring equal)`: ties count
 *   against the model, so a constant model gets rank `negatives + 1` and no credit (NaN
 *   scores count against it too). Explicit-feedback models clip `predict` to the rating
 *   range, which creates ties at the top.
 * - HR@k is `rank <= k`, NDCG@k is `1 / log2(rank + 1)` when `rank <= k` (else 0), MRR is
 *   `1 / rank` (no cut-off). Each user's values are averaged over their relevant test items,
 *   then averaged over users.
 * - Sampling is seeded and per user: user u draws from `createRng(seed).fork(u)`, so a user's
 *   negatives depend only on the seed, the user and their own rows (the same for every model
 *   evaluated on the same split).
 *
 * Sampled metrics are not full-ranking metrics: Krichene & Rendle (2020, "On Sampled Metrics
 * for Item Recommendation") show they can rank models in a different order than the exact
 * metrics do, so the metric names say `sampled`; prefer `evaluateRanking` to compare models and
 * use this to reproduce published sampled figures.
 * @param model - A fitted model; only `predict` is called (one call per evaluated user, with
 *   the user's relevant items followed by the negatives).
 * @param train - The interactions the model was trained on (never drawn as negatives).
 * @param test - Held-out interactions; their ratings decide relevance with `relevantMin`.
 * @returns Means over evaluated users, the number of evaluated and skipped users.
 * @throws {TypeError} for a bad option or argument kind, or a `predict` that does not return a
 *   Float32Array with one score per pair.
 * @throws {RangeError} when `train` / `test` / the model disagree on numUsers or numItems, a
 *   column's length differs from `userIds`, an id is out of range, k or negatives is not a
 *   positive integer, a test pair is also a training pair (leakage), or some evaluated user has
 *   fewer candidate items than `negatives`.
 * @example
 * const report = evaluateSampled(model, train, test, { negatives: 100, k: 10, seed: 1 });
 * report.metrics['hitRate@10(sampled 100)'];
 */
export function evaluateSampled(model: ScoringModel, train: InteractionData, test: InteractionData, options?: EvaluateSampledOptions): SampledRankingReport {
  const where = 'evaluateSampled';
  checkOptionNames(where, options, OPTION_NAMES);
  const o = options ?? {};
  const negatives = o.negatives === undefined ? 100 : checkPositiveInt(where, 'options.negatives', o.negatives);
  const k = o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k);
  const seed = checkSeed(where, 'options.seed', o.seed);
  const relevantMin = o.relevantMin === undefined || o.relevantMin === null ? null : checkFinite(where, 'options.relevantMin', o.relevantMin);
  const perUser = o.perUser === undefined ? false : checkBoolean(where, 'options.perUser', o.perUser);
  checkSizes(where, model, train, test);

  const numItems = model.numItems;
  const trainCsr = userItemCsr(train);
  const testCsr = userItemCsr(test);

  // Relevant items per evaluated user; a test pair that is also a training pair is leakage.
  const rel = relevantSets(where, testCsr, trainCsr, relevantMin, 'error', 'train', false);
  const relPtr = rel.indptr;
  const relIdx = rel.items;
  const skipped = rel.skipped;
  let maxRelevant = 0;
  let maxExcluded = 0;
  for (let e = 0; e < rel.users.length; e++) {
    const u = rel.users[e];
    const lo = testCsr.indptr[u];
    const hi = testCsr.indptr[u + 1];
    const tlo = trainCsr.indptr[u];
    const thi = trainCsr.indptr[u + 1];
    const numCandidates = numItems - distinctInRun(trainCsr.indices, tlo, thi) - distinctInRun(testCsr.indices, lo, hi);
    if (negatives > numCandidates) {
      throw quiverError('RangeError', {
        where,
        what: `options.negatives must not exceed any evaluated user's candidate items (items in neither their train nor their test rows; a sampled-negative count larger than the catalogue): user ${u} has ${numCandidates}`,
        got: String(negatives),
      });
    }
    maxRelevant = Math.max(maxRelevant, relPtr[e + 1] - relPtr[e]);
    maxExcluded = Math.max(maxExcluded, thi - tlo + hi - lo);
  }

  const users = rel.users;
  const numEval = users.length;
  const hitPerUser = new Float64Array(numEval);
  const ndcgPerUser = new Float64Array(numEval);
  const rrPerUser = new Float64Array(numEval);
  // Buffers reused for every user.
  const candidates = new Int32Array(maxRelevant + negatives);
  const userColumn = new Int32Array(maxRelevant + negatives);
  const excluded = new Int32Array(maxExcluded);
  const mark = new Uint8Array(numItems);
  const row = new Float64Array(3);
  const root = createRng(seed);
  let sumHit = 0;
  let sumNdcg = 0;
  let sumRr = 0;
  for (let e = 0; e < numEval; e++) {
    const u = users[e];
    const rlo = relPtr[e];
    const nRel = relPtr[e + 1] - rlo;
    for (let a = 0; a < nRel; a++) candidates[a] = relIdx[rlo + a];
    const numExcluded = mergeSortedUnique(trainCsr.indices, trainCsr.indptr[u], trainCsr.indptr[u + 1], testCsr.indices, testCsr.indptr[u], testCsr.indptr[u + 1], excluded);
    sampleAbsent(root.fork(u), excluded, numExcluded, numItems, negatives, mark, candidates, nRel);
    const len = nRel + negatives;
    userColumn.fill(u, 0, len);
    const scores = model.predict(userColumn.subarray(0, len), candidates.subarray(0, len));
    if (!(scores instanceof Float32Array) || scores.length !== len) {
      throw quiverError('TypeError', { where, what: `model.predict must return a Float32Array with one score per pair (${len} for user ${u})`, got: describeValue(scores) });
    }
    sampledRankRow(scores, nRel, negatives, k, row);
    const hit = row[0] / nRel;
    const ndcg = row[1] / nRel;
    const rr = row[2] / nRel;
    hitPerUser[e] = hit;
    ndcgPerUser[e] = ndcg;
    rrPerUser[e] = rr;
    sumHit += hit;
    sumNdcg += ndcg;
    sumRr += rr;
  }

  const tag = `(sampled ${negatives})`;
  const metrics: Record<string, number> = {
    [`hitRate@${k}${tag}`]: numEval === 0 ? NaN : sumHit / numEval,
    [`ndcg@${k}${tag}`]: numEval === 0 ? NaN : sumNdcg / numEval,
    [`mrr${tag}`]: numEval === 0 ? NaN : sumRr / numEval,
  };
  const report: SampledRankingReport = { k, negatives, metrics, evaluatedUsers: numEval, skippedUsers: skipped };
  const detail =
    numEval === 0
      ? `no user with a relevant item (${skipped.toLocaleString('en-US')} skipped)`
      : `${numEval.toLocaleString('en-US')} users (${skipped.toLocaleString('en-US')} without a relevant item skipped${perUser ? '; perUser arrays' : ''})`;
  const full = perUser ? { ...report, perUser: { users, hitRate: hitPerUser, ndcg: ndcgPerUser, mrr: rrPerUser } } : report;
  return withReportSummary(full, `SampledRankingReport k=${k} negatives=${negatives}`, detail);
}

/** Distinct ids in the sorted run `ids[lo..hi)`. */
function distinctInRun(ids: Int32Array, lo: number, hi: number): number {
  let count = 0;
  for (let a = lo; a < hi; a++) if (a === lo || ids[a] !== ids[a - 1]) count++;
  return count;
}
