import { checkBoolean, checkOptionNames, quiverError } from '@quiver/base';
import { adamUpdateDense } from '../kernels/adam-update.js';
import type { Grad, Parameter } from '../parameter.js';
import { isSparseRowGrad } from '../sparse-grad.js';
import { checkBetas, checkNonNegative } from './check-hyper.js';
import { Optimizer, type ParamsInput } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}, as `torch.optim.Adam` / `torch.optim.AdamW`. */
export interface AdamOptions {
  /** Learning rate, `>= 0`. @defaultValue 1e-3 */
  lr?: number;
  /** Decay rates of the first and second moments, each in `[0, 1)`. @defaultValue [0.9, 0.999] */
  betas?: readonly [number, number];
  /** Added to the denominator, `>= 0`. @defaultValue 1e-8 */
  eps?: number;
  /**
   * Weight decay, `>= 0`. Adam adds `weightDecay · p` to the gradient (L2); AdamW multiplies
   * `p` by `1 − lr · weightDecay` (decoupled). @defaultValue 0 for Adam, 0.01 for AdamW
   */
  weightDecay?: number;
  /** Use the AMSGrad variant (running max of the second moment). @defaultValue false */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing. @defaultValue false */
  maximize?: boolean;
}

/** Complete Adam options of a group (betas as a mutable tuple). */
export type AdamGroupOptions = Required<Omit<AdamOptions, 'betas'>> & {
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
};

/** State of one parameter under {@link Adam} / {@link AdamW}. Buffers have the parameter's size. */
export interface AdamState {
  /** Updates this parameter has taken. */
  step: number;
  /** First moment (running mean of the gradient). */
  expAvg: Float32Array;
  /** Second moment (running mean of the squared gradient). */
  expAvgSq: Float32Array;
  /** Only with `amsgrad`. */
  maxExpAvgSq: Float32Array | null;
}

/** Option names shared by Adam and AdamW. */
export const ADAM_OPTION_NAMES = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

/** Checks a complete Adam/AdamW option set. */
export function normalizeAdamOptions(where: string, o: Record<string, unknown>, prefix: string): AdamGroupOptions {
  return {
    lr: checkNonNegative(where, `${prefix}lr`, o.lr),
    betas: checkBetas(where, `${prefix}betas`, o.betas),
    eps: checkNonNegative(where, `${prefix}eps`, o.eps),
    weightDecay: checkNonNegative(where, `${prefix}weightDecay`, o.weightDecay),
    amsgrad: checkBoolean(where, `${prefix}amsgrad`, o.amsgrad),
    maximize: checkBoolean(where, `${prefix}maximize`, o.maximize),
  };
}

/**
 * Shared body of Adam and AdamW's functional updates: rejects sparse gradients (naming the
 * param and SparseAdam) before touching anything, then runs the dense kernel.
 */
export function adamFamilyUpdate(
  where: string,
  decoupled: boolean,
  params: readonly Parameter[],
  grads: readonly Grad[],
  states: readonly AdamState[],
  steps: readonly number[],
  options: Readonly<AdamGroupOptions>,
): void {
  for (let i = 0; i < params.length; i++) {
    if (isSparseRowGrad(grads[i])) {
      throw quiverError('TypeError', { where, what: `gradient of param "${params[i].name}" must be dense`, got: `a sparse gradient`, tail: `; use SparseAdam for sparse gradients` });
    }
  }
  const { lr, betas, eps, weightDecay, amsgrad, maximize } = options;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const s = states[i];
    const max = amsgrad ? s.maxExpAvgSq : null;
    adamUpdateDense(p.data, (grads[i] as { data: Float32Array }).data, s.expAvg, s.expAvgSq, max, p.size, lr,
      betas[0], betas[1], eps, weightDecay, decoupled, steps[i], maximize);
  }
}

const WHERE = 'Adam';

/**
 * Stateless Adam update of several parameters (torch's functional `adam`), in place.
 * `states[i]` holds the moments of `params[i]` (with `maxExpAvgSq` allocated when `amsgrad`);
 * `steps[i]` is its step count including this step. Dense gradients only.
 * @throws {TypeError} when a gradient is sparse (names the param; use SparseAdam).
 * @example
 * adam([w], [w.grad!], [state], [1], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
 */
export function adam(
  params: readonly Parameter[],
  grads: readonly Grad[],
  states: readonly AdamState[],
  steps: readonly number[],
  options: Readonly<AdamGroupOptions>,
): void {
  adamFamilyUpdate(WHERE, false, params, grads, states, steps, options);
}

/** Creates (or completes, when amsgrad was switched on) the Adam state of a parameter. */
export function adamStateFor(existing: AdamState | undefined, p: Parameter, amsgrad: boolean): AdamState {
  const s = existing ?? { step: 0, expAvg: new Float32Array(p.size), expAvgSq: new Float32Array(p.size), maxExpAvgSq: null };
  if (amsgrad && s.maxExpAvgSq === null) s.maxExpAvgSq = new Float32Array(p.size);
  return s;
}

/**
 * The shared body of {@link Adam} and {@link AdamW}: option checks, state layout and the step.
 * They differ only in their name, the default `weightDecay` and whether it is decoupled.
 */
export abstract class AdamFamily extends Optimizer<AdamGroupOptions, AdamState> {
  private readonly decoupled: boolean;

  protected constructor(
    where: string,
    decoupled: boolean,
    defaultWeightDecay: number,
    params: ParamsInput<AdamGroupOptions>,
    options: AdamOptions,
  ) {
    checkOptionNames(where, options, ADAM_OPTION_NAMES);
    const normalize = (o: Record<string, unknown>, prefix: string) => normalizeAdamOptions(where, o, prefix);
    const base = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: defaultWeightDecay, amsgrad: false, maximize: false };
    super(params, normalize({ ...base, ...options }, ''), {
      where,
      optionNames: ADAM_OPTION_NAMES,
      normalize,
      stateSchema: { step: 'count', expAvg: 'buffer', expAvgSq: 'buffer', maxExpAvgSq: 'buffer?' },
    });
    this.decoupled = decoupled;
  }

  protected override updateGroup(group: Readonly<AdamGroupOptions>, params: Parameter[], grads: Grad[]): void {
    // amsgrad may be switched on for a group after its first steps: add the missing buffer.
    for (const p of params) {
      const s = this.state.get(p);
      if (s !== undefined) adamStateFor(s, p, group.amsgrad);
    }
    this.stepStates(
      params,
      (p) => adamStateFor(undefined, p, group.amsgrad),
      (states, steps) => adamFamilyUpdate(this.spec.where, this.decoupled, params, grads, states, steps, group),
    );
  }
}

/**
 * Adam, same as `torch.optim.Adam` (1.13): `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`,
 * `p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)`; `weightDecay` adds `weightDecay·p` to the
 * gradient (L2, use {@link AdamW} for decoupled decay); `amsgrad` uses the running max of `v`.
 *
 * Dense gradients only: a sparse gradient throws and names {@link SparseAdam}.
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range, such as `Adam: betas[1] must be in [0, 1), got 1`.
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamFamily {
  constructor(params: ParamsInput<AdamGroupOptions>, options: AdamOptions = {}) {
    super(WHERE, false, 0, params, options);
  }
}
