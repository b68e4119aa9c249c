/**
 * AUC kernel: for one negative score `s`, the number of positives ranked above it, counting a
 * tie as one half: `#{p : p > s} + 0.5 · #{p : p = s}`. `sortedPos[0..numPos)` must be sorted
 * ascending. Two binary searches, no allocation, no checks.
 * @returns The credit of this negative (between 0 and numPos).
 * @example
 * positivesAbove(new Float64Array([1, 2, 2, 5]), 4, 2); // 1 + 0.5 * 2 = 2
 */
export function positivesAbove(sortedPos: Float64Array, numPos: number, s: number): number {
  // first index with value >= s
  let lo = 0;
  let hi = numPos;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedPos[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  const firstGe = lo;
  // first index with value > s
  hi = numPos;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedPos[mid] <= s) lo = mid + 1;
    else hi = mid;
  }
  return numPos - lo + 0.5 * (lo - firstGe);
}
