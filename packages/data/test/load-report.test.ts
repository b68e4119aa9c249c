import { Schema, Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { fromArrays, fromTable, loadInteractions, loadMovieLens, parseCsv, readArrow, readCsv, readParquet, writeArrow, writeParquet } from '../src/index.js';
import type { Interactions } from '../src/index.js';

const tmp = makeTmpDir('report');
afterAll(() => tmp.cleanup());

/** Every loader path reports how many rows its duplicate policy merged (the CLI prints it). */
const merged = (d: Interactions) => d.report?.duplicatesMerged;

describe('report.duplicatesMerged is set by every loader path', () => {
  it('CSV (readCsv, parseCsv, loadInteractions), fromArrays', async () => {
    const text = 'user,item,rating\n1,2,3\n1,2,4\n2,2,5\n';
    expect(merged(await readCsv(tmp.write('d.csv', text)))).toBe(1);
    expect(merged(parseCsv(text))).toBe(1);
    expect(merged(await loadInteractions(tmp.write('d.base', text)))).toBe(1);
    expect(merged(fromArrays({ userIds: [1, 1, 1], itemIds: [2, 2, 2] }, { duplicates: 'sum' }))).toBe(2);
    expect(merged(fromArrays({ userIds: [1], itemIds: [2] }))).toBe(0);
  });

  it('Arrow and Parquet, from tables written by others and by Quiver (with and without the unique-pairs flag)', async () => {
    const t = tableFromArrays({ user: new Int32Array([7, 7, 8]), item: new Int32Array([1, 1, 2]) });
    expect(merged(fromTable(t))).toBe(1);
    expect(merged(await readArrow(tmp.write('o.arrow', tableToIPC(t, 'stream'))))).toBe(1);
    const pq = tmp.write('o.parquet', '');
    await writeParquet(t, pq);
    expect(merged(await readParquet(pq))).toBe(1);
    const d = fromArrays({ userIds: ['a', 'b'], itemIds: [1, 1], ratings: [2, 3] });
    const q = tmp.write('q.arrow', '');
    await writeArrow(d, q);
    expect(merged(await readArrow(q))).toBe(0);
    const qp = tmp.write('q.parquet', '');
    await writeParquet(d, qp);
    expect(merged(await loadInteractions(qp))).toBe(0);
    // Quiver columns without the flag (e.g. a table appended to by hand) go through the policy.
    const own = d.table;
    const meta = new Map([
      ['quiver.userIdMap', JSON.stringify(d.userIdMap)],
      ['quiver.itemIdMap', JSON.stringify(d.itemIdMap)],
    ]);
    const doubled = own.concat(own);
    const noFlag = new Table(new Schema(doubled.schema.fields, meta), doubled.batches);
    const back = fromTable(noFlag, { duplicates: 'mean' });
    expect(back.length).toBe(2);
    expect(merged(back)).toBe(2);
  });

  it('loadMovieLens and loadInteractions(name)', async () => {
    const root = join(tmp.dir, 'datasets');
    mkdirSync(join(root, 'ml-1m'), { recursive: true });
    writeFileSync(join(root, 'ml-1m', 'ratings.dat'), '1::10::5::100\n1::10::3::200\n2::10::4::300\n');
    expect(merged((await loadMovieLens('ml-1m', join(root, 'ml-1m'))).interactions)).toBe(1);
    const before = process.env.QUIVER_DATASETS;
    process.env.QUIVER_DATASETS = root;
    try {
      expect(merged(await loadInteractions('ml-1m'))).toBe(1);
    } finally {
      if (before === undefined) delete process.env.QUIVER_DATASETS;
      else process.env.QUIVER_DATASETS = before;
    }
  });
});
