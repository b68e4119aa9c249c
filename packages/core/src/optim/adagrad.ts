import { checkBoolean, checkOptionNames, quiverError } from '@quiver/base';
import { adagradUpdateDense, adagradUpdateRows } from '../kernels/adagrad-update.js';
import { coalesceRows } from '../kernels/coalesce-rows.js';
import type { Grad, Parameter } from '../parameter.js';
import { isSparseRowGrad } from '../sparse-grad.js';
import { checkNonNegative } from './check-hyper.js';
import { checkSparseGrad, Optimizer, type ParamsInput } from './optimizer.js';

/** Options of {@link Adagrad} and {@link RowWiseAdagrad}, as `torch.optim.Adagrad`. */
export interface AdagradOptions {
  /** Learning rate, `>= 0`. @defaultValue 0.01 */
  lr?: number;
  /** Learning-rate decay: step `t` uses `lr / (1 + (t - 1) * lrDecay)`. `>= 0`. @defaultValue 0 */
  lrDecay?: number;
  /** L2 penalty added to the gradient, `>= 0`. Adagrad rejects it with sparse gradients. @defaultValue 0 */
  weightDecay?: number;
  /** Starting value of the accumulators, `>= 0`. @defaultValue 0 */
  initialAccumulatorValue?: number;
  /** Added to the square root of the accumulator, `>= 0`. @defaultValue 1e-10 */
  eps?: number;
  /** Maximize the objective instead of minimizing. @defaultValue false */
  maximize?: boolean;
}

/** State of one parameter under {@link Adagrad}: step count and per-element sum of squared gradients. */
export interface AdagradState {
  /** Updates this parameter has taken. */
  step: number;
  /** Same size and layout as the parameter. */
  sum: Float32Array;
}

/** Option names shared by Adagrad and RowWiseAdagrad. */
export const ADAGRAD_OPTION_NAMES = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'] as const;

/** Default options shared by Adagrad and RowWiseAdagrad. */
export const ADAGRAD_DEFAULTS: Readonly<Required<AdagradOptions>> = Object.freeze({
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
});

/** Checks a complete Adagrad option set (shared with RowWiseAdagrad). */
export function normalizeAdagradOptions(where: string, o: Record<string, unknown>, prefix: string): Required<AdagradOptions> {
  return {
    lr: checkNonNegative(where, `${prefix}lr`, o.lr),
    lrDecay: checkNonNegative(where, `${prefix}lrDecay`, o.lrDecay),
    weightDecay: checkNonNegative(where, `${prefix}weightDecay`, o.weightDecay),
    initialAccumulatorValue: checkNonNegative(where, `${prefix}initialAccumulatorValue`, o.initialAccumulatorValue),
    eps: checkNonNegative(where, `${prefix}eps`, o.eps),
    maximize: checkBoolean(where, `${prefix}maximize`, o.maximize),
  };
}

const WHERE = 'Adagrad';

/**
 * Stateless Adagrad update of several parameters (torch's functional `adagrad`), in place.
 * `sums[i]` is the accumulator of `params[i]` (same size); `steps[i]` its step count
 * **including** this step (1 on the first update), used for `lrDecay`.
 *
 * Sparse gradients are coalesced first (the update is non-linear, so rows must be unique) and
 * only their rows are read or written: O(nnz × dim). Weight decay with a sparse gradient is
 * rejected, as in torch. All gradients are checked before any parameter changes.
 * @throws {Error} when `weightDecay` is non-zero and a gradient is sparse (names the param).
 * @throws {RangeError} when a sparse gradient has the wrong row size or an out-of-range row.
 * @example
 * adagrad([w], [w.grad!], [sum], [1], { ...ADAGRAD_DEFAULTS });
 */
export function adagrad(
  params: readonly Parameter[],
  grads: readonly Grad[],
  sums: readonly Float32Array[],
  steps: readonly number[],
  options: Readonly<Required<AdagradOptions>>,
): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = options;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    if (!isSparseRowGrad(g)) continue;
    if (weightDecay !== 0) {
      throw quiverError('Error', { where: WHERE, what: `weightDecay is not supported with sparse gradients (param "${params[i].name}"); set it to 0` });
    }
    checkSparseGrad(WHERE, params[i], g);
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const g = grads[i];
    const clr = lr / (1 + (steps[i] - 1) * lrDecay);
    if (isSparseRowGrad(g)) {
      const c = coalesceRows(g);
      adagradUpdateRows(p.data, p.rowSize, c.rows, c.values, sums[i], clr, eps, maximize);
    } else {
      adagradUpdateDense(p.data, g.data, sums[i], p.size, clr, weightDecay, eps, maximize);
    }
  }
}

/**
 * Adagrad, same as `torch.optim.Adagrad` (1.13): per element, `sum += g²` and
 * `p −= clr · g / (√sum + eps)` with `clr = lr / (1 + (step − 1)·lrDecay)`.
 *
 * Sparse-aware: a row-sparse gradient is coalesced and only its rows change (O(nnz × dim) per
 * step). `weightDecay` with a sparse gradient throws, as torch does; use
 * {@link RowWiseAdagrad}, which decays the touched rows, or apply decay yourself.
 *
 * State (`step`, `sum`) is created on a parameter's first update (torch creates it in the
 * constructor; the values are the same).
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range.
 * @example
 * const opt = new Adagrad([emb.weight], { lr: 0.05 });
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>, AdagradState> {
  constructor(params: ParamsInput<Required<AdagradOptions>>, options: AdagradOptions = {}) {
    checkOptionNames(WHERE, options, ADAGRAD_OPTION_NAMES);
    const normalize = (o: Record<string, unknown>, prefix: string) => normalizeAdagradOptions(WHERE, o, prefix);
    super(params, normalize({ ...ADAGRAD_DEFAULTS, ...options }, ''), {
      where: WHERE,
      optionNames: ADAGRAD_OPTION_NAMES,
      normalize,
      stateSchema: { step: 'count', sum: 'buffer' },
    });
  }

  protected override updateGroup(group: Readonly<Required<AdagradOptions>>, params: Parameter[], grads: Grad[]): void {
    this.stepStates(
      params,
      (p) => ({ step: 0, sum: new Float32Array(p.size).fill(group.initialAccumulatorValue) }),
      (states, steps) => adagrad(params, grads, states.map((s) => s.sum), steps, group),
    );
  }
}
