/**
 * Binary search: whether `id` is in `set[lo..hi)`, which is sorted ascending. No checks.
 * @returns true when found.
 * @example
 * sortedContains(new Int32Array([1, 4, 9]), 0, 3, 4); // true
 */
export function sortedContains(set: Int32Array, lo: number, hi: number, id: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = set[mid];
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
