/**
 * The `k`-th smallest value of `a` (0-based: the value a full ascending sort would put at index
 * `k`), by quickselect with a median-of-three pivot and a three-way partition (so runs of equal
 * values, common in timestamps, cost one pass). Expected O(n); after 2·log2(n) + 8 rounds it
 * sorts what is left, so the worst case stays O(n log n).
 *
 * Kernel: reorders `a` in place; no checks (`0 ≤ k < a.length`, no NaN); allocates nothing
 * unless it falls back to sorting.
 *
 * @returns The value.
 * @example
 * kthSmallest(Float64Array.of(5, 1, 4, 1), 2); // 4
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const limit = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  for (let round = 0; hi > lo; round++) {
    if (round > limit) return a.subarray(lo, hi + 1).sort()[k - lo];
    const x = a[lo];
    const y = a[lo + ((hi - lo) >> 1)];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // [lo, lt) < pivot, [lt, i) = pivot, (gt, hi] > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt--] = v;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k];
}
