import { checkBoolean, checkNonNegativeInt, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { checkPositive, checkSeed } from './hyper.js';

/**
 * Options of {@link BayesianMF}. Defaults were chosen by nested cross-validation on
 * ml-latest-small (`bench/tune-rating.mjs`; see the package README).
 */
export interface BayesianMfOptions {
  /** Latent factors per user and item (not counting the bias dimension). @defaultValue 16 */
  factors?: number;
  /** Gibbs sweeps of `fit` (one epoch = one sweep over the hyper-parameters, every user, then every item). @defaultValue 150 */
  epochs?: number;
  /** Sweeps discarded before samples are kept (the predictions average the samples of later sweeps). @defaultValue 20 */
  burnIn?: number;
  /** Keep every `thin`-th sweep after the burn-in. @defaultValue 1 */
  thin?: number;
  /**
   * Model a user bias and an item bias as one more latent dimension on each side, paired with a
   * constant 1 on the other (as Rendle et al. 2019 did), so they share the factors' Normal–Wishart prior.
   * @defaultValue true
   */
  biases?: boolean;
  /**
   * The precision of the Gaussian rating noise, a number `> 0` (BPMF's fixed `alpha`), or
   * `'sample'` to draw it every sweep from its posterior under a Gamma(1, 1) prior.
   * @defaultValue 'sample'
   */
  alpha?: number | 'sample';
  /** Standard deviation of the N(0, std²) initial factors of the chain. @defaultValue 0.1 */
  initStd?: number;
  /** Seed of the initial factors and of every draw. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of a {@link BayesianMF}: every option filled in. */
export type BayesianMfConfig = Readonly<Required<BayesianMfOptions>>;

const OPTION_NAMES = ['factors', 'epochs', 'burnIn', 'thin', 'biases', 'alpha', 'initStd', 'seed'];

/**
 * Checks and fills in {@link BayesianMfOptions}.
 * @throws {TypeError} for an unknown option or an option of the wrong type.
 * @throws {RangeError} for a value out of range.
 * @example
 * resolveBayesianMfOptions('BayesianMF', { factors: 16 }).burnIn; // 20
 */
export function resolveBayesianMfOptions(where: string, o: BayesianMfOptions): BayesianMfConfig {
  checkOptionNames(where, o, OPTION_NAMES);
  const alpha = o.alpha ?? 'sample';
  if (alpha !== 'sample') {
    if (typeof alpha !== 'number') throw quiverError('TypeError', { where, what: "alpha must be a number > 0 or 'sample'", got: describeValue(alpha) });
    checkPositive(where, 'alpha', alpha);
  }
  return Object.freeze({
    factors: checkPositiveInt(where, 'factors', o.factors ?? 16),
    epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 150),
    burnIn: checkNonNegativeInt(where, 'burnIn', o.burnIn ?? 20),
    thin: checkPositiveInt(where, 'thin', o.thin ?? 1),
    biases: checkBoolean(where, 'biases', o.biases ?? true),
    alpha,
    initStd: checkPositive(where, 'initStd', o.initStd ?? 0.1),
    seed: checkSeed(where, o.seed ?? 42),
  });
}
