import { checkBoolean, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { checkNonNegative, checkSeed, checkThreads } from './hyper.js';
import { checkSolverKeys, refuseMoved, solverObject } from './solver-options.js';

/**
 * `ALS` solving each row by a few conjugate-gradient steps, warm-started from its current
 * factors (implicit's default); WebAssembly SIMD when `factors` is a multiple of 4.
 */
export interface AlsCgSolver {
  /** Conjugate gradient. */
  readonly kind: 'cg';
  /** CG steps per row and sweep. @defaultValue 3 */
  readonly steps?: number;
  /**
   * Threads of the half-sweeps (worker threads over shared WebAssembly memory plus the calling
   * thread, 1–16); more than 1 needs `factors` a multiple of 4. Every row's solve is independent,
   * so the factors are the same for every thread count.
   * @defaultValue 1
   */
  readonly threads?: number;
}

/** `ALS` solving each row exactly (a Cholesky factorisation of its k × k system), on one thread. */
export interface AlsCholeskySolver {
  /** The exact solve. */
  readonly kind: 'cholesky';
}

/** How {@link ALS} solves its rows: a tagged union on `kind`. */
export type AlsSolverOptions = AlsCgSolver | AlsCholeskySolver;

/** A solver with every option filled in (`ALS.config.solver`). */
export type AlsSolver = Required<AlsCgSolver> | AlsCholeskySolver;

/** Options of {@link ALS}. Defaults were tuned on ml-latest-small (see the package README). */
export interface AlsOptions {
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /** Alternating sweeps (users then items) of `fit`. @defaultValue 15 */
  epochs?: number;
  /** L2 regularisation λ of both tables (on the scale of a row's summed confidences). @defaultValue 10 */
  reg?: number;
  /**
   * Confidence slope: an observed pair has confidence `1 + alpha · value`. The default 0 weighs
   * observed and unobserved pairs alike (implicit's default `alpha = 1` does the same, since
   * implicit uses `c = alpha · value`); raise it for counts or strong signals.
   * @defaultValue 0
   */
  alpha?: number;
  /**
   * Use the ratings as the values in the confidence; otherwise every interaction has value 1
   * (repeated interactions add up either way).
   * @defaultValue false
   */
  useRatings?: boolean;
  /**
   * The solver and its options: `{ kind: 'cg', steps, threads }` or `{ kind: 'cholesky' }`; a kind
   * alone stands for its defaults.
   * @defaultValue `{ kind: 'cg', steps: 3, threads: 1 }`
   */
  solver?: AlsSolverOptions['kind'] | AlsSolverOptions;
  /** Compute the training loss after each epoch (costs about one extra half-sweep); when false `fitEpoch` returns NaN. @defaultValue true */
  computeLoss?: boolean;
  /** Seed of the initial factors. @defaultValue 42 */
  seed?: number;
}

/** The resolved hyper-parameters of an {@link ALS}: every option filled in, the solver too. */
export type AlsConfig = Readonly<Required<Omit<AlsOptions, 'solver'>>> & {
  /** The solver with every option filled in. */
  readonly solver: AlsSolver;
};

const OPTION_NAMES = ['factors', 'epochs', 'reg', 'alpha', 'useRatings', 'solver', 'computeLoss', 'seed'];

/** Options that were top-level before they moved into `solver`, with an example of the solver that has them. */
const MOVED: Record<string, string> = {
  cgSteps: "{ kind: 'cg', steps: 3 }",
  threads: "{ kind: 'cg', threads: 2 }",
};

/**
 * Checks and fills in {@link AlsOptions}.
 * @throws {TypeError} for an unknown option (one that moved into `solver` says where it went).
 * @throws {RangeError} for a value out of range or a solver option its kind does not have.
 */
export function resolveAlsOptions(where: string, o: AlsOptions): AlsConfig {
  refuseMoved(where, o, MOVED);
  checkOptionNames(where, o, OPTION_NAMES);
  const factors = checkPositiveInt(where, 'factors', o.factors ?? 64);
  return {
    factors,
    epochs: checkNonNegativeInt(where, 'epochs', o.epochs ?? 15),
    reg: checkNonNegative(where, 'reg', o.reg ?? 10),
    alpha: checkNonNegative(where, 'alpha', o.alpha ?? 0),
    useRatings: checkBoolean(where, 'useRatings', o.useRatings ?? false),
    solver: resolveSolver(where, o.solver ?? 'cg', factors),
    computeLoss: checkBoolean(where, 'computeLoss', o.computeLoss ?? true),
    seed: checkSeed(where, o.seed ?? 42),
  };
}

function resolveSolver(where: string, value: unknown, factors: number): AlsSolver {
  const s = solverObject(where, value, ['cg', 'cholesky']);
  const kind = checkOneOf(where, 'solver.kind', s.kind, ['cg', 'cholesky']);
  if (kind === 'cholesky') {
    checkSolverKeys(where, s, ['kind'], `solver kind 'cholesky'`, 'threads' in s ? "; the exact solve runs on one thread, use kind 'cg' for threads" : '');
    return Object.freeze({ kind });
  }
  checkSolverKeys(where, s, ['kind', 'steps', 'threads'], `solver kind 'cg'`);
  return Object.freeze({
    kind,
    steps: checkPositiveInt(where, 'solver.steps', s.steps ?? 3),
    threads: checkThreads(where, s.threads ?? 1, factors),
  });
}
