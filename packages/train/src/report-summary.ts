import { formatMetric } from './progress/progress-reporter.js';

/**
 * Gives an evaluation result a one-line REPL / `util.inspect` summary: a non-enumerable
 * property, so equality, spreading and `JSON.stringify` see the plain fields only.
 * @param title - E.g. `'RankingReport k=10'`.
 * @param detail - What the figures were computed over, e.g. `'595 users (15 skipped)'`.
 * @returns `report`, printing as `title { detail: name value, … }`.
 * @example
 * withReportSummary({ metrics: { rmse: 0.87 }, count: 3 }, 'RatingReport', '3 ratings'); // RatingReport { 3 ratings: rmse 0.8700 }
 */
export function withReportSummary<T extends { metrics: Record<string, number> }>(report: T, title: string, detail: string): T {
  Object.defineProperty(report, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => `${title} { ${detail}: ${Object.entries(report.metrics).map(([name, v]) => `${name} ${formatMetric(v)}`).join(', ')} }`,
    enumerable: false,
  });
  return report;
}
