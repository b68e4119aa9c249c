import type { Grad, Parameter } from '../parameter.js';
import { AdamFamily, adamFamilyUpdate, type AdamGroupOptions, type AdamOptions, type AdamState } from './adam.js';
import type { ParamsInput } from './optimizer.js';

const WHERE = 'AdamW';

/**
 * Stateless AdamW update of several parameters (torch's functional `adamw`), in place: like
 * {@link adam} but the weight decay is decoupled (`p *= 1 − lr·weightDecay` before the step).
 * @throws {TypeError} when a gradient is sparse (names the param; use SparseAdam).
 * @example
 * adamw([w], [w.grad!], [state], [1], { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false });
 */
export function adamw(
  params: readonly Parameter[],
  grads: readonly Grad[],
  states: readonly AdamState[],
  steps: readonly number[],
  options: Readonly<AdamGroupOptions>,
): void {
  adamFamilyUpdate(WHERE, true, params, grads, states, steps, options);
}

/**
 * AdamW, same as `torch.optim.AdamW` (1.13): Adam with decoupled weight decay,
 * `p *= 1 − lr·weightDecay` and then the Adam step on the raw gradient. Default
 * `weightDecay` is 0.01 as in torch. Dense gradients only (a sparse one throws, naming SparseAdam).
 *
 * @throws {TypeError} for an unknown option or a value of the wrong kind.
 * @throws {RangeError} for an option out of range.
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdamFamily {
  constructor(params: ParamsInput<AdamGroupOptions>, options: AdamOptions = {}) {
    super(WHERE, true, 1e-2, params, options);
  }
}
