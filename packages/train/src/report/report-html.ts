import { escapeHtml } from './escape-html.js';
import type { ReportPayload } from './report-payload.js';

/** JSON that is safe inside `<script type="application/json">` (no `<`, U+2028/2029 escaped). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// The page's own script: draws every chart from the embedded JSON with Chart.js, no network.
// It sets document.body.dataset.charts to the number of charts drawn (the browser test reads it).
const PAGE_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('quiver-report-data').textContent);
  var palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#17becf','#bcbd22','#7f7f7f','#393b79','#e7969c','#637939','#ad494a','#3182bd','#a55194','#6b6ecf','#b5cf6b','#fd8d3c','#9c9ede'];
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, sans-serif';
  var drawn = 0;
  function line(id, label, values, color) {
    new Chart(document.getElementById(id), {
      type: 'line',
      data: { labels: data.epochs, datasets: [{ label: label, data: values, borderColor: color, backgroundColor: color, pointRadius: data.epochs.length > 60 ? 0 : 3, spanGaps: true }] },
      options: { responsive: false, plugins: { legend: { display: false }, title: { display: true, text: label } },
        scales: { x: { title: { display: true, text: 'epoch' } }, y: { title: { display: true, text: label } } } }
    });
    drawn++;
  }
  line('chart-loss', 'training loss', data.loss, palette[0]);
  var names = Object.keys(data.metrics);
  var box = document.getElementById('metric-charts');
  names.forEach(function (name, i) {
    var c = document.createElement('canvas');
    c.id = 'chart-metric-' + i; c.width = 460; c.height = 300; c.className = 'chart';
    box.appendChild(c);
    line(c.id, name, data.metrics[name], palette[(i + 1) % palette.length]);
  });
  if (data.ratings) {
    new Chart(document.getElementById('chart-ratings'), {
      type: 'bar',
      data: { labels: data.ratings.centers, datasets: [
        { label: 'actual', data: data.ratings.actual, backgroundColor: 'rgba(31,119,180,0.75)' },
        { label: 'predicted', data: data.ratings.predicted, backgroundColor: 'rgba(255,127,14,0.75)' } ] },
      options: { responsive: false, plugins: { title: { display: true, text: 'test ratings: actual vs predicted' } },
        scales: { x: { title: { display: true, text: 'rating' } }, y: { title: { display: true, text: 'count' } } } }
    });
    drawn++;
  }
  if (data.embedding) {
    var e = data.embedding;
    var sets = e.groupNames.map(function (g, k) {
      return { label: g, data: [], labels: [], pointRadius: 2.5, pointHoverRadius: 5,
        backgroundColor: palette[k % palette.length] + 'b0', borderWidth: 0 };
    });
    for (var i = 0; i < e.x.length; i++) {
      var s = sets[e.group[i]];
      s.data.push({ x: e.x[i], y: e.y[i] });
      s.labels.push(e.labels[i]);
    }
    new Chart(document.getElementById('chart-embedding'), {
      type: 'scatter',
      data: { datasets: sets },
      options: { responsive: false, interaction: { mode: 'nearest', intersect: true },
        plugins: { title: { display: true, text: 'item embeddings (PCA)' }, legend: { position: 'right' },
          tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.labels[ctx.dataIndex]; } } } },
        scales: { x: { title: { display: true, text: 'PC 1 (' + (100 * e.explained[0]).toFixed(1) + '%)' } },
                  y: { title: { display: true, text: 'PC 2 (' + (100 * e.explained[1]).toFixed(1) + '%)' } } } }
    });
    drawn++;
  }
  document.body.dataset.charts = String(drawn);
})();
`;

/**
 * The complete, self-contained page: styles, the data as JSON, the plotting library and the
 * page script are all inline (no network access when it is opened).
 */
export function renderReportHtml(payload: ReportPayload, libraryJs: string): string {
  const rows = payload.summary.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const section = (id: string, heading: string, body: string) => `<section id="${id}"><h2>${escapeHtml(heading)}</h2>${body}</section>`;
  const note = (text: string | null) => (text === null || text === '' ? '' : `<p class="note">${escapeHtml(text)}</p>`);
  const hasMetrics = Object.keys(payload.metrics).length > 0;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(payload.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { margin-bottom: 0; } .sub { color: #555; margin-top: 4px; }
table { border-collapse: collapse; margin: 12px 0; } th, td { text-align: left; padding: 3px 14px 3px 0; border-bottom: 1px solid #eee; }
th { font-weight: 600; } section { margin-top: 28px; } .note { color: #555; font-size: 0.9em; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } canvas.chart { border: 1px solid #eee; }
</style>
</head>
<body>
<h1>${escapeHtml(payload.title)}</h1>
<p class="sub">${escapeHtml(payload.subtitle)}${payload.source === null ? '' : ` · ${escapeHtml(payload.source)}`}</p>
<table id="summary">${rows}</table>
${section('curves', 'Training curves', `<div class="charts" id="metric-charts"><canvas id="chart-loss" class="chart" width="460" height="300"></canvas></div>${hasMetrics ? note(payload.metricsNote) : note('No per-epoch metrics: train with validation data to get them.')}`)}
${section('ratings', 'Predicted vs actual ratings', payload.ratings === null ? note(payload.ratingsNote) : `<canvas id="chart-ratings" class="chart" width="700" height="320"></canvas>${note(payload.ratingsNote)}`)}
${section('embedding', 'Item embeddings', payload.embedding === null ? note(payload.embeddingNote) : `<canvas id="chart-embedding" class="chart" width="1050" height="640"></canvas>${note(`${payload.embeddingNote} Hover a point for its title.`)}`)}
<script id="quiver-report-data" type="application/json">${scriptJson(payload)}</script>
<script>${libraryJs}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
