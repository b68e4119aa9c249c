import { checkInRange, checkOptionNames, checkPositiveInt } from '@quiver/base';
import { LrScheduler, type LrTarget } from './lr-scheduler.js';

/** Options of {@link LinearWarmup}, as `torch.optim.lr_scheduler.LinearLR`. */
export interface LinearWarmupOptions {
  /** Factor of the base rate at epoch 0, in `[0, 1]`. @defaultValue 1/3 */
  startFactor?: number;
  /** Factor reached at epoch `totalIters` and kept after, in `[0, 1]`. @defaultValue 1 */
  endFactor?: number;
  /** Epochs to go from `startFactor` to `endFactor`, a positive integer. @defaultValue 5 */
  totalIters?: number;
}

/**
 * Linear warm-up: the factor on the base rate moves linearly from `startFactor` to `endFactor`
 * over `totalIters` epochs, then stays:
 * `lr = base · (startFactor + (endFactor − startFactor) · min(epoch, totalIters) / totalIters)`.
 * Same as `torch.optim.lr_scheduler.LinearLR` (its closed form).
 * @throws {RangeError} for a factor outside `[0, 1]` or a non-positive `totalIters`.
 * @example
 * const warm = new LinearWarmup(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearWarmup extends LrScheduler {
  /** Factor at epoch 0. */
  readonly startFactor: number;
  /** Factor from epoch `totalIters` on. */
  readonly endFactor: number;
  /** Length of the ramp in epochs. */
  readonly totalIters: number;

  constructor(optimizer: LrTarget, options: LinearWarmupOptions = {}) {
    const where = 'LinearWarmup';
    checkOptionNames(where, options, ['startFactor', 'endFactor', 'totalIters']);
    const start = checkInRange(where, 'startFactor', options.startFactor ?? 1 / 3, 0, 1);
    const end = checkInRange(where, 'endFactor', options.endFactor ?? 1, 0, 1);
    const total = checkPositiveInt(where, 'totalIters', options.totalIters ?? 5);
    super(where, optimizer, (base, epoch) => base * (start + ((end - start) * Math.min(total, epoch)) / total));
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = total;
  }
}
