import { describeValue as describe, quiverError } from '@quiver/base';
import { LrScheduler, type LrTarget } from './lr-scheduler.js';

/** A factor on the base rate as a function of the epoch. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's rate to its base rate times `lrLambda(epoch)`; pass one function per group
 * to give groups different schedules. Same as `torch.optim.lr_scheduler.LambdaLR`. Handy for
 * composing, e.g. warm-up then cosine in one function. The functions are not saved by
 * `stateDict()` (as in torch, which skips lambdas that are not callable objects).
 * @throws {TypeError} when `lrLambda` is not a function (or one per group), or returns a non-finite number.
 * @throws {RangeError} when the number of functions differs from the number of groups.
 * @example
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LrScheduler {
  constructor(optimizer: LrTarget, lrLambda: LrLambda | readonly LrLambda[]) {
    const where = 'LambdaLR';
    const fns = Array.isArray(lrLambda) ? lrLambda : null;
    if (fns === null && typeof lrLambda !== 'function') {
      throw quiverError('TypeError', { where, what: 'lrLambda must be a function or an array of functions', got: describe(lrLambda) });
    }
    const groups = (optimizer as { paramGroups?: unknown[] } | null)?.paramGroups;
    if (fns !== null) {
      if (Array.isArray(groups) && fns.length !== groups.length) {
        throw quiverError('RangeError', { where, what: `lrLambda must have ${groups.length} functions (one per group)`, got: String(fns.length) });
      }
      fns.forEach((f, i) => {
        if (typeof f !== 'function') throw quiverError('TypeError', { where, what: `lrLambda[${i}] must be a function`, got: describe(f) });
      });
    }
    super(where, optimizer, (base, epoch, group) => {
      const f = fns === null ? (lrLambda as LrLambda) : fns[group];
      const factor = f(epoch);
      if (typeof factor !== 'number' || !Number.isFinite(factor)) {
        throw quiverError('TypeError', { where, what: `lrLambda(${epoch}) must return a finite number`, got: describe(factor) });
      }
      return base * factor;
    });
  }
}
