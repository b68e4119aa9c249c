import type { CompareResult } from './compare-models.js';
import { PROTOCOL_DESCRIPTIONS } from './protocols.js';

/**
 * The metrics shown as columns of the terminal table: the ranking metric first (with its
 * interval), then accuracy, then what the lists are like. Every other metric is in the JSON and
 * the HTML report.
 * @returns Metric names present in the result, in column order.
 * @example
 * tableColumns(result); // ['ndcg@10', 'recall@10', 'precision@10', 'auc', 'coverage@10', 'novelty@10', 'gini@10']
 */
export function tableColumns(result: CompareResult): string[] {
  const { k, metric } = result;
  const names = Object.keys(result.rows[0].metrics);
  const wanted = [metric, ...names.filter((n) => n !== metric && (n.startsWith(`recall@${k}`) || n.startsWith(`precision@${k}`) || n.startsWith(`hitRate@${k}`) || n === 'auc')), `coverage@${k}`, `novelty@${k}`, `diversity@${k}`, `gini@${k}`];
  return [...new Set(wanted)].filter((n) => names.includes(n));
}

/**
 * `compareModels`' result as the text table `quiver compare` prints: one header block that says
 * what was measured and how, then one line per model, best first, with the ranking metric's
 * confidence interval and the paired test against the best model.
 * @returns Lines ending in a newline.
 * @example
 * process.stdout.write(formatCompareTable(result, 'ml-latest-small'));
 */
export function formatCompareTable(result: CompareResult, source: string): string {
  const { metric, level } = result;
  const d = result.data;
  const pct = Math.round(level * 100);
  const lines: string[] = [];
  lines.push(`${source}: ${d.users.toLocaleString('en-US')} users × ${d.items.toLocaleString('en-US')} items; protocol ${result.protocol}: ${PROTOCOL_DESCRIPTIONS[result.protocol]}`);
  lines.push(`train ${d.trainRows.toLocaleString('en-US')} rows, held out ${d.testRows.toLocaleString('en-US')}; ${d.evaluatedUsers.toLocaleString('en-US')} users evaluated`);
  lines.push(
    result.search.trials === 0
      ? 'every model with its defaults (no tuning)'
      : `each model tuned by ${result.search.kind === 'random' ? 'random search' : 'Hyperband'} (${result.search.trials} trials + the defaults) on a validation split of the training part, by ${metric}`,
  );
  lines.push(`[lo, hi]: ${pct}% bootstrap interval over users; vs best: mean difference per user, paired t-test p-value`);
  lines.push('');
  const cols = tableColumns(result);
  const header = ['model', `${metric} [${pct}% CI]`, ...cols.slice(1), 'vs best (p)', 'fit s', 'params'];
  const body = result.rows.map((r) => {
    const ci = r.intervals[metric];
    const first = `${fmt(r.metrics[metric])} ${ci === undefined ? '' : `[${fmt(ci.lo)}, ${fmt(ci.hi)}]`}`;
    const paired = r.paired === null ? 'best' : `${r.paired.meanDifference >= 0 ? '+' : ''}${fmt(r.paired.meanDifference)} (${fmtP(r.paired.pValue)})`;
    const params = formatParams(r.params);
    return [r.model, first, ...cols.slice(1).map((c) => fmt(r.metrics[c])), paired, r.fitSeconds.toFixed(1), params];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  lines.push(line(header));
  for (const row of body) lines.push(line(row));
  const g = result.rows[0].groups;
  if (g !== null) {
    const k = result.k;
    const accuracy = result.metric.replace(/\(sampled \d+\)$/, '');
    lines.push('');
    lines.push(`by group: cold users have at most ${g.coldMax} training interactions (${g.cold.users.toLocaleString('en-US')} users; warm ${g.warm.users.toLocaleString('en-US')}); the short head is the ${g.headItems.toLocaleString('en-US')} most popular items (20% of training interactions), the rest is the long tail`);
    lines.push('');
    const gHeader = ['model', `${accuracy} cold`, `${accuracy} warm`, `recall@${k} head`, `recall@${k} tail`, `tail share@${k}`];
    const gBody = result.rows.map((r) => {
      const x = r.groups as NonNullable<typeof r.groups>;
      return [r.model, fmt(x.cold.metrics[accuracy]), fmt(x.warm.metrics[accuracy]), fmt(x.head.metrics[`recall@${k}`]), fmt(x.tail.metrics[`recall@${k}`]), fmt(x.tail.metrics[`share@${k}`])];
    });
    const gw = gHeader.map((h, c) => Math.max(h.length, ...gBody.map((row) => row[c].length)));
    const gLine = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(gw[c]))).join('  ');
    lines.push(gLine(gHeader));
    for (const row of gBody) lines.push(gLine(row));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A model's tuned options for the table: `name=value` with numbers to 3 significant digits, or
 * `defaults` when the defaults won.
 * @returns One line.
 * @example
 * formatParams({ factors: 66, reg: 24.1193 }); // 'factors=66 reg=24.1'
 */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? 'defaults' : entries.map(([key, v]) => `${key}=${typeof v === 'number' ? +v.toPrecision(3) : JSON.stringify(v)}`).join(' ');
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

function fmtP(p: number): string {
  return !Number.isFinite(p) ? String(p) : p < 1e-4 ? 'p<1e-4' : `p=${p.toFixed(4)}`;
}
