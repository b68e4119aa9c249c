import { checkNonNegativeInt, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { checkNonNegative, checkPositive, checkSeed } from './hyper.js';

/**
 * Options of {@link SVDpp}. Defaults were chosen by nested cross-validation on ml-latest-small
 * (`bench/tune-rating.mjs`; see the package README).
 */
export interface SvdppOptions {
  /** Latent factors per user, item and implicit item vector. @defaultValue 128 */
  factors?: number;
  /** Epochs of `fit`. @defaultValue 50 */
  epochs?: number;
  /** Learning rate of the factors `p`, `q` and `y`. @defaultValue 0.007 */
  lr?: number;
  /** Learning rate of the biases (a fifth of `lr` did better than `lr` itself on ml-latest-small). @defaultValue 0.0015 */
  lrBias?: number;
  /** L2 regularisation of `p` and `q` (per rating, Surprise's `reg_pu` / `reg_qi`). @defaultValue 0.08 */
  reg?: number;
  /** L2 regularisation of the biases (per rating). @defaultValue 0.02 */
  regBias?: number;
  /**
   * L2 regularisation of the implicit item vectors `y` (per rating, Surprise's `reg_yj`: a user's
   * `n` ratings each regularise every `yⱼ` of `N(u)`, so `yⱼ` of a popular item is held far more
   * strongly than `qⱼ`).
   * @defaultValue 0.02
   */
  regImplicit?: number;
  /** Standard deviation of the N(0, std²) initial `p`, `q` and `y`. @defaultValue 0.03 */
  initStd?: number;
  /** Multiply the learning rates by this after every epoch (`lr · lrDecay^epoch`). @defaultValue 1 */
  lrDecay?: number;
  /** Seed of the initial factors and of the user order. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of an {@link SVDpp}: every option filled in. */
export type SvdppConfig = Readonly<Required<SvdppOptions>>;

const OPTION_NAMES = ['factors', 'epochs', 'lr', 'lrBias', 'reg', 'regBias', 'regImplicit', 'initStd', 'lrDecay', 'seed'];

/**
 * Checks and fills in {@link SvdppOptions}.
 * @throws {TypeError} for an unknown option or an option of the wrong type.
 * @throws {RangeError} for a value out of range.
 * @example
 * resolveSvdppOptions('SVDpp', { factors: 32 }).lrBias; // 0.0015
 */
export function resolveSvdppOptions(where: string, o: SvdppOptions): SvdppConfig {
  checkOptionNames(where, o, OPTION_NAMES);
  const lr = checkPositive(where, 'lr', o.lr ?? 0.007);
  const reg = checkNonNegative(where, 'reg', o.reg ?? 0.08);
  return Object.freeze({
    factors: checkPositiveInt(where, 'factors', o.factors ?? 128),
    epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 50),
    lr,
    lrBias: checkPositive(where, 'lrBias', o.lrBias ?? 0.0015),
    reg,
    regBias: checkNonNegative(where, 'regBias', o.regBias ?? 0.02),
    regImplicit: checkNonNegative(where, 'regImplicit', o.regImplicit ?? 0.02),
    initStd: checkPositive(where, 'initStd', o.initStd ?? 0.03),
    lrDecay: checkPositive(where, 'lrDecay', o.lrDecay ?? 1),
    seed: checkSeed(where, o.seed ?? 42),
  });
}
