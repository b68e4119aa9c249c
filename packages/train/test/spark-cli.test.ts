// quiver spark-import / spark-export, run as functions: a Spark ALS model written by DuckDB in
// Spark's layout (model.save: userFactors/, itemFactors/) is imported, recommended from with
// `quiver recommend` (checked against dot products computed here), and exported back to Parquet
// that DuckDB reads as the same factors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fromArrays } from '@quiver/data';
import { Popularity, saveModel } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/output.js';
import { recommendCommand } from '../src/cli/recommend-command.js';
import { sparkExportCommand, sparkImportCommand, SPARK_EXPORT_HELP, SPARK_IMPORT_HELP } from '../src/cli/spark-command.js';

type Row = readonly [id: number, features: readonly number[]];

/** Small exact float32 values, (seed · 37 + f · 11) mod 17 − 8, quartered. */
const factorRow = (id: number, seed: number): Row => [id, Array.from({ length: 4 }, (_, f) => (((id * 37 + seed * 13 + f * 11) % 17) - 8) / 4)];
const USERS: Row[] = [1, 2, 3, 42].map((id) => factorRow(id, 1));
const ITEMS: Row[] = [10, 20, 30, 40, 50, 60].map((id) => factorRow(id, 2));
const TITLES: Record<number, string> = { 10: 'Ten (1990)', 20: 'Twenty (1991)', 30: 'Thirty (1992)', 40: 'Forty (1993)', 50: 'Fifty (1994)', 60: 'Sixty (1995)' };
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, f) => s + x * b[f], 0);
const SEEN: Record<number, number[]> = { 1: [10], 2: [20, 30], 3: [40], 42: [10, 20] };

let dir: string;
let sparkModel: string;
let ratings: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

/** A CliIo that collects what a command prints. */
function captureIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return { io: { out: (t) => (out += t), err: (t) => (err += t), errStream: sink }, out: () => out, err: () => err };
}

async function writeFactors(path: string, rows: readonly Row[]): Promise<void> {
  const values = rows.map(([id, f]) => `(${id}, [${f.map((x) => `${x}::DOUBLE`).join(', ')}])`).join(', ');
  await db.run(`COPY (SELECT id::INTEGER AS id, features::FLOAT[] AS features FROM (VALUES ${values}) t(id, features)) TO '${path}' (FORMAT PARQUET)`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-spark-cli-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  // model.save(path) layout: metadata/, userFactors/part-*, itemFactors/part-*.
  sparkModel = join(dir, 'als-model');
  for (const side of ['metadata', 'userFactors', 'itemFactors']) mkdirSync(join(sparkModel, side), { recursive: true });
  writeFileSync(join(sparkModel, 'metadata', 'part-00000'), '{"class":"org.apache.spark.ml.recommendation.ALSModel","rank":4}\n');
  await writeFactors(join(sparkModel, 'userFactors', 'part-00000.snappy.parquet'), USERS.slice(0, 2));
  await writeFactors(join(sparkModel, 'userFactors', 'part-00001.snappy.parquet'), USERS.slice(2));
  await writeFactors(join(sparkModel, 'itemFactors', 'part-00000.snappy.parquet'), ITEMS);
  // The training interactions as a MovieLens-style folder (ratings.csv + movies.csv: titles).
  const data = join(dir, 'ml');
  mkdirSync(data);
  ratings = join(data, 'ratings.csv');
  const lines = Object.entries(SEEN).flatMap(([u, items]) => items.map((i, k) => `${u},${i},${4 - k},${1_700_000_000 + i}`));
  writeFileSync(ratings, `userId,movieId,rating,timestamp\n${lines.join('\n')}\n`);
  writeFileSync(join(data, 'movies.csv'), `movieId,title,genres\n${Object.entries(TITLES).map(([i, t]) => `${i},${t},Drama`).join('\n')}\n`);
});

afterAll(() => {
  db?.closeSync();
  instance?.closeSync();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('quiver spark-import', () => {
  it('imports model.save output with --data, and quiver recommend ranks by the dot product, leaving out seen items, with titles', async () => {
    const out = join(dir, 'imported');
    const c = captureIo();
    expect(await sparkImportCommand(['--spark-model', sparkModel, '--data', ratings, '--out', out, '--json'], c.io)).toBe(0);
    expect(c.err()).toBe('');
    expect(JSON.parse(c.out())).toMatchObject({ command: 'spark-import', model: 'als', numUsers: 4, numItems: 6, rank: 4, seenInteractions: 6, skippedInteractions: 0, titles: true });
    for (const [uid, u] of USERS) {
      const r = captureIo();
      expect(await recommendCommand(['--model', out, '--user', String(uid), '-k', '3', '--json'], r.io)).toBe(0);
      const got = JSON.parse(r.out()).recommendations as { item: number; score: number; title: string }[];
      const want = ITEMS.filter(([id]) => !SEEN[uid].includes(id)).sort((a, b) => dot(u, b[1]) - dot(u, a[1]) || a[0] - b[0]).slice(0, 3);
      expect(got.map((x) => x.item)).toEqual(want.map(([id]) => id));
      for (let k = 0; k < 3; k++) {
        expect(got[k].score).toBeCloseTo(dot(u, want[k][1]), 5);
        // Titles come from movies.csv for the items of --data (an item no one rated has none).
        const rated = Object.values(SEEN).some((items) => items.includes(want[k][0]));
        expect(got[k].title).toBe(rated ? TITLES[want[k][0]] : undefined);
      }
    }
  });

  it('takes --user-factors / --item-factors and says on stderr that nothing is left out without --data', async () => {
    const out = join(dir, 'imported-plain');
    const c = captureIo();
    await sparkImportCommand(['--user-factors', join(sparkModel, 'userFactors'), '--item-factors', join(sparkModel, 'itemFactors'), '--out', out], c.io);
    expect(c.err()).toMatch(/quiver: Spark ALS factors: 4 users, 6 items, rank 4 \(2 \+ 1 Parquet files\)/);
    expect(c.err()).toMatch(/no --data: the model has no training interactions, so quiver recommend and eval leave nothing out/);
    const r = captureIo();
    await recommendCommand(['--model', out, '--user', '42', '-k', '6', '--json'], r.io);
    expect(JSON.parse(r.out()).recommendations).toHaveLength(6);
  });

  it('refuses bad flags (exit code 2) and bad factors (1), in one line naming the file', async () => {
    const c = captureIo();
    await expect(sparkImportCommand(['--spark-model', sparkModel], c.io)).rejects.toMatchObject({ exitCode: 2, message: 'quiver spark-import: --out is required (the model folder to write)' });
    await expect(sparkImportCommand(['--user-factors', 'a', '--out', 'o'], c.io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--item-factors is required/) });
    await expect(sparkImportCommand(['--spark-model', sparkModel, '--user-factors', 'a', '--out', 'o'], c.io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/pass --spark-model DIR or --user-factors and --item-factors, not both/) });
    const bad = join(dir, 'bad-items.parquet');
    await db.run(`COPY (SELECT 10::INTEGER AS id, [1.0, 'nan'::FLOAT, 0, 0]::FLOAT[] AS features) TO '${bad}' (FORMAT PARQUET)`);
    const err = await sparkImportCommand(['--user-factors', join(sparkModel, 'userFactors'), '--item-factors', bad, '--out', join(dir, 'never')], c.io).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 1 });
    expect((err as Error).message).toMatch(/^quiver spark-import: itemFactors: .*bad-items\.parquet row 0 \(id 10\): features must be finite, got NaN at \[1\]$/);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'x.txt'), '');
    await expect(sparkImportCommand(['--spark-model', sparkModel, '--out', busy], c.io)).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/^quiver spark-import: cannot write --out .*busy: .*must be a model folder, an empty folder or a new path/) });
    expect(SPARK_IMPORT_HELP).toMatch(/--spark-model DIR/);
  });
});

describe('quiver spark-export', () => {
  it('exports an imported model back to the same Spark factors, and the interactions of --data', async () => {
    const model = join(dir, 'imported');
    const out = join(dir, 'exported');
    const c = captureIo();
    expect(await sparkExportCommand(['--model', model, '--data', ratings, '--out', out, '--partitions', '2', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ command: 'spark-export', model: 'als', partitions: 2, rank: 4, biasColumns: [], userFactors: { rows: 4 }, itemFactors: { rows: 6 }, interactions: { rows: 6, userIdType: 'int32', itemIdType: 'int32', timestamp: true } });
    for (const [side, rows] of [['userFactors', USERS], ['itemFactors', ITEMS]] as const) {
      const got = (await db.runAndReadAll(`SELECT id, features FROM read_parquet('${join(out, side, '*.parquet')}') ORDER BY id`)).getRowObjectsJS();
      expect(got).toEqual(rows.map(([id, features]) => ({ id, features })));
    }
    const inter = (await db.runAndReadAll(`SELECT "user", item, rating, "timestamp" FROM read_parquet('${join(out, 'interactions', '*.parquet')}') ORDER BY "user", item`)).getRowObjectsJS();
    expect(inter).toEqual(Object.entries(SEEN).flatMap(([u, items]) => items.map((i, k) => ({ user: Number(u), item: i, rating: 4 - k, timestamp: BigInt(1_700_000_000 + i) }))).sort((a, b) => a.user - b.user || a.item - b.item));
  });

  it('refuses a model without factors naming its kind, and bad flags', async () => {
    const pop = new Popularity();
    pop.fit(fromArrays({ userIds: [1, 2], itemIds: [3, 4] }));
    const popDir = join(dir, 'popularity');
    await saveModel(pop, popDir);
    const c = captureIo();
    await expect(sparkExportCommand(['--model', popDir, '--out', join(dir, 'never')], c.io)).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(/^quiver spark-export: --model .*popularity holds a 'popularity' model, which has no user and item factors; Spark ALS factors come from factor models only/),
    });
    await expect(sparkExportCommand(['--model', popDir, '--out', 'o', '--partitions', '0'], c.io)).rejects.toMatchObject({ exitCode: 2, message: 'quiver spark-export: --partitions must be a positive integer, got "0"' });
    await expect(sparkExportCommand(['--out', 'o'], c.io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--model is required/) });
    await expect(sparkExportCommand(['--model', popDir, '--out', 'o', '--columns', 'a,b'], c.io)).rejects.toMatchObject({ exitCode: 2 });
    expect(SPARK_EXPORT_HELP).toMatch(/--partitions N/);
  });
});
