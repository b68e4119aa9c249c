import { checkBoolean, checkFinite, checkInRange, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { Interactions, randomSplit } from '@quiver/data';
import { checkpointName, dataFingerprint, isCheckpointFolder, latestCheckpoint, readCheckpoint, writeCheckpoint, type Checkpoint, type DataFingerprint } from './checkpoint.js';
import { evaluateRanking } from './evaluate-ranking.js';
import { evaluateRatings } from './evaluate-ratings.js';
import { History } from './history.js';
import { isExplicitModel, type InteractionData, type TrainableModel, type ModelWeights } from './model-types.js';
import { createProgress } from './progress/create-progress.js';
import type { ProgressMode, ProgressReporter } from './progress/progress-reporter.js';
import { TrainingDivergedError } from './training-diverged-error.js';

/** Logs passed to `onEpochEnd`: `loss` plus the validation metrics (`val_rmse`, `val_ndcg@10`, ...). */
export type EpochLogs = Readonly<Record<string, number>>;

/** Logs passed to `onBatchEnd`. */
export interface BatchLogs {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** Number of batches in the epoch. */
  readonly numBatches: number;
  /** Mean loss of the batch. */
  readonly loss: number;
}

/** Options of {@link Trainer} and {@link train}. */
export interface TrainOptions {
  /** Number of epochs (ALS: alternating sweeps). @defaultValue the model's `epochs` hyper-parameter, else 1 (Popularity, RandomRecommender) */
  readonly epochs?: number;
  /** Seed of initialisation, sampling and the validation split. @defaultValue the model's `seed`, else 42 */
  readonly seed?: number;
  /** Held-out interactions scored after every epoch (same id space as the training data). @defaultValue null */
  readonly validationData?: InteractionData | null;
  /**
   * Fraction of `data` held out for validation with `@quiver/data`'s seeded `randomSplit`
   * (cold-start rows dropped); needs an `Interactions` dataset. Ignored when `validationData` is given.
   * @defaultValue 0 (no validation)
   */
  readonly validationSplit?: number;
  /**
   * The quantity early stopping and restore-best watch: `'loss'` or a validation metric such as
   * `'val_rmse'` or `'val_ndcg@10'`.
   * @defaultValue `'val_rmse'` (explicit models) or `` `val_ndcg@${k}` `` (implicit) with validation, else `'loss'`
   */
  readonly monitor?: string;
  /** Whether smaller or larger `monitor` values are better; `'auto'` picks `'min'` for loss / rmse / mae. @defaultValue 'auto' */
  readonly mode?: 'auto' | 'min' | 'max';
  /** Stop after this many epochs without improvement of `monitor`; null trains every epoch. @defaultValue null */
  readonly patience?: number | null;
  /** The smallest change of `monitor` that counts as an improvement. @defaultValue 0 */
  readonly minDelta?: number;
  /** When early stopping is on, put back the weights of the best epoch at the end. @defaultValue true */
  readonly restoreBest?: boolean;
  /** Cut-off of the validation ranking metrics (implicit models). @defaultValue 10 */
  readonly k?: number;
  /** A validation interaction is relevant when its rating is at least this; null: all relevant. @defaultValue null */
  readonly relevantMin?: number | null;
  /** Compute validation AUC every epoch (one full score row per user). @defaultValue false */
  readonly validationAuc?: boolean;
  /** Called after every epoch with its 0-based index and logs; return `false` to stop. @defaultValue undefined */
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | boolean;
  /**
   * Called after every mini-batch, for models whose `fitEpoch` reports batches (it receives
   * `{ onBatchEnd }` as a third argument). Models that train a whole epoch at once never call it.
   * @defaultValue undefined
   */
  readonly onBatchEnd?: (batch: number, logs: BatchLogs) => void;
  /** Progress output: a mode for {@link createProgress} or a reporter. @defaultValue 'none' */
  readonly progress?: ProgressMode | ProgressReporter;
  /**
   * Check the loss of every reported batch, and the loss and every weight after each epoch, for
   * NaN / Infinity. @defaultValue true
   */
  readonly checkFinite?: boolean;
  /**
   * Save a checkpoint (weights, optimizer state, seed and epoch, history, early-stopping state)
   * into `dir` every `every` epochs and after the last epoch, keeping the newest `keep`. Each is
   * written atomically with checksums (see {@link writeCheckpoint}).
   * @defaultValue null (no checkpoints); `every` 1, `keep` 2
   */
  readonly checkpoint?: CheckpointOptions | null;
  /**
   * Continue a run from a checkpoint: a checkpoint folder (`dir/epoch-000012`) or a
   * `checkpoint.dir`, whose newest intact checkpoint is used. The model, its configuration,
   * the seed and the training data must be those of the checkpointed run; the result is
   * bit-identical to an uninterrupted run.
   * @defaultValue null
   */
  readonly resumeFrom?: string | null;
  /**
   * Memory budget in bytes passed to the model's `initialize`: a model whose weights, optimizer
   * state and training buffers would need more is refused before anything is allocated.
   * @defaultValue the model's default (half of this machine's memory for `@quiver/mf` models)
   */
  readonly maxMemory?: number;
}

/** Where and how often {@link Trainer} saves checkpoints. */
export interface CheckpointOptions {
  /** The checkpoint folder (created when missing). */
  readonly dir: string;
  /** Save after every `every` epochs (and always after the last). @defaultValue 1 */
  readonly every?: number;
  /** Keep the newest `keep` checkpoints. @defaultValue 2 */
  readonly keep?: number;
}

const OPTION_NAMES = [
  'epochs', 'seed', 'validationData', 'validationSplit', 'monitor', 'mode', 'patience', 'minDelta', 'restoreBest',
  'k', 'relevantMin', 'validationAuc', 'onEpochEnd', 'onBatchEnd', 'progress', 'checkFinite', 'checkpoint', 'resumeFrom', 'maxMemory',
];

type Resolved = {
  epochs: number | null;
  seed: number | null;
  validationData: InteractionData | null;
  validationSplit: number;
  monitor: string | null;
  mode: 'auto' | 'min' | 'max';
  patience: number | null;
  minDelta: number;
  restoreBest: boolean;
  k: number;
  relevantMin: number | null;
  validationAuc: boolean;
  onEpochEnd: NonNullable<TrainOptions['onEpochEnd']> | null;
  onBatchEnd: NonNullable<TrainOptions['onBatchEnd']> | null;
  progress: ProgressMode | ProgressReporter;
  checkFinite: boolean;
  checkpoint: Required<CheckpointOptions> | null;
  resumeFrom: string | null;
  maxMemory: number | null;
};

/**
 * The training loop (Keras' `fit` for Quiver models): initialises the model from a seed, runs
 * `fitEpoch` for each epoch, scores a validation set after each epoch, stops early on a
 * monitored metric with patience and restores the best weights, calls `onEpochEnd` /
 * `onBatchEnd`, reports progress, and records a {@link History}. The same seed gives the same
 * weights and history (timings aside).
 *
 * If an epoch's loss or any weight becomes NaN or ±Infinity, training stops with a
 * {@link TrainingDivergedError} naming the epoch, and the model keeps the weights of the last
 * good epoch.
 *
 * Batch size, optimizer and learning-rate schedule are hyper-parameters of the models that
 * train in mini-batches (`new BiasedMF({ solver: 'minibatch', batchSize, optimizer, lrDecay })`);
 * the trainer drives whatever the model was built with.
 * @example
 * const trainer = new Trainer({ epochs: 50, validationSplit: 0.1, patience: 3, progress: 'auto' });
 * const history = trainer.fit(new BiasedMF(), train);
 * history.bestEpoch; trainer.trainData; // the 90% the model was fitted on
 */
export class Trainer {
  /** The options as given. */
  readonly options: Readonly<TrainOptions>;
  /** The history of the last `fit` (also available while it runs). */
  history: History | null = null;
  /** The data the model was fitted on in the last `fit` (after the validation split). */
  trainData: InteractionData | null = null;
  /** The validation data of the last `fit`, or null. */
  validationData: InteractionData | null = null;
  private readonly resolved: Resolved;
  private stopRequested = false;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong kind.
   * @throws {RangeError} for an option out of range.
   */
  constructor(options: TrainOptions = {}) {
    this.resolved = resolveOptions('Trainer', options);
    this.options = options;
  }

  /** Asks the running `fit` to stop after the current epoch (for callbacks). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Trains `model` on `data` from scratch.
   * @param model - Any `@quiver/mf` recommender (or an object with the same per-epoch API).
   * @param data - Training interactions; `validationSplit` needs an `@quiver/data` `Interactions`.
   * @returns The {@link History} of the run.
   * @throws {TypeError} when the model lacks the per-epoch API, or `validationSplit` is used on plain arrays.
   * @throws {RangeError} when `monitor` names a metric that is never computed.
   * @throws {TrainingDivergedError} when the loss or a weight becomes NaN / Infinity.
   */
  fit(model: TrainableModel, data: InteractionData): History {
    const where = 'Trainer.fit';
    checkModel(where, model);
    const o = this.resolved;
    const config = model.getConfig();
    const epochs = o.epochs ?? (typeof config.epochs === 'number' ? config.epochs : 1);
    const seed = o.seed ?? (typeof config.seed === 'number' ? config.seed : 42);
    const explicit = isExplicitModel(model);

    let train = data;
    let validation = o.validationData;
    if (validation === null && o.validationSplit > 0) {
      if (!(data instanceof Interactions)) {
        throw quiverError('TypeError', { where, what: 'validationSplit needs data to be an @quiver/data Interactions dataset', got: describeValue(data), tail: '; pass validationData instead' });
      }
      const split = randomSplit(data, { testFraction: o.validationSplit, seed: `${seed}/validation`, coldStart: 'drop' });
      train = split.train;
      validation = split.test;
    }
    if (validation !== null && explicit && validation.ratings === null) {
      throw quiverError('TypeError', { where, what: `validationData.ratings must be a Float32Array for explicit model '${model.kind}'`, got: 'null' });
    }
    const monitor = o.monitor ?? (validation === null ? 'loss' : explicit ? 'val_rmse' : `val_ndcg@${o.k}`);
    if (monitor !== 'loss' && validation === null) {
      throw quiverError('RangeError', { where, what: `monitor must be 'loss' without validation data`, got: `'${monitor}'`, tail: '; pass validationData or validationSplit' });
    }
    const minimize = o.mode === 'auto' ? /loss|rmse|mae/.test(monitor) : o.mode === 'min';
    // ALS with computeLoss: false returns NaN by design: then only the weights are checked.
    const reportsLoss = config.computeLoss !== false;
    if (!reportsLoss && monitor === 'loss' && (o.patience !== null || o.monitor !== null)) {
      throw quiverError('RangeError', { where, what: `monitor must be a validation metric for model '${model.kind}' with computeLoss: false (it reports no loss)`, got: `'loss'` });
    }

    const history = new History();
    history.monitor = monitor;
    this.history = history;
    this.trainData = train;
    this.validationData = validation;
    this.stopRequested = false;
    const progress = typeof o.progress === 'string' ? createProgress(o.progress) : o.progress;

    const durable = o.checkpoint !== null || o.resumeFrom !== null;
    if (durable && (typeof model.getTrainingState !== 'function' || typeof model.setTrainingState !== 'function')) {
      throw quiverError('TypeError', { where, what: 'checkpoint and resumeFrom need a model with getTrainingState() / setTrainingState() (every @quiver/mf model)', got: `${describeValue(model)} without them` });
    }
    const fingerprint = durable ? dataFingerprint(train) : null;
    model.initialize(train, o.maxMemory === null ? { seed } : { seed, maxMemory: o.maxMemory });
    let bestState: ModelWeights | null = null;
    let best = minimize ? Infinity : -Infinity;
    let bestEpoch: number | null = null;
    let wait = 0;
    let startEpoch = 0;
    let lastCheckpoint: string | null = null;
    if (o.resumeFrom !== null) {
      const ckpt = findResumeCheckpoint(where, o.resumeFrom);
      checkResumable(where, ckpt, model, config, seed, fingerprint as DataFingerprint);
      if (ckpt.epoch > epochs) {
        throw quiverError('RangeError', { where, what: `epochs must be at least the ${ckpt.epoch} epochs checkpoint ${ckpt.path} has done (resuming cannot train backwards)`, got: String(epochs), tail: `; pass epochs >= ${ckpt.epoch}` });
      }
      model.setTrainingState!(ckpt.state);
      for (const e of ckpt.history.epochs) history.push(e);
      history.bestEpoch = ckpt.history.bestEpoch;
      history.stoppedEarly = ckpt.history.stoppedEarly;
      best = ckpt.progress.best;
      bestEpoch = ckpt.progress.bestEpoch;
      wait = ckpt.progress.wait;
      bestState = ckpt.bestWeights;
      startEpoch = ckpt.history.stoppedEarly ? epochs : ckpt.epoch;
      lastCheckpoint = ckpt.path;
    }
    let lastGood = o.checkFinite ? model.getState() : null;
    const examples = train.userIds.length;
    const batchHook = o.onBatchEnd === null && progress.mode !== 'bar' ? undefined : makeBatchHook(o.onBatchEnd, progress);
    const hint = typeof config.lr === 'number' ? `try a lower learning rate (lr is ${config.lr})` : 'try a larger regularisation (reg)';
    const diverged = (epoch: number, what: string, batch: { index: number; count: number } | null): TrainingDivergedError => {
      model.setState(lastGood as ModelWeights);
      const restored = epoch === 0 ? 'the initial weights were restored' : `the weights after epoch ${epoch} were restored`;
      const saved = lastCheckpoint === null ? '' : ` (the last checkpoint is ${lastCheckpoint})`;
      const at = batch === null ? '' : `, batch ${batch.index + 1} of ${batch.count}`;
      return new TrainingDivergedError({ where, what: `training diverged at epoch ${epoch + 1}${at}: ${what}`, tail: `; ${restored}${saved}; ${hint}` }, epoch, history, batch === null ? null : batch.index);
    };

    progress.start(model.kind, epochs, examples);
    try {
      for (let epoch = startEpoch; epoch < epochs; epoch++) {
        const t0 = performance.now();
        let loss: number;
        if (batchHook === undefined && !o.checkFinite) loss = model.fitEpoch(train, epoch);
        else {
          // Batch losses are checked as they come: a NaN batch stops the epoch at once.
          let badBatch: { index: number; count: number; loss: number } | null = null;
          try {
            loss = (model.fitEpoch as FitEpochWithHooks)(train, epoch, {
              onBatchEnd: (b, l) => {
                if (o.checkFinite && reportsLoss && !Number.isFinite(l.loss)) {
                  badBatch = { index: b, count: l.numBatches, loss: l.loss };
                  throw STOP_EPOCH;
                }
                if (batchHook !== undefined) batchHook(epoch, b, l);
              },
            });
          } catch (err) {
            if (err !== STOP_EPOCH || badBatch === null) throw err;
            const b = badBatch as { index: number; count: number; loss: number };
            throw diverged(epoch, `the loss is ${b.loss}`, b);
          }
        }
        if (o.checkFinite) {
          const state = model.getState();
          const badLoss = reportsLoss && !Number.isFinite(loss);
          const bad = badLoss ? null : firstNonFinite(state);
          if (badLoss || bad !== null) {
            throw diverged(epoch, badLoss ? `the loss is ${loss}` : `weight "${bad}" holds ${nonFiniteValue(state[bad as string])}`, null);
          }
          lastGood = state;
        }
        const metrics: Record<string, number> = {};
        if (validation !== null) {
          if (explicit) {
            const r = evaluateRatings(model, validation).metrics;
            metrics.val_rmse = r.rmse;
            metrics.val_mae = r.mae;
          } else {
            const r = evaluateRanking(model, train, validation, { k: o.k, relevantMin: o.relevantMin, auc: o.validationAuc });
            for (const key of Object.keys(r.metrics)) if (!key.startsWith('coverage') && !key.startsWith('implicitPrecision')) metrics[`val_${key}`] = r.metrics[key];
          }
        }
        const seconds = (performance.now() - t0) / 1000;
        const logs: Record<string, number> = { loss, ...metrics };
        history.push({ epoch, loss, metrics, seconds });
        progress.epochEnd({ epoch: epoch + 1, epochs, logs, seconds, examples });

        const value = monitor === 'loss' ? loss : metrics[monitor];
        if (value === undefined) {
          const known = ['loss', ...Object.keys(metrics)].map((k) => `'${k}'`).join(', ');
          throw quiverError('RangeError', { where, what: `monitor must be one of ${known}`, got: `'${monitor}'` });
        }
        const improved = bestEpoch === null || (minimize ? value < best - o.minDelta : value > best + o.minDelta);
        if (improved) {
          best = value;
          bestEpoch = epoch;
          wait = 0;
          if (o.patience !== null && o.restoreBest) bestState = lastGood ?? model.getState();
        } else wait++;
        history.bestEpoch = bestEpoch;

        const verdict = o.onEpochEnd === null ? undefined : o.onEpochEnd(epoch, logs);
        const last = epoch === epochs - 1;
        const stop = !last && (verdict === false || this.stopRequested || (!improved && o.patience !== null && wait >= o.patience));
        if (stop) history.stoppedEarly = true;
        const ck = o.checkpoint;
        if (ck !== null && (last || stop || (epoch + 1) % ck.every === 0)) {
          lastCheckpoint = writeCheckpoint(ck.dir, {
            kind: model.kind,
            config,
            seed,
            epoch: epoch + 1,
            epochs,
            finished: last || stop,
            data: fingerprint as DataFingerprint,
            state: model.getTrainingState!(),
            history: history.toJSON(),
            progress: { best, bestEpoch, wait },
            bestWeights: bestState,
          }, ck.keep);
        }
        if (stop) break;
      }
      if (o.patience !== null && o.restoreBest && bestState !== null && bestEpoch !== history.epochs.length - 1) {
        model.setState(bestState);
        history.restoredBest = true;
      }
    } finally {
      progress.stop();
    }
    return history;
  }
}

/**
 * Trains `model` on `data` with a {@link Trainer}: `new Trainer(options).fit(model, data)`.
 * @returns The {@link History} of the run.
 * @throws As {@link Trainer.fit}.
 * @example
 * const history = train(new BiasedMF(), data, { epochs: 30, validationSplit: 0.1, patience: 2 });
 * console.log(history); // History { 14 epochs (stopped early), loss ..., val_rmse ... }
 */
export function train(model: TrainableModel, data: InteractionData, options?: TrainOptions): History {
  return new Trainer(options).fit(model, data);
}

/** Thrown through a model's `fitEpoch` by the batch hook to stop a diverged epoch. */
const STOP_EPOCH = Symbol('stop-epoch');

function findResumeCheckpoint(where: string, from: string): Checkpoint {
  if (isCheckpointFolder(from)) return readCheckpoint(from);
  const { checkpoint, skipped } = latestCheckpoint(from);
  if (checkpoint === null) {
    const why = skipped.length === 0 ? 'none found' : `skipped ${skipped.map((s) => s.reason).join('; ')}`;
    throw quiverError('Error', { where, what: `resumeFrom must be a checkpoint folder or a folder holding ${checkpointName(1)}-style checkpoints`, got: `"${from}" (${why})` });
  }
  return checkpoint;
}

function checkResumable(where: string, ckpt: Checkpoint, model: TrainableModel, config: Record<string, unknown>, seed: number, data: DataFingerprint): void {
  const at = `checkpoint ${ckpt.path}`;
  if (ckpt.kind !== model.kind) throw quiverError('Error', { where, what: `${at} is for a '${ckpt.kind}' model`, got: `a '${model.kind}' model` });
  for (const key of new Set([...Object.keys(config), ...Object.keys(ckpt.config)])) {
    if (key === 'epochs') continue;
    if (JSON.stringify(config[key]) !== JSON.stringify(ckpt.config[key])) {
      throw quiverError('Error', { where, what: `${at} was trained with ${key} = ${JSON.stringify(ckpt.config[key])}`, got: JSON.stringify(config[key]), tail: `; build the model with the checkpoint's configuration` });
    }
  }
  if (ckpt.seed !== seed) throw quiverError('Error', { where, what: `${at} was trained with seed ${ckpt.seed}`, got: String(seed) });
  if (ckpt.data.sha256 !== data.sha256) {
    throw quiverError('Error', { where, what: `${at} was trained on other data (${ckpt.data.numRows} rows, ${ckpt.data.numUsers} users × ${ckpt.data.numItems} items)`, got: `${data.numRows} rows, ${data.numUsers} × ${data.numItems}`, tail: '; resume on the same training data (and validation split)' });
  }
}

type FitEpochWithHooks = (data: InteractionData, epoch: number, hooks: { onBatchEnd: (batch: number, logs: { numBatches: number; loss: number }) => void }) => number;

function makeBatchHook(onBatchEnd: Resolved['onBatchEnd'], progress: ProgressReporter) {
  return (epoch: number, batch: number, l: { numBatches: number; loss: number }) => {
    progress.batchEnd({ epoch: epoch + 1, batch, numBatches: l.numBatches, loss: l.loss });
    if (onBatchEnd) onBatchEnd(batch, { epoch, numBatches: l.numBatches, loss: l.loss });
  };
}

function firstNonFinite(state: ModelWeights): string | null {
  for (const name of Object.keys(state)) {
    const d = state[name].data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return name;
  }
  return null;
}

function nonFiniteValue(w: ModelWeights[string]): string {
  const d = w.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return `${d[i]} at [${i}]`;
  return 'a non-finite value';
}

function checkModel(where: string, model: unknown): void {
  const m = model as Record<string, unknown>;
  if (m === null || typeof m !== 'object') throw quiverError('TypeError', { where, what: 'model must be a recommender', got: describeValue(model) });
  for (const method of ['initialize', 'fitEpoch', 'getState', 'setState', 'getConfig', 'predict', 'scoreAllItems', 'seenItems']) {
    if (typeof m[method] !== 'function') {
      throw quiverError('TypeError', { where, what: `model must have a ${method}() method (the @quiver/mf Recommender contract)`, got: `${describeValue(model)} without it` });
    }
  }
}

/** Keras-style options that are model hyper-parameters in Quiver, with where they go. */
const MODEL_LEVEL: Record<string, string> = {
  batchSize: "new BiasedMF({ solver: 'minibatch', batchSize: 512 })",
  optimizer: "new BiasedMF({ solver: 'minibatch', optimizer: 'adagrad' }) or new BPR({ optimizer: 'adagrad' })",
  lr: 'new BiasedMF({ lr: 0.005 })',
  learningRate: 'new BiasedMF({ lr: 0.005 })',
  lrSchedule: 'new BiasedMF({ lrDecay: 0.95 })',
  lrDecay: 'new BiasedMF({ lrDecay: 0.95 })',
};

function resolveOptions(where: string, options: TrainOptions): Resolved {
  if (options !== null && typeof options === 'object') {
    for (const key of Object.keys(options)) {
      if (key in MODEL_LEVEL) {
        throw quiverError('TypeError', { where, what: `options.${key} is a hyper-parameter of the model in Quiver, not of the trainer; pass it when building the model, e.g. ${MODEL_LEVEL[key]}` });
      }
    }
  }
  checkOptionNames(where, options, OPTION_NAMES);
  const o = options;
  const fn = <T>(name: string, v: T | undefined): T | null => {
    if (v === undefined) return null;
    if (typeof v !== 'function') throw quiverError('TypeError', { where, what: `options.${name} must be a function`, got: describeValue(v) });
    return v;
  };
  let progress: ProgressMode | ProgressReporter = 'none';
  if (o.progress !== undefined) {
    if (typeof o.progress === 'string') progress = checkOneOf(where, 'options.progress', o.progress, ['auto', 'bar', 'log', 'none'] as const);
    else if (o.progress !== null && typeof o.progress === 'object' && typeof o.progress.epochEnd === 'function') progress = o.progress;
    else throw quiverError('TypeError', { where, what: `options.progress must be 'auto', 'bar', 'log', 'none' or a ProgressReporter`, got: describeValue(o.progress) });
  }
  const validationData = o.validationData ?? null;
  if (validationData !== null && (typeof validationData !== 'object' || !(validationData.userIds instanceof Int32Array))) {
    throw quiverError('TypeError', { where, what: 'options.validationData must be interactions { userIds, itemIds, ratings, numUsers, numItems }', got: describeValue(validationData) });
  }
  let checkpoint: Required<CheckpointOptions> | null = null;
  if (o.checkpoint !== undefined && o.checkpoint !== null) {
    const c = o.checkpoint;
    if (typeof c !== 'object') throw quiverError('TypeError', { where, what: 'options.checkpoint must be { dir, every, keep }', got: describeValue(c) });
    checkOptionNames(`${where}: options.checkpoint`, c, ['dir', 'every', 'keep']);
    if (typeof c.dir !== 'string' || c.dir === '') throw quiverError('TypeError', { where, what: 'options.checkpoint.dir must be a non-empty string', got: describeValue(c.dir) });
    checkpoint = {
      dir: c.dir,
      every: c.every === undefined ? 1 : checkPositiveInt(where, 'options.checkpoint.every', c.every),
      keep: c.keep === undefined ? 2 : checkPositiveInt(where, 'options.checkpoint.keep', c.keep),
    };
  }
  if (o.resumeFrom !== undefined && o.resumeFrom !== null && (typeof o.resumeFrom !== 'string' || o.resumeFrom === '')) {
    throw quiverError('TypeError', { where, what: 'options.resumeFrom must be a checkpoint path', got: describeValue(o.resumeFrom) });
  }
  return {
    checkpoint,
    resumeFrom: o.resumeFrom ?? null,
    epochs: o.epochs === undefined ? null : checkPositiveInt(where, 'options.epochs', o.epochs),
    seed: o.seed === undefined ? null : checkFinite(where, 'options.seed', o.seed),
    validationData,
    validationSplit: o.validationSplit === undefined ? 0 : checkInRange(where, 'options.validationSplit', o.validationSplit, 0, 1, { hiOpen: true }),
    monitor: o.monitor === undefined ? null : typeof o.monitor === 'string' ? o.monitor : (() => { throw quiverError('TypeError', { where, what: `options.monitor must be a metric name such as 'val_rmse'`, got: describeValue(o.monitor) }); })(),
    mode: o.mode === undefined ? 'auto' : checkOneOf(where, 'options.mode', o.mode, ['auto', 'min', 'max'] as const),
    patience: o.patience === undefined || o.patience === null ? null : checkNonNegativeInt(where, 'options.patience', o.patience),
    minDelta: o.minDelta === undefined ? 0 : checkInRange(where, 'options.minDelta', o.minDelta, 0, Infinity),
    restoreBest: o.restoreBest === undefined ? true : checkBoolean(where, 'options.restoreBest', o.restoreBest),
    k: o.k === undefined ? 10 : checkPositiveInt(where, 'options.k', o.k),
    relevantMin: o.relevantMin === undefined || o.relevantMin === null ? null : checkFinite(where, 'options.relevantMin', o.relevantMin),
    validationAuc: o.validationAuc === undefined ? false : checkBoolean(where, 'options.validationAuc', o.validationAuc),
    onEpochEnd: fn('onEpochEnd', o.onEpochEnd),
    onBatchEnd: fn('onBatchEnd', o.onBatchEnd),
    progress,
    checkFinite: o.checkFinite === undefined ? true : checkBoolean(where, 'options.checkFinite', o.checkFinite),
    maxMemory: o.maxMemory === undefined ? null : checkInRange(where, 'options.maxMemory', o.maxMemory, 0, Infinity, { loOpen: true }),
  };
}
