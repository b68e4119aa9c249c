import { leaveLastOut, randomSplit, userRatioSplit, type Interactions } from '@quiver/data';
import { formatBytes, TrainingDivergedError as ModelDivergedError, type ModelDirLock } from '@quiver/mf';
import { latestCheckpoint } from '../checkpoint.js';
import { evaluateRanking } from '../evaluate-ranking.js';
import { evaluateRatings } from '../evaluate-ratings.js';
import { createProgress } from '../progress/create-progress.js';
import { writeReport } from '../report/report.js';
import { Trainer } from '../trainer.js';
import { QuiverError } from '@quiver/base';
import { CliError, cliErrorFrom } from './cli-error.js';
import { loadCliData } from './load-cli-data.js';
import { lossChart } from './loss-chart.js';
import { saveStoredModel } from './model-store.js';
import { checkWritableFile, lockOutput } from './output-checks.js';
import { fmtInt, fmtMetric, jsonSafe, type CliIo } from './output.js';
import { parseTrainArgs, type TrainPlan } from './train-args.js';

/**
 * `quiver train`: load, split, train with progress, evaluate on the test part, optionally save.
 * The output paths are checked, and the `--out` folder locked, before anything is loaded or
 * trained; the lock is held until the model is saved.
 * @example
 * const code = await trainCommand(['--data', 'ml-latest-small', '--json'], processIo());
 */
export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const plan = parseTrainArgs(args);
  if (plan.reportPath !== undefined) checkWritableFile(plan.where, '--report', plan.reportPath);
  const lock = plan.values.out === undefined ? null : lockOutput(plan.where, plan.values.out);
  try {
    return await runTrain(plan, lock, io);
  } finally {
    lock?.release();
  }
}

/** The run itself: resume check, data, split, memory check, training, evaluation, saving, report. */
async function runTrain(plan: TrainPlan, lock: ModelDirLock | null, io: CliIo): Promise<number> {
  const { where, values, json, kind, split, testRatio, seed, threads, relevantMin, kindIsMf, threaded, usedThreads, hyper } = plan;
  const { readOptions, maxMemoryFlag, maxMemory, model, options, explicit, checkpointDir, reportPath } = plan;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  // ---- resume: the checkpoint is checked before any data is loaded
  let resumeFrom: string | null = null;
  if (values.resume === true) {
    let found: ReturnType<typeof latestCheckpoint>;
    try {
      found = latestCheckpoint(checkpointDir as string);
    } catch (e) {
      throw new CliError(`${where}: cannot read --checkpoint ${checkpointDir}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
    const { checkpoint, skipped } = found;
    for (const s of skipped) say(`quiver: skipping damaged checkpoint ${s.path}: ${s.reason}`);
    if (checkpoint === null) say(`quiver: --resume: no checkpoint in ${checkpointDir} yet; starting from epoch 1`);
    else {
      const epochs = model.getConfig().epochs;
      if (typeof epochs === 'number' && checkpoint.epoch > epochs) {
        const asked = hyper.epochs === undefined ? `the model's default of ${epochs} epochs (no --epochs given)` : `--epochs ${epochs}`;
        throw new CliError(
          `${where}: --resume: the newest checkpoint ${checkpoint.path} has ${checkpoint.epoch} epochs done, more than ${asked}; ` +
            `pass --epochs ${checkpoint.epoch} or more to continue from it, or use a fresh --checkpoint folder`,
          2,
        );
      }
      resumeFrom = checkpoint.path;
      say(`quiver: resuming from ${checkpoint.path} (${checkpoint.epoch} epoch${checkpoint.epoch === 1 ? '' : 's'} done${checkpoint.epoch === epochs ? `; that is --epochs ${epochs}, so nothing is left to train` : ''})`);
    }
  }
  // ---- data and split
  const loaded = await loadCliData(where, '--data', values.data as string, { ...readOptions, withTitles: values.out !== undefined || values.report !== undefined });
  const data = loaded.interactions;
  if (explicit && data.ratings === null) {
    throw new CliError(`${where}: model '${kind}' needs ratings but ${values.data} has none; use --model bpr, als or popularity, or name the rating column with --columns`);
  }
  say(`quiver: loaded ${values.data}: ${fmtInt(data.length)} interactions, ${fmtInt(data.numUsers)} users × ${fmtInt(data.numItems)} items${data.ratings === null ? ', no ratings' : ''}`);
  if (loaded.skippedInvalid > 0) say(`quiver: ${fmtInt(loaded.skippedInvalid)} malformed rows skipped (--on-invalid skip)`);
  if (loaded.duplicatesMerged > 0) {
    say(`quiver: ${fmtInt(loaded.duplicatesMerged)} duplicate (user, item) rows merged (--duplicates ${readOptions.duplicates ?? 'keep-last'}; --duplicates error refuses them)`);
  }
  let train: Interactions;
  let test: Interactions;
  let splitInfo: Record<string, unknown>;
  const splitSeed = seed ?? 42;
  if (values.test !== undefined) {
    const t = await loadCliData(where, '--test', values.test, { ...readOptions, userIdMap: data.userIdMap, itemIdMap: data.itemIdMap });
    train = data;
    test = t.interactions;
    splitInfo = { kind: 'file', test: values.test, skippedUnknown: t.skippedUnknown };
    say(`quiver: test file ${values.test}: ${fmtInt(test.length)} interactions${t.skippedUnknown > 0 ? ` (${fmtInt(t.skippedUnknown)} rows with users or items unknown to the training data skipped)` : ''}`);
  } else {
    const testFraction = testRatio ?? 0.2;
    try {
      const s =
        split === 'random'
          ? randomSplit(data, { testFraction, seed: splitSeed })
          : split === 'user-ratio'
            ? userRatioSplit(data, { testFraction, seed: splitSeed })
            : leaveLastOut(data, { order: data.timestamps === null ? 'row' : 'timestamp' });
      train = s.train;
      test = s.test;
      splitInfo = { kind: split, ...(split === 'leave-last-out' ? {} : { testRatio: testFraction, seed: splitSeed }), coldStartDropped: s.coldStart.numRows };
      say(`quiver: ${split} split${split === 'leave-last-out' ? '' : ` (test ratio ${testFraction}, seed ${splitSeed})`}: ${fmtInt(train.length)} train, ${fmtInt(test.length)} test${s.coldStart.numRows > 0 ? ` (${fmtInt(s.coldStart.numRows)} cold-start test rows dropped)` : ''}`);
    } catch (e) {
      throw new CliError(`${where}: cannot split ${values.data}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }
  if (test.length === 0) throw new CliError(`${where}: the test set is empty; use a larger --test-ratio or a --test file with known users and items`);
  if (threads !== undefined && threads > 1 && !threaded) say(`quiver: --threads ${threads}: model '${kind}' trains on one thread in this version (biased-mf, als and the neighbour models have multi-threaded solvers); using 1 thread`);
  if (usedThreads > 1) say(`quiver: training on ${usedThreads} threads (${kindIsMf ? 'blocks schedule' : 'CG sweeps'}; the result does not depend on the thread count)`);

  // ---- memory: estimated before anything is allocated
  const estimate = model.estimateMemory({ numUsers: train.numUsers, numItems: train.numItems, numInteractions: train.length });
  const parts = Object.keys(estimate.parts).filter((k) => estimate.parts[k] > 0).map((k) => `${k} ${formatBytes(estimate.parts[k])}`).join(', ');
  if (estimate.bytes > maxMemory) {
    const budget = maxMemoryFlag === undefined ? `the default --max-memory ${formatBytes(maxMemory)} (half of this machine's memory)` : `--max-memory ${formatBytes(maxMemory)}`;
    const fewer = ['biased-mf', 'bpr', 'als', 'puresvd', 'svdpp', 'bayesian-mf'].includes(kind) ? 'use a smaller --factors or raise --max-memory' : 'raise --max-memory';
    throw new CliError(`${where}: model '${kind}' would need about ${formatBytes(estimate.bytes)} for this data (${parts}), more than ${budget}; ${fewer}`);
  }
  if (estimate.bytes >= 2 ** 30) say(`quiver: model '${kind}' needs about ${formatBytes(estimate.bytes)} (${parts}); --max-memory ${formatBytes(maxMemory)}`);

  // ---- train
  // With --report, the test part is also scored after every epoch for the report's curves
  // (monitoring only: no early stopping, nothing is selected on it).
  const trainer = new Trainer({
    progress: createProgress(json ? 'none' : 'auto', io.errStream),
    ...(reportPath === undefined ? {} : { validationData: test, ...(explicit || relevantMin === null ? {} : { relevantMin }) }),
    ...(checkpointDir === undefined ? {} : { checkpoint: { dir: checkpointDir, every: 1, keep: 2 } }),
    ...(resumeFrom === null ? {} : { resumeFrom }),
    maxMemory,
  });
  const t0 = performance.now();
  let history;
  try {
    history = trainer.fit(model, train);
  } catch (e) {
    if (e instanceof ModelDivergedError) throw cliErrorFrom(where, e);
    // A checkpoint of another model, configuration, seed or split; an unwritable checkpoint folder.
    if (checkpointDir !== undefined && e instanceof QuiverError) throw cliErrorFrom(where, e);
    throw e;
  }
  const fitSeconds = (performance.now() - t0) / 1000;
  say(`quiver: trained ${kind} in ${fitSeconds.toFixed(1)} s (${history.epochs.length} epoch${history.epochs.length === 1 ? '' : 's'})`);
  if (!json) io.err(lossChart(history.loss));

  // ---- evaluate
  let metrics: Record<string, number>;
  let evaluatedUsers: number | null = null;
  if (explicit) {
    if (test.ratings === null) throw new CliError(`${where}: the test data has no ratings, so RMSE / MAE cannot be computed for '${kind}'`);
    const r = evaluateRatings(model, test);
    metrics = { ...r.metrics };
    say(`quiver: test RMSE ${fmtMetric(metrics.rmse)}  MAE ${fmtMetric(metrics.mae)}  (${fmtInt(r.count)} ratings)`);
  } else {
    const r = evaluateRanking(model, train, test, { k: 10, relevantMin });
    metrics = { ...r.metrics };
    evaluatedUsers = r.evaluatedUsers;
    say(
      `quiver: test P@10 ${fmtMetric(metrics['precision@10'])}  R@10 ${fmtMetric(metrics['recall@10'])}  NDCG@10 ${fmtMetric(metrics['ndcg@10'])}  MAP@10 ${fmtMetric(metrics['map@10'])}  AUC ${fmtMetric(metrics.auc)}  (implicit's P@10 ${fmtMetric(metrics['implicitPrecision@10'])})`,
    );
    say(`quiver: ${fmtInt(r.evaluatedUsers)} users evaluated (full ranking over items not in their training data${relevantMin === null ? '' : `; relevant = rating >= ${relevantMin}`}); ${fmtInt(r.skippedUsers)} users with no relevant test item left out`);
  }

  // ---- save
  if (values.out !== undefined && lock !== null) {
    try {
      await saveStoredModel(values.out, lock, model, { userIdMap: data.userIdMap, itemIdMap: data.itemIdMap }, loaded.titles, {
        data: values.data as string,
        builtin: loaded.builtin,
        relevantMin,
        metrics,
      });
    } catch (e) {
      throw new CliError(`${where}: cannot write --out ${values.out}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
    say(`quiver: saved the model to ${values.out}`);
  }

  if (reportPath !== undefined) {
    try {
      await writeReport(
        reportPath,
        history,
        model,
        { train, test, titles: loaded.titles, genres: loaded.genres, metrics, source: `${values.data}: ${fmtInt(train.length)} train, ${fmtInt(test.length)} test interactions` },
        { title: `quiver train --model ${kind}`, metricsNote: 'val_ curves: the test part scored after every epoch (monitoring only; nothing was selected on it).' },
      );
    } catch (e) {
      throw new CliError(`${where}: cannot write --report ${reportPath}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
    say(`quiver: wrote the report to ${reportPath}`);
  }

  if (json) {
    const result = {
      command: 'train',
      model: kind,
      params: model.getConfig(),
      options,
      data: {
        source: values.data,
        numUsers: data.numUsers,
        numItems: data.numItems,
        numTrain: train.length,
        numTest: test.length,
        skippedInvalid: loaded.skippedInvalid,
        duplicatesMerged: loaded.duplicatesMerged,
      },
      memory: { estimateBytes: estimate.bytes, parts: estimate.parts, maxMemoryBytes: maxMemory },
      split: splitInfo,
      threads: usedThreads,
      fitSeconds,
      metrics,
      evaluatedUsers,
      relevantMin,
      history: history.toJSON(),
      out: values.out ?? null,
      report: reportPath ?? null,
      checkpoint: checkpointDir ?? null,
      resumedFrom: resumeFrom,
    };
    io.out(`${JSON.stringify(jsonSafe(result))}\n`);
  }
  return 0;
}
