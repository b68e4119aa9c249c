/**
 * One linear pass that proves (user, item) pairs unique without sorting when the rows are
 * grouped by user (every user's rows contiguous, as in MovieLens files). Returns 0 when the
 * rows are grouped and all pairs unique, 1 when grouped with a repeated pair, 2 when the rows
 * are not grouped (then nothing is proven). `userSeen` (length numUsers) and `stamp` (length
 * numItems) are zeroed scratch arrays; indices are unchecked.
 */
export function checkGroupedUnique(userIds: Int32Array, itemIds: Int32Array, userSeen: Uint8Array, stamp: Int32Array): 0 | 1 | 2 {
  const n = userIds.length;
  let current = -1;
  for (let k = 0; k < n; k++) {
    const u = userIds[k];
    if (u !== current) {
      if (userSeen[u] === 1) return 2;
      userSeen[u] = 1;
      current = u;
    }
    const i = itemIds[k];
    if (stamp[i] === u + 1) return 1;
    stamp[i] = u + 1;
  }
  return 0;
}
