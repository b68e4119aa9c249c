import { escapeHtml } from '../report/escape-html.js';
import type { CompareResult } from './compare-models.js';
import { PROTOCOL_DESCRIPTIONS } from './protocols.js';
import { formatParams, tableColumns } from './compare-table.js';

const ROW = 26;
const LABEL = 110;
const PLOT = 420;
const PAD = 60;

/**
 * `compareModels`' result as one self-contained HTML page (no script, no network): the table,
 * and for every metric with intervals a chart of each model's mean as a dot with its confidence
 * interval drawn as an error bar, best model first. The data is also embedded as JSON
 * (`<script type="application/json" id="compare-data">`).
 * @returns The page.
 * @example
 * writeFileSync('compare.html', compareHtml(result, 'ml-latest-small'));
 */
export function compareHtml(result: CompareResult, source: string): string {
  const pct = Math.round(result.level * 100);
  const metricNames = Object.keys(result.rows[0].intervals);
  const ordered = [result.metric, ...metricNames.filter((m) => m !== result.metric)].filter((m) => metricNames.includes(m));
  const charts = ordered.map((m) => chart(result, m)).join('\n');
  const cols = tableColumns(result);
  const rows = result.rows
    .map((r) => {
      const cells = cols.map((c) => {
        const ci = r.intervals[c];
        return `<td>${fmt(r.metrics[c])}${ci === undefined ? '' : `<br><small>[${fmt(ci.lo)}, ${fmt(ci.hi)}]</small>`}</td>`;
      });
      const paired = r.paired === null ? 'best' : `${fmt(r.paired.meanDifference)} (p ${r.paired.pValue < 1e-4 ? '&lt; 1e-4' : fmt(r.paired.pValue)})`;
      const params = escapeHtml(formatParams(r.params));
      return `<tr><th>${escapeHtml(r.model)}</th>${cells.join('')}<td>${paired}</td><td>${r.fitSeconds.toFixed(1)}</td><td><code>${params}</code></td></tr>`;
    })
    .join('\n');
  const g = result.rows[0].groups;
  const accuracy = result.metric.replace(/\(sampled \d+\)$/, '');
  const k = result.k;
  const groups =
    g === null
      ? ''
      : `<h2>By group</h2><p>Cold users have at most ${g.coldMax} training interactions (${g.cold.users} users; warm ${g.warm.users}). The short head is the ${g.headItems} most popular items (20% of training interactions); the rest is the long tail.</p>
<table><thead><tr><th>model</th><th>${escapeHtml(accuracy)} cold</th><th>${escapeHtml(accuracy)} warm</th><th>recall@${k} head</th><th>recall@${k} tail</th><th>tail share@${k}</th></tr></thead><tbody>
${result.rows
  .map((r) => {
    const x = r.groups as NonNullable<typeof r.groups>;
    return `<tr><th>${escapeHtml(r.model)}</th><td>${fmt(x.cold.metrics[accuracy])}</td><td>${fmt(x.warm.metrics[accuracy])}</td><td>${fmt(x.head.metrics[`recall@${k}`])}</td><td>${fmt(x.tail.metrics[`recall@${k}`])}</td><td>${fmt(x.tail.metrics[`share@${k}`])}</td></tr>`;
  })
  .join('\n')}
</tbody></table>`;
  const json = JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>quiver compare: ${escapeHtml(source)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
small { color: #666; } figure { margin: 1.5em 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
</style></head><body>
<h1>quiver compare: ${escapeHtml(source)}</h1>
<p>Protocol <b>${escapeHtml(result.protocol)}</b>: ${escapeHtml(PROTOCOL_DESCRIPTIONS[result.protocol])}.
${result.data.users.toLocaleString('en-US')} users × ${result.data.items.toLocaleString('en-US')} items; ${result.data.trainRows.toLocaleString('en-US')} training rows, ${result.data.testRows.toLocaleString('en-US')} held out; ${result.data.evaluatedUsers.toLocaleString('en-US')} users evaluated.
${result.search.trials === 0 ? 'Every model with its defaults.' : `Each model tuned by ${result.search.kind === 'random' ? 'random search' : 'Hyperband'} (${result.search.trials} trials and the defaults) on a validation split of the training part, by ${escapeHtml(result.metric)}.`}
Intervals: ${pct}% bootstrap over users. “vs best”: mean per-user difference from the best model and the paired t-test p-value.</p>
<table><thead><tr><th>model</th>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}<th>vs best</th><th>fit s</th><th>params</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${groups}
${charts}
<script type="application/json" id="compare-data">${json}</script>
</body></html>
`;
}

/** One metric: a dot per model at its mean, a horizontal bar from the interval's lo to hi. */
function chart(result: CompareResult, metric: string): string {
  const rows = result.rows;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    const ci = r.intervals[metric];
    if (ci === undefined) continue;
    lo = Math.min(lo, ci.lo);
    hi = Math.max(hi, ci.hi);
  }
  if (!Number.isFinite(lo)) return '';
  const span = hi - lo || Math.abs(hi) || 1;
  const x0 = lo - span * 0.05;
  const x1 = hi + span * 0.05;
  const x = (v: number) => LABEL + ((v - x0) / (x1 - x0)) * PLOT;
  const height = rows.length * ROW + 30;
  const marks = rows
    .map((r, i) => {
      const ci = r.intervals[metric];
      const y = 15 + i * ROW;
      const label = `<text x="${LABEL - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(r.model)}</text>`;
      if (ci === undefined) return label;
      return `${label}<line class="error-bar" x1="${x(ci.lo).toFixed(1)}" x2="${x(ci.hi).toFixed(1)}" y1="${y}" y2="${y}" stroke="#4a78b5" stroke-width="2"/>`
        + `<line x1="${x(ci.lo).toFixed(1)}" x2="${x(ci.lo).toFixed(1)}" y1="${y - 5}" y2="${y + 5}" stroke="#4a78b5"/><line x1="${x(ci.hi).toFixed(1)}" x2="${x(ci.hi).toFixed(1)}" y1="${y - 5}" y2="${y + 5}" stroke="#4a78b5"/>`
        + `<circle cx="${x(r.metrics[metric]).toFixed(1)}" cy="${y}" r="4" fill="#1f3f6e"><title>${escapeHtml(`${r.model}: ${fmt(r.metrics[metric])} [${fmt(ci.lo)}, ${fmt(ci.hi)}]`)}</title></circle>`
        + `<text x="${LABEL + PLOT + 8}" y="${y + 4}" font-size="12" fill="#555">${fmt(r.metrics[metric])}</text>`;
    })
    .join('');
  const axisY = rows.length * ROW + 10;
  const axis = `<line x1="${LABEL}" x2="${LABEL + PLOT}" y1="${axisY}" y2="${axisY}" stroke="#999"/><text x="${LABEL}" y="${axisY + 15}" font-size="11">${fmt(x0)}</text><text x="${LABEL + PLOT}" y="${axisY + 15}" font-size="11" text-anchor="end">${fmt(x1)}</text>`;
  return `<figure><figcaption>${escapeHtml(metric)}</figcaption><svg width="${LABEL + PLOT + PAD}" height="${height}" font-size="13" role="img" aria-label="${escapeHtml(metric)} by model with confidence intervals">${marks}${axis}</svg></figure>`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}
