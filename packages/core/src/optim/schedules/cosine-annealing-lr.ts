import { checkFinite, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { LrScheduler, type LrTarget } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLrOptions {
  /** Lowest rate, reached at epoch `tMax`. @defaultValue 0 */
  etaMin?: number;
}

/**
 * Cosine annealing from the base rate to `etaMin` over `tMax` epochs:
 * `lr = etaMin + (base − etaMin) · (1 + cos(π · epoch / tMax)) / 2`. Past `tMax` the cosine
 * continues (the rate rises again), as torch's does without restarts.
 * Same as `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min)`.
 * @throws {RangeError} when `tMax` is not a positive integer or `etaMin` is not finite.
 * @example
 * const sched = new CosineAnnealingLR(opt, 100, { etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LrScheduler {
  /** Half-period in epochs. */
  readonly tMax: number;
  /** Lowest rate. */
  readonly etaMin: number;

  constructor(optimizer: LrTarget, tMax: number, options: CosineAnnealingLrOptions = {}) {
    checkOptionNames('CosineAnnealingLR', options, ['etaMin']);
    checkPositiveInt('CosineAnnealingLR', 'tMax', tMax);
    const etaMin = checkFinite('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    super('CosineAnnealingLR', optimizer, (base, epoch) =>
      etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2,
    );
    this.tMax = tMax;
    this.etaMin = etaMin;
  }
}
