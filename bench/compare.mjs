// Before / after, side by side in one run (a benchmark, not a test). Build both trees first.
// Usage: node bench/compare.mjs --before DIR [--rounds N] [--quick] [--skip-load] [--epochs N]
//   DIR is another checkout of this repository (e.g. `git worktree add /tmp/before <rev>` then
//   `npm ci && npx turbo run build` in it; a tree older than run.mjs's --results-dir gets its own
//   bench/results.json and RESULTS.md overwritten). Each round runs DIR's bench/run.mjs and this tree's,
//   alternating which goes first, with the same flags; each workload's figure is the best over
//   the rounds (highest rate, lowest time). Writes bench/COMPARE.md and bench/compare.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const beforeDir = opt('--before');
if (beforeDir === undefined) {
  console.error('compare: --before DIR (another built checkout of this repository) is required');
  process.exit(2);
}
const rounds = Number(opt('--rounds', 2));
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`compare: --rounds must be a positive integer, got ${opt('--rounds')}`);
  process.exit(2);
}
// Every other flag goes to bench/run.mjs as it is.
const passOn = args.filter((a, i) => !['--before', '--rounds'].includes(a) && !['--before', '--rounds'].includes(args[i - 1]));
const here = fileURLToPath(new URL('..', import.meta.url));
const trees = { before: resolve(beforeDir), after: here };
const rev = (dir) => execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const revs = { before: rev(trees.before), after: rev(trees.after) };
const scratch = mkdtempSync(join(os.tmpdir(), 'quiver-compare-'));
const runs = { before: [], after: [] };

for (let r = 0; r < rounds; r++) {
  for (const side of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    const script = join(trees[side], 'bench/run.mjs');
    // A tree from before --results-dir existed writes into its own bench/ folder.
    const out = readFileSync(script, 'utf8').includes('--results-dir') ? join(scratch, `${side}-${r}`) : join(trees[side], 'bench');
    console.error(`round ${r + 1}/${rounds}: ${side} (${revs[side]}) …`);
    execFileSync(process.execPath, [script, ...passOn, ...(out.startsWith(scratch) ? ['--results-dir', out] : [])], { cwd: trees[side], stdio: ['ignore', 'ignore', 'inherit'] });
    runs[side].push(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
  }
}
rmSync(scratch, { recursive: true, force: true });

// The same workload across trees: file sizes in a name (`from CSV (522 MB)`) may differ with the data.
const key = (w) => w.replace(/ \(\d+ MB\)/, '');
for (const side of ['before', 'after']) for (const d of runs[side]) for (const x of d.results) x.workload = key(x.workload);
const lowerIsBetter = (unit) => unit === 's' || unit === 's/iteration' || unit === 'x raw';
const best = (side, workload) => {
  const figs = runs[side].map((d) => d.results.find((x) => x.workload === workload)?.figure).filter((x) => x !== undefined);
  return { figs, best: figs.length === 0 ? undefined : lowerIsBetter(unitOf(workload)) ? Math.min(...figs) : Math.max(...figs) };
};
const unitOf = (w) => runs.after[0].results.find((x) => x.workload === w)?.unit ?? runs.before[0].results.find((x) => x.workload === w)?.unit;
const fmt = (x) => (x === undefined ? '—' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toPrecision(3));
const workloads = [...new Set([...runs.before[0].results, ...runs.after[0].results].map((x) => x.workload))];
const rows = workloads.map((w) => {
  const b = best('before', w);
  const a = best('after', w);
  const unit = unitOf(w);
  const ratio = a.best === undefined || b.best === undefined ? undefined : lowerIsBetter(unit) ? b.best / a.best : a.best / b.best;
  return { workload: w, unit, before: b, after: a, ratio };
});
const command = `node bench/compare.mjs ${args.join(' ')}`;
const lines = [
  '# Before / after, one run',
  '',
  `Command: \`${command}\`. Date: ${new Date().toISOString()}. Before: ${revs.before}; after: ${revs.after}.`,
  `Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}. ${rounds} rounds, alternating which tree runs first; best of the rounds.`,
  '"after ÷ before" is the speed ratio (above 1: after is faster; for times and memory it is before ÷ after).',
  '',
  '| workload | before | after | after ÷ before | every round (before; after) |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.workload} | ${fmt(r.before.best)} ${r.unit} | ${fmt(r.after.best)} ${r.unit} | ${r.ratio === undefined ? '—' : r.ratio.toFixed(3)} | ${r.before.figs.map(fmt).join(', ')}; ${r.after.figs.map(fmt).join(', ')} |`),
  '',
];
writeFileSync(join(here, 'bench/COMPARE.md'), lines.join('\n'));
writeFileSync(join(here, 'bench/compare.json'), JSON.stringify({ command, revs, rounds, rows, runs }, null, 2) + '\n');
console.log(lines.join('\n'));
