import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkInRange, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, MODEL_KINDS, quiverError, type ModelKind } from '@quiver/base';
import type { Interactions } from '@quiver/data';
import { createModel } from '@quiver/mf';
import { dataFingerprint } from '../checkpoint.js';
import type { ItemFeatures } from '../metrics/beyond-accuracy.js';
import type { ConfidenceInterval, RankingGroups } from '../ranking-summary.js';
import { hyperband } from '../search/successive-halving.js';
import { randomSearch } from '../search/random-search.js';
import { bootstrapCi } from '../stats/bootstrap-ci.js';
import { pairedTest } from '../stats/paired-test.js';
import { formatCompareTable } from './compare-table.js';
import { planProtocol, PROTOCOLS, type Protocol, type ProtocolPlan, type StageResult } from './protocols.js';
import { MODEL_SEARCH } from './search-spaces.js';

/** How {@link compareModels} tunes: random search, or Hyperband over epochs for the models trained in epochs. */
export type CompareSearch = 'random' | 'hyperband';

/** Options of {@link compareModels}. */
export interface CompareOptions {
  /** The model kinds to compare (at least one, no repeats). */
  readonly models: readonly ModelKind[];
  /** The evaluation protocol. @defaultValue 'full' */
  readonly protocol?: Protocol;
  /** Cut-off of the top-k metrics. @defaultValue 10 */
  readonly k?: number;
  /** Ratings at or above this are relevant; null: every held-out interaction. @defaultValue null */
  readonly relevantMin?: number | null;
  /** Sampled negatives per user under `loo-sampled`. @defaultValue 100 */
  readonly negatives?: number;
  /** Search trials per model on the validation split (0: the defaults only). @defaultValue 8 */
  readonly trials?: number;
  /** The search algorithm. @defaultValue 'random' */
  readonly search?: CompareSearch;
  /** The metric models are tuned and ranked by. @defaultValue `ndcg@k` (its sampled name under loo-sampled) */
  readonly metric?: string;
  /** Seed of the splits, the searches, the negatives and the bootstrap. @defaultValue 42 */
  readonly seed?: number;
  /** Coverage of the confidence intervals. @defaultValue 0.95 */
  readonly level?: number;
  /** Bootstrap resamples per interval. @defaultValue 1000 */
  readonly bootstrapSamples?: number;
  /** Item features for intra-list diversity (e.g. MovieLens genres). @defaultValue none */
  readonly itemFeatures?: ItemFeatures;
  /** Threads of the models that train on several (the neighbour models, SLIM, EASE, ALS's CG solver). @defaultValue 1 */
  readonly threads?: number;
  /**
   * A folder for the searches' journals, one file per model named by a hash of the data and every
   * setting that changes a validation figure: a compare interrupted while tuning and run again
   * with the same folder reuses every finished evaluation (see `randomSearch`'s `journal`).
   * @defaultValue none (nothing is written)
   */
  readonly journal?: string;
  /** Called with one line per finished step (tuning, fitting a model). */
  readonly onProgress?: (line: string) => void;
}

/** A paired test of one model against the best one, on the ranking metric, over the same users. */
export interface PairedComparison {
  /** The model compared against (the best by the ranking metric). */
  readonly against: string;
  /** Mean of (this model − the best) over users. */
  readonly meanDifference: number;
  /** Paired-bootstrap interval of the mean difference. */
  readonly ci: ConfidenceInterval;
  /** Two-sided p-value of the paired t-test. */
  readonly pValue: number;
  /** Two-sided p-value of the Wilcoxon signed-rank test. */
  readonly wilcoxonPValue: number;
}

/** One model's line of a {@link CompareResult}. */
export interface CompareRow {
  /** The model kind. */
  readonly model: ModelKind;
  /** The options chosen on validation (`{}`: the defaults won). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The ranking metric on the validation split for those options. */
  readonly validation: number;
  /** Candidates evaluated while tuning (the defaults included). */
  readonly evaluations: number;
  /** Seconds spent tuning. */
  readonly tuneSeconds: number;
  /** Seconds of the final fit on the whole training part. */
  readonly fitSeconds: number;
  /** Test metrics (means over users; list-level metrics as computed). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Bootstrap confidence interval over users of every per-user metric. */
  readonly intervals: Readonly<Record<string, ConfidenceInterval>>;
  /** Paired test against the best model (null for the best itself). */
  readonly paired: PairedComparison | null;
  /** Metrics by user activity (cold/warm) and item popularity (head/tail); null under loo-sampled. */
  readonly groups: RankingGroups | null;
}

/** The sizes of a {@link CompareResult}'s split. */
export interface CompareDataSummary {
  /** Users of the dataset. */
  readonly users: number;
  /** Items of the dataset. */
  readonly items: number;
  /** Rows the final models were fitted on. */
  readonly trainRows: number;
  /** Rows held out for the test evaluation. */
  readonly testRows: number;
  /** Users the test metrics are means over. */
  readonly evaluatedUsers: number;
}

/** How a {@link CompareResult}'s models were tuned. */
export interface CompareSearchSummary {
  /** The search algorithm. */
  readonly kind: CompareSearch;
  /** Random-search trials per model (besides the defaults). */
  readonly trials: number;
}

/** The result of {@link compareModels}. */
export interface CompareResult {
  /** The protocol. */
  readonly protocol: Protocol;
  /** The cut-off. */
  readonly k: number;
  /** The metric models were tuned and ranked by. */
  readonly metric: string;
  /** Whether larger is better for that metric. */
  readonly mode: 'max' | 'min';
  /** Sizes: users, items, training and held-out rows, evaluated users. */
  readonly data: CompareDataSummary;
  /** The search: algorithm and trials per model. */
  readonly search: CompareSearchSummary;
  /** Coverage of the intervals. */
  readonly level: number;
  /** One row per model, best first. */
  readonly rows: readonly CompareRow[];
}

const OPTION_NAMES = ['models', 'protocol', 'k', 'relevantMin', 'negatives', 'trials', 'search', 'metric', 'seed', 'level', 'bootstrapSamples', 'itemFeatures', 'threads', 'journal', 'onProgress'];

/** Options with a `threads` option of their own. */
const THREADED: readonly ModelKind[] = ['itemknn', 'userknn', 'rp3beta', 'p3alpha', 'slim', 'ease'];

/**
 * Direction of a metric: smaller is better for the popularity of what is recommended and for
 * Gini (concentration); larger for every other metric.
 * @returns `'min'` or `'max'`.
 * @example
 * metricMode('ndcg@10'); // 'max'
 */
export function metricMode(metric: string): 'max' | 'min' {
  return metric.startsWith('popularity@') || metric.startsWith('gini@') ? 'min' : 'max';
}

/**
 * Compares models on one split, the way a paper's table does: the protocol splits the data
 * (see `planProtocol`), each model is tuned by a seeded search on a validation split carved
 * from the training part only (the defaults are one more candidate), refitted on the whole
 * training part with the options it chose and evaluated once on the test part. Every per-user
 * metric gets a bootstrap confidence interval over users, and each model a paired test against
 * the best one on the ranking metric (same users).
 * @param data - The dataset (timestamps are needed by `loo-sampled` and `temporal`).
 * @returns One row per model, best first.
 * @throws {TypeError} for an unknown option, model or protocol.
 * @throws {RangeError} for k ≤ 0, a bad count or level, a metric the protocol does not report,
 *   and what the splits and evaluations refuse (e.g. more negatives than a user's candidates).
 * @example
 * const table = compareModels(data, { models: ['als', 'ease', 'popularity'], trials: 4 });
 * table.rows[0].model; table.rows[0].intervals['ndcg@10'];
 */
export function compareModels(data: Interactions, options: CompareOptions): CompareResult {
  const where = 'compareModels';
  checkOptionNames(where, options, OPTION_NAMES);
  if (options === null || typeof options !== 'object') throw quiverError('TypeError', { where, what: 'options must be an object with models', got: describeValue(options) });
  const models = checkModels(where, options.models);
  const protocol = options.protocol === undefined ? 'full' : checkOneOf(where, 'options.protocol', options.protocol, PROTOCOLS);
  const k = options.k === undefined ? 10 : checkPositiveInt(where, 'options.k', options.k);
  const relevantMin = options.relevantMin ?? null;
  const negatives = options.negatives === undefined ? 100 : checkPositiveInt(where, 'options.negatives', options.negatives);
  const trials = options.trials === undefined ? 8 : checkNonNegativeInt(where, 'options.trials', options.trials);
  const search = options.search === undefined ? 'random' : checkOneOf(where, 'options.search', options.search, ['random', 'hyperband'] as const);
  const seed = options.seed === undefined ? 42 : checkNonNegativeInt(where, 'options.seed', options.seed);
  const level = options.level === undefined ? 0.95 : checkInRange(where, 'options.level', options.level, 0, 1, { loOpen: true, hiOpen: true });
  const samples = options.bootstrapSamples === undefined ? 1000 : checkPositiveInt(where, 'options.bootstrapSamples', options.bootstrapSamples);
  const threads = options.threads === undefined ? 1 : checkPositiveInt(where, 'options.threads', options.threads);
  const progress = options.onProgress ?? (() => {});
  if (options.journal !== undefined && (typeof options.journal !== 'string' || options.journal === '')) throw quiverError('TypeError', { where, what: 'options.journal must be a folder path', got: describeValue(options.journal) });

  const plan = planProtocol(data, protocol, { k, relevantMin, negatives, seed, itemFeatures: options.itemFeatures ?? null });
  const metric = options.metric ?? plan.metric;
  const mode = metricMode(metric);

  let journalOf: (kind: ModelKind) => string | undefined = () => undefined;
  if (options.journal !== undefined) {
    const folder = options.journal;
    mkdirSync(folder, { recursive: true });
    const settings = JSON.stringify({ data: dataFingerprint(data).sha256, protocol, k, relevantMin, negatives, seed, metric, search, threads });
    const tag = createHash('sha256').update(settings).digest('hex').slice(0, 16);
    journalOf = (kind) => join(folder, `${kind}-${tag}.jsonl`);
  }
  const fitted: { row: Omit<CompareRow, 'paired'>; result: StageResult }[] = [];
  for (const kind of models) {
    const t0 = performance.now();
    const tuned = tune(kind, plan, metric, mode, trials, search, seed, threads, where, journalOf(kind));
    const tuneSeconds = (performance.now() - t0) / 1000;
    progress(`${kind}: tuned on validation in ${tuneSeconds.toFixed(1)} s (${tuned.evaluations} candidates, ${metric} ${tuned.value.toFixed(4)})`);
    const t1 = performance.now();
    const model = createModel(kind, { ...fixedOptions(kind, threads), ...tuned.params });
    model.fit(plan.test.train);
    const fitSeconds = (performance.now() - t1) / 1000;
    const result = plan.test.evaluate(model);
    if (!(metric in result.metrics)) throw unknownMetric(where, metric, result.metrics);
    const intervals: Record<string, ConfidenceInterval> = {};
    for (const [name, v] of Object.entries(result.values)) {
      const finite = v.filter(Number.isFinite);
      if (finite.length === 0) continue;
      const ci = bootstrapCi(finite, { samples, level, seed });
      intervals[name] = { lo: ci.lo, hi: ci.hi, level };
    }
    progress(`${kind}: fitted in ${fitSeconds.toFixed(1)} s; test ${metric} ${result.metrics[metric].toFixed(4)}`);
    fitted.push({ row: { model: kind, params: tuned.params, validation: tuned.value, evaluations: tuned.evaluations, tuneSeconds, fitSeconds, metrics: result.metrics, intervals, groups: result.groups }, result });
  }
  const better = (a: number, b: number): boolean => (mode === 'max' ? a > b : a < b);
  const order = fitted.map((_, i) => i).sort((a, b) => {
    const x = fitted[a].row.metrics[metric];
    const y = fitted[b].row.metrics[metric];
    return better(x, y) ? -1 : better(y, x) ? 1 : a - b;
  });
  const best = fitted[order[0]];
  const rows: CompareRow[] = order.map((i) => {
    const f = fitted[i];
    if (f === best || !(metric in f.result.values)) return { ...f.row, paired: null };
    checkSameUsers(where, best.result.users, f.result.users);
    const t = pairedTest(f.result.values[metric], best.result.values[metric], { level, bootstrapSamples: samples, seed });
    return { ...f.row, paired: { against: best.row.model, meanDifference: t.meanDifference, ci: t.ci, pValue: t.pValue, wilcoxonPValue: t.wilcoxon.pValue } };
  });
  const table: CompareResult = {
    protocol,
    k,
    metric,
    mode,
    data: { users: data.numUsers, items: data.numItems, trainRows: plan.test.train.length, testRows: plan.test.heldOutRows, evaluatedUsers: best.result.users.length },
    search: { kind: search, trials },
    level,
    rows,
  };
  // In the REPL (util.inspect) the result prints as the table `quiver compare` prints.
  Object.defineProperty(table, Symbol.for('nodejs.util.inspect.custom'), { value: () => formatCompareTable(table, 'data').trimEnd(), enumerable: false });
  return table;
}

function tune(kind: ModelKind, plan: ProtocolPlan, metric: string, mode: 'max' | 'min', trials: number, search: CompareSearch, seed: number, threads: number, where: string, journal: string | undefined): { params: Record<string, unknown>; value: number; evaluations: number } {
  const ms = MODEL_SEARCH[kind];
  const fixed = fixedOptions(kind, threads);
  const evaluate = (params: Record<string, unknown>): number => {
    const model = createModel(kind, { ...fixed, ...params });
    model.fit(plan.validation.train);
    const r = plan.validation.evaluate(model);
    if (!(metric in r.metrics)) throw unknownMetric(where, metric, r.metrics);
    return r.metrics[metric];
  };
  const defaults = evaluate({});
  if (trials === 0 || Object.keys(ms.space).length === 0) return { params: {}, value: defaults, evaluations: 1 };
  const better = (a: number, b: number): boolean => (mode === 'max' ? a > b : a < b);
  if (search === 'hyperband' && ms.budget !== null) {
    const maxBudget = Number(createModel(kind, fixed).getConfig()[ms.budget]);
    const budgetKey = ms.budget;
    const r = hyperband(ms.space, (params, ctx) => evaluate({ ...params, [budgetKey]: ctx.budget ?? maxBudget }), { minBudget: Math.max(1, Math.round(maxBudget / 9)), maxBudget, eta: 3, seed, mode, ...(journal === undefined ? {} : { journal }) });
    const value = r.best.value;
    return better(value, defaults) ? { params: { ...r.best.params, [budgetKey]: maxBudget }, value, evaluations: r.trials.length + 1 } : { params: {}, value: defaults, evaluations: r.trials.length + 1 };
  }
  const r = randomSearch(ms.space, (params) => evaluate(params), { trials, seed, mode, ...(journal === undefined ? {} : { journal }) });
  return better(r.best.value, defaults) ? { params: { ...r.best.params }, value: r.best.value, evaluations: trials + 1 } : { params: {}, value: defaults, evaluations: trials + 1 };
}

function fixedOptions(kind: ModelKind, threads: number): Record<string, unknown> {
  const own = threads > 1 && THREADED.includes(kind) ? { threads } : threads > 1 && kind === 'als' ? { solver: { kind: 'cg', threads } } : {};
  return { ...MODEL_SEARCH[kind].fixed, ...own };
}

function checkModels(where: string, models: unknown): ModelKind[] {
  if (!Array.isArray(models) || models.length === 0) throw quiverError('TypeError', { where, what: 'options.models must be a non-empty array of model kinds', got: describeValue(models) });
  const seen = new Set<string>();
  for (const m of models) {
    checkOneOf(where, 'options.models[]', m, MODEL_KINDS);
    if (seen.has(m as string)) throw quiverError('RangeError', { where, what: 'options.models must not repeat a model', got: JSON.stringify(m) });
    seen.add(m as string);
  }
  return models as ModelKind[];
}

function checkNonNegativeInt(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw quiverError('RangeError', { where, what: `${name} must be an integer ≥ 0`, got: describeValue(value) });
  return value;
}

function checkSameUsers(where: string, a: Int32Array, b: Int32Array): void {
  let same = a.length === b.length;
  for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
  if (!same) throw quiverError('Error', { where, what: 'the paired test needs both models evaluated on the same users', got: `${a.length} and ${b.length} users` });
}

function unknownMetric(where: string, metric: string, metrics: Readonly<Record<string, number>>): Error {
  return quiverError('RangeError', { where, what: `options.metric must be one the protocol reports: ${Object.keys(metrics).join(', ')}`, got: JSON.stringify(metric) });
}
