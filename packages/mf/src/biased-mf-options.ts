import { checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { checkNonNegative, checkPositive, checkSeed, checkThreads } from './hyper.js';
import type { MiniBatchOptimizer } from './minibatch-trainer.js';
import { checkSolverKeys, refuseMoved, solverObject } from './solver-options.js';

/**
 * `BiasedMF`'s per-rating SGD (Funk / Surprise), one seeded random permutation of all ratings per
 * epoch, in a plain typed-array loop. The default solver.
 */
export interface SgdShuffleSolver {
  /** Per-rating SGD. */
  readonly kind: 'sgd';
  /** @defaultValue 'shuffle' */
  readonly schedule?: 'shuffle';
  /** Only with `schedule: 'blocks'`. */
  readonly threads?: never;
  /** Only with `schedule: 'blocks'`. */
  readonly grid?: never;
}

/**
 * `BiasedMF`'s per-rating SGD on LIBMF's block schedule. Users and items are cut into a
 * `grid × grid` grid of blocks, each block's ratings sorted by the side with more rows; each epoch
 * walks `grid` rounds of `grid` blocks that share no user and no item (a seeded order of rounds),
 * with WebAssembly SIMD kernels when `factors` is a multiple of 4 and the model's tables held in
 * the engine's memory. Several times faster on data whose tables do not fit in cache; the same
 * accuracy within noise as `'shuffle'` (see the package README), not the same numbers for a seed.
 */
export interface SgdBlocksSolver {
  /** Per-rating SGD. */
  readonly kind: 'sgd';
  /** LIBMF's block schedule. */
  readonly schedule: 'blocks';
  /**
   * Worker threads over shared memory plus the calling thread, 1–16; more than 1 needs `factors`
   * a multiple of 4. Blocks of a round never share rows, so the result is the same for every
   * thread count (deterministic).
   * @defaultValue 1
   */
  readonly threads?: number;
  /** Blocks per side; 0 chooses from the table sizes (the smaller side's rows of one block ≈ 384 KiB). @defaultValue 0 */
  readonly grid?: number;
}

/**
 * `BiasedMF` trained on mini-batches through its core `Embedding`s (sparse gradients) and a core
 * optimizer; the only solver that leaves a frozen table alone.
 */
export interface MiniBatchSolver {
  /** Mini-batches through core optimizers. */
  readonly kind: 'minibatch';
  /** @defaultValue 'sparse-adam' */
  readonly optimizer?: MiniBatchOptimizer;
  /** Ratings per mini-batch. @defaultValue 512 */
  readonly batchSize?: number;
}

/** How {@link BiasedMF} trains: a solver and the options that belong to it (a tagged union on `kind`). */
export type BiasedMfSolverOptions = SgdShuffleSolver | SgdBlocksSolver | MiniBatchSolver;

/** The kinds of {@link BiasedMfSolverOptions}; `solver: 'minibatch'` is short for `{ kind: 'minibatch' }`. */
export type BiasedMfSolverKind = BiasedMfSolverOptions['kind'];

/** A solver with every option filled in (`BiasedMF.config.solver`). */
export type BiasedMfSolver = Required<Omit<SgdShuffleSolver, 'threads' | 'grid'>> | Required<SgdBlocksSolver> | Required<MiniBatchSolver>;

/** Options of {@link BiasedMF}. Defaults were tuned on ml-latest-small (see the package README). */
export interface BiasedMfOptions {
  /** Latent factors per user and item. @defaultValue 128 */
  factors?: number;
  /** Epochs of `fit`. @defaultValue 60 */
  epochs?: number;
  /**
   * Learning rate of the factors.
   * @defaultValue 0.01 for the `'sgd'` solver; for `'minibatch'`: 0.01 with `'sgd'` (the loss
   * is summed over the batch, so this matches per-rating SGD), 0.05 with `'adagrad'`, 0.002
   * with `'sparse-adam'`
   */
  lr?: number;
  /** Learning rate of the biases. @defaultValue the value of `lr` */
  lrBias?: number;
  /** L2 regularisation of the factors (per rating, Surprise's `reg_pu`/`reg_qi`). @defaultValue 0.08 */
  reg?: number;
  /** L2 regularisation of the biases (per rating). @defaultValue 0.02 */
  regBias?: number;
  /** Standard deviation of the N(0, std²) initial factors. @defaultValue 0.03 */
  initStd?: number;
  /** Multiply the learning rates by this after every epoch (`lr · lrDecay^epoch`). @defaultValue 1 */
  lrDecay?: number;
  /**
   * The solver and its options, e.g. `{ kind: 'sgd', schedule: 'blocks', threads: 2 }` or
   * `{ kind: 'minibatch', optimizer: 'adagrad', batchSize: 256 }`; a kind alone stands for its defaults.
   * @defaultValue `{ kind: 'sgd', schedule: 'shuffle' }`
   */
  solver?: BiasedMfSolverKind | BiasedMfSolverOptions;
  /** Seed of the initial factors and of the shuffling. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of a {@link BiasedMF}: every option filled in, the solver too. */
export type BiasedMfConfig = Readonly<Required<Omit<BiasedMfOptions, 'solver'>>> & {
  /** The solver with every option filled in. */
  readonly solver: BiasedMfSolver;
};

const OPTION_NAMES = ['factors', 'epochs', 'lr', 'lrBias', 'reg', 'regBias', 'initStd', 'lrDecay', 'solver', 'seed'];

/** Options that were top-level before they moved into `solver`, with an example of the solver that has them. */
const MOVED: Record<string, string> = {
  schedule: "{ kind: 'sgd', schedule: 'blocks' }",
  threads: "{ kind: 'sgd', schedule: 'blocks', threads: 2 }",
  grid: "{ kind: 'sgd', schedule: 'blocks', grid: 8 }",
  optimizer: "{ kind: 'minibatch', optimizer: 'adagrad' }",
  batchSize: "{ kind: 'minibatch', batchSize: 256 }",
};

/**
 * Checks and fills in {@link BiasedMfOptions}.
 * @throws {TypeError} for an unknown option (one that moved into `solver` says where it went).
 * @throws {RangeError} for a value out of range or a solver option its kind does not have.
 */
export function resolveBiasedMfOptions(where: string, o: BiasedMfOptions): BiasedMfConfig {
  refuseMoved(where, o, MOVED);
  checkOptionNames(where, o, OPTION_NAMES);
  const factors = checkPositiveInt(where, 'factors', o.factors ?? 128);
  const solver = resolveSolver(where, o.solver ?? 'sgd', factors);
  const optimizer = solver.kind === 'minibatch' ? solver.optimizer : 'sgd';
  const lr = checkPositive(where, 'lr', o.lr ?? (optimizer === 'sgd' ? 0.01 : optimizer === 'adagrad' ? 0.05 : 0.002));
  return {
    factors,
    epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 60),
    lr,
    lrBias: checkPositive(where, 'lrBias', o.lrBias ?? lr),
    reg: checkNonNegative(where, 'reg', o.reg ?? 0.08),
    regBias: checkNonNegative(where, 'regBias', o.regBias ?? 0.02),
    initStd: checkPositive(where, 'initStd', o.initStd ?? 0.03),
    lrDecay: checkPositive(where, 'lrDecay', o.lrDecay ?? 1),
    solver,
    seed: checkSeed(where, o.seed ?? 42),
  };
}

function resolveSolver(where: string, value: unknown, factors: number): BiasedMfSolver {
  const s = solverObject(where, value, ['sgd', 'minibatch']);
  const kind = checkOneOf(where, 'solver.kind', s.kind, ['sgd', 'minibatch']);
  if (kind === 'minibatch') {
    checkSolverKeys(where, s, ['kind', 'optimizer', 'batchSize'], `solver kind 'minibatch'`);
    return Object.freeze({
      kind,
      optimizer: checkOneOf(where, 'solver.optimizer', s.optimizer ?? 'sparse-adam', ['sgd', 'adagrad', 'sparse-adam']),
      batchSize: checkPositiveInt(where, 'solver.batchSize', s.batchSize ?? 512),
    });
  }
  const schedule = checkOneOf(where, 'solver.schedule', s.schedule ?? 'shuffle', ['shuffle', 'blocks']);
  if (schedule === 'shuffle') {
    checkSolverKeys(where, s, ['kind', 'schedule'], `solver kind 'sgd' with schedule 'shuffle'`, "; threads and grid belong to schedule 'blocks'");
    return Object.freeze({ kind, schedule });
  }
  checkSolverKeys(where, s, ['kind', 'schedule', 'threads', 'grid'], `solver kind 'sgd' with schedule 'blocks'`);
  return Object.freeze({
    kind,
    schedule,
    threads: checkThreads(where, s.threads ?? 1, factors),
    grid: checkNonNegativeInt(where, 'solver.grid', s.grid ?? 0),
  });
}
