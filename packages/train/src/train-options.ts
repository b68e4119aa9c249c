import { checkBoolean, checkFinite, checkInRange, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import type { Callback } from './callbacks/callback.js';
import type { InteractionData } from './model-types.js';
import type { ProgressMode, ProgressReporter } from './progress/progress-reporter.js';

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
  /**
   * More callbacks, run after the built-in ones (divergence guard, validation, progress, early
   * stopping, `onEpochEnd` / `onBatchEnd`) and before the checkpointer, in the order given: they
   * see each epoch's metrics, and may call `run.stop()`.
   * @defaultValue []
   */
  readonly callbacks?: readonly Callback[];
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
  'k', 'relevantMin', 'validationAuc', 'onEpochEnd', 'onBatchEnd', 'callbacks', 'progress', 'checkFinite', 'checkpoint', 'resumeFrom', 'maxMemory',
];

/** {@link TrainOptions} after checking, defaults filled in where they do not depend on the model. */
export type ResolvedTrainOptions = {
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
  callbacks: readonly Callback[];
  progress: ProgressMode | ProgressReporter;
  checkFinite: boolean;
  checkpoint: Required<CheckpointOptions> | null;
  resumeFrom: string | null;
  maxMemory: number | null;
};

/** Keras-style options that are model hyper-parameters in Quiver, with where they go. */
const MODEL_LEVEL: Record<string, string> = {
  batchSize: "new BiasedMF({ solver: { kind: 'minibatch', batchSize: 512 } })",
  optimizer: "new BiasedMF({ solver: { kind: 'minibatch', optimizer: 'adagrad' } }) or new BPR({ optimizer: 'adagrad' })",
  lr: 'new BiasedMF({ lr: 0.005 })',
  learningRate: 'new BiasedMF({ lr: 0.005 })',
  lrSchedule: 'new BiasedMF({ lrDecay: 0.95 })',
  lrDecay: 'new BiasedMF({ lrDecay: 0.95 })',
};

/**
 * Checks the Trainer's options: unknown names (with a pointer to the model for hyper-parameters such as `lr`), kinds and ranges.
 * @throws {TypeError} for an unknown option or one of the wrong kind; `RangeError` for one out of range.
 * @example
 * const o = resolveTrainOptions('Trainer', { epochs: 10 });
 */
export function resolveTrainOptions(where: string, options: TrainOptions): ResolvedTrainOptions {
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
    callbacks: checkCallbacks(where, o.callbacks),
    progress,
    checkFinite: o.checkFinite === undefined ? true : checkBoolean(where, 'options.checkFinite', o.checkFinite),
    maxMemory: o.maxMemory === undefined ? null : checkInRange(where, 'options.maxMemory', o.maxMemory, 0, Infinity, { loOpen: true }),
  };
}

const HOOKS = ['onTrainBegin', 'onBatchEnd', 'onEpochError', 'onEpochEnd', 'onTrainEnd'] as const;

/** Checks `options.callbacks`: an array of objects with at least one hook, every hook a function. */
function checkCallbacks(where: string, value: unknown): readonly Callback[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw quiverError('TypeError', { where, what: 'options.callbacks must be an array of callbacks', got: describeValue(value) });
  value.forEach((cb: unknown, n) => {
    const c = cb as Record<string, unknown> | null;
    if (c === null || typeof c !== 'object' || !HOOKS.some((h) => c[h] !== undefined) || HOOKS.some((h) => c[h] !== undefined && typeof c[h] !== 'function')) {
      throw quiverError('TypeError', { where, what: `options.callbacks[${n}] must be an object with hook methods (${HOOKS.join(', ')})`, got: describeValue(cb) });
    }
  });
  return [...(value as Callback[])];
}
