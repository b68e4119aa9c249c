/**
 * For each position k, writes `1 / (number of times indices[k] occurs in indices)` into
 * `out[k]`: the factor of `scaleGradByFreq`. Entries equal to `skipRow` are not counted.
 * Works without a table-sized buffer: sorts a copy of the indices (one allocation, outside
 * the loop) and binary-searches each entry's run.
 */
export function inverseFrequencies(indices: Int32Array, skipRow: number, out: Float32Array): void {
  const sorted = indices.slice().sort();
  const n = sorted.length;
  for (let k = 0; k < indices.length; k++) {
    const v = indices[k];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[k] = v === skipRow ? 0 : 1 / (lo - first);
  }
}

/** Sorted unique values of `indices`, optionally without `skipRow` (pass -1 to keep all). */
export function uniqueSorted(indices: Int32Array, skipRow: number): Int32Array {
  const sorted = indices.slice().sort();
  let u = 0;
  for (let k = 0; k < sorted.length; k++) {
    const v = sorted[k];
    if (v === skipRow) continue;
    if (u === 0 || sorted[u - 1] !== v) sorted[u++] = v;
  }
  return sorted.slice(0, u);
}
