import { checkFinite } from '@quiver/base';
import { LrScheduler, type LrTarget } from './lr-scheduler.js';

/**
 * Multiplies the rate by `gamma` every epoch: `lr = base · gamma^epoch`.
 * Same as `torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)`.
 * @throws {RangeError} when `gamma` is not finite.
 * @example
 * const sched = new ExponentialLR(opt, 0.95);
 */
export class ExponentialLR extends LrScheduler {
  /** Decay factor per epoch. */
  readonly gamma: number;

  constructor(optimizer: LrTarget, gamma: number) {
    checkFinite('ExponentialLR', 'gamma', gamma);
    super('ExponentialLR', optimizer, (base, epoch) => base * gamma ** epoch);
    this.gamma = gamma;
  }
}
