import { checkBoolean, checkFinite, checkInRange, checkInt32Array, checkOptionNames, checkPositiveInt, describeValue, quiverError, type CsrMatrix } from '@quiver/base';
import { beyondAccuracy, type ItemFeatures } from './metrics/beyond-accuracy.js';
import { itemPopularityGroups, userActivityGroups } from './metrics/popularity-groups.js';
import type { RankingAccumulator } from './ranking-accumulator.js';
import type { RelevantSets } from './relevant-sets.js';
import { withReportSummary } from './report-summary.js';
import { bootstrapCi } from './stats/bootstrap-ci.js';

/** A two-sided confidence interval of a mean. */
export interface ConfidenceInterval {
  /** Lower bound. */
  readonly lo: number;
  /** Upper bound. */
  readonly hi: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
}

/** Bootstrap settings of {@link RankingSummaryOptions.intervals}. */
export interface IntervalOptions {
  /** Bootstrap resamples. @defaultValue 1000 */
  readonly samples?: number;
  /** Coverage of the interval, in (0, 1). @defaultValue 0.95 */
  readonly level?: number;
  /** Seed of the resampling. @defaultValue 42 */
  readonly seed?: number;
}

/** Group settings of {@link RankingSummaryOptions.groups}. */
export interface GroupOptions {
  /** Users with at most this many training interactions are cold. @defaultValue the 20% quantile of the evaluated users' counts */
  readonly coldMax?: number;
  /** Share of the training interactions the short-head items hold, in (0, 1). @defaultValue 0.2 */
  readonly headShare?: number;
}

/** Options shared by the ranking evaluations: what to report beside the means. */
export interface RankingSummaryOptions {
  /** Return the per-user numbers (hits, number relevant, every per-user metric) as well. @defaultValue false */
  readonly perUser?: boolean;
  /**
   * Item features for intra-list diversity (`diversity@k`): item embeddings (cosine) or item →
   * feature sets such as genres (Jaccard). @defaultValue none (no diversity)
   */
  readonly itemFeatures?: ItemFeatures;
  /**
   * Bootstrap confidence intervals over users for every metric that is a mean over users:
   * `true`, or `{ samples = 1000, level = 0.95, seed }`. @defaultValue false
   */
  readonly intervals?: boolean | IntervalOptions;
  /**
   * Every metric split by user activity (cold users: at most `coldMax` training interactions,
   * default the 20% quantile) and recall split by item popularity (the short head: the most
   * popular items holding `headShare` = 0.2 of the training interactions): `true` or the options.
   * @defaultValue false
   */
  readonly groups?: boolean | GroupOptions;
}

/** The option names of {@link RankingSummaryOptions}. */
export const SUMMARY_OPTION_NAMES = ['perUser', 'itemFeatures', 'intervals', 'groups'];

/** Per-user numbers of a ranking evaluation (one entry per evaluated user). */
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
  /**
   * Every metric that is a mean over users, by name (`'ndcg@10'`, `'novelty@10'`, …): each
   * user's value, in the order of `users`; NaN where a user has none (AUC, diversity). The
   * numbers a paired test between two models compares.
   */
  readonly values: Readonly<Record<string, Float64Array>>;
}

/** The means of one group of users or items. */
export interface GroupMetrics {
  /** Evaluated users in the group (for item groups: users with a relevant item of the group). */
  readonly users: number;
  /** The metrics' means over those users. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Metrics split by user activity and by item popularity. */
export interface RankingGroups {
  /** Users with at most this many training interactions are cold. */
  readonly coldMax: number;
  /** Every per-user metric over cold users. */
  readonly cold: GroupMetrics;
  /** Every per-user metric over warm users. */
  readonly warm: GroupMetrics;
  /** Number of short-head items (the most popular, holding `headShare` of the training interactions). */
  readonly headItems: number;
  /** `recall@k` of short-head relevant items, and `share@k`, the fraction of recommended slots that are head items. */
  readonly head: GroupMetrics;
  /** `recall@k` of long-tail relevant items, and `share@k`, the fraction of recommended slots that are long-tail items. */
  readonly tail: GroupMetrics;
}

/** The result of a ranking evaluation. */
export interface RankingReport {
  /** The cut-off used. */
  readonly k: number;
  /**
   * Means over evaluated users, keyed `precision@k` (hits / k), `recall@k`, `ndcg@k`, `map@k`,
   * `hitRate@k`, `mrr@k`, `auc` (when computed), `novelty@k` (mean self-information
   * −log2 of the training popularity of each recommended item), `popularity@k` (the mean
   * training popularity, as a fraction of users, of what is recommended) and `diversity@k`
   * (intra-list diversity, with item features); and over all lists `coverage@k` (distinct
   * recommended items over all items), `gini@k` (Gini index of how often each item is
   * recommended: 0 equal exposure, near 1 a few items get everything), and
   * `implicitPrecision@k`, the precision of the `implicit` library's `ranking_metrics_at_k`: all
   * hits over Σ min(k, relevant items of the user), which is not hits / k and is only for
   * comparing with figures computed by implicit.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Users with at least one relevant test item: the users the means are over. */
  readonly evaluatedUsers: number;
  /** Users with test interactions but none relevant (left out of every mean). */
  readonly skippedUsers: number;
  /** Test pairs the user also has in train, dropped under `trainOverlap: 'drop'` (otherwise refused, so 0). */
  readonly droppedTrainOverlap: number;
  /** Per-user numbers, when `perUser` was set. */
  readonly perUser?: RankingPerUser;
  /** Bootstrap confidence intervals over users of every per-user metric, when `intervals` was set. */
  readonly intervals?: Readonly<Record<string, ConfidenceInterval>>;
  /** Metrics by user activity and item popularity, when `groups` was set. */
  readonly groups?: RankingGroups;
}

/** Checked {@link RankingSummaryOptions}. */
export interface SummarySettings {
  /** Return per-user numbers. */
  readonly perUser: boolean;
  /** Features for diversity, or null. */
  readonly itemFeatures: ItemFeatures | null;
  /** Bootstrap settings, or null for no intervals. */
  readonly intervals: { readonly samples: number; readonly level: number; readonly seed: number | undefined } | null;
  /** Group settings, or null for no groups. */
  readonly groups: { readonly coldMax: number | undefined; readonly headShare: number } | null;
}

/**
 * Checks the {@link RankingSummaryOptions} of an evaluation call.
 * @returns The resolved settings.
 * @example
 * const summary = checkSummaryOptions('evaluateRanking', options, model.numItems);
 */
export function checkSummaryOptions(where: string, o: RankingSummaryOptions, numItems: number): SummarySettings {
  const perUser = o.perUser === undefined ? false : checkBoolean(where, 'options.perUser', o.perUser);
  const itemFeatures = o.itemFeatures === undefined ? null : checkItemFeatures(where, o.itemFeatures, numItems);
  let intervals: SummarySettings['intervals'] = null;
  if (o.intervals !== undefined && o.intervals !== false) {
    const iv = o.intervals === true ? {} : o.intervals;
    if (iv === null || typeof iv !== 'object') throw quiverError('TypeError', { where, what: 'options.intervals must be true, false or { samples, level, seed }', got: describeValue(iv) });
    checkOptionNames(where, iv, ['samples', 'level', 'seed']);
    intervals = {
      samples: iv.samples === undefined ? 1000 : checkPositiveInt(where, 'options.intervals.samples', iv.samples),
      level: iv.level === undefined ? 0.95 : checkInRange(where, 'options.intervals.level', iv.level, 0, 1, { loOpen: true, hiOpen: true }),
      seed: iv.seed,
    };
  }
  let groups: SummarySettings['groups'] = null;
  if (o.groups !== undefined && o.groups !== false) {
    const g = o.groups === true ? {} : o.groups;
    if (g === null || typeof g !== 'object') throw quiverError('TypeError', { where, what: 'options.groups must be true, false or { coldMax, headShare }', got: describeValue(g) });
    checkOptionNames(where, g, ['coldMax', 'headShare']);
    groups = {
      coldMax: g.coldMax === undefined ? undefined : checkFinite(where, 'options.groups.coldMax', g.coldMax),
      headShare: g.headShare === undefined ? 0.2 : checkInRange(where, 'options.groups.headShare', g.headShare, 0, 1, { loOpen: true, hiOpen: true }),
    };
  }
  return { perUser, itemFeatures, intervals, groups };
}

function checkItemFeatures(where: string, f: ItemFeatures, numItems: number): ItemFeatures {
  if (f === null || typeof f !== 'object' || (f.kind !== 'embeddings' && f.kind !== 'sets')) {
    throw quiverError('TypeError', { where, what: "options.itemFeatures must be { kind: 'embeddings', vectors, dim } or { kind: 'sets', indptr, indices }", got: describeValue(f) });
  }
  // The array kinds first (a missing array would otherwise fail on .length); beyondAccuracy checks the contents.
  if (f.kind === 'embeddings') {
    if (!(f.vectors instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'options.itemFeatures.vectors must be a Float32Array (row-major numItems × dim)', got: describeValue(f.vectors) });
    checkPositiveInt(where, 'options.itemFeatures.dim', f.dim);
  } else {
    checkInt32Array(where, 'options.itemFeatures.indptr', f.indptr);
    checkInt32Array(where, 'options.itemFeatures.indices', f.indices);
  }
  const rows = f.kind === 'embeddings' ? f.vectors.length / f.dim : f.indptr.length - 1;
  if (rows !== numItems) throw quiverError('RangeError', { where, what: `options.itemFeatures must describe every item of the model (${numItems})`, got: `${rows} items` });
  return f;
}

/** What the summaries need from the training data, computed once per evaluation. */
export interface RankingContext {
  /** Distinct training users of each item. */
  readonly itemCounts: Int32Array;
  /** Users with at least one training interaction (the denominator of popularity). */
  readonly numTrainUsers: number;
  /** Training interactions of each user (the user-activity groups). */
  readonly userCounts: Int32Array;
  /** Per item 1 = long tail, 0 = short head; null without groups. */
  readonly itemTail: Uint8Array | null;
  /** Short-head items (0 without groups). */
  readonly headItems: number;
}

/**
 * Item popularity, user activity and (with groups) the head/tail split of the training data.
 * @returns The context of {@link summarizeRanking}.
 * @example
 * const context = rankingContext(userItemCsr(train), numItems, summary);
 */
export function rankingContext(train: CsrMatrix, numItems: number, summary: SummarySettings): RankingContext {
  const numUsers = train.indptr.length - 1;
  const itemCounts = new Int32Array(numItems);
  const userCounts = new Int32Array(numUsers);
  let numTrainUsers = 0;
  for (let u = 0; u < numUsers; u++) {
    const lo = train.indptr[u];
    const hi = train.indptr[u + 1];
    userCounts[u] = hi - lo;
    if (hi > lo) numTrainUsers++;
    for (let a = lo; a < hi; a++) if (a === lo || train.indices[a] !== train.indices[a - 1]) itemCounts[train.indices[a]]++;
  }
  let itemTail: Uint8Array | null = null;
  let headItems = 0;
  if (summary.groups !== null) {
    const g = itemPopularityGroups(itemCounts, { headShare: summary.groups.headShare });
    itemTail = new Uint8Array(numItems);
    for (let i = 0; i < numItems; i++) itemTail[i] = 1 - g.groups[i];
    headItems = g.headItems;
  }
  return { itemCounts, numTrainUsers, userCounts, itemTail, headItems };
}

/**
 * Turns an accumulator's per-list numbers into a {@link RankingReport}: means, the
 * beyond-accuracy metrics, and on request per-user values, intervals and groups.
 * @returns The report, with a one-line REPL summary.
 * @example
 * return summarizeRanking(acc, rel.users, rel, context, summary, 'RankingReport');
 */
export function summarizeRanking(acc: RankingAccumulator, users: Int32Array, rel: RelevantSets, ctx: RankingContext, summary: SummarySettings, title: string, metricSuffix = ''): RankingReport {
  const { k, lists } = acc;
  const n = users.length;
  const s = metricSuffix;
  const values: Record<string, Float64Array> = {
    [`precision@${k}${s}`]: lists.precision,
    [`recall@${k}${s}`]: lists.recall,
    [`ndcg@${k}${s}`]: lists.ndcg,
    [`map@${k}${s}`]: lists.ap,
    [`hitRate@${k}${s}`]: Float64Array.from(lists.hits, (h) => (h > 0 ? 1 : 0)),
    [`mrr@${k}${s}`]: lists.rr,
  };
  if (acc.withAuc) values[`auc${s}`] = lists.auc;
  const ba = beyondAccuracy(lists.topIds, acc.kr, ctx.itemCounts, Math.max(1, ctx.numTrainUsers), summary.itemFeatures === null ? {} : { itemFeatures: summary.itemFeatures });
  values[`novelty@${k}${s}`] = ba.perList.novelty;
  values[`popularity@${k}${s}`] = ba.perList.popularity;
  if (ba.perList.diversity !== null) values[`diversity@${k}${s}`] = ba.perList.diversity;

  const metrics: Record<string, number> = {};
  for (const name of Object.keys(values).slice(0, 6)) metrics[name] = meanOf(values[name], null);
  let totalHits = 0;
  let totalCapped = 0;
  for (let e = 0; e < n; e++) {
    totalHits += lists.hits[e];
    totalCapped += Math.min(k, lists.numRelevant[e]);
  }
  metrics[`implicitPrecision@${k}${s}`] = n === 0 ? NaN : totalHits / totalCapped;
  if (acc.withAuc) metrics[`auc${s}`] = meanOf(lists.auc, null);
  metrics[`coverage@${k}${s}`] = n === 0 ? NaN : ba.coverage;
  for (const name of [`novelty@${k}${s}`, `popularity@${k}${s}`, `diversity@${k}${s}`]) if (name in values) metrics[name] = meanOf(values[name], null);
  metrics[`gini@${k}${s}`] = n === 0 ? NaN : ba.gini;

  let report: RankingReport = { k, metrics, evaluatedUsers: n, skippedUsers: rel.skipped, droppedTrainOverlap: rel.overlap };
  if (summary.perUser) report = { ...report, perUser: { users, numRelevant: lists.numRelevant, hits: lists.hits, ndcg: lists.ndcg, auc: lists.auc, values } };
  if (summary.intervals !== null && n > 0) {
    const intervals: Record<string, ConfidenceInterval> = {};
    for (const [name, v] of Object.entries(values)) {
      const finite = finiteValues(v, null);
      if (finite.length === 0) continue;
      const ci = bootstrapCi(finite, { samples: summary.intervals.samples, level: summary.intervals.level, ...(summary.intervals.seed === undefined ? {} : { seed: summary.intervals.seed }) });
      intervals[name] = { lo: ci.lo, hi: ci.hi, level: ci.level };
    }
    report = { ...report, intervals };
  }
  if (summary.groups !== null) report = { ...report, groups: groupsOf(acc, users, values, ctx, summary.groups.coldMax, s) };
  const detail = `${n.toLocaleString('en-US')} users (${rel.skipped.toLocaleString('en-US')} without a relevant item skipped${summary.perUser ? '; perUser arrays' : ''})`;
  return withReportSummary(report, `${title} k=${k}`, n === 0 ? `no user with a relevant item (${rel.skipped.toLocaleString('en-US')} skipped)` : detail);
}

function groupsOf(acc: RankingAccumulator, users: Int32Array, values: Record<string, Float64Array>, ctx: RankingContext, coldMaxOption: number | undefined, s: string): RankingGroups {
  const n = users.length;
  const evalCounts = new Int32Array(n);
  for (let e = 0; e < n; e++) evalCounts[e] = ctx.userCounts[users[e]];
  const activity = userActivityGroups(evalCounts, coldMaxOption === undefined ? {} : { coldMax: coldMaxOption });
  const cold = new Uint8Array(n);
  let numCold = 0;
  for (let e = 0; e < n; e++) {
    cold[e] = activity.groups[e] === 0 ? 1 : 0;
    numCold += cold[e];
  }
  const warm = Uint8Array.from(cold, (c) => 1 - c);
  const coldMetrics: Record<string, number> = {};
  const warmMetrics: Record<string, number> = {};
  for (const [name, v] of Object.entries(values)) {
    coldMetrics[name] = meanOf(v, cold);
    warmMetrics[name] = meanOf(v, warm);
  }
  // Recall restricted to head / tail relevant items, over users with such an item.
  const { lists, k, kr } = acc;
  const tail = ctx.itemTail as Uint8Array;
  let headRecall = 0;
  let headUsers = 0;
  let tailRecall = 0;
  let tailUsers = 0;
  let tailSlots = 0;
  let slots = 0;
  for (let e = 0; e < n; e++) {
    const tr = lists.tailRelevant[e];
    const hr = lists.numRelevant[e] - tr;
    if (tr > 0) {
      tailRecall += lists.tailHits[e] / tr;
      tailUsers++;
    }
    if (hr > 0) {
      headRecall += (lists.hits[e] - lists.tailHits[e]) / hr;
      headUsers++;
    }
    for (let i = 0; i < kr; i++) {
      const id = lists.topIds[e * kr + i];
      if (id < 0) continue;
      slots++;
      tailSlots += tail[id];
    }
  }
  return {
    coldMax: activity.threshold,
    cold: { users: numCold, metrics: coldMetrics },
    warm: { users: n - numCold, metrics: warmMetrics },
    headItems: ctx.headItems,
    head: { users: headUsers, metrics: { [`recall@${k}${s}`]: headUsers === 0 ? NaN : headRecall / headUsers, [`share@${k}${s}`]: slots === 0 ? NaN : (slots - tailSlots) / slots } },
    tail: { users: tailUsers, metrics: { [`recall@${k}${s}`]: tailUsers === 0 ? NaN : tailRecall / tailUsers, [`share@${k}${s}`]: slots === 0 ? NaN : tailSlots / slots } },
  };
}

/** Mean of the finite entries of `v` (where `mask` is 1, when given); NaN when there are none. */
function meanOf(v: Float64Array, mask: Uint8Array | null): number {
  let sum = 0;
  let count = 0;
  for (let e = 0; e < v.length; e++) {
    if ((mask === null || mask[e] === 1) && Number.isFinite(v[e])) {
      sum += v[e];
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}

function finiteValues(v: Float64Array, mask: Uint8Array | null): Float64Array {
  let count = 0;
  for (let e = 0; e < v.length; e++) if ((mask === null || mask[e] === 1) && Number.isFinite(v[e])) count++;
  const out = new Float64Array(count);
  let j = 0;
  for (let e = 0; e < v.length; e++) if ((mask === null || mask[e] === 1) && Number.isFinite(v[e])) out[j++] = v[e];
  return out;
}
