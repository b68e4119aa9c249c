/**
 * Popularity kernel for one top-k list `ids[offset..offset+k)`: writes into `out`
 * `out[0]` the mean self-information `−log2(max(count(i), 1) / numTrainUsers)` (novelty),
 * `out[1]` the mean `count(i) / numTrainUsers` (average recommendation popularity) and `out[2]`
 * the number of non-padding entries, and adds 1 to `recommended[i]` for every item of the list.
 * Both means are NaN for a list of padding only. Ids < 0 are padding. No checks, no allocation.
 * @example
 * listPopularity(Int32Array.of(0, -1), 0, 2, Int32Array.of(2, 8), 8, times, out); // out = [2, 0.25, 1]
 */
export function listPopularity(
  ids: Int32Array,
  offset: number,
  k: number,
  itemCounts: Int32Array,
  numTrainUsers: number,
  recommended: Int32Array,
  out: Float64Array,
): void {
  let novelty = 0;
  let popularity = 0;
  let m = 0;
  for (let a = 0; a < k; a++) {
    const i = ids[offset + a];
    if (i < 0) continue;
    const c = itemCounts[i];
    novelty -= Math.log2((c > 1 ? c : 1) / numTrainUsers);
    popularity += c / numTrainUsers;
    recommended[i]++;
    m++;
  }
  out[0] = m === 0 ? NaN : novelty / m;
  out[1] = m === 0 ? NaN : popularity / m;
  out[2] = m;
}
