import { join } from 'node:path';
import { QuiverError } from '@quiver/base';
import { INTERACTION_FILE_FORMATS, type CsvColumnMapping, type CsvDelimiter, type IdMap, type InteractionFileFormat } from '@quiver/data';
import { checkSaveTarget, FactorModel, saveModel } from '@quiver/mf';
import { exportForSpark } from '../spark/export-for-spark.js';
import { importSparkAls, type ImportedSparkAls } from '../spark/import-spark-als.js';
import { sparkRow } from '../spark/seen-from-interactions.js';
import { CliError, cliErrorFrom } from './cli-error.js';
import { loadCliData, type CliDataset } from './load-cli-data.js';
import { loadStoredModel } from './model-store.js';
import { fmtInt, jsonSafe, type CliIo } from './output.js';
import { parseCliArgs } from './parse-cli-args.js';
import { parseChoiceFlag, parseColumns, parseDelimiter, parseIntFlag } from './parse-values.js';

/** `quiver spark-import --help`. */
export const SPARK_IMPORT_HELP = `quiver spark-import --user-factors P --item-factors P --out DIR [options]

Imports a model trained by Spark MLlib's ALS (pyspark.ml.recommendation.ALS) and saves it as a
Quiver model folder that quiver recommend, eval and serve load. Spark's factors are read as they
are (each a folder of part-*.parquet files as Spark writes them, or one .parquet file, with the
schema id: int, features: array<float>); the model scores a user and an item by the dot product
of their factors, as Spark's transform does. Users and items keep Spark's ids.

  --user-factors P       model.userFactors as Spark wrote it (e.g. als-model/userFactors)
  --item-factors P       model.itemFactors as Spark wrote it (e.g. als-model/itemFactors)
  --spark-model DIR      a folder written by Spark's model.save(DIR): reads DIR/userFactors and
                         DIR/itemFactors (instead of the two flags above)
  --out DIR              the model folder to write (a new path, an empty folder or a model folder)
  --data <file|name>     the training interactions (same formats as quiver train), matched to the
                         factors by raw id: the items each user has are then left out by
                         quiver recommend and eval, and MovieLens titles are kept. Without it
                         nothing is left out (as Spark's recommendForAllUsers)
  --columns LIST         user,item[,rating[,timestamp]] of --data
  --delimiter X          , | tab | :: | ; | | | space
  --format KIND          csv | tsv | dat | text | arrow | parquet       [extension, else sniffed]
  --json                 print one JSON object on stdout
`;

/** `quiver spark-export --help`. */
export const SPARK_EXPORT_HELP = `quiver spark-export --model DIR --out DIR [options]

Writes a saved model's user and item factors, and with --data the interactions, as Parquet that
Spark reads: DIR/userFactors/part-*.parquet and DIR/itemFactors/part-*.parquet in Spark ALS's
schema (id: int, features: array<float>), DIR/interactions/part-*.parquet with the columns user,
item (the raw ids), rating (float; 1 for data without ratings) and timestamp (int64, when the
data has one): the input of ALS(userCol="user", itemCol="item", ratingCol="rating").

Factor models only (als, bpr, biased-mf, svdpp, puresvd, bayesian-mf). Biases are folded into
one or two extra columns so that Spark's dot product is the model's score. Spark ALS ids are
int: a model whose ids are strings or beyond the int range is refused. The folder is written
beside DIR and renamed into place, so it is never half-written.

  --model DIR            a model folder written by quiver train --out or quiver spark-import
  --data <file|name>     interactions to export too (same formats as quiver train)
  --columns LIST         user,item[,rating[,timestamp]] of --data
  --delimiter X          , | tab | :: | ; | | | space
  --format KIND          csv | tsv | dat | text | arrow | parquet       [extension, else sniffed]
  --out DIR              the export folder (a new path, an empty folder or an earlier export)
  --partitions N         Parquet files per table, rows split evenly                          [1]
  --json                 print one JSON object on stdout
`;

/** How to read `--data`. */
interface DataFlags {
  readonly source: string | undefined;
  readonly columns: CsvColumnMapping | undefined;
  readonly delimiter: CsvDelimiter | undefined;
  readonly format: InteractionFileFormat | undefined;
}

/** Parses the flags that describe `--data` (usage errors come before any file is read). */
function parseDataFlags(where: string, values: { data?: string; columns?: string; delimiter?: string; format?: string }): DataFlags {
  const columns = parseColumns(where, values.columns);
  const delimiter = parseDelimiter(where, values.delimiter);
  const format = parseChoiceFlag(where, '--format', values.format, INTERACTION_FILE_FORMATS);
  if (values.data === undefined && (columns !== undefined || delimiter !== undefined || format !== undefined)) {
    throw new CliError(`${where}: --columns, --delimiter and --format describe --data; pass --data too`, 2);
  }
  return { source: values.data, columns, delimiter, format };
}

/** Reads `--data`, or null without it. */
async function loadOptionalData(where: string, flags: DataFlags, withTitles: boolean): Promise<CliDataset | null> {
  if (flags.source === undefined) return null;
  return loadCliData(where, '--data', flags.source, { columns: flags.columns, delimiter: flags.delimiter, format: flags.format, withTitles });
}

/** Titles of the imported items, matched by raw id to the titles of `--data`, or null. */
function importedTitles(imported: ImportedSparkAls, data: CliDataset | null): (string | null)[] | null {
  if (data === null || data.titles === null) return null;
  const titles: (string | null)[] = new Array(imported.itemIdMap.size).fill(null);
  let found = 0;
  for (let i = 0; i < titles.length; i++) {
    const j = sparkRow(data.interactions.itemIdMap, imported.itemIdMap.toRaw(i));
    if (j >= 0) {
      titles[i] = data.titles[j] ?? null;
      if (titles[i] !== null) found++;
    }
  }
  return found > 0 ? titles : null;
}

/**
 * `quiver spark-import`: reads a Spark ALS model's factors and saves them as a Quiver model folder.
 * @returns The exit code (0).
 * @throws {CliError} for bad flags (exit code 2) and for unreadable or malformed factors (1).
 * @example
 * const code = await sparkImportCommand(['--spark-model', 'als-model', '--out', 'runs/spark-als'], processIo());
 */
export async function sparkImportCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver spark-import';
  const { values } = parseCliArgs(where, args, {
    'user-factors': { type: 'string' },
    'item-factors': { type: 'string' },
    'spark-model': { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
  });
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  const sparkModel = values['spark-model'];
  if (sparkModel !== undefined && (values['user-factors'] !== undefined || values['item-factors'] !== undefined)) {
    throw new CliError(`${where}: pass --spark-model DIR or --user-factors and --item-factors, not both`, 2);
  }
  const userFactors = sparkModel !== undefined ? join(sparkModel, 'userFactors') : values['user-factors'];
  const itemFactors = sparkModel !== undefined ? join(sparkModel, 'itemFactors') : values['item-factors'];
  if (userFactors === undefined || itemFactors === undefined) {
    throw new CliError(`${where}: --${userFactors === undefined ? 'user' : 'item'}-factors is required (the folder Spark wrote model.${userFactors === undefined ? 'user' : 'item'}Factors to), or --spark-model DIR`, 2);
  }
  if (values.out === undefined || values.out === '') throw new CliError(`${where}: --out is required (the model folder to write)`, 2);
  const out = values.out;
  const dataFlags = parseDataFlags(where, values);
  try {
    checkSaveTarget(out, where);
  } catch (e) {
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 1, `cannot write --out ${out}: `);
    throw e;
  }
  const data = await loadOptionalData(where, dataFlags, true);
  let imported: ImportedSparkAls;
  try {
    imported = await importSparkAls({ userFactors, itemFactors }, data === null ? {} : { interactions: data.interactions });
  } catch (e) {
    if (e instanceof QuiverError) throw cliErrorFrom(where, e);
    throw e;
  }
  const { model, userIdMap, itemIdMap, rank } = imported;
  say(`quiver: Spark ALS factors: ${fmtInt(userIdMap.size)} users, ${fmtInt(itemIdMap.size)} items, rank ${rank} (${imported.files.userFactors.length} + ${imported.files.itemFactors.length} Parquet files)`);
  if (data === null) say(`quiver: no --data: the model has no training interactions, so quiver recommend and eval leave nothing out`);
  else {
    const skipped = imported.skippedInteractions > 0 ? ` (${fmtInt(imported.skippedInteractions)} rows with a user or item without factors left out)` : '';
    say(`quiver: ${values.data}: ${fmtInt(imported.seenInteractions)} interactions recorded as seen${skipped}`);
  }
  const titles = importedTitles(imported, data);
  const enc = new TextEncoder();
  const source = { format: 'quiver.spark-import', version: 1, userFactors: imported.files.userFactors, itemFactors: imported.files.itemFactors, rank, data: values.data ?? null };
  const files: Record<string, Uint8Array> = { 'spark-import.json': enc.encode(`${JSON.stringify(source, null, 2)}\n`) };
  if (titles !== null) files['titles.json'] = enc.encode(JSON.stringify(titles));
  try {
    await saveModel(model, out, { idMaps: { users: userIdMap, items: itemIdMap }, files });
  } catch (e) {
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 1, `cannot write --out ${out}: `);
    throw e;
  }
  say(`quiver: saved to ${out} (quiver recommend --model ${out} --user ID)`);
  if (json) {
    io.out(`${JSON.stringify(jsonSafe({
      command: 'spark-import', out, model: model.kind, numUsers: model.numUsers, numItems: model.numItems, rank,
      files: imported.files, data: values.data ?? null, seenInteractions: imported.seenInteractions, skippedInteractions: imported.skippedInteractions, titles: titles !== null,
    }))}\n`);
  }
  return 0;
}

/**
 * `quiver spark-export`: writes a saved factor model (and interactions) as Parquet for Spark.
 * @returns The exit code (0).
 * @throws {CliError} for bad flags (exit code 2), a model that is not a factor model, ids Spark
 *   cannot hold, or a folder that cannot be written (1).
 * @example
 * const code = await sparkExportCommand(['--model', 'runs/als', '--data', 'ml-latest-small', '--out', 'spark-in'], processIo());
 */
export async function sparkExportCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver spark-export';
  const { values } = parseCliArgs(where, args, {
    model: { type: 'string' },
    data: { type: 'string' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    partitions: { type: 'string' },
    json: { type: 'boolean' },
  });
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  if (values.model === undefined) throw new CliError(`${where}: --model is required (a model folder written by quiver train --out or quiver spark-import)`, 2);
  if (values.out === undefined || values.out === '') throw new CliError(`${where}: --out is required (the folder to write the Parquet files into)`, 2);
  const partitions = parseIntFlag(where, '--partitions', values.partitions, 1) ?? 1;
  const dataFlags = parseDataFlags(where, values);
  const stored = await loadStoredModel(where, values.model);
  const { model, kind } = stored;
  if (!(model instanceof FactorModel) || model.userEmbedding === null) {
    throw new CliError(`${where}: --model ${values.model} holds a '${kind}' model, which has no user and item factors; Spark ALS factors come from factor models only (als, bpr, biased-mf, svdpp, puresvd, bayesian-mf)`);
  }
  const data = await loadOptionalData(where, dataFlags, false);
  const maps: { userIdMap?: IdMap; itemIdMap?: IdMap } = {};
  if (stored.userIdMap !== null) maps.userIdMap = stored.userIdMap;
  if (stored.itemIdMap !== null) maps.itemIdMap = stored.itemIdMap;
  let written;
  try {
    written = await exportForSpark(values.out, { model, ...maps, ...(data === null ? {} : { interactions: data.interactions }), partitions });
  } catch (e) {
    if (e instanceof QuiverError) throw cliErrorFrom(where, e);
    throw e;
  }
  const u = written.userFactors!;
  const it = written.itemFactors!;
  const folded = written.biasColumns.length === 0 ? '' : ` (the model's ${written.rank! - written.biasColumns.length} factors and ${written.biasColumns.length} bias column${written.biasColumns.length === 1 ? '' : 's'}: a dot product gives the model's score)`;
  say(`quiver: ${values.out}/userFactors: ${fmtInt(u.rows)} users, ${values.out}/itemFactors: ${fmtInt(it.rows)} items, rank ${written.rank}${folded}; ${partitions} file${partitions === 1 ? '' : 's'} each`);
  const inter = written.interactions;
  if (inter !== null) {
    say(`quiver: ${values.out}/interactions: ${fmtInt(inter.rows)} rows (user ${inter.userIdType}, item ${inter.itemIdType}, rating float${inter.ratings ? '' : ' = 1'}${inter.timestamp ? ', timestamp int64' : ''})`);
  }
  if (json) io.out(`${JSON.stringify(jsonSafe({ command: 'spark-export', model: kind, partitions, ...written }))}\n`);
  return 0;
}
