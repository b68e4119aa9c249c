// Benchmark of @quiver/data on a generated file (not a timed test). Runs against dist/:
//   npm run build -w @quiver/data && npm run bench -w @quiver/data [-- --rows 20000000 --dir /tmp]
// Each load runs in its own child process so that its peak resident memory (VmHWM) is its own.
// Options: --rows N (default 20,000,000), --dir D (default /tmp/quiver-data-bench), --keep 1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssBytes } from './peak-rss.mjs';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const args = process.argv.slice(2);
const arg = (name, def) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : def;
};

if (arg('child') !== undefined) {
  // Child mode: load one file, print JSON with time and peak RSS.
  const m = await import(dist);
  const kind = arg('child');
  const path = arg('path');
  const baseRss = peakRssBytes();
  const t0 = performance.now();
  const data = kind === 'csv' ? await m.readCsv(path) : kind === 'arrow' ? await m.readArrow(path) : await m.readParquet(path);
  const seconds = (performance.now() - t0) / 1000;
  const peakRss = peakRssBytes();
  const columnBytes = data.userIds.byteLength + data.itemIds.byteLength + (data.ratings?.byteLength ?? 0) + (data.timestamps?.byteLength ?? 0);
  const out = { kind, rows: data.length, seconds, peakRss, baseRss, columnBytes };
  if (arg('write') === '1') {
    await m.writeArrow(data, path.replace(/\.csv$/, '.arrow'));
    await m.writeParquet(data, path.replace(/\.csv$/, '.parquet'), { compression: 'snappy' });
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

const rows = Number(arg('rows', '20000000'));
const dir = arg('dir', '/tmp/quiver-data-bench');
mkdirSync(dir, { recursive: true });
const csv = join(dir, `synthetic-${rows}.csv`);
const m = await import(dist);
const numUsers = Math.max(1, Math.round(rows / 100));
const numItems = Math.max(2, Math.round(rows / 400));
if (!existsSync(csv)) {
  const t0 = performance.now();
  await m.writeSynthetic(csv, { numUsers, numItems, numInteractions: rows, rank: 8, zipfExponent: 1, seed: 1 });
  console.log(`generated ${csv} (${rows} rows, ${numUsers} users, ${numItems} items) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const child = (kind, path, write = false) =>
  JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', kind, '--path', path, '--write', write ? '1' : '0'], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop());

const mb = (b) => (b / 1e6).toFixed(0);
const csvBytes = statSync(csv).size;
// The machine may be shared: load the CSV three times and report the best and the median.
const runs = [child('csv', csv, true), child('csv', csv), child('csv', csv)].sort((a, b) => a.seconds - b.seconds);
const r = runs[0];
console.log(`CSV runs: ${runs.map((x) => x.seconds.toFixed(2)).join(' s, ')} s (median ${(csvBytes / 1e6 / runs[1].seconds).toFixed(0)} MB/s)`);
const mem = (x) => `peak RSS ${mb(x.peakRss)} MB (${mb(x.baseRss)} MB before loading) = ${(x.peakRss / x.columnBytes).toFixed(2)} x columns, ${((x.peakRss - x.baseRss) / x.columnBytes).toFixed(2)} x above baseline (columns ${mb(x.columnBytes)} MB)`;
console.log(`CSV      ${mb(csvBytes)} MB, ${r.rows} rows: ${r.seconds.toFixed(2)} s = ${(csvBytes / 1e6 / r.seconds).toFixed(0)} MB/s, ${(r.rows / r.seconds / 1e6).toFixed(2)} M rows/s; ${mem(r)}`);
for (const kind of ['arrow', 'parquet']) {
  const path = csv.replace(/\.csv$/, `.${kind}`);
  const s = [child(kind, path), child(kind, path)].sort((a, b) => a.seconds - b.seconds)[0];
  console.log(`${kind.padEnd(8)} ${mb(statSync(path).size)} MB, ${s.rows} rows: ${s.seconds.toFixed(2)} s; ${mem(s)}`);
}
console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (arg('keep') !== '1') rmSync(dir, { recursive: true, force: true });
