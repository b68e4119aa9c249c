import { checkFinite, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { LrScheduler, type LrTarget } from './lr-scheduler.js';

/** Options of {@link StepLR}. */
export interface StepLrOptions {
  /** Multiplicative factor applied every `stepSize` epochs. @defaultValue 0.1 */
  gamma?: number;
}

/**
 * Multiplies the rate by `gamma` every `stepSize` epochs: `lr = base · gamma^⌊epoch / stepSize⌋`.
 * Same as `torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)`.
 * @throws {RangeError} when `stepSize` is not a positive integer or `gamma` is not finite.
 * @example
 * const sched = new StepLR(opt, 30, { gamma: 0.1 }); // lr 0.05 for epochs 0–29, 0.005 for 30–59, …
 */
export class StepLR extends LrScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Decay factor. */
  readonly gamma: number;

  constructor(optimizer: LrTarget, stepSize: number, options: StepLrOptions = {}) {
    checkOptionNames('StepLR', options, ['gamma']);
    checkPositiveInt('StepLR', 'stepSize', stepSize);
    const gamma = checkFinite('StepLR', 'gamma', options.gamma ?? 0.1);
    super('StepLR', optimizer, (base, epoch) => base * gamma ** Math.floor(epoch / stepSize));
    this.stepSize = stepSize;
    this.gamma = gamma;
  }
}
