import { writeFileAtomic } from '@quiver/core';
import { checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { History } from '../history.js';
import { chartLibrarySource } from './chart-library.js';
import { renderReportHtml } from './report-html.js';
import { buildReportPayload, type ReportData, type ReportModel, type ReportOptions } from './report-payload.js';

const OPTION_NAMES = ['title', 'maxItems', 'maxGenres', 'metricsNote'];
const DATA_NAMES = ['train', 'test', 'titles', 'genres', 'metrics', 'source'];

function resolve(where: string, history: History, model: ReportModel, data: ReportData, options: ReportOptions): Required<ReportOptions> {
  if (!(history instanceof History)) throw quiverError('TypeError', { where, what: 'history must be a History (from train() or Trainer.fit)', got: describeValue(history) });
  if (model === null || typeof model !== 'object' || typeof model.predict !== 'function' || typeof model.kind !== 'string') {
    throw quiverError('TypeError', { where, what: 'model must be a fitted model with kind and predict()', got: describeValue(model) });
  }
  if (data === null || typeof data !== 'object') throw quiverError('TypeError', { where, what: 'data must be an object', got: describeValue(data) });
  checkOptionNames(`${where} data`, data, DATA_NAMES);
  checkOptionNames(where, options, OPTION_NAMES);
  const title = options.title ?? 'Quiver training report';
  if (typeof title !== 'string') throw quiverError('TypeError', { where, what: 'title must be a string', got: describeValue(title) });
  return {
    title,
    maxItems: options.maxItems === undefined ? 3000 : checkPositiveInt(where, 'maxItems', options.maxItems),
    maxGenres: options.maxGenres === undefined ? 12 : checkPositiveInt(where, 'maxGenres', options.maxGenres),
    metricsNote: options.metricsNote ?? null,
  };
}

/**
 * Renders a training run as one self-contained HTML page (Chart.js and the data inlined; it
 * opens offline): the loss and every per-epoch metric of `history`, the distribution of
 * predicted vs actual test ratings (explicit models, when `data.test` has ratings) and a 2-D
 * PCA projection of the item embeddings (`item_embedding.weight` of `model.getState()`) with
 * titles on hover, coloured by first genre when `data.genres` is given. Sections that do not
 * apply (no ratings, no factors) say why instead of drawing an empty chart.
 *
 * @param history The training history (`train()` / `Trainer.fit`).
 * @param model The fitted model.
 * @param data Test interactions, titles, genres, final metrics, source line (all optional).
 * @param options Page title and limits.
 * @returns The HTML text (about 250 kB plus ~70 bytes per projected item).
 * @throws {TypeError} for a history that is not a History, a model without predict, unknown
 *   option or data names; {@link pca} errors cannot occur for a model's own weights.
 * @example
 * const history = train(model, split.train);
 * const html = report(history, model, { test: split.test, titles: items.titles, genres: items.genres });
 */
export function report(history: History, model: ReportModel, data: ReportData = {}, options: ReportOptions = {}): string {
  const opts = resolve('report', history, model, data, options);
  return renderReportHtml(buildReportPayload(history, model, data, opts), chartLibrarySource());
}

/**
 * {@link report}, written atomically to `path` (temporary file, then rename).
 *
 * @param path Destination `.html` file; replaced if it exists.
 * @param history As {@link report}.
 * @param model As {@link report}.
 * @param data As {@link report}.
 * @param options As {@link report}.
 * @returns Resolves once the file is in place.
 * @throws As {@link report}; `fs` errors (a missing directory, ...) are passed through.
 * @example
 * await writeReport('runs/mf/report.html', history, model, { test, titles: items.titles, genres: items.genres });
 */
export async function writeReport(path: string, history: History, model: ReportModel, data: ReportData = {}, options: ReportOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw quiverError('TypeError', { where: 'writeReport', what: 'path must be a non-empty string', got: describeValue(path) });
  const opts = resolve('writeReport', history, model, data, options);
  const html = renderReportHtml(buildReportPayload(history, model, data, opts), chartLibrarySource());
  await writeFileAtomic(path, new TextEncoder().encode(html));
}
