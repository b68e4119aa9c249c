// Opens a report in a real browser (Debian's headless Chromium, driven by playwright-core):
// the page must load without console errors, every chart must have drawn marks, hovering a
// point of the embedding map must show that item's title, and a screenshot is written.
// Without /usr/bin/chromium the test is skipped locally and FAILS under CI=true (.ci/run
// installs the package when it is missing).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic, randomSplit } from '@quiver/data';
import { BiasedMF } from '@quiver/mf';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/report.js';
import { train } from '../src/trainer.js';

// Minimal shapes of the browser globals used inside page.evaluate (this package compiles without the DOM lib).
interface Canvas {
  id: string;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  getBoundingClientRect(): { left: number; top: number };
  scrollIntoView(): void;
}
interface ChartLike {
  data: { datasets: { data: unknown[]; labels: string[] }[] };
  getDatasetMeta(i: number): { data: { x: number; y: number }[] };
  tooltip: { opacity: number; body: { lines: string[] }[] };
}
interface PageGlobals {
  document: { body: { dataset: Record<string, string> }; querySelectorAll(s: string): Iterable<Canvas>; getElementById(id: string): Canvas };
  Chart: { getChart(c: Canvas): ChartLike | undefined };
}

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const skip = !haveChromium && !inCi;
const SKIP_REASON = `${CHROMIUM} is missing (install Debian's chromium package: apt-get install -y chromium; under CI=true this is a failure)`;
if (skip) process.stderr.write(`report-browser.test.ts: skipped: ${SKIP_REASON}\n`);

describe.skipIf(skip)(skip ? `report in headless Chromium (skipped: ${SKIP_REASON})` : 'report in headless Chromium', () => {
  // Created only when the test runs, so a skipped run leaves no empty folder behind.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-report-browser-'));
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('loads without console errors, draws every chart, shows titles on hover, and screenshots', async () => {
    if (!haveChromium) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does this when it is absent`);
    }
    const { interactions } = await generateSynthetic({ numUsers: 300, numItems: 200, numInteractions: 8000, seed: 5 });
    const split = randomSplit(interactions, { testFraction: 0.2, seed: 5 });
    const titles = Array.from({ length: 200 }, (_, i) => `Film number ${i} (${1950 + (i % 70)})`);
    const genres = Array.from({ length: 200 }, (_, i) => [['Drama', 'Comedy', 'Horror', 'Sci-Fi'][i % 4]]);
    const model = new BiasedMF({ factors: 8, epochs: 5, seed: 1 });
    const history = train(model, split.train, { validationData: split.test });
    const htmlPath = join(dir, 'report.html');
    await writeReport(htmlPath, history, model, { train: split.train, test: split.test, titles, genres, metrics: { rmse: 1 } });
    expect(readFileSync(htmlPath, 'utf8').length).toBeGreaterThan(200_000);

    const profile = mkdtempSync(join(dir, 'profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${htmlPath}`);
      await page.waitForSelector('body[data-charts]');
      expect(problems).toEqual([]);
      expect(requests).toEqual([]); // self-contained: nothing fetched

      // loss + val_rmse + val_mae + ratings + embedding
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.dataset.charts)).toBe('5');
      const charts = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return [...w.document.querySelectorAll('canvas')].map((c) => {
          const chart = w.Chart.getChart(c);
          const ctx = c.getContext('2d');
          const px = ctx.getImageData(0, 0, c.width, c.height).data;
          let inked = 0; // pixels that are neither transparent nor white
          for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) inked++;
          return { id: c.id, points: chart ? chart.data.datasets.reduce((s, d) => s + d.data.length, 0) : 0, inked };
        });
      });
      expect(charts.map((c) => c.id)).toEqual(['chart-loss', 'chart-metric-0', 'chart-metric-1', 'chart-ratings', 'chart-embedding']);
      for (const c of charts) {
        expect(c.points, c.id).toBeGreaterThan(0);
        expect(c.inked, c.id).toBeGreaterThan(2000);
      }
      expect(charts[4].points).toBe(200);

      // Hover the first point of the embedding map: the tooltip names that film.
      const target = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const canvas = w.document.getElementById('chart-embedding');
        canvas.scrollIntoView();
        const chart = w.Chart.getChart(canvas)!;
        const el = chart.getDatasetMeta(0).data[0];
        const box = canvas.getBoundingClientRect();
        return { x: box.left + el.x, y: box.top + el.y, label: chart.data.datasets[0].labels[0] };
      });
      await page.mouse.move(target.x, target.y);
      const tooltip = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const t = w.Chart.getChart(w.document.getElementById('chart-embedding'))!.tooltip;
        return { opacity: t.opacity, lines: t.body.flatMap((b) => b.lines) };
      });
      expect(tooltip.opacity).toBe(1);
      expect(tooltip.lines.join(' ')).toContain(target.label.split(' — ')[0]);
      expect(target.label).toMatch(/^Film number \d+ \(\d{4}\) — (Drama|Comedy|Horror|Sci-Fi)$/);

      const shot = join(process.env.QUIVER_SCREENSHOT_DIR ?? dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(50_000);
    } finally {
      await context.close();
    }
  });
});
