import { checkBoolean, checkNonNegativeInt, checkOneOf, checkOptionNames, checkPositiveInt, describeValue, quiverError } from '@quiver/base';
import { checkNonNegative, checkPositive, checkSeed, checkThreads } from './hyper.js';
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

/**
 * Frequency-scaled regularisation (Rendle, Krichene, Zhang & Koren, "Revisiting the Performance
 * of iALS on Item Recommendation Benchmarks", RecSys 2022): each user and item gets its own ridge
 * term `λᵤ = scale · wᵤ^exponent`, where `wᵤ` is the row's total weight in the loss, the sum of its
 * confidences over every item: `numItems + Σᵢ (cᵤᵢ − 1)` (an unobserved pair weighs 1, an observed
 * one `cᵤᵢ = 1 + alpha · value`); items likewise over the users.
 *
 * Rendle et al. write the loss with an unobserved weight `α₀` and the ridge term
 * `λ (|Iᵤ| + α₀|I|)^ν`. Their model is this ALS with `alpha = 1/α₀`, `exponent = ν` and
 * `scale = λ (1 + α₀) α₀^(ν−1)` (`λ (1 + α₀)` for ν = 1), with factors `√(1 + α₀)` times theirs
 * (their target is `1/(1 + α₀)`, ours 1): the same rankings. `ialsOptions` does this mapping.
 */
export interface AlsFrequencyReg {
  /** Frequency-scaled: a ridge term per row. */
  readonly kind: 'frequency';
  /** The scale λ of every row's ridge term `λ · wᵤ^exponent`. */
  readonly scale: number;
  /** The exponent ν of the row's weight (0 gives the uniform `reg = scale`). @defaultValue 1 */
  readonly exponent?: number;
}

/** Options of {@link ALS}. Defaults were tuned on ml-latest-small (see the package README). */
export interface AlsOptions {
  /** Latent factors per user and item. @defaultValue 64 */
  factors?: number;
  /** Alternating sweeps (users then items) of `fit`. @defaultValue 15 */
  epochs?: number;
  /**
   * L2 regularisation of both tables: a number λ for the same ridge term on every row (Hu, Koren
   * & Volinsky; on the scale of a row's summed confidences), or `{ kind: 'frequency', scale,
   * exponent }` for a ridge term per row that grows with the row's weight (Rendle et al. 2022;
   * see `AlsFrequencyReg`).
   * @defaultValue 10
   */
  reg?: number | AlsFrequencyReg;
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
export type AlsConfig = Readonly<Required<Omit<AlsOptions, 'solver' | 'reg'>>> & {
  /** The uniform λ, or the frequency-scaled regularisation with its exponent filled in. */
  readonly reg: number | Required<AlsFrequencyReg>;
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
    reg: resolveReg(where, o.reg ?? 10),
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

/** A `reg` option: a number λ ≥ 0, or `{ kind: 'frequency', scale, exponent }`. */
function resolveReg(where: string, value: unknown): number | Required<AlsFrequencyReg> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value !== 'number') {
      throw quiverError('TypeError', { where, what: "reg must be a number in [0, Infinity) or an object { kind: 'frequency', scale, exponent }", got: describeValue(value) });
    }
    return checkNonNegative(where, 'reg', value);
  }
  const r = value as Record<string, unknown>;
  const kind = checkOneOf(where, 'reg.kind', r.kind, ['frequency']);
  checkSolverKeys(where, r, ['kind', 'scale', 'exponent'], `reg kind 'frequency'`, '', 'reg');
  if (r.scale === undefined) {
    throw quiverError('TypeError', { where, what: "reg.scale must be given with reg kind 'frequency' (λ of the ridge term λ · wᵤ^exponent)", got: `reg ${JSON.stringify(r)}` });
  }
  return Object.freeze({
    kind,
    scale: checkNonNegative(where, 'reg.scale', r.scale),
    exponent: checkNonNegative(where, 'reg.exponent', r.exponent ?? 1),
  });
}

/**
 * The hyper-parameters of iALS as Rendle, Krichene, Zhang & Koren write them ("Revisiting the
 * Performance of iALS on Item Recommendation Benchmarks", RecSys 2022; the same loss as
 * "iALS++", Rendle et al. 2021): minimise
 * `Σ₍ᵤ,ᵢ₎ observed (ŷᵤᵢ − 1)² + α₀ Σᵤ Σᵢ ŷᵤᵢ² + λ (Σᵤ (|Iᵤ| + α₀|I|)^ν ‖wᵤ‖² + Σᵢ (|Uᵢ| + α₀|U|)^ν ‖hᵢ‖²)`,
 * plus the {@link AlsOptions} that are not part of the loss. Their binary loss has no
 * `useRatings`.
 */
export interface IalsParameters extends Omit<AlsOptions, 'alpha' | 'reg' | 'useRatings'> {
  /** α₀, the weight of every user–item pair in the `α₀ Σ ŷ²` term (> 0). @defaultValue IALS_DEFAULTS.unobservedWeight (0.3) */
  unobservedWeight?: number;
  /** λ, the scale of the frequency-scaled ridge terms (≥ 0). @defaultValue IALS_DEFAULTS.reg (0.01) */
  reg?: number;
  /** ν, the exponent of the row's frequency in its ridge term (≥ 0; 0 gives a uniform λ). @defaultValue 1 */
  regExponent?: number;
  /** Latent factors per user and item (the embedding dimension d). @defaultValue IALS_DEFAULTS.factors (256) */
  factors?: number;
}

/**
 * The iALS recipe's defaults for {@link ialsOptions}: `ν = 1` as Rendle et al. recommend, and
 * `α₀`, `λ` and the factor count chosen on ml-latest-small by validation NDCG@10 on an inner
 * 80/20 split of the training part (`bench/tune-ials.mjs`: α₀ ∈ {0.1, 0.2, 0.3, 0.5, 1} ×
 * λ ∈ {0.003 … 0.02} at 64 factors, then 128 and 256). 256 factors won by a hair (validation
 * NDCG@10 0.1895 against 0.1885 at 64) for about 13 times the epoch time; pass `factors: 64`
 * for the fast variant. 15 sweeps of 3 CG steps, as {@link ALS}.
 */
export const IALS_DEFAULTS: Readonly<Required<Pick<IalsParameters, 'unobservedWeight' | 'reg' | 'regExponent' | 'factors'>>> = Object.freeze({
  unobservedWeight: 0.3,
  reg: 0.01,
  regExponent: 1,
  factors: 256,
});

const IALS_NAMES = ['unobservedWeight', 'reg', 'regExponent', 'factors', 'epochs', 'solver', 'computeLoss', 'seed'];

/**
 * The {@link AlsOptions} of Rendle et al.'s iALS with unobserved weight `α₀`, regularisation `λ`
 * and exponent `ν` (see {@link IalsParameters}): `alpha = 1/α₀` and
 * `reg = { kind: 'frequency', scale: λ (1 + α₀) α₀^(ν−1), exponent: ν }`. Dividing their loss by
 * `α₀` gives Hu et al.'s loss with confidence `1 + 1/α₀` and target `1/(1 + α₀)`; scaling both
 * factor tables by `√(1 + α₀)` moves the target to 1 and multiplies λ by `1 + α₀`. The trained
 * factors are therefore `√(1 + α₀)` times theirs and every ranking is the same. The initial
 * factors are ALS's uniform `[0, 0.01)` rather than their `N(0, 0.1²/d)`: on ml-latest-small the
 * two land within the seed-to-seed spread.
 *
 * @returns Options for `new ALS(...)`; the options other than the three above pass through
 * (ALS checks them).
 * @throws {TypeError} for an unknown option name or a value of the wrong type.
 * @throws {RangeError} for `unobservedWeight` ≤ 0 or a negative `reg` / `regExponent`.
 * @example
 * const als = new ALS(ialsOptions({ unobservedWeight: 0.1, reg: 0.003, factors: 256 }));
 */
export function ialsOptions(p: IalsParameters = {}): AlsOptions {
  const where = 'ialsOptions';
  checkOptionNames(where, p, IALS_NAMES);
  const a0 = checkPositive(where, 'unobservedWeight', p.unobservedWeight ?? IALS_DEFAULTS.unobservedWeight);
  const lambda = checkNonNegative(where, 'reg', p.reg ?? IALS_DEFAULTS.reg);
  const nu = checkNonNegative(where, 'regExponent', p.regExponent ?? IALS_DEFAULTS.regExponent);
  const { unobservedWeight: _a, reg: _r, regExponent: _e, ...rest } = p;
  return { factors: IALS_DEFAULTS.factors, ...rest, alpha: 1 / a0, reg: { kind: 'frequency', scale: lambda * (1 + a0) * a0 ** (nu - 1), exponent: nu } };
}
