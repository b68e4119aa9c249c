/**
 * Vose's alias method: fills `prob` and `idx` (length `n = weights.length`) so that drawing
 * `x = U·n`, `i = ⌊x⌋` and taking `i` when `x − i < prob[i]`, else `idx[i]`, samples `i` with
 * probability `weights[i] / total` in O(1). Items of weight 0 are never drawn (their bucket
 * points at the heaviest item with probability 0 of keeping itself).
 *
 * Kernel: `total` must be the sum of `weights` and positive; no checks; allocates three
 * `n`-sized work arrays.
 *
 * @example
 * const prob = new Float64Array(3), idx = new Int32Array(3);
 * aliasTable(Float64Array.of(1, 2, 1), 4, prob, idx);
 */
export function aliasTable(weights: Float64Array, total: number, prob: Float64Array, idx: Int32Array): void {
  const n = weights.length;
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i] * n) / total;
    if (scaled[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    prob[s] = scaled[s];
    idx[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) {
    const l = large[--nl];
    prob[l] = 1;
    idx[l] = l;
  }
  // Leftovers come from rounding; their scaled weight is ~1, except zero-weight items, which
  // must never be drawn: send them to the heaviest item.
  let heaviest = 0;
  for (let i = 1; i < n; i++) if (weights[i] > weights[heaviest]) heaviest = i;
  while (ns > 0) {
    const s = small[--ns];
    prob[s] = weights[s] > 0 ? 1 : 0;
    idx[s] = weights[s] > 0 ? s : heaviest;
  }
}
