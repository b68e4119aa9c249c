import { checkFinite, checkInRange, checkInt32Array, checkOptionNames, quiverError } from '@quiver/base';

/** Options of `userActivityGroups`. */
export interface UserActivityGroupsOptions {
  /**
   * Users with at most this many training interactions are cold.
   * @defaultValue the 20% quantile of the counts: the count at position ⌊0.2 · (n − 1)⌋ of the
   * counts sorted ascending
   */
  readonly coldMax?: number;
}

/** The result of `userActivityGroups`. */
export interface UserActivityGroups {
  /** One entry per user: 0 = cold (at most `threshold` training interactions), 1 = warm. */
  readonly groups: Uint8Array;
  /** The `coldMax` used (NaN when it was left to the default and there are no users). */
  readonly threshold: number;
}

/**
 * Splits users by activity into cold (few training interactions) and warm, to report metrics
 * per group. A user is cold when its training count is at most `coldMax`; by default `coldMax`
 * is the 20% quantile of the counts, taken as the count at position ⌊0.2 · (n − 1)⌋ of the
 * counts sorted ascending (the lower order statistic, so the threshold is a count that occurs).
 * At least 20% of the users are then cold, more when many users share the threshold count.
 * @param trainCounts - Training interactions of each user (>= 0).
 * @returns Per-user groups (0 = cold, 1 = warm) and the threshold used.
 * @throws {TypeError} when trainCounts is not an Int32Array or an option is unknown.
 * @throws {RangeError} when a count is negative (the message names the user) or coldMax is not
 * a finite number.
 * @example
 * userActivityGroups(Int32Array.of(1, 5, 2, 40, 9)); // threshold 1 (sorted [1, 2, 5, 9, 40], position 0): groups [0, 1, 1, 1, 1]
 */
export function userActivityGroups(trainCounts: Int32Array, options: UserActivityGroupsOptions = {}): UserActivityGroups {
  const where = 'userActivityGroups';
  checkOptionNames(where, options, ['coldMax']);
  checkInt32Array(where, 'trainCounts', trainCounts);
  const n = trainCounts.length;
  for (let u = 0; u < n; u++) {
    if (trainCounts[u] < 0) throw quiverError('RangeError', { where, what: `trainCounts[${u}] must be a count >= 0`, got: `${trainCounts[u]}` });
  }
  let threshold: number;
  if (options.coldMax !== undefined) threshold = checkFinite(where, 'options.coldMax', options.coldMax);
  else if (n === 0) threshold = NaN;
  else threshold = trainCounts.slice().sort()[Math.floor(0.2 * (n - 1))];
  const groups = new Uint8Array(n);
  for (let u = 0; u < n; u++) groups[u] = trainCounts[u] <= threshold ? 0 : 1;
  return { groups, threshold };
}

/** Options of `itemPopularityGroups`. */
export interface ItemPopularityGroupsOptions {
  /** Share of all training interactions the short head holds, in (0, 1]. @defaultValue 0.2 */
  readonly headShare?: number;
}

/** The result of `itemPopularityGroups`. */
export interface ItemPopularityGroups {
  /** One entry per item: 1 = short head (popular), 0 = long tail. */
  readonly groups: Uint8Array;
  /** Number of short-head items. */
  readonly headItems: number;
}

/**
 * Splits items into the short head and the long tail (Abdollahpouri et al. 2017/2019): the head
 * is the smallest set of most popular items that together hold at least `headShare` of all
 * training interactions. Items are taken by count descending, ties by item id ascending, until
 * `(head counts) / (all counts) >= headShare`; every other item is long tail. With no training
 * interactions at all the head is empty.
 * @param itemCounts - Training popularity of each item (>= 0), e.g. its number of training users.
 * @returns Per-item groups (1 = head, 0 = tail) and the head size.
 * @throws {TypeError} when itemCounts is not an Int32Array or an option is unknown.
 * @throws {RangeError} when a count is negative (the message names the item) or headShare is
 * not in (0, 1].
 * @example
 * // counts 10, 1, 5, 4 (total 20): item 0 alone holds 50% >= 20%
 * itemPopularityGroups(Int32Array.of(10, 1, 5, 4)); // { groups: [1, 0, 0, 0], headItems: 1 }
 */
export function itemPopularityGroups(itemCounts: Int32Array, options: ItemPopularityGroupsOptions = {}): ItemPopularityGroups {
  const where = 'itemPopularityGroups';
  checkOptionNames(where, options, ['headShare']);
  checkInt32Array(where, 'itemCounts', itemCounts);
  const headShare = options.headShare === undefined ? 0.2 : checkInRange(where, 'options.headShare', options.headShare, 0, 1, { loOpen: true });
  const numItems = itemCounts.length;
  let total = 0;
  for (let i = 0; i < numItems; i++) {
    if (itemCounts[i] < 0) throw quiverError('RangeError', { where, what: `itemCounts[${i}] must be a count >= 0`, got: `${itemCounts[i]}` });
    total += itemCounts[i];
  }
  const groups = new Uint8Array(numItems);
  let headItems = 0;
  if (total > 0) {
    const order = new Int32Array(numItems);
    for (let i = 0; i < numItems; i++) order[i] = i;
    order.sort((a, b) => itemCounts[b] - itemCounts[a] || a - b);
    let cumulative = 0;
    while (cumulative / total < headShare) {
      const item = order[headItems++];
      groups[item] = 1;
      cumulative += itemCounts[item];
    }
  }
  return { groups, headItems };
}
