import { readFileSync } from 'node:fs';
import { makeVector, tableFromArrays, tableToIPC, vectorFromArray, Table, Int64, Dictionary, Utf8, Int32, makeData, Vector, Float64, Float16 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { columnsFromTable } from '../src/arrow/columns-from-table.js';
import { fromTable } from '../src/arrow/from-table.js';
import { readArrow, readArrowTable, writeArrow } from '../src/arrow/arrow-io.js';
import { readParquet, readParquetTable, writeParquet } from '../src/arrow/parquet-io.js';
import { embeddingsFromTable, tableFromEmbeddings } from '../src/arrow/embeddings-table.js';
import { fromArrays } from '../src/from-arrays.js';
import { IdMap } from '../src/id-map.js';
import { loadInteractions } from '../src/load-interactions.js';
import type { Interactions } from '../src/interactions.js';

const tmp = makeTmpDir('arrow');
afterAll(() => tmp.cleanup());

const sample = () =>
  fromArrays({ userIds: ['ann', 'bob', 'ann', 'cy'], itemIds: [10, 20, 20, 30], ratings: [4, 3.5, 5, 1], timestamps: [100, 200, 300, 400] });

function expectSame(a: Interactions, b: Interactions) {
  expect(Array.from(b.userIds)).toEqual(Array.from(a.userIds));
  expect(Array.from(b.itemIds)).toEqual(Array.from(a.itemIds));
  expect(b.ratings && Array.from(b.ratings)).toEqual(a.ratings && Array.from(a.ratings));
  expect(b.timestamps && Array.from(b.timestamps)).toEqual(a.timestamps && Array.from(a.timestamps));
  expect(b.userIdMap.rawIds()).toEqual(a.userIdMap.rawIds());
  expect(b.itemIdMap.rawIds()).toEqual(a.itemIdMap.rawIds());
}

describe('columnsFromTable', () => {
  it('returns zero-copy views of single-chunk Int32/Float32 columns', () => {
    const u = new Int32Array([0, 1, 2]);
    const r = new Float32Array([1, 2, 3]);
    const t = new Table({ user: makeVector(u), item: makeVector(new Int32Array([2, 1, 0])), rating: makeVector(r) });
    const c = columnsFromTable(t, { user: 'user', item: 'item', rating: 'rating' });
    expect(c.userIds.buffer).toBe(u.buffer);
    expect(c.ratings!.buffer).toBe(r.buffer);
    expect(c.copied).toBe(false);
  });
  it('reads sliced tables (chunk values already offset by apache-arrow)', () => {
    const t = new Table({ user: makeVector(new Int32Array([0, 1, 2, 3])), item: makeVector(new Int32Array([4, 5, 6, 7])) });
    const c = columnsFromTable(t.slice(1, 3), { user: 'user', item: 'item' });
    expect(Array.from(c.userIds)).toEqual([1, 2]);
    const two = t.slice(0, 1).concat(t.slice(2, 4));
    expect(Array.from(columnsFromTable(two, { user: 'user', item: 'item' }).itemIds)).toEqual([4, 6, 7]);
    const e = tableFromEmbeddings(Float32Array.from({ length: 8 }, (_, k) => k), 2).slice(1, 3);
    expect(Array.from(embeddingsFromTable(e).vectors)).toEqual([2, 3, 4, 5]);
  });
  it('copies a multi-chunk column once and says so', () => {
    const t1 = new Table({ user: makeVector(new Int32Array([0, 1])), item: makeVector(new Int32Array([0, 0])) });
    const t2 = new Table({ user: makeVector(new Int32Array([2])), item: makeVector(new Int32Array([1])) });
    const t = t1.concat(t2);
    const c = columnsFromTable(t, { user: 'user', item: 'item' });
    expect(Array.from(c.userIds)).toEqual([0, 1, 2]);
    expect(c.copied).toBe(true);
    expect(c.ratings).toBeNull();
  });
  it('refuses Int64 and Float64 unless convert, and nulls always', () => {
    const t = new Table({ user: makeVector(new BigInt64Array([0n, 1n])), item: makeVector(new Int32Array([0, 1])), rating: makeVector(new Float64Array([1, 2])) });
    expect(() => columnsFromTable(t, { user: 'user', item: 'item' })).toThrow(/columnsFromTable: column "user" must be Int32, got Int64; cast it to Int32 or pass \{ convert: true \}/);
    expect(() => columnsFromTable(t, { user: 'item', item: 'item', rating: 'rating' })).toThrow(/column "rating" must be Float32, got Float64; cast it to Float32 or pass \{ convert: true \}/);
    const c = columnsFromTable(t, { user: 'user', item: 'item', rating: 'rating' }, { convert: true });
    expect(Array.from(c.userIds)).toEqual([0, 1]);
    expect(Array.from(c.ratings!)).toEqual([1, 2]);
    expect(c.copied).toBe(true);
    const withNulls = tableFromArrays({ user: new Int32Array([0, 1]), item: new Int32Array([0, 1]) });
    const rating = vectorFromArray([1.5, null], new Float64());
    const tn = new Table({ user: withNulls.getChild('user')!, item: withNulls.getChild('item')!, rating });
    expect(() => columnsFromTable(tn, { user: 'user', item: 'item', rating: 'rating' }, { convert: true })).toThrow(/columnsFromTable: column "rating" has 1 nulls; drop or fill them first/);
    expect(() => columnsFromTable(t, { user: 'nope', item: 'item' })).toThrow(/column "nope" must exist, got columns "user", "item", "rating"/);
    expect(() => columnsFromTable({} as Table, { user: 'u', item: 'i' })).toThrow(/table must be an Arrow Table, got object/);
    expect(() => columnsFromTable(t, { user: 1 } as never)).toThrow(/names must be \{ user: string, item: string, rating\?: string \}/);
    const str = new Table({ user: vectorFromArray(['a'], new Utf8()), item: makeVector(new Int32Array([0])) });
    expect(() => columnsFromTable(str, { user: 'user', item: 'item' }, { convert: true })).toThrow(/column "user" must be Int32, got Utf8/);
  });
  it('decodes Float16 ratings when converting (Arrow stores them as raw half-precision bits)', () => {
    // 1.5, 2.5, 3.5 and -0.25 are exact in half precision; their bit patterns are 15872, 16640, 17152, 46080.
    const half = vectorFromArray([1.5, 2.5, 3.5, -0.25], new Float16());
    const t = new Table({ user: makeVector(new Int32Array([0, 1, 2, 3])), item: makeVector(new Int32Array([0, 1, 0, 1])), rating: half });
    const c = columnsFromTable(t, { user: 'user', item: 'item', rating: 'rating' }, { convert: true });
    expect(Array.from(c.ratings!)).toEqual([1.5, 2.5, 3.5, -0.25]);
    const d = fromTable(t.concat(t.slice(0, 1)), { duplicates: 'keep-last' });
    expect(Array.from(d.ratings!)).toEqual([2.5, 3.5, -0.25, 1.5]);
  });
});

describe('fromTable', () => {
  it('maps string, Int64 and dictionary id columns like pandas/Polars write them', () => {
    const dictType = new Dictionary(new Utf8(), new Int32());
    const dictData = makeData({ type: dictType, length: 3, nullCount: 0, data: new Int32Array([1, 0, 0]), dictionary: vectorFromArray(['x', 'y']) } as never);
    const t = new Table({
      customer_id: vectorFromArray(['u1', 'u2', 'u1']),
      product_id: new Vector([dictData]),
      score: makeVector(new Float64Array([1, 2, 3])),
      event_time: makeVector(new BigInt64Array([10n, 20n, 30n])),
    });
    const d = fromTable(t, { columns: { user: 'customer_id', item: 'product_id', rating: 'score', timestamp: 'event_time' } });
    expect(d.userIdMap.rawIds()).toEqual(['u1', 'u2']);
    expect(d.itemIdMap.rawIds()).toEqual(['y', 'x']);
    expect(Array.from(d.ratings!)).toEqual([1, 2, 3]);
    expect(Array.from(d.timestamps!)).toEqual([10, 20, 30]);
    const i64 = new Table({ userId: makeVector(new BigInt64Array([5n, 2n ** 60n])), itemId: makeVector(new Int32Array([1, 1])) });
    const e = fromTable(i64);
    expect(e.userIdMap.rawIds()).toEqual([5, 2n ** 60n]);
  });
  it('rejects missing columns, nulls, empty tables and bad types clearly', () => {
    const t = tableFromArrays({ a: new Int32Array([1]), b: new Int32Array([2]) });
    expect(() => fromTable(t)).toThrow(/fromTable: table must have a user column \(named like user, userid, uid\), got columns "a", "b"; pass columns: \{ user: '<name>' \}/);
    expect(() => fromTable(t, { columns: { user: 'a', item: 'c' } })).toThrow(/columns.item must name a column of table, got "c"; the table has "a", "b"/);
    const empty = tableFromArrays({ user: new Int32Array(0), item: new Int32Array(0) });
    expect(() => fromTable(empty)).toThrow(/fromTable: table must contain at least one row, got 0/);
    const nulls = new Table({ user: vectorFromArray([1, null], new Int32()), item: makeVector(new Int32Array([1, 2])) });
    expect(() => fromTable(nulls)).toThrow(/column "user" has 1 nulls; drop or fill them first/);
    const nanRating = tableFromArrays({ user: new Int32Array([1]), item: new Int32Array([1]), rating: new Float32Array([NaN]) });
    expect(() => fromTable(nanRating)).toThrow(/row 0: rating must be a finite number, got NaN/);
    expect(fromTable(nanRating, { onInvalid: 'skip', columns: { rating: null } }).length).toBe(1);
    expect(() => fromTable('x' as never)).toThrow(/fromTable: table must be an Arrow Table, got "x"/);
    const boolId = new Table({ user: vectorFromArray([true]), item: makeVector(new Int32Array([1])) });
    expect(() => fromTable(boolId)).toThrow(/column "user" must hold integer or string ids, got Bool/);
  });
});

describe('Arrow IPC', () => {
  it('round-trips interactions (file and stream) with id maps, zero-copy on reload', async () => {
    const d = sample();
    for (const format of ['file', 'stream'] as const) {
      const p = tmp.write(`x.${format}.arrow`, '');
      await writeArrow(d, p, { format });
      const back = await readArrow(p);
      expectSame(d, back);
      expect(back.report!.duplicatesMerged).toBe(0);
    }
    const bytes = readFileSync(tmp.write('bytes.arrow', ''));
    expect(bytes.length).toBe(0);
  });
  it('loadInteractions dispatches .arrow/.feather/.parquet', async () => {
    const d = sample();
    await writeArrow(d, `${tmp.dir}/a.feather`);
    await writeParquet(d, `${tmp.dir}/a.parquet`);
    expectSame(d, await loadInteractions(`${tmp.dir}/a.feather`));
    expectSame(d, await loadInteractions(`${tmp.dir}/a.parquet`));
    await expect(loadInteractions(`${tmp.dir}/a.parquet`, { columns: { user: 0 } })).rejects.toThrow(/loadInteractions: columns.user must be a column name for .parquet files, got the index 0/);
    // Other extensions are no longer refused: the first bytes are sniffed (test/load-interactions-format.test.ts).
    await expect(loadInteractions(`${tmp.dir}/a.xlsx`)).rejects.toThrow(/^loadInteractions: cannot open .*a.xlsx: ENOENT/);
    await expect(loadInteractions('no-such-dataset')).rejects.toThrow(/loadInteractions: source must be a file path or a dataset name \(ml-100k, /);
  });
  it('reads tables written by others and applies the duplicate policy', async () => {
    const t = tableFromArrays({ user_id: new Int32Array([7, 7, 8]), item_id: new Int32Array([1, 1, 2]), rating: new Float32Array([1, 3, 5]) });
    const p = tmp.write('others.arrow', tableToIPC(t, 'file'));
    const d = await readArrow(p, { duplicates: 'mean' });
    expect(d.userIdMap.rawIds()).toEqual([7, 8]);
    expect(Array.from(d.ratings!)).toEqual([2, 5]);
    await expect(readArrow(p, { duplicates: 'error' })).rejects.toThrow(/readArrow: \(user, item\) pairs must be unique/);
  });
  it('rejects truncated, empty and non-Arrow files', async () => {
    const d = sample();
    const p = `${tmp.dir}/t.arrow`;
    for (const format of ['file', 'stream'] as const) {
      await writeArrow(d, p, { format });
      const full = readFileSync(p);
      for (const cut of [full.length - 9, Math.floor(full.length / 2), 12]) {
        const q = tmp.write(`cut-${format}-${cut}.arrow`, full.subarray(0, cut));
        await expect(readArrow(q)).rejects.toThrow(/readArrow: .* is (a truncated Arrow IPC (file|stream)|not valid Arrow IPC data)/);
      }
    }
    await expect(readArrow(tmp.write('e.arrow', ''))).rejects.toThrow(/readArrow: .*e.arrow must be Arrow IPC data, got an empty file/);
    await expect(readArrow(tmp.write('csv.arrow', 'user,item\n1,2\n'))).rejects.toThrow(/must be Arrow IPC data \(file or stream format\), got bytes that are neither/);
    await expect(readArrow('/nonexistent.arrow')).rejects.toThrow(/readArrow: cannot read \/nonexistent.arrow: ENOENT/);
    await expect(readArrow(5 as never)).rejects.toThrow(/readArrow: source must be a file path or a Uint8Array, got 5/);
    await expect(writeArrow({} as never, p)).rejects.toThrow(/writeArrow: data must be an Interactions dataset or an Arrow Table, got object/);
    await expect(writeArrow(d, p, { format: 'feather' as never })).rejects.toThrow(/options.format must be one of 'file', 'stream', got "feather"/);
    await expect(writeArrow(d, p, { fromat: 'stream' } as never)).rejects.toThrow(/^writeArrow: unknown option "fromat"; the options are "format"/);
    await expect(writeArrow(d, '/nonexistent/dir/x.arrow')).rejects.toThrow(/writeArrow: cannot write \/nonexistent\/dir\/x.arrow/);
  });
});

describe('Parquet', () => {
  it('round-trips interactions with every compression and reads bytes', async () => {
    const d = sample();
    for (const compression of ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'] as const) {
      const p = `${tmp.dir}/c-${compression}.parquet`;
      await writeParquet(d, p, { compression, rowGroupSize: 2 });
      expectSame(d, await readParquet(p));
      expect(await readParquetTable(p)).toHaveProperty('numRows', 4);
    }
    expectSame(d, await readParquet(readFileSync(`${tmp.dir}/c-zstd.parquet`)));
  });
  it('reads a generic table with string ids and Int64 timestamps', async () => {
    const t = new Table({ user: vectorFromArray(['a', 'b']), item: vectorFromArray(['x', 'x']), timestamp: makeVector(new BigInt64Array([5n, 6n])) });
    const p = `${tmp.dir}/generic.parquet`;
    await writeParquet(t, p, { rowGroupSize: 1 }); // two row groups: string chunks are joined
    const back = await readParquetTable(p);
    expect(back.numRows).toBe(2);
    const d = await readParquet(p);
    expect(d.userIdMap.rawIds()).toEqual(['a', 'b']);
    expect(Array.from(d.timestamps!)).toEqual([5, 6]);
    expect(d.ratings).toBeNull();
  });
  it('keeps nulls visible across row groups (rejected by the reader)', async () => {
    const t = new Table({ user: vectorFromArray([1, 2, null], new Int32()), item: makeVector(new Int32Array([1, 2, 3])) });
    const p = `${tmp.dir}/nulls.parquet`;
    await writeParquet(t, p, { rowGroupSize: 1 });
    await expect(readParquet(p)).rejects.toThrow(/readParquet: column "user" has 1 nulls; drop or fill them first/);
  });
  it('rejects truncated, empty and non-Parquet files', async () => {
    const p = `${tmp.dir}/full.parquet`;
    await writeParquet(sample(), p);
    const full = readFileSync(p);
    await expect(readParquet(tmp.write('cut.parquet', full.subarray(0, full.length - 20)))).rejects.toThrow(/readParquet: .*cut.parquet is a truncated Parquet file \(the closing PAR1 magic is missing\)/);
    const corrupt = Buffer.from(full);
    corrupt.fill(0, 4, full.length - 8);
    await expect(readParquet(tmp.write('corrupt.parquet', corrupt))).rejects.toThrow(/readParquet: .*corrupt.parquet is not a valid Parquet file \(/);
    await expect(readParquet(tmp.write('e.parquet', ''))).rejects.toThrow(/must be a Parquet file, got an empty file/);
    await expect(readParquet(tmp.write('text.parquet', 'user,item\n1,2\n'))).rejects.toThrow(/must be a Parquet file \(starting with PAR1\), got other bytes/);
    await expect(writeParquet(sample(), p, { compression: 'lzma' as never })).rejects.toThrow(/writeParquet: options.compression must be one of 'uncompressed', 'snappy'/);
    await expect(writeParquet(sample(), p, { compresion: 'zstd' } as never)).rejects.toThrow(/^writeParquet: unknown option "compresion"/);
    await expect(writeParquet(sample(), p, { rowGroupSize: 0 })).rejects.toThrow(/options.rowGroupSize must be a positive integer, got 0/);
    await expect(writeParquet(sample(), '/nonexistent/dir/x.parquet')).rejects.toThrow(/writeParquet: cannot write \/nonexistent\/dir\/x.parquet/);
    await expect(writeParquet(5 as never, p)).rejects.toThrow(/writeParquet: data must be an Interactions dataset or an Arrow Table, got 5/);
  });
});

describe('embedding tables', () => {
  it('wraps a row-major matrix without copying and round-trips through Arrow and Parquet', async () => {
    const vectors = Float32Array.from({ length: 12 }, (_, k) => k / 4);
    const t = tableFromEmbeddings(vectors, 4, { ids: IdMap.fromRawIds(['a', 'b', 'c'], 'item') });
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['index:Int32', 'id:Utf8', 'embedding:FixedSizeList[4]<Float32>']);
    expect(embeddingsFromTable(t).vectors.buffer).toBe(vectors.buffer);
    await writeArrow(t, `${tmp.dir}/e.arrow`);
    await writeParquet(t, `${tmp.dir}/e.parquet`);
    for (const back of [await readArrowTable(`${tmp.dir}/e.arrow`), await readParquetTable(`${tmp.dir}/e.parquet`)]) {
      const e = embeddingsFromTable(back);
      expect(e.dim).toBe(4);
      expect(e.numRows).toBe(3);
      expect(Array.from(e.vectors)).toEqual(Array.from(vectors));
      expect(back.getChild('id')!.toArray()).toEqual(['a', 'b', 'c']);
    }
  });
  it('checks its arguments', () => {
    expect(() => tableFromEmbeddings(new Float64Array(4) as never, 2)).toThrow(/tableFromEmbeddings: vectors must be a Float32Array, got Float64Array\(4\)/);
    expect(() => tableFromEmbeddings(new Float32Array(5), 2)).toThrow(/vectors.length must be a multiple of dim \(2\), got 5/);
    expect(() => tableFromEmbeddings(new Float32Array(4), 2, { ids: IdMap.identity(3) })).toThrow(/options.ids must have 2 ids \(one per row\), got 3/);
    expect(() => tableFromEmbeddings(new Float32Array(4), 2, { name: 'vec' } as never)).toThrow(/^tableFromEmbeddings: unknown option "name"; the options are "ids", "column"/);
    expect(() => tableFromEmbeddings(new Float32Array(4), 2, { column: 3 as never })).toThrow(/^tableFromEmbeddings: options.column must be a non-empty string, got 3/);
    const t = tableFromArrays({ embedding: new Float32Array(2) });
    expect(() => embeddingsFromTable(t)).toThrow(/embeddingsFromTable: column "embedding" must be FixedSizeList<Float32>, got Float32/);
    expect(() => embeddingsFromTable(t, 'vec')).toThrow(/column "vec" must exist/);
  });
});
