import { isExplicitModel, type InteractionData, type ModelWeights } from '../model-types.js';
import type { History } from '../history.js';
import { pca } from './pca.js';

/** The model as the report reads it: scores for rating pairs and, when present, its item factors. */
export interface ReportModel {
  /** Model kind, such as `'biased-mf'` or `'als'`. */
  readonly kind: string;
  /** Number of items the model knows. */
  readonly numItems: number;
  /** Scores `(users[n], items[n])` pairs. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /** Copies of the weights by name; `item_embedding.weight` (`[numItems, k]`) is projected with PCA. */
  getState?(): ModelWeights;
  /** Hyper-parameters, shown in the header. */
  getConfig?(): Record<string, unknown>;
}

/** What the report shows besides the history and the model. */
export interface ReportData {
  /** The training interactions: the embedding map then shows the `maxItems` most-rated items. @defaultValue none (the first items by index) */
  readonly train?: InteractionData | null;
  /** Held-out interactions; with ratings and an explicit model, the predicted vs actual chart. @defaultValue none */
  readonly test?: InteractionData | null;
  /** Title of each item index, shown on hover in the embedding map. @defaultValue item indices */
  readonly titles?: ReadonlyArray<string | null> | null;
  /** Genres of each item index; the first one colours the point. @defaultValue one colour */
  readonly genres?: ReadonlyArray<readonly string[]> | null;
  /** Final metrics shown as a table (e.g. test RMSE). @defaultValue none */
  readonly metrics?: Readonly<Record<string, number>> | null;
  /** A line saying where the data came from. @defaultValue none */
  readonly source?: string | null;
}

/** Options of `report` / `writeReport`. */
export interface ReportOptions {
  /** The page title. @defaultValue `'Quiver training report'` */
  readonly title?: string;
  /** At most this many items in the embedding map: the most-rated ones when `data.train` is given, else the first ones by index. @defaultValue 3000 */
  readonly maxItems?: number;
  /** Number of genre colours; the rarer first genres are grouped as "other". @defaultValue 12 */
  readonly maxGenres?: number;
  /** A note under the metric curves, e.g. which data they were computed on. @defaultValue none */
  readonly metricsNote?: string | null;
}

/** The JSON the page's script draws from (plain numbers and strings). */
export interface ReportPayload {
  title: string;
  subtitle: string;
  source: string | null;
  summary: Array<[string, string]>;
  epochs: number[];
  loss: Array<number | null>;
  metrics: Record<string, Array<number | null>>;
  metricsNote: string | null;
  ratings: { centers: number[]; actual: number[]; predicted: number[]; count: number } | null;
  ratingsNote: string;
  embedding: {
    x: number[];
    y: number[];
    labels: string[];
    group: number[];
    groupNames: string[];
    explained: number[];
    total: number;
  } | null;
  embeddingNote: string;
}

const ITEM_FACTORS = 'item_embedding.weight';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const round = (x: number, digits: number): number => Number(x.toPrecision(digits));

/** Builds the data behind the report's charts (no HTML). */
export function buildReportPayload(history: History, model: ReportModel, data: ReportData, options: Required<ReportOptions>): ReportPayload {
  const epochs = history.epochs.map((e) => e.epoch + 1);
  const metrics: Record<string, Array<number | null>> = {};
  for (const name of history.metricNames) metrics[name] = history.metric(name).map(finite);
  const config = model.getConfig?.() ?? {};
  const shownConfig = Object.entries(config)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .slice(0, 10)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const summary: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(data.metrics ?? {})) summary.push([k, Number.isFinite(v) ? v.toFixed(4) : String(v)]);
  summary.push(['epochs', String(history.epochs.length)], ['training time', `${history.totalSeconds.toFixed(1)} s`]);

  const ratingsPart = ratingDistribution(model, data.test ?? null);
  const embeddingPart = embeddingMap(model, data, options);
  return {
    title: options.title,
    subtitle: `${model.kind}${shownConfig === '' ? '' : ` (${shownConfig})`}`,
    source: data.source ?? null,
    summary,
    epochs,
    loss: history.loss.map(finite),
    metrics,
    metricsNote: options.metricsNote,
    ratings: ratingsPart.value,
    ratingsNote: ratingsPart.note,
    embedding: embeddingPart.value,
    embeddingNote: embeddingPart.note,
  };
}

function ratingDistribution(model: ReportModel, test: InteractionData | null): { value: ReportPayload['ratings']; note: string } {
  if (!isExplicitModel(model)) return { value: null, note: `${model.kind} ranks items; it does not predict ratings.` };
  if (test === null || test.ratings === null || test.userIds.length === 0) return { value: null, note: 'No rated test interactions were given.' };
  const actual = test.ratings;
  const predicted = model.predict(test.userIds, test.itemIds);
  let lo = Infinity;
  let hi = -Infinity;
  let halfSteps = true;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    if (a < lo) lo = a;
    if (a > hi) hi = a;
    if (halfSteps && a * 2 !== Math.round(a * 2)) halfSteps = false;
  }
  const width = halfSteps && (hi - lo) / 0.5 <= 40 ? 0.5 : (hi - lo) / 20 || 1;
  const numBins = Math.round((hi - lo) / width) + 1;
  const centers = Array.from({ length: numBins }, (_, b) => round(lo + b * width, 6));
  const countsA = new Array<number>(numBins).fill(0);
  const countsP = new Array<number>(numBins).fill(0);
  const bin = (x: number) => Math.min(numBins - 1, Math.max(0, Math.round((x - lo) / width)));
  for (let i = 0; i < actual.length; i++) {
    countsA[bin(actual[i])]++;
    if (Number.isFinite(predicted[i])) countsP[bin(predicted[i])]++;
  }
  return {
    value: { centers, actual: countsA, predicted: countsP, count: actual.length },
    note: `${actual.length.toLocaleString('en-US')} test ratings; predictions are rounded to the nearest bin of width ${width}.`,
  };
}

function embeddingMap(model: ReportModel, data: ReportData, options: Required<ReportOptions>): { value: ReportPayload['embedding']; note: string } {
  const state = model.getState?.() ?? null;
  const weight = state?.[ITEM_FACTORS];
  if (weight === undefined || weight.shape.length !== 2 || weight.shape[1] < 2) {
    return { value: null, note: `${model.kind} has no item embeddings (with at least 2 factors) to project.` };
  }
  const [numItems, dim] = weight.shape;
  const rows = pickItems(numItems, options.maxItems, data.train ?? null);
  const n = rows.length;
  const picked = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) picked.set(weight.data.subarray(rows[r] * dim, (rows[r] + 1) * dim), r * dim);
  const { projected, explainedVarianceRatio } = pca(picked, n, dim, 2);
  const titles = data.titles ?? null;
  const genres = data.genres ?? null;
  const firstGenre = (i: number): string => genres?.[i]?.[0] ?? (genres === null ? 'items' : '(no genre)');
  const counts = new Map<string, number>();
  for (let r = 0; r < n; r++) counts.set(firstGenre(rows[r]), (counts.get(firstGenre(rows[r])) ?? 0) + 1);
  // Most frequent first genres get their own colour (ties by name), the rest are "other".
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([g]) => g);
  const kept = ranked.slice(0, ranked.length > options.maxGenres ? options.maxGenres - 1 : options.maxGenres);
  const groupNames = ranked.length > kept.length ? [...kept, 'other'] : kept;
  const index = new Map(kept.map((g, i) => [g, i]));
  const x: number[] = [];
  const y: number[] = [];
  const labels: string[] = [];
  const group: number[] = [];
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    x.push(round(projected[2 * r], 5));
    y.push(round(projected[2 * r + 1], 5));
    const title = titles?.[i] ?? null;
    const g = genres?.[i] ?? [];
    labels.push(`${title ?? `item ${i}`}${g.length > 0 ? ` — ${g.join(', ')}` : ''}`);
    group.push(index.get(firstGenre(i)) ?? kept.length);
  }
  const pct = (r: number) => `${(100 * r).toFixed(1)}%`;
  return {
    value: { x, y, labels, group, groupNames, explained: [...explainedVarianceRatio], total: numItems },
    note:
      `${n.toLocaleString('en-US')} of ${numItems.toLocaleString('en-US')} items${data.train && n < numItems ? ' (the most rated in training)' : ''}, ${dim}-dimensional factors projected on their first two principal components ` +
      `(${pct(explainedVarianceRatio[0])} and ${pct(explainedVarianceRatio[1])} of the variance)` +
      (genres === null ? '.' : ', coloured by first genre.'),
  };
}

/** The items to project: the `max` most frequent in `train` (ties by lower index), else the first `max`. */
function pickItems(numItems: number, max: number, train: InteractionData | null): Int32Array {
  const n = Math.min(numItems, max);
  if (train === null || n === numItems) return Int32Array.from({ length: n }, (_, i) => i);
  const counts = new Int32Array(numItems);
  for (let k = 0; k < train.itemIds.length; k++) counts[train.itemIds[k]]++;
  const order = Int32Array.from({ length: numItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, n).sort();
}
