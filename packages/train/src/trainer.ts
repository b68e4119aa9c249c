import { describeValue, quiverError } from '@quiver/base';
import { Interactions, randomSplit } from '@quiver/data';
import type { Callback, EpochState, TrainingRun } from './callbacks/callback.js';
import { Checkpointer } from './callbacks/checkpointer.js';
import { DivergenceGuard } from './callbacks/divergence-guard.js';
import { EarlyStopping } from './callbacks/early-stopping.js';
import { LambdaCallback } from './callbacks/lambda-callback.js';
import { ProgressCallback } from './callbacks/progress-callback.js';
import { Validator } from './callbacks/validator.js';
import { checkpointName, dataFingerprint, isCheckpointFolder, latestCheckpoint, readCheckpoint, type Checkpoint, type DataFingerprint } from './checkpoint.js';
import { History } from './history.js';
import { isExplicitModel, type InteractionData, type TrainableModel } from './model-types.js';
import { createProgress } from './progress/create-progress.js';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from './train-options.js';

export type { BatchLogs, CheckpointOptions, EpochLogs, TrainOptions } from './train-options.js';

/** The run context the Trainer hands its callbacks. */
class Run implements TrainingRun {
  readonly history = new History();
  lastCheckpoint: string | null = null;
  /** The epoch being trained (stop() on the last one is no early stop). */
  epoch = 0;
  private stopping = false;

  constructor(
    readonly model: TrainableModel,
    readonly train: InteractionData,
    readonly validation: InteractionData | null,
    readonly epochs: number,
    readonly seed: number,
    readonly config: Readonly<Record<string, unknown>>,
  ) {}

  get stopRequested(): boolean {
    return this.stopping;
  }

  stop(): void {
    this.stopping = true;
    if (this.epoch < this.epochs - 1) this.history.stoppedEarly = true;
  }
}

/**
 * The training loop (Keras' `fit` for Quiver models): initialises the model from a seed and runs
 * `fitEpoch` for each epoch, calling its callbacks around every epoch and batch. The callbacks
 * the options ask for, each usable in a hand-written loop too: `DivergenceGuard` (NaN / ±Infinity
 * stops training with a `TrainingDivergedError` and the last good weights), `Validator`
 * (validation metrics), `ProgressCallback` (history and progress output), `EarlyStopping`
 * (best epoch, patience, restore-best), the user's `onEpochEnd` / `onBatchEnd`, and
 * `Checkpointer`. The same seed gives the same weights and history (timings aside).
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
  private readonly resolved: ResolvedTrainOptions;
  private run: Run | null = null;

  /**
   * @throws {TypeError} for an unknown option or an option of the wrong kind.
   * @throws {RangeError} for an option out of range.
   */
  constructor(options: TrainOptions = {}) {
    this.resolved = resolveTrainOptions('Trainer', options);
    this.options = options;
  }

  /** Asks the running `fit` to stop after the current epoch (for callbacks). */
  stop(): void {
    this.run?.stop();
  }

  /**
   * Trains `model` on `data` from scratch.
   * @param model - Any `@quiver/mf` model (or an object with the same per-epoch API).
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
    const { train, validation } = splitValidation(where, o, data, seed);
    const explicit = isExplicitModel(model);
    if (validation !== null && explicit && validation.ratings === null) throw quiverError('TypeError', { where, what: `validationData.ratings must be a Float32Array for explicit model '${model.kind}'`, got: 'null' });
    const monitor = o.monitor ?? (validation === null ? 'loss' : explicit ? 'val_rmse' : `val_ndcg@${o.k}`);
    if (monitor !== 'loss' && validation === null) throw quiverError('RangeError', { where, what: `monitor must be 'loss' without validation data`, got: `'${monitor}'`, tail: '; pass validationData or validationSplit' });
    if (config.computeLoss === false && monitor === 'loss' && (o.patience !== null || o.monitor !== null)) {
      throw quiverError('RangeError', { where, what: `monitor must be a validation metric for model '${model.kind}' with computeLoss: false (it reports no loss)`, got: `'loss'` });
    }
    const durable = o.checkpoint !== null || o.resumeFrom !== null;
    if (durable && (typeof model.getTrainingState !== 'function' || typeof model.setTrainingState !== 'function')) {
      throw quiverError('TypeError', { where, what: 'checkpoint and resumeFrom need a model with getTrainingState() / setTrainingState() (every @quiver/mf model)', got: `${describeValue(model)} without them` });
    }
    const run = new Run(model, train, validation, epochs, seed, config);
    this.run = run;
    this.history = run.history;
    this.trainData = train;
    this.validationData = validation;

    // The callbacks, in the order they run after every epoch.
    const guard = o.checkFinite ? new DivergenceGuard() : null;
    const progress = new ProgressCallback(typeof o.progress === 'string' ? createProgress(o.progress) : o.progress);
    const early = new EarlyStopping({ monitor, mode: o.mode, patience: o.patience, minDelta: o.minDelta, restoreBest: o.restoreBest });
    if (guard !== null) early.weightsSource = () => guard.lastGoodWeights;
    const user = new LambdaCallback({ onEpochEnd: o.onEpochEnd, onBatchEnd: o.onBatchEnd });
    const fingerprint = durable ? dataFingerprint(train) : null;
    const callbacks: Callback[] = [
      ...(guard === null ? [] : [guard]),
      new Validator({ k: o.k, relevantMin: o.relevantMin, auc: o.validationAuc }),
      progress,
      early,
      user,
      ...o.callbacks,
      ...(o.checkpoint === null ? [] : [new Checkpointer(o.checkpoint, fingerprint as DataFingerprint, early)]),
    ];
    const wantsBatches = guard !== null || progress.wantsBatches || user.wantsBatches || o.callbacks.some((cb) => cb.onBatchEnd !== undefined);

    model.initialize(train, o.maxMemory === null ? { seed } : { seed, maxMemory: o.maxMemory });
    const startEpoch = o.resumeFrom === null ? 0 : resume(where, run, early, o.resumeFrom, fingerprint as DataFingerprint);
    try {
      for (const cb of callbacks) cb.onTrainBegin?.(run);
      for (let epoch = startEpoch; epoch < epochs; epoch++) {
        run.epoch = epoch;
        const startedAt = performance.now();
        let loss: number;
        try {
          loss = wantsBatches
            ? model.fitEpoch(train, epoch, { onBatchEnd: (batch, l) => callbacks.forEach((cb) => cb.onBatchEnd?.(run, { epoch, batch, numBatches: l.numBatches, loss: l.loss })) })
            : model.fitEpoch(train, epoch);
        } catch (err) {
          throw callbacks.reduce((e, cb) => (cb.onEpochError === undefined ? e : cb.onEpochError(run, epoch, e)), err as unknown);
        }
        const state: EpochState = { epoch, loss, metrics: {}, startedAt };
        for (const cb of callbacks) cb.onEpochEnd?.(run, state);
        if (run.stopRequested) break;
      }
      for (const cb of callbacks) cb.onTrainEnd?.(run);
    } finally {
      progress.close();
    }
    return run.history;
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

/** The training and validation parts: `validationData`, or a seeded split of `data` by `validationSplit`. */
function splitValidation(where: string, o: ResolvedTrainOptions, data: InteractionData, seed: number): { train: InteractionData; validation: InteractionData | null } {
  if (o.validationData !== null || o.validationSplit === 0) return { train: data, validation: o.validationData };
  if (!(data instanceof Interactions)) {
    throw quiverError('TypeError', { where, what: 'validationSplit needs data to be an @quiver/data Interactions dataset', got: describeValue(data), tail: '; pass validationData instead' });
  }
  const split = randomSplit(data, { testFraction: o.validationSplit, seed: `${seed}/validation`, coldStart: 'drop' });
  return { train: split.train, validation: split.test };
}

/**
 * Continues `run` from a checkpoint: checks it belongs to this model, configuration, seed and
 * data, restores the model's training state, the history and the early-stopping state.
 * @returns The epoch to continue from.
 */
function resume(where: string, run: Run, early: EarlyStopping, from: string, data: DataFingerprint): number {
  const ckpt = findResumeCheckpoint(where, from);
  checkResumable(where, ckpt, run.model, run.config, run.seed, data);
  if (ckpt.epoch > run.epochs) {
    throw quiverError('RangeError', { where, what: `epochs must be at least the ${ckpt.epoch} epochs checkpoint ${ckpt.path} has done (resuming cannot train backwards)`, got: String(run.epochs), tail: `; pass epochs >= ${ckpt.epoch}` });
  }
  run.model.setTrainingState!(ckpt.state);
  for (const e of ckpt.history.epochs) run.history.push(e);
  run.history.bestEpoch = ckpt.history.bestEpoch;
  run.history.stoppedEarly = ckpt.history.stoppedEarly;
  early.restore(ckpt.progress, ckpt.bestWeights);
  run.lastCheckpoint = ckpt.path;
  return ckpt.history.stoppedEarly ? run.epochs : ckpt.epoch;
}

function findResumeCheckpoint(where: string, from: string): Checkpoint {
  if (isCheckpointFolder(from)) return readCheckpoint(from);
  const { checkpoint, skipped } = latestCheckpoint(from);
  if (checkpoint === null) {
    const why = skipped.length === 0 ? 'none found' : `skipped ${skipped.map((s) => s.reason).join('; ')}`;
    throw quiverError('Error', { where, what: `resumeFrom must be a checkpoint folder or a folder holding ${checkpointName(1)}-style checkpoints`, got: `"${from}" (${why})` });
  }
  return checkpoint;
}

function checkResumable(where: string, ckpt: Checkpoint, model: TrainableModel, config: Readonly<Record<string, unknown>>, seed: number, data: DataFingerprint): void {
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

function checkModel(where: string, model: unknown): void {
  const m = model as Record<string, unknown>;
  if (m === null || typeof m !== 'object') throw quiverError('TypeError', { where, what: 'model must be a recommender', got: describeValue(model) });
  for (const method of ['initialize', 'fitEpoch', 'getState', 'setState', 'getConfig', 'predict', 'scoreAllItems', 'seenItems']) {
    if (typeof m[method] !== 'function') {
      throw quiverError('TypeError', { where, what: `model must have a ${method}() method (the @quiver/mf Recommender contract)`, got: `${describeValue(model)} without it` });
    }
  }
}
