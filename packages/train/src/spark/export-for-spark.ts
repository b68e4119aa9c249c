import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { checkInteractionData, checkOptions, checkPositiveInt, describeValue, quiverError, type InteractionData } from '@quiver/base';
import { IdMap, writeParquet, type IdMapJSON, type Interactions } from '@quiver/data';
import { RecommenderBase, type FoldInRecommender } from '@quiver/mf';
import { replaceFolderAtomic } from './replace-folder-atomic.js';
import { sparkFactorsOf } from './spark-factors-of-model.js';
import { sparkIntIds } from './spark-int-ids.js';
import { rawIdColumn, sparkFactorTable, sparkInteractionsTable, type RawIdKind } from './spark-tables.js';

/** The file at the top of an export folder that marks it as one (and lets a new export replace it). */
export const SPARK_EXPORT_MARKER = 'quiver-spark-export.json';

/** Options of {@link exportForSpark}. */
export interface ExportForSparkOptions {
  /**
   * Interactions to write to `dir/interactions/`. An `Interactions` of `@quiver/data` is written
   * with its own raw ids; a plain `InteractionData` with `userIdMap` / `itemIdMap` when given,
   * else its indices as the ids.
   * @defaultValue none
   */
  readonly interactions?: Interactions | InteractionData;
  /**
   * A fitted factor model (ALS, BPR, BiasedMF, SVD++, PureSVD, BayesianMF) whose user and item
   * vectors go to `dir/userFactors/` and `dir/itemFactors/`; biases are folded in as extra
   * columns (see {@link SparkExport.biasColumns}).
   * @defaultValue none
   */
  readonly model?: FoldInRecommender;
  /**
   * Raw user id of each dense user index: of the model's rows, and of a plain `InteractionData`'s
   * indices.
   * @defaultValue the model's id maps (`model.idMaps`, which `loadModel` and training on an
   *   `Interactions` set), else identity (raw id = index)
   */
  readonly userIdMap?: IdMap;
  /** Raw item id of each dense item index; as {@link ExportForSparkOptions.userIdMap}. @defaultValue as userIdMap */
  readonly itemIdMap?: IdMap;
  /** Files per table (`part-00000.parquet` …), rows split evenly in order; a part may be empty. @defaultValue 1 */
  readonly partitions?: number;
}

/** One table written by {@link exportForSpark}. */
export interface SparkExportTable {
  /** Rows written. */
  readonly rows: number;
  /** The part files, in order. */
  readonly files: readonly string[];
}

/** What {@link exportForSpark} wrote. */
export interface SparkExport {
  /** The export folder. */
  readonly dir: string;
  /** `dir/interactions/`, or null when no interactions were given. */
  readonly interactions: (SparkExportTable & {
    /** Parquet type of the `user` column (the raw ids' type). */
    readonly userIdType: RawIdKind;
    /** Parquet type of the `item` column. */
    readonly itemIdType: RawIdKind;
    /** Whether a `timestamp` (int64) column was written. */
    readonly timestamp: boolean;
    /** Whether `rating` holds the data's ratings (false: 1 for every row). */
    readonly ratings: boolean;
  }) | null;
  /** `dir/userFactors/`, or null when no model was given. */
  readonly userFactors: SparkExportTable | null;
  /** `dir/itemFactors/`, or null when no model was given. */
  readonly itemFactors: SparkExportTable | null;
  /** Length of the written vectors (Spark's `rank`), or null without a model. */
  readonly rank: number | null;
  /**
   * Bias columns appended after the model's factors so that Spark's dot product is the model's
   * score: `'user'` (users hold `mu + b_u`, items 1), `'item'` (users 1, items `b_i`); empty for
   * models without biases (ALS, PureSVD) and without a model.
   */
  readonly biasColumns: readonly ('user' | 'item')[];
}

/** The id maps a value holds, if it is a `@quiver/data` Interactions. */
function ownMaps(data: InteractionData): { users: IdMap; items: IdMap } | null {
  const d = data as InteractionData & { userIdMap?: unknown; itemIdMap?: unknown };
  return d.userIdMap instanceof IdMap && d.itemIdMap instanceof IdMap ? { users: d.userIdMap, items: d.itemIdMap } : null;
}

/** `map` when given (checked against `size`), else the fallback. */
function pickMap(where: string, name: string, map: IdMap | undefined, fallback: () => IdMap, size: number, of: string): IdMap {
  const m = map ?? fallback();
  if (!(m instanceof IdMap)) throw quiverError('TypeError', { where, what: `options.${name} must be an IdMap`, got: describeValue(m) });
  if (m.size !== size) throw quiverError('RangeError', { where, what: `options.${name} must map the ${size} ${name === 'userIdMap' ? 'users' : 'items'} of ${of}`, got: `a map of ${m.size} ids` });
  return m;
}

/** Rows per Parquet row group of the interactions (about 20 MB of columns). */
const INTERACTION_ROW_GROUP = 1 << 20;
/** Values per row group of a factor table (16 MiB of floats), so a large table never sits whole in WebAssembly memory. */
const FACTOR_GROUP_VALUES = 1 << 22;

/** Row bounds of part `p` of `parts` over `n` rows: `[floor(p·n/parts), floor((p+1)·n/parts))`. */
function bounds(n: number, parts: number, p: number): [number, number] {
  return [Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)];
}

/** Writes `parts` Parquet files `folder/part-00000.parquet` … from row slices of a table. */
async function writeParts(folder: string, rows: number, parts: number, rowGroupSize: number, slice: (start: number, end: number) => Table): Promise<string[]> {
  await mkdir(folder);
  const files: string[] = [];
  for (let p = 0; p < parts; p++) {
    const [a, b] = bounds(rows, parts, p);
    const name = `part-${String(p).padStart(5, '0')}.parquet`;
    await writeParquet(slice(a, b), join(folder, name), { rowGroupSize });
    files.push(name);
  }
  return files;
}

/** Timestamps as int64, refusing values that are not whole numbers. */
function int64Timestamps(where: string, ts: Float64Array): BigInt64Array {
  const out = new BigInt64Array(ts.length);
  for (let n = 0; n < ts.length; n++) {
    const t = ts[n];
    if (!Number.isSafeInteger(t)) throw quiverError('RangeError', { where, what: "interactions' timestamps must be whole numbers (the timestamp column is int64)", got: `${t} at row ${n}` });
    out[n] = BigInt(t);
  }
  return out;
}

/**
 * Writes interactions and/or a factor model as Parquet that Spark reads, into folder `dir`:
 * - `dir/interactions/part-00000.parquet …`: `user`, `item` (the raw ids as the id maps hold
 *   them: int32 when they are integers that fit, int64 for larger integers, float64 for other
 *   numbers, string otherwise), `rating` (float; 1 for data without ratings) and `timestamp`
 *   (int64, when the data has timestamps): the input of `ALS(userCol="user", itemCol="item",
 *   ratingCol="rating")` (Spark's ALS takes numeric ids in the int range; string ids need a
 *   `StringIndexer` first);
 * - `dir/userFactors/part-*.parquet` and `dir/itemFactors/part-*.parquet`: `id: int`,
 *   `features: array<float>` (a Parquet LIST of FLOAT in the 3-level encoding), Spark ALS's own
 *   schema, so `ALSModel`'s factor tables can be replaced by them or {@link importSparkAls}
 *   can read them back. Factor ids must be integers in the int32 range (Spark ALS ids are int);
 *   other ids are refused.
 * - `dir/quiver-spark-export.json`: what was written (Spark never reads it).
 *
 * Each table is split into `partitions` files of consecutive rows of nearly equal size. The
 * folder is written beside `dir` and swapped in by rename, so `dir` is never half-written; an
 * existing `dir` is replaced only when it is empty or an earlier export.
 * @returns What was written.
 * @throws {TypeError} when neither `interactions` nor `model` is given, the model is not a
 *   factor model (naming its kind), or an option is of the wrong type.
 * @throws {RangeError} for factor ids that are not int32 integers (naming the first), id maps of
 *   the wrong size, timestamps that are not whole numbers, or a bad `partitions`.
 * @throws {Error} when `dir` is a file or a folder of other things, or writing fails.
 * @example
 * await exportForSpark('out/spark', { interactions: train, model, partitions: 4 });
 * // PySpark: ALS(...).fit(spark.read.parquet('out/spark/interactions'))
 */
export async function exportForSpark(dir: string, options: ExportForSparkOptions): Promise<SparkExport> {
  const where = 'exportForSpark';
  if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where, what: 'dir must be a non-empty string', got: describeValue(dir) });
  if (typeof options !== 'object' || options === null) throw quiverError('TypeError', { where, what: 'options must be { interactions?, model?, userIdMap?, itemIdMap?, partitions? }', got: describeValue(options) });
  const o = checkOptions(where, options, ['interactions', 'model', 'userIdMap', 'itemIdMap', 'partitions']);
  if (o.interactions === undefined && o.model === undefined) throw quiverError('TypeError', { where, what: 'options must give interactions or a model (or both) to export', got: 'neither' });
  const partitions = o.partitions === undefined ? 1 : checkPositiveInt(where, 'options.partitions', o.partitions);

  // Everything is checked and converted before anything is written.
  let factors: { users: Int32Array; items: Int32Array; u: Float32Array; i: Float32Array; rank: number; biasColumns: readonly ('user' | 'item')[] } | null = null;
  if (o.model !== undefined) {
    const model = o.model;
    if (!(model instanceof RecommenderBase)) throw quiverError('TypeError', { where, what: 'options.model must be a Quiver model', got: describeValue(model) });
    if (!model.isFitted) throw quiverError('Error', { where, what: 'options.model must be fitted; call fit(data) or loadModel first' });
    const t = sparkFactorsOf(where, model);
    const saved = model.idMaps;
    const asMap = (m: unknown): IdMap => (m instanceof IdMap ? m : IdMap.fromJSON(m as IdMapJSON));
    const users = pickMap(where, 'userIdMap', o.userIdMap, () => (saved === null ? IdMap.identity(model.numUsers, 'user') : asMap(saved.users)), model.numUsers, 'the model');
    const items = pickMap(where, 'itemIdMap', o.itemIdMap, () => (saved === null ? IdMap.identity(model.numItems, 'item') : asMap(saved.items)), model.numItems, 'the model');
    factors = { users: sparkIntIds(where, 'userFactors', users), items: sparkIntIds(where, 'itemFactors', items), u: t.users, i: t.items, rank: t.rank, biasColumns: t.biasColumns };
  }
  let inter: Parameters<typeof sparkInteractionsTable>[0] | null = null;
  if (o.interactions !== undefined) {
    const data = checkInteractionData(`${where}: options.interactions`, o.interactions, false);
    const own = ownMaps(data);
    const users = own?.users ?? pickMap(where, 'userIdMap', o.userIdMap, () => IdMap.identity(data.numUsers, 'user'), data.numUsers, 'the interactions');
    const items = own?.items ?? pickMap(where, 'itemIdMap', o.itemIdMap, () => IdMap.identity(data.numItems, 'item'), data.numItems, 'the interactions');
    const ts = (data as InteractionData & { timestamps?: unknown }).timestamps;
    inter = {
      users: rawIdColumn(users),
      items: rawIdColumn(items),
      userIds: data.userIds,
      itemIds: data.itemIds,
      ratings: data.ratings,
      timestamps: ts instanceof Float64Array ? int64Timestamps(where, ts) : null,
    };
  }

  const interactions = inter;
  const model = factors;
  let result: SparkExport | null = null;
  await replaceFolderAtomic(where, dir, SPARK_EXPORT_MARKER, async (tmp) => {
    let interOut: SparkExport['interactions'] = null;
    let userOut: SparkExportTable | null = null;
    let itemOut: SparkExportTable | null = null;
    if (interactions !== null) {
      const rows = interactions.userIds.length;
      const files = await writeParts(join(tmp, 'interactions'), rows, partitions, INTERACTION_ROW_GROUP, (a, b) => sparkInteractionsTable(interactions, a, b));
      interOut = { rows, files, userIdType: interactions.users.kind, itemIdType: interactions.items.kind, timestamp: interactions.timestamps !== null, ratings: interactions.ratings !== null };
    }
    if (model !== null) {
      const k = model.rank;
      const group = Math.max(1, Math.floor(FACTOR_GROUP_VALUES / k));
      userOut = { rows: model.users.length, files: await writeParts(join(tmp, 'userFactors'), model.users.length, partitions, group, (a, b) => sparkFactorTable(model.users, model.u, k, a, b)) };
      itemOut = { rows: model.items.length, files: await writeParts(join(tmp, 'itemFactors'), model.items.length, partitions, group, (a, b) => sparkFactorTable(model.items, model.i, k, a, b)) };
    }
    result = { dir, interactions: interOut, userFactors: userOut, itemFactors: itemOut, rank: model?.rank ?? null, biasColumns: model?.biasColumns ?? [] };
    await writeFile(join(tmp, SPARK_EXPORT_MARKER), `${JSON.stringify({ format: 'quiver.spark-export', version: 1, partitions, ...result, dir: undefined }, null, 2)}\n`);
  });
  return result!;
}
