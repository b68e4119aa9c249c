/** What {@link sampleAbsent} draws from: an `@quiver/base` `Rng` (or any seeded source of integers). */
export interface IntSource {
  /** An integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * Merges two sorted runs `a[aLo..aHi)` and `b[bLo..bHi)` into `out` (from 0), ascending and
 * without duplicates. No checks, no allocation; `out` must hold `aHi - aLo + bHi - bLo` ids.
 * @returns The number of ids written.
 * @example
 * mergeSortedUnique(Int32Array.of(1, 4, 4), 0, 3, Int32Array.of(2, 4), 0, 2, out); // 3: out = [1, 2, 4]
 */
export function mergeSortedUnique(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: Int32Array): number {
  let m = 0;
  let i = aLo;
  let j = bLo;
  while (i < aHi || j < bHi) {
    let v: number;
    if (j >= bHi || (i < aHi && a[i] <= b[j])) v = a[i++];
    else v = b[j++];
    if (m === 0 || out[m - 1] !== v) out[m++] = v;
  }
  return m;
}

/**
 * The `r`-th (0-based) non-negative integer that is not in `excluded[0..numExcluded)` (sorted
 * ascending, no duplicates): one binary search over `excluded[t] - t`, which never decreases.
 * No checks.
 * @returns The id.
 * @example
 * nthAbsent(Int32Array.of(1, 2), 2, 1); // 3 (the ids not excluded are 0, 3, 4, ...)
 */
export function nthAbsent(excluded: Int32Array, numExcluded: number, r: number): number {
  let lo = 0;
  let hi = numExcluded;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (excluded[mid] - mid <= r) lo = mid + 1;
    else hi = mid;
  }
  return r + lo;
}

/**
 * Sampling kernel: draws `count` distinct ids uniformly without replacement from
 * `[0, numItems)` minus `excluded[0..numExcluded)` (sorted ascending, no duplicates, all
 * `< numItems`) with Floyd's algorithm, which makes exactly `count` draws from `rng`, and
 * writes them into `out[offset..offset + count)` (in draw order, not sorted). `mark` (length
 * numItems) must be all zeros; it is all zeros again on return. Requires
 * `count <= numItems - numExcluded`; no checks, no allocation.
 * @example
 * sampleAbsent(createRng(1), Int32Array.of(0, 3), 2, 10, 4, new Uint8Array(10), out, 1); // 4 ids from {1, 2, 4, ..., 9} in out[1..5)
 */
export function sampleAbsent(
  rng: IntSource,
  excluded: Int32Array,
  numExcluded: number,
  numItems: number,
  count: number,
  mark: Uint8Array,
  out: Int32Array,
  offset: number,
): void {
  const numCandidates = numItems - numExcluded;
  let at = offset;
  // Floyd: for j in [N - count, N): take t uniform in [0, j]; if t is taken already, take j.
  for (let j = numCandidates - count; j < numCandidates; j++) {
    let item = nthAbsent(excluded, numExcluded, rng.nextInt(j + 1));
    if (mark[item] !== 0) item = nthAbsent(excluded, numExcluded, j);
    mark[item] = 1;
    out[at++] = item;
  }
  for (let c = offset; c < at; c++) mark[out[c]] = 0;
}

/**
 * Sampled-ranking kernel for one user: `scores[0..numRelevant)` are the relevant items'
 * scores, `scores[numRelevant..numRelevant + numNegatives)` the sampled negatives'. Each
 * relevant item is ranked among the negatives only (not among the other relevant items):
 * `rank = 1 + #{negatives scoring >= its score}`, so ties count against the model, and so do
 * NaN scores (a NaN relevant score gets the last rank, a NaN negative outranks every relevant
 * item). Writes the sums over the relevant items into `out`: `out[0]` hits (rank <= k),
 * `out[1]` NDCG (`1 / log2(rank + 1)` when rank <= k), `out[2]` reciprocal ranks. No checks,
 * no allocation; O(numRelevant · numNegatives).
 * @example
 * sampledRankRow(Float32Array.of(0.5, 0.9, 0.5, 0.1), 1, 3, 1, out); // rank 3: out = [0, 0, 1/3]
 */
export function sampledRankRow(scores: Float32Array, numRelevant: number, numNegatives: number, k: number, out: Float64Array): void {
  let hits = 0;
  let ndcg = 0;
  let rr = 0;
  const end = numRelevant + numNegatives;
  for (let a = 0; a < numRelevant; a++) {
    const s = scores[a];
    let rank = 1;
    for (let b = numRelevant; b < end; b++) if (!(scores[b] < s)) rank++;
    if (rank <= k) {
      hits++;
      ndcg += 1 / Math.log2(rank + 1);
    }
    rr += 1 / rank;
  }
  out[0] = hits;
  out[1] = ndcg;
  out[2] = rr;
}
