import { RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { INTERACTION_FILE_FORMATS, fromArrays, loadInteractions, writeArrow, writeParquet } from '../src/index.js';
import type { Interactions } from '../src/index.js';
import { QuiverError } from '@quiver/base';

const tmp = makeTmpDir('format');
afterAll(() => tmp.cleanup());

/** The ml-100k fold layout: user \t item \t rating \t timestamp, no header. */
const u1 = '1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t888550871\n';
const data = fromArrays({ userIds: ['ann', 'bob', 'ann'], itemIds: [10, 10, 20], ratings: [4, 3.5, 5] });
const rows = (d: Interactions) => Array.from(d.userIds, (u, k) => [d.userIdMap.toRaw(u), d.itemIdMap.toRaw(d.itemIds[k]), d.ratings?.[k] ?? null]);

describe('loadInteractions: files whose extension is not known are sniffed', () => {
  it('reads the MovieLens u1.base / u1.test fold files as tab-separated text', async () => {
    for (const name of ['u1.base', 'u1.test']) {
      const d = await loadInteractions(tmp.write(name, u1));
      expect(rows(d)).toEqual([[1, 1, 5], [1, 2, 3], [2, 1, 4]]);
      expect(Array.from(d.timestamps!)).toEqual([874965758, 876893171, 888550871]);
      expect(d.report).toMatchObject({ rowsRead: 3, rowsSkipped: 0, duplicatesMerged: 0 });
    }
  });

  it('reads a file with no extension as delimited text (header and delimiter detected)', async () => {
    const d = await loadInteractions(tmp.write('ratings', 'userId;movieId;rating\n7;8;2.5\n'));
    expect(rows(d)).toEqual([[7, 8, 2.5]]);
  });

  it('reads an Arrow IPC file named x.bin, an Arrow stream and a legacy (pre-0.15) stream', async () => {
    const file = tmp.write('x.bin', '');
    await writeArrow(data, file);
    expect(rows(await loadInteractions(file))).toEqual(rows(data));
    const stream = tmp.write('x.stream-data', '');
    await writeArrow(data, stream, { format: 'stream' });
    expect(rows(await loadInteractions(stream))).toEqual(rows(data));
    const w = new RecordBatchStreamWriter({ writeLegacyIpcFormat: true });
    w.write(tableFromArrays({ user: new Int32Array([1, 2]), item: new Int32Array([3, 4]) }));
    w.finish();
    const legacy = tmp.write('legacy.ipc1', w.toUint8Array(true));
    expect(rows(await loadInteractions(legacy))).toEqual([[1, 3, null], [2, 4, null]]);
  });

  it('reads a Parquet file named x.data2', async () => {
    const p = tmp.write('x.data2', '');
    await writeParquet(data, p);
    expect(rows(await loadInteractions(p))).toEqual(rows(data));
  });

  it('refuses binary it cannot identify, naming the format option', async () => {
    const garbage = new Uint8Array(300).map((_, k) => (k * 37 + 11) % 256); // holds NUL bytes
    garbage[3] = 0xfe;
    const p = tmp.write('blob.xyz', garbage);
    const err = await loadInteractions(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as Error).message).toBe(
      `loadInteractions: the format of ${p} could not be detected from its extension or its first bytes (not Arrow IPC, not Parquet, and the first 64 KiB hold NUL bytes, so not delimited text); ` +
        `pass format: 'csv' | 'tsv' | 'dat' | 'text' | 'arrow' | 'parquet'`,
    );
    expect((err as QuiverError).hint).toEqual({ option: 'format', value: 'csv|tsv|dat|text|arrow|parquet' });
    // With a format it is read as that (here: not Parquet, says readParquet).
    await expect(loadInteractions(p, { format: 'parquet' })).rejects.toThrow(/^readParquet: .*blob.xyz must be a Parquet file \(starting with PAR1\), got other bytes$/);
    await expect(loadInteractions(`${tmp.dir}/missing.base`)).rejects.toThrow(/^loadInteractions: cannot open .*missing.base: ENOENT/);
    await expect(loadInteractions(tmp.dir)).rejects.toThrow(/^loadInteractions: cannot read .*: EISDIR/);
  });
});

describe('loadInteractions: options.format overrides extension and sniffing', () => {
  it("'csv', 'tsv', 'dat' set the delimiter (unless delimiter says otherwise), 'text' detects it", async () => {
    const tabs = tmp.write('tabs.csv', u1); // a .csv extension, but tab-separated
    await expect(loadInteractions(tabs, { format: 'csv' })).rejects.toThrow(/line must contain the delimiter ","/);
    expect((await loadInteractions(tabs, { format: 'tsv' })).length).toBe(3);
    expect((await loadInteractions(tabs, { format: 'text' })).length).toBe(3);
    expect((await loadInteractions(tabs, { format: 'csv', delimiter: '\t' })).length).toBe(3);
    const dat = tmp.write('r.txt', '1::2::5\n3::4::1\n');
    expect(rows(await loadInteractions(dat, { format: 'dat' }))).toEqual([[1, 2, 5], [3, 4, 1]]);
    const semi = tmp.write('semi.data9', 'user;item\na;b\n');
    expect(rows(await loadInteractions(semi, { format: 'csv', delimiter: ';' }))).toEqual([['a', 'b', null]]);
  });

  it("'arrow' and 'parquet' read those formats whatever the extension", async () => {
    const a = tmp.write('arrow-named.csv', '');
    await writeArrow(data, a);
    expect(rows(await loadInteractions(a, { format: 'arrow' }))).toEqual(rows(data));
    const q = tmp.write('parquet-named.arrow', '');
    await writeParquet(data, q);
    expect(rows(await loadInteractions(q, { format: 'parquet' }))).toEqual(rows(data));
    await expect(loadInteractions(q, { format: 'parquet', columns: { user: 0 } })).rejects.toThrow(/columns.user must be a column name for Parquet files, got the index 0/);
  });

  it('is checked', async () => {
    expect(INTERACTION_FILE_FORMATS).toEqual(['csv', 'tsv', 'dat', 'text', 'arrow', 'parquet']);
    const p = tmp.write('any.csv', u1);
    await expect(loadInteractions(p, { format: 'xml' as never })).rejects.toThrow(/^loadInteractions: options.format must be one of 'csv', 'tsv', 'dat', 'text', 'arrow', 'parquet', got "xml"$/);
    await expect(loadInteractions(p, { format: 'xml' as never })).rejects.toThrow(RangeError); // a value outside the allowed set (one checkOneOf in every package)
    await expect(loadInteractions('ml-1m', { format: 'csv' })).rejects.toThrow(/^loadInteractions: options.format applies to files, got format "csv" with the dataset name "ml-1m"$/);
  });
});
