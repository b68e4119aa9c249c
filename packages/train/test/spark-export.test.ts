// exportForSpark read back by an independent reader (DuckDB): factor ids and vectors exactly,
// the interactions' columns, types and rows, the partitioning, biases folded into the dot
// product, the atomic folder swap, and every refusal with its message.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fromArrays, IdMap, writeParquet, type Interactions } from '@quiver/data';
import { ALS, BiasedMF, Baseline, loadModel, Popularity, saveModel } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportForSpark, SPARK_EXPORT_MARKER } from '../src/spark/export-for-spark.js';
import { importSparkAls } from '../src/spark/import-spark-als.js';
import { sparkFactorTable } from '../src/spark/spark-tables.js';

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;
let data: Interactions;
let als: ALS;

/** Rows of a DuckDB query as JS values (FLOAT as its exact double, BIGINT as bigint). */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
/** Column name → DuckDB type of a Parquet glob. */
async function types(glob: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await rows(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)) out[r.column_name as string] = r.column_type as string;
  return out;
}

/** A small seeded log: 40 users (raw ids 1000 + 3u), 60 items (raw ids 7i + 1), ratings and whole-second timestamps. */
function makeData(): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const timestamps: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (let k = 0; k < 10; k++) {
      const i = (u * 7 + k * k * 3 + k) % 60;
      if (users.some((x, n) => x === 1000 + 3 * u && items[n] === 7 * i + 1)) continue;
      users.push(1000 + 3 * u);
      items.push(7 * i + 1);
      ratings.push(1 + ((u + k) % 5));
      timestamps.push(1_600_000_000 + u * 100 + k);
    }
  }
  return fromArrays({ userIds: users, itemIds: items, ratings, timestamps });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-spark-export-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  data = makeData();
  als = new ALS({ factors: 8, epochs: 3, seed: 7 });
  als.fit(data);
});

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('exportForSpark: Parquet that an independent reader sees as Spark ALS tables', () => {
  it('writes the factors in Spark ALS schema, ids and vectors exact, split evenly into parts', async () => {
    const out = join(dir, 'als-3');
    const written = await exportForSpark(out, { interactions: data, model: als, partitions: 3 });
    expect(written.rank).toBe(8);
    expect(written.biasColumns).toEqual([]);
    expect(readdirSync(join(out, 'userFactors'))).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
    expect(await types(join(out, 'userFactors', '*.parquet'))).toEqual({ id: 'INTEGER', features: 'FLOAT[]' });
    expect(await types(join(out, 'itemFactors', '*.parquet'))).toEqual({ id: 'INTEGER', features: 'FLOAT[]' });
    const { userFactors, itemFactors } = als.factorsCopy();
    for (const [side, map, table] of [['userFactors', data.userIdMap, userFactors], ['itemFactors', data.itemIdMap, itemFactors]] as const) {
      const got = await rows(`SELECT id, features FROM read_parquet('${join(out, side, '*.parquet')}') ORDER BY id`);
      expect(got).toHaveLength(map.size);
      const want = map.rawIds().map((raw, r) => ({ id: raw, features: Array.from(table.subarray(r * 8, (r + 1) * 8)) })).sort((a, b) => Number(a.id) - Number(b.id));
      expect(got).toEqual(want);
      // Rows split evenly, in order: floor(p·n/3) .. floor((p+1)·n/3).
      const counts = await rows(`SELECT parse_filename(filename) AS f, count(*)::INTEGER AS n FROM read_parquet('${join(out, side, '*.parquet')}', filename = true) GROUP BY f ORDER BY f`);
      const n = map.size;
      expect(counts.map((c) => c.n)).toEqual([0, 1, 2].map((p) => Math.floor(((p + 1) * n) / 3) - Math.floor((p * n) / 3)));
    }
  });

  it('writes the interactions with their raw ids, ratings as float and timestamps as int64', async () => {
    const out = join(dir, 'als-3');
    expect(await types(join(out, 'interactions', '*.parquet'))).toEqual({ user: 'INTEGER', item: 'INTEGER', rating: 'FLOAT', timestamp: 'BIGINT' });
    const got = await rows(`SELECT "user", item, rating, "timestamp" FROM read_parquet('${join(out, 'interactions', '*.parquet')}') ORDER BY "user", item`);
    const want = Array.from(data.userIds, (u, n) => ({ user: data.userIdMap.toRaw(u), item: data.itemIdMap.toRaw(data.itemIds[n]), rating: data.ratings![n], timestamp: BigInt(data.timestamps![n]) }))
      .sort((a, b) => Number(a.user) - Number(b.user) || Number(a.item) - Number(b.item));
    expect(got).toEqual(want);
  });

  it('round-trips through importSparkAls to the same scores and ids', async () => {
    const out = join(dir, 'als-3');
    const back = await importSparkAls({ userFactors: join(out, 'userFactors'), itemFactors: join(out, 'itemFactors') }, { interactions: data });
    for (let u = 0; u < data.numUsers; u += 7) {
      const raw = data.userIdMap.toRaw(u);
      const v = back.userIdMap.toIndex(raw);
      const want = als.scoreAllItems(u);
      const got = back.model.scoreAllItems(v);
      for (let i = 0; i < data.numItems; i++) expect(got[back.itemIdMap.toIndex(data.itemIdMap.toRaw(i))]).toBe(want[i]);
      const rec = (m: { recommend: ALS['recommend'] }, map: IdMap, user: number) => Array.from(m.recommend(user, 10, { filterSeen: true }).ids, (i) => map.toRaw(i));
      expect(rec(back.model, back.itemIdMap, v)).toEqual(rec(als, data.itemIdMap, u));
    }
  });

  it('a model loaded from its folder exports with the raw ids saved with it', async () => {
    const saved = join(dir, 'saved-als');
    await saveModel(als, saved);
    const { model } = await loadModel(saved);
    const out = join(dir, 'from-folder');
    await exportForSpark(out, { model });
    const ids = await rows(`SELECT id FROM read_parquet('${join(out, 'itemFactors', '*.parquet')}')`);
    expect(ids.map((r) => r.id)).toEqual(data.itemIdMap.rawIds());
  });

  it('folds the biases of a BiasedMF into two columns whose dot product is the model score', async () => {
    const mf = new BiasedMF({ factors: 4, epochs: 3, seed: 3 });
    mf.fit(data);
    const out = join(dir, 'biased');
    const written = await exportForSpark(out, { model: mf });
    expect(written.rank).toBe(6);
    expect(written.biasColumns).toEqual(['user', 'item']);
    expect(written.interactions).toBeNull();
    expect(existsSync(join(out, 'interactions'))).toBe(false);
    const users = await rows(`SELECT id, features FROM read_parquet('${join(out, 'userFactors', '*.parquet')}')`);
    const items = await rows(`SELECT id, features FROM read_parquet('${join(out, 'itemFactors', '*.parquet')}')`);
    for (const u of users.slice(0, 10)) {
      const scores = mf.scoreAllItems(data.userIdMap.toIndex(u.id as number));
      for (const it of items) {
        const a = u.features as number[];
        const b = it.features as number[];
        let s = 0;
        let m = 0;
        for (let f = 0; f < a.length; f++) {
          s += a[f] * b[f];
          m += Math.abs(a[f] * b[f]);
        }
        expect(Math.abs(s - scores[data.itemIdMap.toIndex(it.id as number)])).toBeLessThanOrEqual(1e-6 * m);
      }
    }
  });

  it('writes string, int64 and bigint ids as they are, and an implicit log with rating 1', async () => {
    const big = 9007199254740993n;
    const implicit = fromArrays({ userIds: ['u1', 'u2', 'u1'], itemIds: [3_000_000_000, 5, big as never] });
    const out = join(dir, 'kinds');
    const written = await exportForSpark(out, { interactions: implicit });
    expect(written.interactions).toMatchObject({ rows: 3, userIdType: 'utf8', itemIdType: 'int64', timestamp: false, ratings: false });
    expect(await types(join(out, 'interactions', '*.parquet'))).toEqual({ user: 'VARCHAR', item: 'BIGINT', rating: 'FLOAT' });
    expect(await rows(`SELECT * FROM read_parquet('${join(out, 'interactions', '*.parquet')}') ORDER BY item`)).toEqual([
      { user: 'u2', item: 5n, rating: 1 },
      { user: 'u1', item: 3_000_000_000n, rating: 1 },
      { user: 'u1', item: big, rating: 1 },
    ]);
    const plain = { userIds: Int32Array.of(0, 1), itemIds: Int32Array.of(1, 0), ratings: Float32Array.of(2.5, 4), numUsers: 2, numItems: 2 };
    await exportForSpark(out, { interactions: plain, userIdMap: IdMap.fromRawIds([70, 80]), itemIdMap: IdMap.fromRawIds([1.5, 2.5]) });
    expect(await types(join(out, 'interactions', '*.parquet'))).toEqual({ user: 'INTEGER', item: 'DOUBLE', rating: 'FLOAT' });
    expect(await rows(`SELECT * FROM read_parquet('${join(out, 'interactions', '*.parquet')}') ORDER BY "user"`)).toEqual([
      { user: 70, item: 2.5, rating: 2.5 },
      { user: 80, item: 1.5, rating: 4 },
    ]);
  });

  it('a factor table written in many row groups, from a slice, reads back exactly', async () => {
    const n = 1000;
    const k = 3;
    const ids = Int32Array.from({ length: n }, (_, r) => 2 * r);
    const vectors = Float32Array.from({ length: n * k }, (_, j) => j * 0.5);
    const file = join(dir, 'groups.parquet');
    await writeParquet(sparkFactorTable(ids, vectors, k, 100, 900), file, { rowGroupSize: 7 });
    expect(await rows(`SELECT count(*)::INTEGER AS g FROM parquet_metadata('${file}') WHERE column_id = 0`)).toEqual([{ g: Math.ceil(800 / 7) }]);
    const got = await rows(`SELECT id, features FROM read_parquet('${file}')`);
    expect(got).toEqual(Array.from({ length: 800 }, (_, q) => ({ id: 2 * (q + 100), features: [0, 1, 2].map((f) => ((q + 100) * k + f) * 0.5) })));
  });

  it('more partitions than rows: the empty parts are valid Parquet with the schema', async () => {
    const tiny = fromArrays({ userIds: [1, 2], itemIds: [10, 20] });
    const model = new ALS({ factors: 4, epochs: 1 });
    model.fit(tiny);
    const out = join(dir, 'tiny');
    await exportForSpark(out, { interactions: tiny, model, partitions: 4 });
    expect(readdirSync(join(out, 'itemFactors'))).toHaveLength(4);
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(out, 'itemFactors', '*.parquet')}')`)).toEqual([{ n: 2 }]);
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(out, 'itemFactors', 'part-00000.parquet')}')`)).toEqual([{ n: 0 }]);
    const back = await importSparkAls({ userFactors: join(out, 'userFactors'), itemFactors: join(out, 'itemFactors') });
    expect(back.itemIdMap.rawIds()).toEqual([10, 20]);
  });
});

describe('exportForSpark refusals and the atomic folder swap', () => {
  it('refuses ids Spark ALS cannot hold as int, naming the first', async () => {
    const strings = fromArrays({ userIds: ['a', 'b'], itemIds: [1, 2] });
    const m = new ALS({ factors: 4, epochs: 1 });
    m.fit(strings);
    await expect(exportForSpark(join(dir, 'bad-ids'), { model: m })).rejects.toThrow(/exportForSpark: userFactors need integer ids in \[-2147483648, 2147483647\]: Spark ALS ids are int, got the string "a" \(user 0\); give the data integer ids/);
    const wide = fromArrays({ userIds: [1, 2], itemIds: [5, 3_000_000_000] });
    const w = new ALS({ factors: 4, epochs: 1 });
    w.fit(wide);
    await expect(exportForSpark(join(dir, 'bad-ids'), { model: w })).rejects.toThrow(/itemFactors need integer ids .*got 3000000000 \(item 1\); re-index the ids/);
    expect(existsSync(join(dir, 'bad-ids'))).toBe(false);
  });

  it('refuses models without factors, naming the kind, and bad options', async () => {
    const pop = new Popularity();
    pop.fit(data);
    await expect(exportForSpark(join(dir, 'x'), { model: pop })).rejects.toThrow(/options\.model must be a factor model .*got a 'popularity' model/);
    const base = new Baseline({ epochs: 1 });
    base.fit(data);
    await expect(exportForSpark(join(dir, 'x'), { model: base })).rejects.toThrow(/options\.model must have latent factors .*got a 'baseline' model without factors/);
    await expect(exportForSpark(join(dir, 'x'), {})).rejects.toThrow(/options must give interactions or a model \(or both\) to export, got neither/);
    await expect(exportForSpark(join(dir, 'x'), { model: als, partitions: 0 })).rejects.toThrow(/options\.partitions must be a positive integer, got 0/);
    await expect(exportForSpark(join(dir, 'x'), { model: als, userIdMap: IdMap.fromRawIds([1, 2]) })).rejects.toThrow(/options\.userIdMap must map the 40 users of the model, got a map of 2 ids/);
    const halfSecond = fromArrays({ userIds: [1, 2], itemIds: [1, 2], timestamps: [10, 10.5] });
    await expect(exportForSpark(join(dir, 'x'), { interactions: halfSecond })).rejects.toThrow(/interactions' timestamps must be whole numbers \(the timestamp column is int64\), got 10\.5 at row 1/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('never touches a folder of other things, and replaces an earlier export as a whole', async () => {
    const other = join(dir, 'not-an-export');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'mine');
    await expect(exportForSpark(other, { model: als })).rejects.toThrow(/must be a new path, an empty folder or an earlier export \(holding quiver-spark-export\.json\), got a folder holding keep\.txt; it is left untouched/);
    expect(readdirSync(other)).toEqual(['keep.txt']);

    const out = join(dir, 'replaced');
    await exportForSpark(out, { interactions: data, model: als, partitions: 3 });
    await exportForSpark(out, { model: als });
    expect(readdirSync(out).sort()).toEqual(['itemFactors', SPARK_EXPORT_MARKER, 'userFactors']);
    expect(readdirSync(join(out, 'userFactors'))).toEqual(['part-00000.parquet']);
    expect(JSON.parse(readFileSync(join(out, SPARK_EXPORT_MARKER), 'utf8'))).toMatchObject({ format: 'quiver.spark-export', partitions: 1, rank: 8, interactions: null });
    // A refused export leaves the earlier one as it was, and no temporary folder behind.
    const strings = fromArrays({ userIds: ['a'], itemIds: [1] });
    const m = new ALS({ factors: 4, epochs: 1 });
    m.fit(strings);
    await expect(exportForSpark(out, { model: m })).rejects.toThrow(/userFactors need integer ids/);
    expect(readdirSync(join(out, 'userFactors'))).toEqual(['part-00000.parquet']);
    expect(readdirSync(dir).filter((n) => n.startsWith(`.${basename(out)}.`))).toEqual([]);
  });
});
