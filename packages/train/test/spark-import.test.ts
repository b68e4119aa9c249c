// importSparkAls against Parquet files written by an independent writer (DuckDB) in Spark ALS's
// factor schema (id INTEGER, features FLOAT[]): every score is checked against a dot product
// computed here from the same numbers, and every malformed input is refused with its message.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fromArrays } from '@quiver/data';
import { saveModel } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoredModel } from '../src/cli/model-store.js';
import { importSparkAls } from '../src/spark/import-spark-als.js';

/** A seeded float32 stream (mulberry32), values in [-1, 1). */
function floats(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.fround(((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1);
  };
}

type Row = readonly [id: number, features: readonly number[]];

const RANK = 6;
const USER_IDS = [42, 7, 1000, 3, 512, 19, 8, 250, 77, 1];
const ITEM_IDS = [11, 5, 900, 31, 2, 64, 17, 400, 23, 99, 6, 150];

function factorRows(ids: readonly number[], seed: number): Row[] {
  const next = floats(seed);
  return ids.map((id) => [id, Array.from({ length: RANK }, next)] as const);
}

const USERS = factorRows(USER_IDS, 1);
const ITEMS = factorRows(ITEM_IDS, 2);
const vectorOf = (rows: readonly Row[], id: number): readonly number[] => rows.find((r) => r[0] === id)![1];

/** The reference: the dot product in float64 of the float32 values written. */
function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let f = 0; f < a.length; f++) s += a[f] * b[f];
  return s;
}
/** |a - b| allowed: float32 rounding of a sum of products. */
function tolerance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let f = 0; f < a.length; f++) s += Math.abs(a[f] * b[f]);
  return 1e-6 * s + 1e-12;
}

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

/** `SELECT id, features` as DuckDB values: features are cast from exact float64 literals. */
function valuesSql(rows: readonly Row[]): string {
  return rows.map(([id, f]) => `(${id}, [${f.map((x) => (Number.isNaN(x) ? `'nan'::FLOAT` : Number.isFinite(x) ? `${x}::DOUBLE` : `'${x > 0 ? 'inf' : '-inf'}'::FLOAT`)).join(', ')}])`).join(', ');
}

/** Writes rows as Spark's factor schema (`id INTEGER, features FLOAT[]`) with DuckDB. */
async function writeFactors(path: string, rows: readonly Row[], select = 'id::INTEGER AS id, features::FLOAT[] AS features'): Promise<string> {
  await db.run(`COPY (SELECT ${select} FROM (VALUES ${valuesSql(rows)}) t(id, features)) TO '${path}' (FORMAT PARQUET)`);
  return path;
}

/** A folder of parts as Spark writes it, with Spark's side files that must be ignored. */
async function writeFactorFolder(name: string, rows: readonly Row[], parts: number): Promise<string> {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (let p = 0; p < parts; p++) {
    const slice = rows.filter((_, r) => r % parts === p);
    await writeFactors(join(folder, `part-0000${p}-c000.snappy.parquet`), slice);
  }
  writeFileSync(join(folder, '_SUCCESS'), '');
  writeFileSync(join(folder, '.part-00000-c000.snappy.parquet.crc'), 'not parquet');
  return folder;
}

let usersDir: string;
let itemsFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-spark-import-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  usersDir = await writeFactorFolder('userFactors', USERS, 3);
  itemsFile = await writeFactors(join(dir, 'itemFactors.parquet'), ITEMS);
});

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('importSparkAls: Spark ALS factors read by an independent writer', () => {
  it('scores every user-item pair by the dot product of the factors written, with Spark ids ascending as rows', async () => {
    const { model, userIdMap, itemIdMap, rank, files } = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile });
    expect(rank).toBe(RANK);
    expect(files.userFactors).toHaveLength(3);
    expect(model.kind).toBe('als');
    expect(model.config.factors).toBe(RANK);
    expect(userIdMap.rawIds()).toEqual([...USER_IDS].sort((a, b) => a - b));
    expect(itemIdMap.rawIds()).toEqual([...ITEM_IDS].sort((a, b) => a - b));
    const users: number[] = [];
    const items: number[] = [];
    for (const uid of USER_IDS) for (const iid of ITEM_IDS) {
      users.push(userIdMap.toIndex(uid));
      items.push(itemIdMap.toIndex(iid));
    }
    const predicted = model.predict(Int32Array.from(users), Int32Array.from(items));
    let n = 0;
    for (const uid of USER_IDS) {
      const all = model.scoreAllItems(userIdMap.toIndex(uid));
      for (const iid of ITEM_IDS) {
        const a = vectorOf(USERS, uid);
        const b = vectorOf(ITEMS, iid);
        expect(Math.abs(predicted[n++] - dot(a, b))).toBeLessThanOrEqual(tolerance(a, b));
        expect(Math.abs(all[itemIdMap.toIndex(iid)] - dot(a, b))).toBeLessThanOrEqual(tolerance(a, b));
      }
    }
  });

  it('recommends Spark item ids in the order of the reference dot products, filtering nothing without interactions', async () => {
    const { model, userIdMap, itemIdMap } = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile });
    for (const uid of [42, 1, 250]) {
      const top = model.recommend(userIdMap.toIndex(uid), ITEM_IDS.length, { filterSeen: true });
      const got = Array.from(top.ids, (i) => itemIdMap.toRaw(i));
      const want = [...ITEM_IDS].sort((x, y) => dot(vectorOf(USERS, uid), vectorOf(ITEMS, y)) - dot(vectorOf(USERS, uid), vectorOf(ITEMS, x)) || x - y);
      expect(got).toEqual(want);
    }
  });

  it('a single file and a folder of parts give the same model', async () => {
    const usersFile = await writeFactors(join(dir, 'users-one.parquet'), USERS);
    const a = await importSparkAls({ userFactors: usersFile, itemFactors: itemsFile });
    const b = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile });
    expect(a.model.factorsCopy()).toEqual(b.model.factorsCopy());
    expect(a.userIdMap.rawIds()).toEqual(b.userIdMap.rawIds());
  });

  it('reads a file of several row groups and record batches (70,000 rows) exactly, in id order', async () => {
    const big = join(dir, 'big.parquet');
    await db.run(`COPY (SELECT (70000 - range)::INTEGER AS id, [(70000 - range) * 0.5, (range - 70000) * 0.25]::FLOAT[] AS features FROM range(70000)) TO '${big}' (FORMAT PARQUET, ROW_GROUP_SIZE 20000)`);
    const items = await writeFactors(join(dir, 'rank2-items.parquet'), [[1, [1, 1]]]);
    const { model, userIdMap } = await importSparkAls({ userFactors: big, itemFactors: items });
    expect(userIdMap.size).toBe(70000);
    const { userFactors } = model.factorsCopy();
    let wrong = 0;
    for (let r = 0; r < 70000; r++) {
      const id = userIdMap.toRaw(r) as number;
      if (id !== r + 1 || userFactors[2 * r] !== id * 0.5 || userFactors[2 * r + 1] !== -id * 0.25) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('takes the seen items from interactions with the same raw ids (numbers, integer strings) and skips unknown ids', async () => {
    const data = fromArrays({ userIds: [42, 42, 7, '3', 9999], itemIds: [5, 900, 5, 11, 5] });
    const { model, userIdMap, itemIdMap, seenInteractions, skippedInteractions } = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { interactions: data });
    expect(seenInteractions).toBe(4);
    expect(skippedInteractions).toBe(1);
    const seen = (uid: number) => Array.from(model.recommend(userIdMap.toIndex(uid), ITEM_IDS.length, { filterSeen: true }).ids, (i) => itemIdMap.toRaw(i));
    expect(seen(42)).toHaveLength(ITEM_IDS.length - 2);
    expect(seen(42)).not.toContain(5);
    expect(seen(42)).not.toContain(900);
    expect(seen(3)).not.toContain(11);
    expect(seen(1000)).toHaveLength(ITEM_IDS.length);
    // A plain InteractionData holds the raw ids themselves.
    const plain = { userIds: Int32Array.of(1000), itemIds: Int32Array.of(31), ratings: null, numUsers: 1001, numItems: 901 };
    const p = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { interactions: plain });
    expect(Array.from(p.model.recommend(p.userIdMap.toIndex(1000), 20, { filterSeen: true }).ids, (i) => p.itemIdMap.toRaw(i))).not.toContain(31);
  });

  it('saves a model folder that loadStoredModel reads back with the same scores, ids and seen items', async () => {
    const data = fromArrays({ userIds: [42, 7], itemIds: [5, 900] });
    const { model } = await importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { interactions: data, als: { reg: 0.5 } });
    const out = join(dir, 'saved');
    await saveModel(model, out);
    const stored = await loadStoredModel('test', out);
    expect(stored.kind).toBe('als');
    expect(stored.userIdMap!.rawIds()).toEqual([...USER_IDS].sort((a, b) => a - b));
    expect(stored.itemIdMap!.rawIds()).toEqual([...ITEM_IDS].sort((a, b) => a - b));
    expect(stored.model.getConfig().reg).toBe(0.5);
    for (let u = 0; u < USER_IDS.length; u++) expect(stored.model.scoreAllItems(u)).toEqual(model.scoreAllItems(u));
    expect(stored.model.seenItems()).toEqual(model.seenItems());
  });
});

describe('importSparkAls refuses malformed factors, naming the file and the row', () => {
  const good = () => itemsFile;
  const importUsers = (userFactors: string) => importSparkAls({ userFactors, itemFactors: good() });

  it('wrong column types and missing columns', async () => {
    const bigintIds = await writeFactors(join(dir, 'bigint-id.parquet'), USERS, 'id::BIGINT AS id, features::FLOAT[] AS features');
    await expect(importUsers(bigintIds)).rejects.toThrow(/importSparkAls: userFactors: .*bigint-id\.parquet column "id" must be int32 \(Spark ALS writes id: int\), got Int64/);
    const doubles = await writeFactors(join(dir, 'double-features.parquet'), USERS, 'id::INTEGER AS id, features::DOUBLE[] AS features');
    await expect(importUsers(doubles)).rejects.toThrow(/column "features" must be a list of float32 \(Spark ALS writes features: array<float>\), got List<Float64>/);
    const renamed = await writeFactors(join(dir, 'renamed.parquet'), USERS, 'id::INTEGER AS id, features::FLOAT[] AS vec');
    await expect(importUsers(renamed)).rejects.toThrow(/renamed\.parquet must have the columns "id" \(int\) and "features" \(array<float>\) of Spark ALS's factors, got columns "id", "vec"/);
    const scalar = await writeFactors(join(dir, 'scalar.parquet'), USERS, 'id::INTEGER AS id, features[1]::FLOAT AS features');
    await expect(importUsers(scalar)).rejects.toThrow(/column "features" must be a list of float32 .*got Float32/);
  });

  it('NaN and infinite features', async () => {
    const nan = await writeFactors(join(dir, 'nan.parquet'), [[1, [0.5, 0.25, 1]], [2, [0.5, NaN, 1]]]);
    await expect(importUsers(nan)).rejects.toThrow(/userFactors: .*nan\.parquet row 1 \(id 2\): features must be finite, got NaN at \[1\]/);
    const inf = await writeFactors(join(dir, 'inf.parquet'), [[1, [0.5, 0.25, -Infinity]]]);
    await expect(importUsers(inf)).rejects.toThrow(/inf\.parquet row 0 \(id 1\): features must be finite, got -Infinity at \[2\]/);
  });

  it('ragged feature lengths, in one file and across parts, and empty vectors', async () => {
    const ragged = await writeFactors(join(dir, 'ragged.parquet'), [[1, [0.5, 0.25, 1]], [2, [0.5, 1, 2]], [3, [0.5, 1]]]);
    await expect(importUsers(ragged)).rejects.toThrow(/ragged\.parquet row 2 \(id 3\): features must have 3 values like every vector \(the rank, from .*ragged\.parquet row 0\), got 2 values/);
    const folder = join(dir, 'ragged-parts');
    mkdirSync(folder);
    await writeFactors(join(folder, 'part-00000.parquet'), [[1, [0.5, 0.25, 1]]]);
    await writeFactors(join(folder, 'part-00001.parquet'), [[2, [0.5, 0.25, 1, 2]]]);
    await expect(importUsers(folder)).rejects.toThrow(/part-00001\.parquet row 0 \(id 2\): features must have 3 values .*part-00000\.parquet row 0\), got 4 values/);
    const empty = join(dir, 'empty-vector.parquet');
    await db.run(`COPY (SELECT 1::INTEGER AS id, []::FLOAT[] AS features) TO '${empty}' (FORMAT PARQUET)`);
    await expect(importUsers(empty)).rejects.toThrow(/empty-vector\.parquet row 0 \(id 1\): features must hold at least one value \(the rank\), got an empty list/);
  });

  it('duplicate ids, in one file and across parts', async () => {
    const dup = await writeFactors(join(dir, 'dup.parquet'), [[4, [1, 2]], [9, [1, 2]], [4, [3, 4]]]);
    await expect(importUsers(dup)).rejects.toThrow(/userFactors: every id must have one row \(Spark ALS writes each id once\), got id 4 at .*dup\.parquet row 0 and at .*dup\.parquet row 2/);
    const folder = join(dir, 'dup-parts');
    mkdirSync(folder);
    await writeFactors(join(folder, 'part-00000.parquet'), [[7, [1, 2]], [8, [1, 2]]]);
    await writeFactors(join(folder, 'part-00001.parquet'), [[5, [1, 2]], [7, [1, 2]]]);
    await expect(importUsers(folder)).rejects.toThrow(/got id 7 at .*part-00000\.parquet row 0 and at .*part-00001\.parquet row 1/);
  });

  it('nulls', async () => {
    const nullId = join(dir, 'null-id.parquet');
    await db.run(`COPY (SELECT * FROM (VALUES (1::INTEGER, [1.0]::FLOAT[]), (NULL, [2.0]::FLOAT[])) t(id, features)) TO '${nullId}' (FORMAT PARQUET)`);
    await expect(importUsers(nullId)).rejects.toThrow(/null-id\.parquet row 1: id must be an int \(Spark ALS ids are never null\), got null/);
    const nullVec = join(dir, 'null-vector.parquet');
    await db.run(`COPY (SELECT * FROM (VALUES (1::INTEGER, [1.0]::FLOAT[]), (2::INTEGER, NULL)) t(id, features)) TO '${nullVec}' (FORMAT PARQUET)`);
    await expect(importUsers(nullVec)).rejects.toThrow(/null-vector\.parquet row 1 \(id 2\): features must be a vector, got null/);
    const nullValue = join(dir, 'null-value.parquet');
    await db.run(`COPY (SELECT * FROM (VALUES (1::INTEGER, [1.0, 2.0]::FLOAT[]), (2::INTEGER, [1.0, NULL]::FLOAT[])) t(id, features)) TO '${nullValue}' (FORMAT PARQUET)`);
    await expect(importUsers(nullValue)).rejects.toThrow(/null-value\.parquet row 1 \(id 2\): features\[1\] must be a number, got null/);
  });

  it('empty files, files without rows, missing paths and folders without Parquet files', async () => {
    const zeroBytes = join(dir, 'zero-bytes.parquet');
    writeFileSync(zeroBytes, '');
    await expect(importUsers(zeroBytes)).rejects.toThrow(/importSparkAls: userFactors: .*zero-bytes\.parquet must be a Parquet file, got an empty file/);
    const noRows = join(dir, 'no-rows.parquet');
    await db.run(`COPY (SELECT 1::INTEGER AS id, [1.0]::FLOAT[] AS features WHERE false) TO '${noRows}' (FORMAT PARQUET)`);
    await expect(importUsers(noRows)).rejects.toThrow(/userFactors: .*no-rows\.parquet must hold at least one row \(Spark ALS writes one row per user\), got 0 rows in 1 file/);
    await expect(importSparkAls({ userFactors: usersDir, itemFactors: noRows })).rejects.toThrow(/itemFactors: .* one row per item\), got 0 rows/);
    await expect(importUsers(join(dir, 'nowhere'))).rejects.toThrow(/userFactors: .*nowhere does not exist/);
    const other = join(dir, 'not-spark');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'x');
    await expect(importUsers(other)).rejects.toThrow(/userFactors: the folder .*not-spark must hold \.parquet files \(Spark writes part-\*\.parquet\), got a folder holding notes\.txt/);
    // A part without rows beside parts with rows is what Spark writes for an empty partition.
    const withEmpty = join(dir, 'with-empty-part');
    mkdirSync(withEmpty);
    await writeFactors(join(withEmpty, 'part-00000.parquet'), USERS);
    await db.run(`COPY (SELECT 1::INTEGER AS id, [1.0]::FLOAT[] AS features WHERE false) TO '${join(withEmpty, 'part-00001.parquet')}' (FORMAT PARQUET)`);
    expect((await importUsers(withEmpty)).userIdMap.size).toBe(USER_IDS.length);
  });

  it('user and item factors of different ranks, bad options and unrelated interactions', async () => {
    const rank3 = await writeFactors(join(dir, 'rank3.parquet'), [[1, [1, 2, 3]]]);
    await expect(importSparkAls({ userFactors: usersDir, itemFactors: rank3 })).rejects.toThrow(/userFactors and itemFactors must have one rank \(they come from one ALS model\), got rank 6 in .*userFactors and 3 in .*rank3\.parquet/);
    await expect(importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { als: { factors: 8 } as never })).rejects.toThrow(/options\.als must not set factors: the rank comes from Spark's factors, got 8/);
    await expect(importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { seed: 1 } as never)).rejects.toThrow(/unknown option "seed"/);
    await expect(importSparkAls({ userFactors: '', itemFactors: itemsFile })).rejects.toThrow(/paths\.userFactors must be a non-empty path/);
    const strangers = fromArrays({ userIds: ['42', 'x'], itemIds: ['u5', 'u6'] });
    await expect(importSparkAls({ userFactors: usersDir, itemFactors: itemsFile }, { interactions: strangers })).rejects.toThrow(/options\.interactions must share raw ids with the Spark factors .*got none of its 2 rows does, the first being user "42", item "u5"/);
  });
});
