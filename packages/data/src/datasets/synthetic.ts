import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { RecordBatch, RecordBatchFileWriter, Schema, Table, makeVector } from 'apache-arrow';
import { extname } from 'node:path';
import { aliasTable } from '../kernels/alias-table.js';
import { checkFinite, checkNonNegativeInt, checkOneOf, checkOptions, checkPositiveInt, describeValue, toRng, type Rng, quiverError } from '@quiver/base';
import { IdMap } from '../id-map.js';
import { Interactions } from '../interactions.js';
import { writeParquetStream } from '../arrow/parquet-io.js';
import { META_ITEM_ID_MAP, META_UNIQUE_PAIRS, META_USER_ID_MAP } from '../arrow/quiver-metadata.js';

/** Options of {@link generateSynthetic} and {@link writeSynthetic}. */
export interface SyntheticOptions {
  /** Number of users (each gets at least one interaction). */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** Number of (unique) interactions, in [numUsers, numUsers × max(1, floor(numItems / 2))], up to 2^31 - 1. */
  readonly numInteractions: number;
  /** Rank of the planted user/item factors. @defaultValue 8 */
  readonly rank?: number;
  /** Exponent s of the Zipf item popularity: the item of popularity rank r has weight 1/(r+1)^s. @defaultValue 1 */
  readonly zipfExponent?: number;
  /** Standard deviation of the rating noise. @defaultValue 0.5 */
  readonly noise?: number;
  /** Seed of everything. @defaultValue 42 */
  readonly seed?: number | string;
  /** First timestamp (seconds); timestamps are uniform over the following 5 years. @defaultValue 1500000000 */
  readonly startTime?: number;
}

/** A generated dataset and the factors planted in it. */
export interface SyntheticData {
  /** The interactions (identity id maps: raw id = index), rows grouped by user. */
  readonly interactions: Interactions;
  /** Row-major, numUsers × rank: the planted user factors. */
  readonly userFactors: Float32Array;
  /** Row-major, numItems × rank: the planted item factors. */
  readonly itemFactors: Float32Array;
  /** Popularity weight of each item (1/(r+1)^s for its random popularity rank r). */
  readonly itemPopularity: Float64Array;
}

interface Checked {
  numUsers: number;
  numItems: number;
  numInteractions: number;
  rank: number;
  zipf: number;
  noise: number;
  startTime: number;
  rng: Rng;
}

const SYNTHETIC_OPTIONS = ['numUsers', 'numItems', 'numInteractions', 'rank', 'zipfExponent', 'noise', 'seed', 'startTime'] as const;

function check(where: string, options: SyntheticOptions, extra: readonly string[] = []): Checked {
  const o = checkOptions(where, options, [...SYNTHETIC_OPTIONS, ...extra]);
  if (options === undefined) throw quiverError('TypeError', { where, what: 'options must be an object with numUsers, numItems and numInteractions', got: 'undefined' });
  const numUsers = checkPositiveInt(where, 'options.numUsers', o.numUsers);
  const numItems = checkPositiveInt(where, 'options.numItems', o.numItems);
  const numInteractions = checkPositiveInt(where, 'options.numInteractions', o.numInteractions);
  const cap = Math.max(1, Math.floor(numItems / 2));
  if (numInteractions < numUsers || numInteractions > numUsers * cap || numInteractions > 0x7fffffff) {
    throw quiverError('RangeError', { where, what: `options.numInteractions must be in [${numUsers}, ${Math.min(numUsers * cap, 0x7fffffff)}] (every user gets at least one item and at most half of the items)`, got: String(numInteractions) });
  }
  const rank = o.rank === undefined ? 8 : checkPositiveInt(where, 'options.rank', o.rank);
  const zipf = o.zipfExponent === undefined ? 1 : checkFinite(where, 'options.zipfExponent', o.zipfExponent);
  if (zipf < 0) throw quiverError('RangeError', { where, what: 'options.zipfExponent must be >= 0', got: String(zipf) });
  const noise = o.noise === undefined ? 0.5 : checkFinite(where, 'options.noise', o.noise);
  if (noise < 0) throw quiverError('RangeError', { where, what: 'options.noise must be >= 0', got: String(noise) });
  const startTime = o.startTime === undefined ? 1_500_000_000 : checkNonNegativeInt(where, 'options.startTime', o.startTime);
  return { numUsers, numItems, numInteractions, rank, zipf, noise, startTime, rng: toRng(where, o.seed) };
}

type Sink = (users: Int32Array, items: Int32Array, ratings: Float32Array, times: Float64Array, count: number) => void | Promise<void>;

/**
 * The generator: per-user degrees from a log-normal activity, items drawn by Zipf popularity
 * (alias table) and accepted with probability sigmoid(2 · p_u·q_i), so that which items a user
 * picks carries the low-rank structure; ratings are 3.5 + p_u·q_i + noise, clamped to
 * [0.5, 5] in half stars. Rows come out grouped by user, in chunks.
 */
async function generate(c: Checked, chunkRows: number, sink: Sink): Promise<{ userFactors: Float32Array; itemFactors: Float32Array; popularity: Float64Array }> {
  const { numUsers, numItems, numInteractions, rank, rng } = c;
  const scale = Math.pow(rank, -0.25); // p·q then has variance ~1
  const userFactors = new Float32Array(numUsers * rank);
  const itemFactors = new Float32Array(numItems * rank);
  for (let k = 0; k < userFactors.length; k++) userFactors[k] = rng.normal() * scale;
  for (let k = 0; k < itemFactors.length; k++) itemFactors[k] = rng.normal() * scale;
  // Zipf popularity over a random ranking of the items.
  const order = new Int32Array(numItems);
  for (let i = 0; i < numItems; i++) order[i] = i;
  rng.shuffle(order);
  const popularity = new Float64Array(numItems);
  let total = 0;
  for (let r = 0; r < numItems; r++) {
    const w = 1 / Math.pow(r + 1, c.zipf);
    popularity[order[r]] = w;
    total += w;
  }
  const prob = new Float64Array(numItems);
  const alias = new Int32Array(numItems);
  aliasTable(popularity, total, prob, alias);
  // Degrees: 1 + share of the rest by log-normal activity, capped at half the items.
  const cap = Math.max(1, Math.floor(numItems / 2));
  const act = new Float64Array(numUsers);
  let actSum = 0;
  for (let u = 0; u < numUsers; u++) {
    act[u] = Math.exp(rng.normal());
    actSum += act[u];
  }
  const deg = new Int32Array(numUsers);
  let assigned = 0;
  const rest = numInteractions - numUsers;
  for (let u = 0; u < numUsers; u++) {
    deg[u] = Math.min(cap, 1 + Math.floor((rest * act[u]) / actSum));
    assigned += deg[u];
  }
  let left = numInteractions - assigned;
  while (left > 0) {
    // Hand out the remainder one at a time to random users below the cap.
    const u = rng.nextInt(numUsers);
    if (deg[u] < cap) {
      deg[u]++;
      left--;
    }
  }
  const stamp = new Int32Array(numItems);
  const users = new Int32Array(chunkRows);
  const items = new Int32Array(chunkRows);
  const ratings = new Float32Array(chunkRows);
  const times = new Float64Array(chunkRows);
  const span = 5 * 365 * 86400;
  let n = 0;
  for (let u = 0; u < numUsers; u++) {
    const pu = u * rank;
    for (let d = 0; d < deg[u]; d++) {
      let item = -1;
      let affinity = 0;
      for (let tries = 0; ; tries++) {
        let cand: number;
        if (tries < 64) {
          const x = rng.nextFloat() * numItems;
          const b = Math.floor(x);
          cand = x - b < prob[b] ? b : alias[b];
          if (stamp[cand] === u + 1) continue; // already picked by this user
        } else {
          // Heavy users of a steep Zipf: take the next item not yet picked after a random one.
          cand = rng.nextInt(numItems);
          while (stamp[cand] === u + 1) cand = cand + 1 === numItems ? 0 : cand + 1;
        }
        let dot = 0;
        const qi = cand * rank;
        for (let f = 0; f < rank; f++) dot += userFactors[pu + f] * itemFactors[qi + f];
        if (tries >= 64 || rng.nextFloat() < 1 / (1 + Math.exp(-2 * dot))) {
          item = cand;
          affinity = dot;
          break;
        }
      }
      stamp[item] = u + 1;
      let r = 3.5 + affinity + c.noise * rng.normal();
      r = Math.round(r * 2) / 2;
      users[n] = u;
      items[n] = item;
      ratings[n] = r < 0.5 ? 0.5 : r > 5 ? 5 : r;
      times[n] = c.startTime + Math.floor(rng.nextFloat() * span);
      if (++n === chunkRows) {
        await sink(users, items, ratings, times, n);
        n = 0;
      }
    }
  }
  if (n > 0) await sink(users, items, ratings, times, n);
  return { userFactors, itemFactors, popularity };
}


/**
 * Generates a seeded synthetic dataset in memory, with a planted low-rank structure and
 * Zipf-like item popularity (see {@link SyntheticOptions}). Pairs are unique; ids are dense
 * (identity id maps). Memory: 20 bytes per interaction.
 * @throws {TypeError} when an option has the wrong kind or an unknown name.
 * @throws {RangeError} when a size is out of range.
 * @example
 * const { interactions } = await generateSynthetic({ numUsers: 1000, numItems: 500, numInteractions: 50_000, seed: 1 });
 */
export async function generateSynthetic(options: SyntheticOptions): Promise<SyntheticData> {
  const c = check('generateSynthetic', options);
  const n = c.numInteractions;
  const userIds = new Int32Array(n);
  const itemIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = new Float64Array(n);
  let at = 0;
  const f = await generate(c, Math.min(n, 1 << 20), (u, i, r, t, count) => {
    userIds.set(u.subarray(0, count), at);
    itemIds.set(i.subarray(0, count), at);
    ratings.set(r.subarray(0, count), at);
    timestamps.set(t.subarray(0, count), at);
    at += count;
  });
  const interactions = Interactions.trusted({ userIds, itemIds, ratings, timestamps, userIdMap: IdMap.identity(c.numUsers, 'user'), itemIdMap: IdMap.identity(c.numItems, 'item') });
  return { interactions, userFactors: f.userFactors, itemFactors: f.itemFactors, itemPopularity: f.popularity };
}

/** The Arrow schema of synthetic data, with identity id maps in the Quiver metadata. */
function syntheticSchema(c: Checked): Schema {
  const t = new Table({
    user: makeVector(new Int32Array(0)),
    item: makeVector(new Int32Array(0)),
    rating: makeVector(new Float32Array(0)),
    timestamp: makeVector(new Float64Array(0)),
  });
  const meta = new Map<string, string>([
    [META_USER_ID_MAP, JSON.stringify(IdMap.identity(c.numUsers, 'user'))],
    [META_ITEM_ID_MAP, JSON.stringify(IdMap.identity(c.numItems, 'item'))],
    [META_UNIQUE_PAIRS, 'true'],
  ]);
  return new Schema(t.schema.fields, meta);
}

/**
 * The generator's chunks as Arrow tables (copied out of its reused buffers), pulled one at a
 * time: the generator waits while two chunks are queued, so memory stays at a few chunks.
 */
async function* chunkTables(c: Checked, chunkRows: number): AsyncGenerator<Table> {
  const queue: Table[] = [];
  let wake: (() => void) | null = null;
  let release: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  void generate(c, chunkRows, async (u, i, r, t, count) => {
    queue.push(
      new Table({
        user: makeVector(u.slice(0, count)),
        item: makeVector(i.slice(0, count)),
        rating: makeVector(r.slice(0, count)),
        timestamp: makeVector(t.slice(0, count)),
      }),
    );
    wake?.();
    if (queue.length >= 2) await new Promise<void>((res) => (release = res));
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (err) => {
      failure = err;
      finished = true;
      wake?.();
    },
  );
  for (;;) {
    if (queue.length > 0) {
      const next = queue.shift()!;
      const r = release as (() => void) | null;
      release = null;
      r?.();
      yield next;
      continue;
    }
    if (finished) {
      if (failure !== null) throw failure;
      return;
    }
    await new Promise<void>((res) => (wake = res));
    wake = null;
  }
}

/** Options of {@link writeSynthetic}. */
export interface WriteSyntheticOptions extends SyntheticOptions {
  /** Output format. @defaultValue from the extension: .csv, .tsv, .dat (`::`), .arrow/.feather, .parquet */
  readonly format?: 'csv' | 'tsv' | 'dat' | 'arrow' | 'parquet';
  /** Rows per generated chunk (an Arrow record batch, a Parquet row group). @defaultValue 1048576 */
  readonly chunkRows?: number;
}

/**
 * Generates a synthetic dataset straight into a file, streamed chunk by chunk in every format
 * (CSV/TSV/dat text, Arrow IPC record batches of 2^20 rows, Parquet row groups of 2^20 rows),
 * so 100 million rows need no more memory than the planted factors and a few chunks. Arrow
 * and Parquet files carry identity id maps, so they reload without copying. The same seed
 * gives the same rows as
 * {@link generateSynthetic}. CSV has the header `user,item,rating,timestamp`; TSV and `.dat`
 * have none. The file appears under its name only when complete.
 * @returns The number of rows and bytes written.
 * @throws {TypeError} when the format is unknown.
 * @throws {RangeError} when a size is out of range.
 * @throws {Error} when the file cannot be written.
 * @example
 * await writeSynthetic('/tmp/big.csv', { numUsers: 200_000, numItems: 50_000, numInteractions: 20_000_000 });
 */
export async function writeSynthetic(path: string, options: WriteSyntheticOptions): Promise<{
  /** Number of interaction rows written (= `options.numInteractions`). */
  rows: number;
  /** Size of the written file in bytes. */
  bytes: number;
}> {
  const where = 'writeSynthetic';
  if (typeof path !== 'string' || path === '') throw quiverError('TypeError', { where, what: 'path must be a non-empty string', got: describeValue(path) });
  const c = check(where, options, ['format', 'chunkRows']);
  const ext = extname(path).toLowerCase().slice(1);
  const byExt: Record<string, 'csv' | 'tsv' | 'dat' | 'arrow' | 'parquet'> = { csv: 'csv', tsv: 'tsv', dat: 'dat', arrow: 'arrow', feather: 'arrow', parquet: 'parquet' };
  const format = options.format === undefined ? byExt[ext] : checkOneOf(where, 'options.format', options.format, ['csv', 'tsv', 'dat', 'arrow', 'parquet'] as const);
  if (format === undefined) throw quiverError('TypeError', { where, what: 'path must end in .csv, .tsv, .dat, .arrow, .feather or .parquet (or pass options.format)', got: describeValue(path) });
  const chunkRows = options.chunkRows === undefined ? 1 << 20 : checkPositiveInt(where, 'options.chunkRows', options.chunkRows);
  if (format === 'arrow' || format === 'parquet') {
    const schema = syntheticSchema(c);
    if (format === 'parquet') {
      await writeParquetStream(where, path, schema, chunkTables(c, chunkRows), { compression: 'snappy', rowGroupSize: chunkRows });
    } else {
      const part = `${path}.part-${process.pid}`;
      try {
        const writer = new RecordBatchFileWriter();
        const done = pipeline(writer.toNodeStream(), createWriteStream(part));
        for await (const t of chunkTables(c, chunkRows)) for (const b of t.batches) writer.write(new RecordBatch(schema, b.data));
        writer.finish();
        await done;
        await rename(part, path);
      } catch (err) {
        await rm(part, { force: true });
        throw quiverError('Error', { where, what: `cannot write ${path}: ${(err as Error).message}` });
      }
    }
    return { rows: c.numInteractions, bytes: (await stat(path)).size };
  }
  const sep = format === 'csv' ? ',' : format === 'tsv' ? '\t' : '::';
  const part = `${path}.part-${process.pid}`;
  let fh: FileHandle | null = null;
  let bytes = 0;
  try {
    fh = await open(part, 'w');
    const file = fh;
    const write = async (s: string) => {
      const buf = Buffer.from(s);
      bytes += buf.length;
      await file.write(buf);
    };
    if (format === 'csv') await write('user,item,rating,timestamp\n');
    await generate(c, Math.min(chunkRows, 1 << 16), async (u, i, r, t, count) => {
      let s = '';
      for (let k = 0; k < count; k++) s += `${u[k]}${sep}${i[k]}${sep}${r[k]}${sep}${t[k]}\n`;
      await write(s);
    });
    await fh.close();
    fh = null;
    await rename(part, path);
  } catch (err) {
    if (fh !== null) await fh.close();
    await rm(part, { force: true });
    throw quiverError('Error', { where, what: `cannot write ${path}: ${(err as Error).message}` });
  }
  return { rows: c.numInteractions, bytes };
}
