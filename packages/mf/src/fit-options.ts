import { checkNonNegativeInt, checkOptionNames, describeValue, quiverError } from '@quiver/base';
import type { FitOptions, InitializeOptions } from './recommender.js';

/** {@link FitOptions} after checking. */
export interface ResolvedFitOptions {
  readonly epochs: number;
  readonly onEpochEnd: FitOptions['onEpochEnd'] | undefined;
  readonly verbose: boolean;
  /** What `fit` passes to `initialize`. */
  readonly init: InitializeOptions;
}

/**
 * Checks the options of `fit` (unknown names, kinds), filling in the model's default epochs.
 * @throws {TypeError} for an unknown option or one of the wrong kind; `RangeError` for negative epochs.
 * @example
 * const o = resolveFitOptions('ALS.fit', options, 15);
 */
export function resolveFitOptions(where: string, options: FitOptions, defaultEpochs: number): ResolvedFitOptions {
  checkOptionNames(where, options, ['epochs', 'seed', 'onEpochEnd', 'verbose', 'maxMemory']);
  const epochs = options.epochs === undefined ? defaultEpochs : checkNonNegativeInt(where, 'epochs', options.epochs);
  const onEpochEnd = options.onEpochEnd;
  if (onEpochEnd !== undefined && typeof onEpochEnd !== 'function') throw quiverError('TypeError', { where, what: 'onEpochEnd must be a function', got: describeValue(onEpochEnd) });
  const verbose = options.verbose ?? false;
  if (typeof verbose !== 'boolean') throw quiverError('TypeError', { where, what: 'verbose must be a boolean', got: describeValue(verbose) });
  const init: InitializeOptions = { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.maxMemory === undefined ? {} : { maxMemory: options.maxMemory }) };
  return { epochs, onEpochEnd, verbose, init };
}
