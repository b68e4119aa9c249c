import { checkBoolean, checkFinite, checkOptionNames, quiverError } from '@quiver/base';
import { coalesceRows } from '../kernels/coalesce-rows.js';
import { sgdMomentumUpdateRows, sgdUpdateDense, sgdUpdateRows } from '../kernels/sgd-update.js';
import type { Grad, Parameter } from '../parameter.js';
import { isSparseRowGrad } from '../sparse-grad.js';
import { checkNonNegative } from './check-hyper.js';
import { checkSparseGrad, Optimizer, type ParamsInput } from './optimizer.js';

/** Options of {@link SGD}, as `torch.optim.SGD`. */
export interface SgdOptions {
  /** Learning rate, `>= 0`. Required, as in torch. */
  lr: number;
  /** Momentum factor, `>= 0`. @defaultValue 0 */
  momentum?: number;
  /** Dampening for momentum. @defaultValue 0 */
  dampening?: number;
  /** L2 penalty added to the gradient, `>= 0`. With sparse gradients: touched rows only. @defaultValue 0 */
  weightDecay?: number;
  /** Nesterov momentum; needs `momentum > 0` and `dampening` 0. @defaultValue false */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing. @defaultValue false */
  maximize?: boolean;
}

/** State of one parameter under {@link SGD}: the momentum buffer (dense, same size), once created. */
export interface SgdState {
  /** Dense momentum buffer (same size as the parameter), or null while momentum is off. */
  momentumBuffer: Float32Array | null;
}

const WHERE = 'SGD';
const NAMES = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'] as const;

function normalizeSgd(o: Record<string, unknown>, prefix: string): Required<SgdOptions> {
  const lr = checkNonNegative(WHERE, `${prefix}lr`, o.lr);
  const momentum = checkNonNegative(WHERE, `${prefix}momentum`, o.momentum);
  const dampening = checkFinite(WHERE, `${prefix}dampening`, o.dampening);
  const weightDecay = checkNonNegative(WHERE, `${prefix}weightDecay`, o.weightDecay);
  const nesterov = checkBoolean(WHERE, `${prefix}nesterov`, o.nesterov);
  const maximize = checkBoolean(WHERE, `${prefix}maximize`, o.maximize);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw quiverError('RangeError', { where: WHERE, what: `${prefix}nesterov requires momentum > 0 and dampening 0`, got: `momentum ${momentum} and dampening ${dampening}` });
  }
  return { lr, momentum, dampening, weightDecay, nesterov, maximize };
}

/**
 * Stateless SGD update of several parameters (torch's functional `sgd`), in place. Entry `i`
 * of `momentumBuffers` is the buffer of `params[i]`, or null: when momentum is on, a null entry
 * is replaced by a new buffer (that is how state comes back to the caller).
 *
 * Gradients may be dense or row-sparse:
 * - sparse, no momentum, no weight decay: rows are scatter-added as given (duplicates allowed), O(nnz × dim);
 * - sparse with `weightDecay`: the gradient is coalesced and the decay is added for the
 *   **touched rows only** (rows absent from the gradient are not decayed). torch 1.13 raises
 *   `add(sparse, dense) is not supported` here instead;
 * - sparse with momentum: same result as torch, whose sparse momentum buffer keeps every row
 *   ever touched. The buffer is stored dense and every step costs O(numRows × dim); prefer
 *   Adagrad/SparseAdam or momentum 0 for large tables.
 *
 * All gradients are checked before any parameter changes.
 * @throws {RangeError} when a sparse gradient has the wrong row size or an out-of-range row.
 * @example
 * sgd([w], [w.grad!], [null], { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
 */
export function sgd(
  params: readonly Parameter[],
  grads: readonly Grad[],
  momentumBuffers: (Float32Array | null)[],
  options: Readonly<Required<SgdOptions>>,
): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = options;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    if (isSparseRowGrad(g)) checkSparseGrad(WHERE, params[i], g);
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const g = grads[i];
    let buf = momentumBuffers[i];
    const first = momentum !== 0 && buf === null;
    if (first) buf = momentumBuffers[i] = new Float32Array(p.size);
    if (isSparseRowGrad(g)) {
      if (momentum === 0) {
        const c = weightDecay !== 0 ? coalesceRows(g) : g;
        sgdUpdateRows(p.data, p.rowSize, c.rows, c.values, lr, weightDecay, maximize);
      } else {
        const c = coalesceRows(g);
        sgdMomentumUpdateRows(p.data, p.rowSize, p.size, c.rows, c.values, buf as Float32Array, lr, momentum,
          dampening, weightDecay, nesterov, maximize, first);
      }
    } else {
      sgdUpdateDense(p.data, g.data, momentum !== 0 ? buf : null, p.size, lr, momentum, dampening, weightDecay,
        nesterov, maximize, first);
    }
  }
}

/**
 * Stochastic gradient descent, optionally with momentum, same as `torch.optim.SGD` (1.13):
 * `d = g + weightDecay·p; b = momentum·b + (1 − dampening)·d (b = d on the first step);
 * d = nesterov ? d + momentum·b : b; p −= lr·d`.
 *
 * Accepts dense and row-sparse gradients; see {@link sgd} for what weight decay and momentum
 * mean with sparse gradients (weight decay: touched rows only).
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range, or nesterov without momentum / with dampening.
 * @example
 * const opt = new SGD(emb.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); emb.backward(ids, gradOut); opt.step();
 */
export class SGD extends Optimizer<Required<SgdOptions>, SgdState> {
  constructor(params: ParamsInput<Required<SgdOptions>>, options: SgdOptions) {
    checkOptionNames(WHERE, options, NAMES);
    if (options === undefined) throw quiverError('TypeError', { where: WHERE, what: 'options must be an object with lr', got: 'undefined' });
    const defaults = normalizeSgd(
      { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options },
      '',
    );
    super(params, defaults, {
      where: WHERE,
      optionNames: NAMES,
      normalize: normalizeSgd,
      stateSchema: { momentumBuffer: 'buffer?' },
    });
  }

  protected override updateGroup(group: Readonly<Required<SgdOptions>>, params: Parameter[], grads: Grad[]): void {
    const buffers = params.map((p) => this.state.get(p)?.momentumBuffer ?? null);
    sgd(params, grads, buffers, group);
    params.forEach((p, i) => this.state.set(p, { momentumBuffer: buffers[i] }));
  }
}
