import type { InteractionData } from './model-types.js';

/** A user × item CSR matrix: row u holds `indices[indptr[u]..indptr[u+1])`, sorted ascending. */
export interface UserItemCsr {
  /** Row offsets, length numUsers + 1. */
  readonly indptr: Int32Array;
  /** Item ids, sorted within each row. */
  readonly indices: Int32Array;
  /** Rating of each entry (aligned with indices), or null. */
  readonly values: Float32Array | null;
}

/**
 * The user × item CSR of `data`. Uses `data.toCsr()` when the object has one (`@quiver/data`'s
 * `Interactions` caches it), otherwise builds it with a counting sort and sorts each row.
 * Duplicate pairs are kept as they are.
 * @returns The CSR (may be shared with `data`: do not write into it).
 * @example
 * const { indptr, indices } = userItemCsr(train);
 */
export function userItemCsr(data: InteractionData): UserItemCsr {
  const withCsr = data as InteractionData & { toCsr?: () => UserItemCsr };
  if (typeof withCsr.toCsr === 'function') return withCsr.toCsr();
  const n = data.userIds.length;
  // Two stable counting sorts: by item, then by user, so each row comes out sorted by item.
  const byItem = countingOrder(data.itemIds, data.numItems, null);
  const order = countingOrder(data.userIds, data.numUsers, byItem);
  const indptr = new Int32Array(data.numUsers + 1);
  for (let k = 0; k < n; k++) indptr[data.userIds[k] + 1]++;
  for (let u = 0; u < data.numUsers; u++) indptr[u + 1] += indptr[u];
  const indices = new Int32Array(n);
  const values = data.ratings === null ? null : new Float32Array(n);
  for (let a = 0; a < n; a++) {
    indices[a] = data.itemIds[order[a]];
    if (values !== null) values[a] = (data.ratings as Float32Array)[order[a]];
  }
  return { indptr, indices, values };
}

/** Stable counting sort of positions `within` (or 0..n-1) by `keys[position]`. */
function countingOrder(keys: Int32Array, numKeys: number, within: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(numKeys + 1);
  for (let k = 0; k < n; k++) start[keys[k] + 1]++;
  for (let v = 0; v < numKeys; v++) start[v + 1] += start[v];
  const out = new Int32Array(n);
  for (let a = 0; a < n; a++) {
    const k = within === null ? a : within[a];
    out[start[keys[k]]++] = k;
  }
  return out;
}
