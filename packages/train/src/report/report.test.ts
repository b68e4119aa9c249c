import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic, randomSplit } from '@quiver/data';
import { ALS, BiasedMF, Popularity } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { History } from '../history.js';
import { train } from '../trainer.js';
import { pca } from './pca.js';
import { report, writeReport } from './report.js';
import type { ReportPayload } from './report-payload.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function payloadOf(html: string): ReportPayload {
  const m = /<script id="quiver-report-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (m === null) throw new Error('no data block');
  return JSON.parse(m[1]) as ReportPayload;
}

let split: Awaited<ReturnType<typeof randomSplit>>;
let titles: string[];
let genres: string[][];
beforeAll(async () => {
  const { interactions } = await generateSynthetic({ numUsers: 120, numItems: 60, numInteractions: 3000, seed: 3 });
  split = randomSplit(interactions, { testFraction: 0.2, seed: 1 });
  titles = Array.from({ length: 60 }, (_, i) => (i === 7 ? 'Evil </script><b>x</b>' : `Movie ${i}`));
  genres = Array.from({ length: 60 }, (_, i) => (i % 10 === 0 ? [] : [['Drama', 'Comedy', 'Action'][i % 3], 'Romance']));
});

describe('report', () => {
  it('embeds per-epoch curves, the rating histogram and the PCA map of an explicit model', () => {
    const model = new BiasedMF({ factors: 4, epochs: 3, seed: 1 });
    const history = train(model, split.train, { validationData: split.test });
    const html = report(history, model, { train: split.train, test: split.test, titles, genres, metrics: { rmse: 0.9 } }, { maxItems: 40, maxGenres: 3 });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Chart.js v4.6.1'); // the library is inlined, no <script src>
    expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html).not.toContain('Evil </script>'); // a title cannot close the data block
    const p = payloadOf(html);
    expect(p.epochs).toEqual([1, 2, 3]);
    expect(p.loss).toEqual(history.loss.map((x) => x));
    expect(Object.keys(p.metrics).sort()).toEqual(['val_mae', 'val_rmse']);
    expect(p.summary[0]).toEqual(['rmse', '0.9000']);

    // Histogram: every test rating counted once in "actual", every prediction once in "predicted".
    const r = p.ratings!;
    const ratings = split.test.ratings!;
    expect(r.count).toBe(ratings.length);
    expect(r.actual.reduce((a, b) => a + b, 0)).toBe(ratings.length);
    expect(r.predicted.reduce((a, b) => a + b, 0)).toBe(ratings.length);
    const lo = Math.min(...ratings);
    const b0 = r.centers.indexOf(lo);
    expect(r.actual[b0]).toBe(ratings.filter((x) => x === lo).length);
    const preds = model.predict(split.test.userIds, split.test.itemIds);
    const bin3 = r.centers.indexOf(3);
    expect(r.predicted[bin3]).toBe([...preds].filter((x) => Math.round((x - lo) / 0.5) === Math.round((3 - lo) / 0.5)).length);

    // The 40 most-rated training items, projected exactly as pca() on their factor rows.
    const e = p.embedding!;
    expect(e.x).toHaveLength(40);
    const counts = new Array(60).fill(0);
    for (const i of split.train.itemIds) counts[i]++;
    const top = [...counts.keys()].sort((a, b) => counts[b] - counts[a] || a - b).slice(0, 40).sort((a, b) => a - b);
    const w = model.getState()['item_embedding.weight'];
    const rows = new Float32Array(40 * 4);
    top.forEach((i, r2) => rows.set(w.data.subarray(i * 4, i * 4 + 4), r2 * 4));
    const ref = pca(rows, 40, 4, 2);
    expect(e.x[5]).toBeCloseTo(ref.projected[10], 4);
    expect(e.y[5]).toBeCloseTo(ref.projected[11], 4);
    expect(e.labels[5]).toContain(titles[top[5]]);
    // 3 colours: the two most frequent first genres, then "other" (which holds the no-genre items).
    expect(e.groupNames).toHaveLength(3);
    expect(e.groupNames[2]).toBe('other');
    const noGenre = top.indexOf(10);
    if (noGenre >= 0) expect(e.group[noGenre]).toBe(2);
  });

  it('explains missing sections instead of drawing empty charts', () => {
    const als = new ALS({ factors: 3, epochs: 2 });
    const h1 = train(als, split.train);
    const p1 = payloadOf(report(h1, als, { test: split.test }));
    expect(p1.ratings).toBeNull();
    expect(p1.ratingsNote).toBe('als ranks items; it does not predict ratings.');
    expect(p1.embedding!.groupNames).toEqual(['items']);
    expect(p1.embedding!.labels[0]).toBe('item 0');

    const pop = new Popularity();
    const h2 = train(pop, split.train);
    const html = report(h2, pop);
    const p2 = payloadOf(html);
    expect(p2.embedding).toBeNull();
    expect(p2.embeddingNote).toBe('popularity has no item embeddings (with at least 2 factors) to project.');
    expect(html).toContain('No per-epoch metrics: train with validation data to get them.');
  });

  it('writes the same page to a file', async () => {
    const model = new BiasedMF({ factors: 2, epochs: 1 });
    const h = train(model, split.train);
    const path = join(dir, 'r.html');
    await writeReport(path, h, model, { test: split.test }, { title: 'My <run>' });
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<title>My &lt;run&gt;</title>');
    expect(payloadOf(html).title).toBe('My <run>');
  });

  it('rejects bad arguments', async () => {
    const model = new BiasedMF({ factors: 2, epochs: 1 });
    const h = train(model, split.train);
    expect(() => report({} as never, model)).toThrow(/^report: history must be a History \(from train\(\) or Trainer.fit\), got object$/);
    expect(() => report(new History(), {} as never)).toThrow(/^report: model must be a fitted model with kind and predict\(\), got object$/);
    expect(() => report(h, model, null as never)).toThrow(/^report: data must be an object, got null$/);
    expect(() => report(h, model, { tset: 1 } as never)).toThrow(/report data: unknown option "tset"/);
    expect(() => report(h, model, {}, { maxItems: 0 })).toThrow(/report: maxItems must be a positive integer, got 0/);
    expect(() => report(h, model, {}, { title: 3 as never })).toThrow(/report: title must be a string, got 3/);
    await expect(writeReport('', h, model)).rejects.toThrow(/writeReport: path must be a non-empty string, got ""/);
  });
});
