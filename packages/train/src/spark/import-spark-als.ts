import { checkOptions, describeValue, quiverError, type InteractionData } from '@quiver/base';
import { Tensor } from '@quiver/core';
import type { IdMap, Interactions } from '@quiver/data';
import { ALS, WEIGHT_NAMES, type AlsOptions } from '@quiver/mf';
import { readSparkFactors } from './read-spark-factors.js';
import { seenFromInteractions } from './seen-from-interactions.js';

/** Where a Spark ALS model's factors are: each a folder of `part-*.parquet` files or one `.parquet` file. */
export interface SparkAlsFactorPaths {
  /** `model.userFactors` as Spark wrote it (`id: int`, `features: array<float>`), e.g. `als-model/userFactors`. */
  readonly userFactors: string;
  /** `model.itemFactors` as Spark wrote it, e.g. `als-model/itemFactors`. */
  readonly itemFactors: string;
}

/** Options of {@link importSparkAls}. */
export interface ImportSparkAlsOptions {
  /**
   * The training interactions, for the seen-items matrix that `recommend(..., { filterSeen })`
   * and `quiver recommend` / `eval` use. An `Interactions` is matched to the factors by its raw
   * ids (numbers; bigints and integer strings such as `"42"` count as the integer); a plain
   * `InteractionData` holds Spark's raw ids themselves in `userIds` / `itemIds`. Rows whose user
   * or item has no factors are left out (and counted in the result).
   * @defaultValue none: the seen-items matrix is empty, so `filterSeen` filters nothing
   */
  readonly interactions?: Interactions | InteractionData;
  /**
   * Hyper-parameters of the Quiver `ALS` that holds the factors, for what uses them after the
   * import: `foldIn` / `recommendForNew` (its `reg` and `alpha`) and a later `fit`. Everything
   * but `factors`, which is the files' rank. Spark's `regParam` is scaled by each row's number of
   * ratings and Quiver's `reg` is not, so give a `reg` that suits Quiver's objective.
   * @defaultValue ALS's defaults
   */
  readonly als?: Omit<AlsOptions, 'factors'>;
}

/** What {@link importSparkAls} returns. */
export interface ImportedSparkAls {
  /** A fitted Quiver ALS holding Spark's factors: `predict(u, i)` is `⟨userFactors[u], itemFactors[i]⟩`. */
  readonly model: ALS;
  /** Spark's user id (a number) of each dense user row, ascending; also set as the model's id maps. */
  readonly userIdMap: IdMap;
  /** Spark's item id of each dense item row, ascending. */
  readonly itemIdMap: IdMap;
  /** The factors' length (Spark's `rank`; the model's `factors`). */
  readonly rank: number;
  /** Rows of `options.interactions` in the seen-items matrix (0 without it). */
  readonly seenInteractions: number;
  /** Rows of `options.interactions` left out because their user or item has no factors. */
  readonly skippedInteractions: number;
  /** The Parquet files read. */
  readonly files: {
    /** The user factor files, in name order. */
    readonly userFactors: readonly string[];
    /** The item factor files, in name order. */
    readonly itemFactors: readonly string[];
  };
}

/**
 * Imports a model trained by Spark MLlib's `ALS` (`pyspark.ml.recommendation.ALS`): reads its
 * `userFactors` and `itemFactors` (the folders `ALSModel.save(path)` writes under `path`, or the
 * output of `model.userFactors.write.parquet(...)`: `id: int`, `features: array<float>`) and
 * returns a fitted Quiver `ALS` with exactly those factors. Its score of a user and an item is
 * the plain dot product `⟨userFactors[u], itemFactors[i]⟩` (an ALS has no biases or global
 * mean), which is what Spark's `model.transform` predicts and `recommendForAllUsers` ranks by.
 * Dense rows follow ascending Spark ids, so the model does not depend on Spark's partitioning.
 *
 * The seen-items matrix is empty unless `options.interactions` is given: without it,
 * `recommend(user, k, { filterSeen: true })` filters nothing (as Spark's `recommendForAllUsers`,
 * which does not filter either). Save the model with `saveModel(model, dir)` (the id maps come
 * along) for `quiver recommend`, `quiver eval` and `quiver serve`.
 *
 * @throws {Error} naming the file (and the row, 0-based within it, with its id) for a missing
 *   path, a folder without `.parquet` files, an empty or invalid Parquet file, a missing column,
 *   a null, NaN or ±Infinity value, vectors of different lengths, an id that appears twice, no
 *   rows at all, user and item factors of different ranks, and interactions that share no raw
 *   id with the factors.
 * @throws {TypeError} when `id` is not int32 or `features` not a list of float32, or an option is
 *   unknown or of the wrong type.
 * @example
 * const { model, userIdMap, itemIdMap } = await importSparkAls(
 *   { userFactors: 'als-model/userFactors', itemFactors: 'als-model/itemFactors' },
 *   { interactions: train },
 * );
 * const top = model.recommend(userIdMap.toIndex(42), 10, { filterSeen: true });
 * Array.from(top.ids, (i) => itemIdMap.toRaw(i)); // Spark item ids
 */
export async function importSparkAls(paths: SparkAlsFactorPaths, options?: ImportSparkAlsOptions): Promise<ImportedSparkAls> {
  const where = 'importSparkAls';
  if (typeof paths !== 'object' || paths === null) throw quiverError('TypeError', { where, what: 'paths must be { userFactors, itemFactors }', got: describeValue(paths) });
  for (const key of ['userFactors', 'itemFactors'] as const) {
    if (typeof paths[key] !== 'string' || paths[key] === '') throw quiverError('TypeError', { where, what: `paths.${key} must be a non-empty path`, got: describeValue(paths[key]) });
  }
  const o = checkOptions(where, options, ['interactions', 'als']);
  if (o.als !== undefined && (typeof o.als !== 'object' || o.als === null)) throw quiverError('TypeError', { where, what: 'options.als must be ALS options', got: describeValue(o.als) });
  if (o.als !== undefined && Object.hasOwn(o.als, 'factors')) {
    throw quiverError('TypeError', { where, what: "options.als must not set factors: the rank comes from Spark's factors", got: describeValue((o.als as AlsOptions).factors) });
  }
  const users = await readSparkFactors(where, 'userFactors', paths.userFactors);
  const items = await readSparkFactors(where, 'itemFactors', paths.itemFactors);
  if (users.rank !== items.rank) {
    throw quiverError('Error', { where, what: `userFactors and itemFactors must have one rank (they come from one ALS model)`, got: `rank ${users.rank} in ${paths.userFactors} and ${items.rank} in ${paths.itemFactors}` });
  }
  const rank = users.rank;
  const model = new ALS({ ...o.als, factors: rank });
  model.setState({
    [WEIGHT_NAMES.userFactors]: new Tensor(users.vectors, [users.idMap.size, rank]),
    [WEIGHT_NAMES.itemFactors]: new Tensor(items.vectors, [items.idMap.size, rank]),
  });
  model.setIdMaps({ users: users.idMap, items: items.idMap });
  let seenInteractions = 0;
  let skippedInteractions = 0;
  if (o.interactions !== undefined) {
    const seen = seenFromInteractions(where, o.interactions, users.idMap, items.idMap);
    model.setSeen(seen.indptr, seen.indices);
    seenInteractions = seen.used;
    skippedInteractions = seen.skipped;
  }
  return { model, userIdMap: users.idMap, itemIdMap: items.idMap, rank, seenInteractions, skippedInteractions, files: { userFactors: users.files, itemFactors: items.files } };
}
