import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readArrow } from '../arrow/arrow-io.js';
import { readParquet } from '../arrow/parquet-io.js';
import { readCsv } from '../csv/read-csv.js';
import { applyDuplicatePolicy } from '../duplicates.js';
import type { Interactions } from '../interactions.js';
import { generateSynthetic, writeSynthetic } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-data-syn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = { numUsers: 300, numItems: 400, numInteractions: 12_000, rank: 4, seed: 7 };

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) (ma += a[k]), (mb += b[k]);
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) ** 2;
    sbb += (b[k] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('generateSynthetic', () => {
  it('makes exactly numInteractions unique pairs, every user active, seeded', async () => {
    const { interactions: d } = await generateSynthetic(opts);
    expect(d.length).toBe(12_000);
    expect(d.numUsers).toBe(300);
    expect(d.numItems).toBe(400);
    const { merged } = applyDuplicatePolicy('t', { userIds: d.userIds, itemIds: d.itemIds, ratings: null, timestamps: null }, d.userIdMap, d.itemIdMap, 'keep-last');
    expect(merged).toBe(0);
    const deg = d.userDegrees();
    expect(Math.min(...deg)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...deg)).toBeLessThanOrEqual(200);
    const again = (await generateSynthetic(opts)).interactions;
    expect(Array.from(again.itemIds.subarray(0, 50))).toEqual(Array.from(d.itemIds.subarray(0, 50)));
    const other = (await generateSynthetic({ ...opts, seed: 8 })).interactions;
    expect(Array.from(other.itemIds.subarray(0, 50))).not.toEqual(Array.from(d.itemIds.subarray(0, 50)));
    for (const r of d.ratings!) expect(r >= 0.5 && r <= 5 && Number.isInteger(r * 2)).toBe(true);
  });

  it('item degrees follow the planted Zipf popularity', async () => {
    const { interactions: d, itemPopularity } = await generateSynthetic({ ...opts, zipfExponent: 1.2 });
    // rank correlation proxy: log-degree vs log-popularity
    const deg = d.itemDegrees();
    const logDeg = Array.from(deg, (x) => Math.log(x + 1));
    const logPop = Array.from(itemPopularity, (x) => Math.log(x));
    expect(pearson(logDeg, logPop)).toBeGreaterThan(0.8);
    const flat = (await generateSynthetic({ ...opts, zipfExponent: 0 })).interactions.itemDegrees();
    expect(Math.max(...flat) / (12_000 / 400)).toBeLessThan(Math.max(...deg) / (12_000 / 400));
  });

  it('ratings and item choice carry the planted low-rank structure', async () => {
    const { interactions: d, userFactors, itemFactors } = await generateSynthetic({ ...opts, noise: 0.3 });
    const dots = new Float64Array(d.length);
    for (let k = 0; k < d.length; k++) {
      let s = 0;
      for (let f = 0; f < 4; f++) s += userFactors[d.userIds[k] * 4 + f] * itemFactors[d.itemIds[k] * 4 + f];
      dots[k] = s;
    }
    expect(pearson(dots, d.ratings!)).toBeGreaterThan(0.7);
    // chosen items have higher affinity than items chosen at random (mean dot of random pairs ~ 0)
    expect(dots.reduce((a, b) => a + b, 0) / d.length).toBeGreaterThan(0.3);
  });

  it('checks its options', async () => {
    await expect(generateSynthetic({ numUsers: 10, numItems: 4, numInteractions: 21 })).rejects.toThrow(/generateSynthetic: options.numInteractions must be in \[10, 20\] \(every user gets at least one item and at most half of the items\), got 21/);
    await expect(generateSynthetic({ numUsers: 10, numItems: 4, numInteractions: 9 })).rejects.toThrow(/must be in \[10, 20\]/);
    await expect(generateSynthetic({ numUsers: 0, numItems: 4, numInteractions: 9 })).rejects.toThrow(/options.numUsers must be a positive integer, got 0/);
    await expect(generateSynthetic({ ...opts, zipfExponent: -1 })).rejects.toThrow(/options.zipfExponent must be >= 0, got -1/);
    await expect(generateSynthetic({ ...opts, noise: -1 })).rejects.toThrow(/options.noise must be >= 0, got -1/);
    await expect(generateSynthetic(undefined as never)).rejects.toThrow(/options must be an object with numUsers, numItems and numInteractions/);
    await expect(generateSynthetic({ ...opts, zipf: 2 } as never)).rejects.toThrow(/^generateSynthetic: unknown option "zipf"; the options are "numUsers", /);
    await expect(generateSynthetic({ ...opts, format: 'csv' } as never)).rejects.toThrow(/^generateSynthetic: unknown option "format"/);
    // a steep Zipf with users taking half the catalogue still terminates
    const steep = await generateSynthetic({ numUsers: 3, numItems: 40, numInteractions: 60, zipfExponent: 3 });
    expect(steep.interactions.length).toBe(60);
  });
});

describe('writeSynthetic', () => {
  const same = (a: Interactions, b: Interactions) => {
    expect(b.length).toBe(a.length);
    for (let k = 0; k < a.length; k += 97) {
      expect(b.userIdMap.toRaw(b.userIds[k])).toBe(a.userIds[k]);
      expect(b.itemIdMap.toRaw(b.itemIds[k])).toBe(a.itemIds[k]);
      expect(b.ratings![k]).toBe(a.ratings![k]);
      expect(b.timestamps![k]).toBe(a.timestamps![k]);
    }
  };
  it('writes the same rows as generateSynthetic in every format', async () => {
    const { interactions } = await generateSynthetic(opts);
    for (const ext of ['csv', 'tsv', 'dat', 'arrow', 'parquet']) {
      const p = join(dir, `s.${ext}`);
      const res = await writeSynthetic(p, { ...opts, chunkRows: 1000 });
      expect(res.rows).toBe(12_000);
      const back = ext === 'arrow' ? await readArrow(p) : ext === 'parquet' ? await readParquet(p) : await readCsv(p);
      same(interactions, back);
    }
    await expect(writeSynthetic(join(dir, 's.xlsx'), opts)).rejects.toThrow(/writeSynthetic: path must end in .csv, .tsv, .dat, .arrow, .feather or .parquet \(or pass options.format\), got ".*s.xlsx"/);
    await expect(writeSynthetic(join(dir, 'nope', 's.csv'), opts)).rejects.toThrow(/writeSynthetic: cannot write .*nope\/s.csv/);
    await expect(writeSynthetic(join(dir, 'nope', 's.arrow'), opts)).rejects.toThrow(/writeSynthetic: cannot write .*nope\/s.arrow/);
    await expect(writeSynthetic(join(dir, 'nope', 's.parquet'), opts)).rejects.toThrow(/writeSynthetic: cannot write .*nope\/s.parquet/);
    await expect(writeSynthetic(join(dir, 's.csv'), { ...opts, chunkRows: 0 })).rejects.toThrow(/options.chunkRows must be a positive integer, got 0/);
    await expect(writeSynthetic(join(dir, 's.csv'), { ...opts, chunkSize: 10 } as never)).rejects.toThrow(/^writeSynthetic: unknown option "chunkSize"; the options are .*"format", "chunkRows"/);
    // options.format overrides the extension: the file is tab-separated and reads back the same rows.
    const out = join(dir, 'data.out');
    const r = await writeSynthetic(out, { ...opts, format: 'tsv' });
    expect(r.bytes).toBe(statSync(out).size);
    expect(readFileSync(out, 'utf8').split('\n', 1)[0]).toContain('\t');
    same(interactions, await readCsv(out));
  });
});
