import { checkBoolean, checkOptionNames, quiverError } from '@quiver/base';
import { coalesceRows } from '../kernels/coalesce-rows.js';
import { sparseAdamUpdateRows } from '../kernels/sparse-adam-update.js';
import type { Grad, Parameter } from '../parameter.js';
import { isSparseRowGrad, type SparseRowGrad } from '../sparse-grad.js';
import { checkBetas, checkPositive } from './check-hyper.js';
import { checkSparseGrad, Optimizer, type ParamsInput } from './optimizer.js';

/** Options of {@link SparseAdam}, as `torch.optim.SparseAdam`. */
export interface SparseAdamOptions {
  /** Learning rate, `> 0`. @defaultValue 1e-3 */
  lr?: number;
  /** Decay rates of the first and second moments, each in `[0, 1)`. @defaultValue [0.9, 0.999] */
  betas?: readonly [number, number];
  /** Added to `√v`, `> 0`. @defaultValue 1e-8 */
  eps?: number;
  /** Maximize the objective instead of minimizing. @defaultValue false */
  maximize?: boolean;
}

/** Complete SparseAdam options of a group. */
export type SparseAdamGroupOptions = Required<Omit<SparseAdamOptions, 'betas'>> & {
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
};

/** State of one parameter under {@link SparseAdam}: one step count and dense moment tables. */
export interface SparseAdamState {
  /** Number of steps this parameter took (one count for the whole table, not per row). */
  /** Updates this parameter has taken. */
  step: number;
  /** First moment; same size and layout as the parameter; rows never seen stay zero. */
  expAvg: Float32Array;
  /** Second moment; same layout; rows never seen stay zero. */
  expAvgSq: Float32Array;
}

const WHERE = 'SparseAdam';
const NAMES = ['lr', 'betas', 'eps', 'maximize'] as const;

function normalizeSparseAdam(o: Record<string, unknown>, prefix: string): SparseAdamGroupOptions {
  return {
    lr: checkPositive(WHERE, `${prefix}lr`, o.lr),
    betas: checkBetas(WHERE, `${prefix}betas`, o.betas),
    eps: checkPositive(WHERE, `${prefix}eps`, o.eps),
    maximize: checkBoolean(WHERE, `${prefix}maximize`, o.maximize),
  };
}

/**
 * Stateless SparseAdam update (torch's functional `sparse_adam`), in place. `states[i]` holds
 * the moment tables of `params[i]`; `steps[i]` is its step count including this step.
 * Gradients are coalesced and only their rows are read or written: O(nnz × dim) per step.
 * @throws {TypeError} when a gradient is dense (names the param; use Adam).
 * @throws {RangeError} when a sparse gradient has the wrong row size or an out-of-range row.
 * @example
 * sparseAdam([w], [w.grad!], [state], [1], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false });
 */
export function sparseAdam(
  params: readonly Parameter[],
  grads: readonly Grad[],
  states: readonly SparseAdamState[],
  steps: readonly number[],
  options: Readonly<SparseAdamGroupOptions>,
): void {
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    if (!isSparseRowGrad(g)) {
      throw quiverError('TypeError', { where: WHERE, what: `gradient of param "${params[i].name}" must be sparse`, got: `a dense gradient`, tail: `; use Adam for dense gradients` });
    }
    checkSparseGrad(WHERE, params[i], g);
  }
  const { lr, betas, eps, maximize } = options;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const c = coalesceRows(grads[i] as SparseRowGrad);
    const s = states[i];
    sparseAdamUpdateRows(p.data, p.rowSize, c.rows, c.values, s.expAvg, s.expAvgSq, lr, betas[0], betas[1], eps,
      steps[i], maximize);
  }
}

/**
 * Lazy Adam for row-sparse gradients, same as `torch.optim.SparseAdam` (1.13): the gradient is
 * coalesced, only the rows present update their moments and weights, and the bias correction
 * uses the parameter's single step count (incremented once per `step()` in which it has a
 * gradient), not a per-row count. `eps` is added to `√v` before the bias correction.
 *
 * Sparse gradients only: a dense gradient throws and names {@link Adam}. There is no weight
 * decay, as in torch. Moment tables are allocated (zeros) on a parameter's first update; the
 * per-step cost is O(nnz × dim), independent of the table size.
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range (`lr` and `eps` must be > 0, as in torch).
 * @example
 * const opt = new SparseAdam([itemEmb.weight], { lr: 0.01 });
 */
export class SparseAdam extends Optimizer<SparseAdamGroupOptions, SparseAdamState> {
  constructor(params: ParamsInput<SparseAdamGroupOptions>, options: SparseAdamOptions = {}) {
    checkOptionNames(WHERE, options, NAMES);
    const base = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false };
    super(params, normalizeSparseAdam({ ...base, ...options }, ''), {
      where: WHERE,
      optionNames: NAMES,
      normalize: normalizeSparseAdam,
      stateSchema: { step: 'count', expAvg: 'buffer', expAvgSq: 'buffer' },
    });
  }

  protected override updateGroup(group: Readonly<SparseAdamGroupOptions>, params: Parameter[], grads: Grad[]): void {
    this.stepStates(
      params,
      (p) => ({ step: 0, expAvg: new Float32Array(p.size), expAvgSq: new Float32Array(p.size) }),
      (states, steps) => sparseAdam(params, grads, states, steps, group),
    );
  }
}
