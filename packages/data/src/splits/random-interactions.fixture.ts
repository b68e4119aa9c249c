// Random datasets for the split tests: unique (user, item) pairs with timestamps.
import { Rng } from '@quiver/base';
import { fromArrays } from '../from-arrays.js';
import type { Interactions } from '../interactions.js';

/** What {@link randomInteractions} draws. */
export interface RandomInteractionsOptions {
  /** Timestamps are integers in [0, timeRange): a small range gives many ties. @defaultValue 50 */
  readonly timeRange?: number;
  /** Give every row its position as rating, so rows can be traced through a split. @defaultValue true */
  readonly traceRatings?: boolean;
  /** Keep the drawn indices as dense ids (all numUsers / numItems in the id space). @defaultValue false */
  readonly dense?: boolean;
}

/**
 * `n` random unique (user, item) pairs over `numUsers × numItems`, seeded, with timestamps.
 * @example
 * const d = randomInteractions(30, 40, 200, 1);
 */
export function randomInteractions(numUsers: number, numItems: number, n: number, seed = 1, options: RandomInteractionsOptions = {}): Interactions {
  const rng = new Rng(seed);
  const seen = new Set<number>();
  const u: number[] = [];
  const i: number[] = [];
  const t: number[] = [];
  while (u.length < n) {
    const a = rng.nextInt(numUsers);
    const b = rng.nextInt(numItems);
    if (seen.has(a * numItems + b)) continue;
    seen.add(a * numItems + b);
    u.push(a);
    i.push(b);
    t.push(rng.nextInt(options.timeRange ?? 50));
  }
  const ratings = options.traceRatings === false ? null : u.map((_, k) => k);
  return fromArrays({ userIds: u, itemIds: i, ratings, timestamps: t }, options.dense === true ? { ids: 'dense', numUsers, numItems } : {});
}
