import { checkOptionNames } from '@quiver/base';
import { coalesceRows } from '../kernels/coalesce-rows.js';
import { rowWiseAdagradUpdate } from '../kernels/row-wise-adagrad-update.js';
import type { Grad, Parameter } from '../parameter.js';
import { isSparseRowGrad } from '../sparse-grad.js';
import { ADAGRAD_DEFAULTS, ADAGRAD_OPTION_NAMES, normalizeAdagradOptions, type AdagradOptions } from './adagrad.js';
import { checkSparseGrad, Optimizer, type ParamsInput } from './optimizer.js';

/** State of one parameter under {@link RowWiseAdagrad}: step count and one accumulator per row. */
export interface RowWiseAdagradState {
  /** Updates this parameter has taken. */
  step: number;
  /** Length `numRows`: the accumulated mean squared gradient of each row. */
  sum: Float32Array;
}

const WHERE = 'RowWiseAdagrad';

/**
 * Stateless row-wise Adagrad update of several parameters, in place. `rowSums[i]` has one
 * value per row of `params[i]`; `steps[i]` is its step count including this step.
 *
 * Sparse gradients are coalesced and only their rows are read or written (O(nnz × dim));
 * weight decay then applies to the **touched rows only**. A dense gradient updates every row.
 * @throws {RangeError} when a sparse gradient has the wrong row size or an out-of-range row.
 * @example
 * rowWiseAdagrad([w], [w.grad!], [rowSum], [1], { ...ADAGRAD_DEFAULTS });
 */
export function rowWiseAdagrad(
  params: readonly Parameter[],
  grads: readonly Grad[],
  rowSums: readonly Float32Array[],
  steps: readonly number[],
  options: Readonly<Required<AdagradOptions>>,
): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = options;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    if (isSparseRowGrad(g)) checkSparseGrad(WHERE, params[i], g);
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const g = grads[i];
    const clr = lr / (1 + (steps[i] - 1) * lrDecay);
    if (isSparseRowGrad(g)) {
      const c = coalesceRows(g);
      rowWiseAdagradUpdate(p.data, p.rowSize, c.rows, c.values, c.rows.length, rowSums[i], clr, weightDecay, eps, maximize);
    } else {
      rowWiseAdagradUpdate(p.data, p.rowSize, null, g.data, p.numRows, rowSums[i], clr, weightDecay, eps, maximize);
    }
  }
}

/**
 * Row-wise Adagrad: Adagrad with ONE accumulator per row instead of one per element, as
 * TorchRec's fused `EXACT_ROWWISE_ADAGRAD` (FBGEMM `rowwise_adagrad`, L2 weight-decay mode).
 * For each updated row `r` with gradient row `g` (plus `weightDecay · p_r`):
 * `sum[r] += mean(g²)` and `p_r −= clr · g / (√sum[r] + eps)`, with
 * `clr = lr / (1 + (step − 1)·lrDecay)`. Its state is `numRows` floats, not `numRows × dim`.
 *
 * Same options and defaults as {@link Adagrad} (eps 1e-10; TorchRec uses 1e-8). Unlike
 * Adagrad, `weightDecay` works with sparse gradients and decays the touched rows only.
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range.
 * @example
 * const opt = new RowWiseAdagrad([itemEmb.weight], { lr: 0.05 });
 */
export class RowWiseAdagrad extends Optimizer<Required<AdagradOptions>, RowWiseAdagradState> {
  constructor(params: ParamsInput<Required<AdagradOptions>>, options: AdagradOptions = {}) {
    checkOptionNames(WHERE, options, ADAGRAD_OPTION_NAMES);
    const normalize = (o: Record<string, unknown>, prefix: string) => normalizeAdagradOptions(WHERE, o, prefix);
    super(params, normalize({ ...ADAGRAD_DEFAULTS, ...options }, ''), {
      where: WHERE,
      optionNames: ADAGRAD_OPTION_NAMES,
      normalize,
      stateSchema: { step: 'count', sum: 'rowBuffer' },
    });
  }

  protected override updateGroup(group: Readonly<Required<AdagradOptions>>, params: Parameter[], grads: Grad[]): void {
    this.stepStates(
      params,
      (p) => ({ step: 0, sum: new Float32Array(p.numRows).fill(group.initialAccumulatorValue) }),
      (states, steps) => rowWiseAdagrad(params, grads, states.map((s) => s.sum), steps, group),
    );
  }
}
