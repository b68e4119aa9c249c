// `quiver train --report FILE` and the terminal loss curve, run through the built CLI.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quiver } from './run-quiver.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const payload = (html: string) => JSON.parse(/<script id="quiver-report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);

let csv = '';
beforeAll(() => {
  // 30 users × 20 items, ratings from a rank-1 taste structure, about 2/3 of pairs observed.
  const lines = ['userId,movieId,rating'];
  for (let u = 0; u < 30; u++) {
    for (let i = 0; i < 20; i++) {
      if ((u * 7 + i * 3) % 3 === 0) continue;
      const r = Math.min(5, Math.max(1, Math.round(3 + ((u % 5) - 2) * ((i % 4) - 1.5) * 0.5)));
      lines.push(`${u + 1},${i + 100},${r}`);
    }
  }
  csv = join(dir, 'ratings.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
});

describe('quiver train --report', () => {
  it('writes the HTML report with per-epoch test curves and prints a loss curve on stderr', async () => {
    const out = join(dir, 'report.html');
    const r = await quiver('train', '--data', csv, '--epochs', '4', '--factors', '3', '--report', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/training loss per epoch \(1 → 4\):\n(\s+\d\.\d+ [┤┼].*\n){2,}/);
    expect(r.stderr).toContain(`quiver: wrote the report to ${out}`);
    const html = readFileSync(out, 'utf8');
    const p = payload(html);
    expect(p.epochs).toEqual([1, 2, 3, 4]);
    expect(Object.keys(p.metrics).sort()).toEqual(['val_mae', 'val_rmse']);
    expect(p.ratings.actual.reduce((a: number, b: number) => a + b, 0)).toBe(p.ratings.count);
    expect(p.embedding.x).toHaveLength(20);
    // The final val_rmse is the reported test RMSE (same model, same test part).
    const testRmse = Number(/test RMSE (\d\.\d{4})/.exec(r.stderr)![1]);
    expect(p.metrics.val_rmse[3]).toBeCloseTo(testRmse, 4);
  });

  it('works for implicit models, keeps --json output clean, and reports an unwritable path', async () => {
    const out = join(dir, 'als.html');
    const r = await quiver('train', '--data', csv, '--model', 'als', '--epochs', '2', '--factors', '2', '--relevant-min', '4', '--report', out, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).report).toBe(out);
    const p = payload(readFileSync(out, 'utf8'));
    expect(p.ratings).toBeNull();
    expect(Object.keys(p.metrics)).toContain('val_ndcg@10');

    // A folder under a file cannot be created: refused before training, in one line.
    const bad = join(csv, 'sub', 'r.html');
    const e = await quiver('train', '--data', csv, '--epochs', '1', '--report', bad);
    expect(e.code).toBe(1);
    expect(e.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^quiver train: cannot write --report .*sub\/r\.html: ENOTDIR/)]);
    expect(existsSync(bad)).toBe(false);
    // A missing folder is created, as for --out.
    const nested = join(dir, 'reports', 'deep', 'r.html');
    expect((await quiver('train', '--data', csv, '--epochs', '1', '--factors', '2', '--report', nested)).code).toBe(0);
    expect(existsSync(nested)).toBe(true);
  });
});
