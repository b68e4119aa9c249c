import { IdMap, INTERACTION_FILE_FORMATS } from '@quiver/data';
import { evaluateRanking } from '../evaluate-ranking.js';
import { evaluateRatings } from '../evaluate-ratings.js';
import { TRAIN_OVERLAP_POLICIES } from '../relevant-sets.js';
import { isExplicitModel, type InteractionData } from '../model-types.js';
import { CliError } from './cli-error.js';
import { loadCliData } from './load-cli-data.js';
import { loadStoredModel } from './model-store.js';
import { fmtInt, fmtMetric, jsonSafe, type CliIo } from './output.js';
import { parseCliArgs } from './parse-cli-args.js';
import { parseChoiceFlag, parseColumns, parseDelimiter, parseIntFlag, parseNumberFlag } from './parse-values.js';

/**
 * `quiver eval`: scores a saved model on a held-out file.
 * @example
 * const code = await evalCommand(['--model', 'runs/als', '--data', 'test.csv'], processIo());
 */
export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver eval';
  const { values } = parseCliArgs(where, args, {
    model: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    format: { type: 'string' },
    'relevant-min': { type: 'string' },
    k: { type: 'string', short: 'k' },
    'train-overlap': { type: 'string' },
  });
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  if (values.model === undefined) throw new CliError(`${where}: --model is required (a directory written by quiver train --out)`, 2);
  if (values.data === undefined) throw new CliError(`${where}: --data is required (the interactions to evaluate on)`, 2);
  const k = parseIntFlag(where, '-k', values.k, 1) ?? 10;
  const relevantFlag = parseNumberFlag(where, '--relevant-min', values['relevant-min']);
  const columns = parseColumns(where, values.columns);
  const delimiter = parseDelimiter(where, values.delimiter);
  const format = parseChoiceFlag(where, '--format', values.format, INTERACTION_FILE_FORMATS);
  const trainOverlap = parseChoiceFlag(where, '--train-overlap', values['train-overlap'], TRAIN_OVERLAP_POLICIES) ?? 'error';
  const stored = await loadStoredModel(where, values.model);
  const { model, kind } = stored;
  if (stored.userIdMap === null) say(`quiver: the model in ${values.model} was saved without raw ids (no id maps): the ids in ${values.data} are read as row indices`);
  const userIdMap = stored.userIdMap ?? IdMap.identity(model.numUsers, 'user');
  const itemIdMap = stored.itemIdMap ?? IdMap.identity(model.numItems, 'item');
  const loaded = await loadCliData(where, '--data', values.data, { columns, delimiter, format, userIdMap, itemIdMap });
  const test = loaded.interactions;
  say(`quiver: ${values.data}: ${fmtInt(test.length)} interactions with known users and items${loaded.skippedUnknown > 0 ? ` (${fmtInt(loaded.skippedUnknown)} rows with unknown users or items skipped)` : ''}`);
  if (test.length === 0) throw new CliError(`${where}: no row of ${values.data} has a user and an item the model knows`);
  let metrics: Record<string, number>;
  let evaluatedUsers: number | null = null;
  const relevantMin = relevantFlag ?? stored.run?.relevantMin ?? null;
  if (isExplicitModel(model)) {
    if (test.ratings === null) throw new CliError(`${where}: ${values.data} has no ratings, so RMSE / MAE cannot be computed for '${kind}'`);
    const r = evaluateRatings(model, test);
    metrics = { ...r.metrics };
    say(`quiver: RMSE ${fmtMetric(metrics.rmse)}  MAE ${fmtMetric(metrics.mae)}  (${fmtInt(r.count)} ratings)`);
  } else {
    const seen = model.seenItems();
    if (seen === null) throw new CliError(`${where}: the model in ${values.model} has no training interactions to exclude`);
    const r = evaluateRanking(model, seenAsInteractions(seen, model.numUsers, model.numItems), test, { k, relevantMin, trainOverlap });
    metrics = { ...r.metrics };
    evaluatedUsers = r.evaluatedUsers;
    say(`quiver: P@${k} ${fmtMetric(metrics[`precision@${k}`])}  R@${k} ${fmtMetric(metrics[`recall@${k}`])}  NDCG@${k} ${fmtMetric(metrics[`ndcg@${k}`])}  MAP@${k} ${fmtMetric(metrics[`map@${k}`])}  AUC ${fmtMetric(metrics.auc)}  (implicit's P@${k} ${fmtMetric(metrics[`implicitPrecision@${k}`])})`);
    say(`quiver: ${fmtInt(r.evaluatedUsers)} users evaluated; ${fmtInt(r.skippedUsers)} without a relevant item left out${r.droppedTrainOverlap > 0 ? `; ${fmtInt(r.droppedTrainOverlap)} pairs already in the training data ignored` : ''}`);
  }
  if (json) {
    io.out(`${JSON.stringify(jsonSafe({ command: 'eval', model: kind, params: model.getConfig(), data: values.data, numInteractions: test.length, skippedUnknown: loaded.skippedUnknown, metrics, evaluatedUsers, relevantMin }))}\n`);
  }
  return 0;
}

/** The model's seen-items CSR as interactions (the items to exclude per user). */
function seenAsInteractions(seen: { indptr: Int32Array; indices: Int32Array }, numUsers: number, numItems: number): InteractionData {
  const userIds = new Int32Array(seen.indices.length);
  for (let u = 0; u < numUsers; u++) userIds.fill(u, seen.indptr[u], seen.indptr[u + 1]);
  return { userIds, itemIds: seen.indices, ratings: null, numUsers, numItems };
}
