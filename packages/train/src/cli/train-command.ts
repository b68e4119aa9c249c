import { leaveLastOut, randomSplit, userRatioSplit, type Interactions } from '@quiver/data';
import { evaluateRanking } from '../evaluate-ranking.js';
import { evaluateRatings } from '../evaluate-ratings.js';
import { isExplicitModel } from '../model-types.js';
import { createProgress } from '../progress/create-progress.js';
import { Trainer } from '../trainer.js';
import { latestCheckpoint } from '../checkpoint.js';
import { TrainingDivergedError } from '../training-diverged-error.js';
import { CliError } from './cli-error.js';
import { CLI_MODELS, createCliModel, type CliModel } from './create-model.js';
import { loadCliData } from './load-cli-data.js';
import { saveStoredModel } from './model-store.js';
import { fmtInt, fmtMetric, jsonSafe, type CliIo } from './output.js';
import { parseColumns, parseDelimiter, parseIntFlag, parseNumberFlag } from './parse-values.js';
import { parseCliArgs } from './parse-cli-args.js';
import { lossChart } from './loss-chart.js';
import { writeReport } from '../report/report.js';

const SPLITS = ['random', 'user-ratio', 'leave-last-out'] as const;
const SCHEDULES = ['shuffle', 'blocks'] as const;

/**
 * `quiver train`: load, split, train with progress, evaluate on the test part, optionally save.
 * @example
 * const code = await trainCommand(['--data', 'ml-latest-small', '--json'], processIo());
 */
export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver train';
  const { values } = parseCliArgs(where, args, {
    data: { type: 'string' },
    test: { type: 'string' },
    'test-ratio': { type: 'string' },
    split: { type: 'string' },
    model: { type: 'string' },
    dim: { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    reg: { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
    schedule: { type: 'string' },
    checkpoint: { type: 'string' },
    resume: { type: 'boolean' },
    out: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    'relevant-min': { type: 'string' },
  });
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  if (values.data === undefined) throw new CliError(`${where}: --data is required (a file or a builtin name such as ml-latest-small)`, 2);
  const kind = (values.model ?? 'biased-mf') as CliModel;
  if (!(CLI_MODELS as readonly string[]).includes(kind)) throw new CliError(`${where}: --model must be one of ${CLI_MODELS.join(', ')}, got ${JSON.stringify(values.model)}`, 2);
  const split = values.split ?? 'random';
  if (!(SPLITS as readonly string[]).includes(split)) throw new CliError(`${where}: --split must be one of ${SPLITS.join(', ')}, got ${JSON.stringify(split)}`, 2);
  const testRatio = parseNumberFlag(where, '--test-ratio', values['test-ratio'], { lo: 0, hi: 1, loOpen: true, hiOpen: true });
  if (values.test !== undefined && (values.split !== undefined || testRatio !== undefined)) {
    throw new CliError(`${where}: --test cannot be combined with --split or --test-ratio`, 2);
  }
  if (split === 'leave-last-out' && testRatio !== undefined) throw new CliError(`${where}: --test-ratio does not apply to --split leave-last-out`, 2);
  const seed = parseIntFlag(where, '--seed', values.seed, 0);
  const threads = parseIntFlag(where, '--threads', values.threads, 1);
  const relevantMin = parseNumberFlag(where, '--relevant-min', values['relevant-min']) ?? null;
  const kindIsMf = kind === 'biased-mf';
  // Models with a multi-threaded solver (the others say they train on one thread).
  const threaded = kindIsMf || kind === 'als';
  if (values.schedule !== undefined && !(SCHEDULES as readonly string[]).includes(values.schedule)) {
    throw new CliError(`${where}: --schedule must be one of ${SCHEDULES.join(', ')}, got ${JSON.stringify(values.schedule)}`, 2);
  }
  // BiasedMF trains on several threads with the blocks schedule, which --threads N > 1 implies.
  const schedule = values.schedule ?? (kindIsMf && threads !== undefined && threads > 1 ? 'blocks' : undefined);
  const hyper = {
    dim: parseIntFlag(where, '--dim', values.dim, 1),
    epochs: parseIntFlag(where, '--epochs', values.epochs, 1),
    lr: parseNumberFlag(where, '--lr', values.lr, { lo: 0, loOpen: true }),
    reg: parseNumberFlag(where, '--reg', values.reg, { lo: 0 }),
    seed,
    schedule,
    threads: threaded ? threads : undefined,
  };
  const columns = parseColumns(where, values.columns);
  const delimiter = parseDelimiter(where, values.delimiter);
  const { model, options } = createCliModel(where, kind, hyper);
  const usedThreads = threaded ? (threads ?? 1) : 1;
  const checkpointDir = values.checkpoint;
  if (checkpointDir === '') throw new CliError(`${where}: --checkpoint needs a folder`, 2);
  if (values.resume === true && checkpointDir === undefined) throw new CliError(`${where}: --resume needs --checkpoint DIR (the folder the interrupted run wrote its checkpoints to)`, 2);
  const explicit = isExplicitModel(model);

  // ---- data and split
  const loaded = await loadCliData(where, '--data', values.data, { columns, delimiter, withTitles: values.out !== undefined || values.report !== undefined });
  const data = loaded.interactions;
  if (explicit && data.ratings === null) {
    throw new CliError(`${where}: model '${kind}' needs ratings but ${values.data} has none; use --model bpr, als or popularity, or name the rating column with --columns`);
  }
  say(`quiver: loaded ${values.data}: ${fmtInt(data.length)} interactions, ${fmtInt(data.numUsers)} users × ${fmtInt(data.numItems)} items${data.ratings === null ? ', no ratings' : ''}`);
  let train: Interactions;
  let test: Interactions;
  let splitInfo: Record<string, unknown>;
  const splitSeed = seed ?? 42;
  if (values.test !== undefined) {
    const t = await loadCliData(where, '--test', values.test, { columns, delimiter, userIdMap: data.userIdMap, itemIdMap: data.itemIdMap });
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
  if (threads !== undefined && threads > 1 && !threaded) say(`quiver: --threads ${threads}: model '${kind}' trains on one thread in this version (biased-mf and als have multi-threaded solvers); using 1 thread`);
  if (usedThreads > 1) say(`quiver: training on ${usedThreads} threads (${kindIsMf ? 'blocks schedule' : 'CG sweeps'}; the result does not depend on the thread count)`);

  // ---- train
  // With --report, the test part is also scored after every epoch for the report's curves
  // (monitoring only: no early stopping, nothing is selected on it).
  const reportPath = values.report;
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
      resumeFrom = checkpoint.path;
      say(`quiver: resuming from ${checkpoint.path} (${checkpoint.epoch} epoch${checkpoint.epoch === 1 ? '' : 's'} done)`);
    }
  }
  const trainer = new Trainer({
    progress: createProgress(json ? 'none' : 'auto', io.errStream),
    ...(reportPath === undefined ? {} : { validationData: test, ...(explicit || relevantMin === null ? {} : { relevantMin }) }),
    ...(checkpointDir === undefined ? {} : { checkpoint: { dir: checkpointDir, every: 1, keep: 2 } }),
    ...(resumeFrom === null ? {} : { resumeFrom }),
  });
  const t0 = performance.now();
  let history;
  try {
    history = trainer.fit(model, train);
  } catch (e) {
    if (e instanceof TrainingDivergedError) throw new CliError(`${where}: ${e.message.replace(/^Trainer\.fit: /, '')}`);
    // A checkpoint of another model, configuration, seed or split; an unwritable checkpoint folder.
    if (checkpointDir !== undefined && e instanceof Error) throw new CliError(`${where}: ${e.message.replace(/^Trainer\.fit: /, '')}`);
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
      `quiver: test P@10 ${fmtMetric(metrics['precision@10'])}  R@10 ${fmtMetric(metrics['recall@10'])}  NDCG@10 ${fmtMetric(metrics['ndcg@10'])}  MAP@10 ${fmtMetric(metrics['map@10'])}  AUC ${fmtMetric(metrics.auc)}`,
    );
    say(`quiver: ${fmtInt(r.evaluatedUsers)} users evaluated (full ranking over items not in their training data${relevantMin === null ? '' : `; relevant = rating >= ${relevantMin}`}); ${fmtInt(r.skippedUsers)} users with no relevant test item left out`);
  }

  // ---- save
  if (values.out !== undefined) {
    try {
      await saveStoredModel(values.out, model, { userIdMap: data.userIdMap, itemIdMap: data.itemIdMap }, loaded.titles, {
        data: values.data,
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
      data: { source: values.data, numUsers: data.numUsers, numItems: data.numItems, numTrain: train.length, numTest: test.length },
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
