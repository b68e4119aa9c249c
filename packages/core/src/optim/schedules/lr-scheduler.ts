import { checkFinite, checkNonNegativeInt, describeValue as describe, quiverError } from '@quiver/base';

/** Anything whose groups carry a mutable `lr`: every {@link Optimizer}. */
export interface LrTarget {
  /** Parameter groups whose learning rate the schedule sets. */
  readonly paramGroups: ReadonlyArray<{
    /** The group's learning rate. */
    lr: number;
  }>;
}

/** What `LrScheduler.stateDict()` returns: plain numbers, JSON-safe. */
export interface LrSchedulerStateDict {
  /** Number of `step()` calls so far (0 right after construction), torch's `last_epoch`. */
  lastEpoch: number;
  /** Each group's learning rate when the schedule was attached (torch's `initial_lr`). */
  baseLrs: number[];
}

/**
 * Base of the learning-rate schedules, with torch's `_LRScheduler` contract: construction
 * records each group's current `lr` as its base rate and sets epoch 0's rate; each `step()`
 * (once per epoch, after `optimizer.step()`) moves to the next epoch and writes the new rate
 * into every group's `lr`.
 *
 * Rates come from the schedule's closed form in the base rate and the epoch (torch's
 * `_get_closed_form_lr`), so a loaded state gives exactly the rate an uninterrupted run would.
 * Torch's chainable form reaches the same values when nothing else changes `lr`.
 */
export abstract class LrScheduler {
  /** The optimizer (or any {@link LrTarget}) whose rates this schedule sets. */
  readonly optimizer: LrTarget;
  /** Base rate of each group. */
  baseLrs: number[];
  /** Epochs stepped so far; 0 after construction. */
  lastEpoch = 0;
  /** Class name for messages. */
  protected readonly where: string;
  private readonly rate: (baseLr: number, epoch: number, group: number) => number;
  private lastLr: number[] = [];

  /**
   * @param rate - Closed form: the rate at `epoch` for group number `group`, whose base rate is `baseLr`.
   * @throws {TypeError} when `optimizer` has no `paramGroups` with numeric `lr`.
   */
  protected constructor(
    where: string,
    optimizer: LrTarget,
    rate: (baseLr: number, epoch: number, group: number) => number,
  ) {
    const groups = (optimizer as { paramGroups?: unknown } | null)?.paramGroups;
    if (!Array.isArray(groups) || groups.some((g) => typeof g?.lr !== 'number')) {
      throw quiverError('TypeError', { where, what: 'optimizer must be an Optimizer (paramGroups with numeric lr)', got: describe(optimizer) });
    }
    this.where = where;
    this.optimizer = optimizer;
    this.rate = rate;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.apply(this.baseLrs, 0);
  }

  /**
   * Advances one epoch and sets every group's `lr`. Call once per epoch, after `optimizer.step()`.
   * @example
   * for (let epoch = 0; epoch < 10; epoch++) { train(); sched.step(); }
   */
  step(): void {
    this.apply(this.baseLrs, this.lastEpoch + 1);
  }

  /**
   * The rate last written into each group (torch's `get_last_lr()`).
   * @returns One rate per parameter group.
   * @example
   * sched.getLastLr(); // [0.05]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The schedule's position and base rates (a copy).
   * @example
   * const saved = sched.stateDict();
   */
  stateDict(): LrSchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /**
   * Restores a position saved by {@link LrScheduler.stateDict} and writes the matching rates
   * into the groups. On error nothing changes.
   * @throws {TypeError} for a malformed state.
   * @throws {RangeError} when the number of base rates differs from the number of groups.
   * @example
   * sched.loadStateDict(saved);
   */
  loadStateDict(state: LrSchedulerStateDict): void {
    const where = `${this.where}.loadStateDict`;
    if (typeof state !== 'object' || state === null || !Array.isArray(state.baseLrs)) {
      throw quiverError('TypeError', { where, what: 'state must be an object { lastEpoch, baseLrs }', got: describe(state) });
    }
    const lastEpoch = checkNonNegativeInt(where, 'lastEpoch', state.lastEpoch);
    const n = this.optimizer.paramGroups.length;
    if (state.baseLrs.length !== n) {
      throw quiverError('RangeError', { where, what: `baseLrs must have ${n} entries (one per group)`, got: String(state.baseLrs.length) });
    }
    state.baseLrs.forEach((b, i) => checkFinite(where, `baseLrs[${i}]`, b));
    this.apply([...state.baseLrs], lastEpoch);
  }

  /** Computes every group's rate first (so a throwing schedule changes nothing), then commits. */
  private apply(baseLrs: number[], epoch: number): void {
    const lrs = baseLrs.map((b, i) => this.rate(b, epoch, i));
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) groups[i].lr = lrs[i];
    this.baseLrs = baseLrs;
    this.lastEpoch = epoch;
    this.lastLr = lrs;
  }
}
