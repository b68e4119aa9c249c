/**
 * One epoch of Funk-style SGD for biased matrix factorisation, visiting the interactions in
 * `order`. For each rating `r` of user `u` on item `i`, with
 * `e = r - (mu + bu[u] + bi[i] + ⟨p_u, q_i⟩)`:
 * `bu += lrBias (e - regBias bu)`, `bi += lrBias (e - regBias bi)`,
 * `p_u += lr (e q_i - reg p_u)`, `q_i += lr (e p_u - reg q_i)` (both from the old values),
 * which is SGD on `½e² + ½reg(‖p_u‖² + ‖q_i‖²) + ½regBias(bu² + bi²)` per rating (Surprise's SVD).
 * With `dim` 0 it trains the biases only (Surprise's BaselineOnly with SGD).
 *
 * Kernel: updates the tables in place, no checks, no allocation.
 *
 * @param stats - Receives `[sum of e², number of ratings]` of the epoch (errors before each update).
 * @example
 * biasedMfSgdEpoch(order, U, I, R, mu, P, Q, bu, bi, 64, 0.005, 0.005, 0.08, 0.02, stats);
 */
export function biasedMfSgdEpoch(
  order: Int32Array,
  userIds: Int32Array,
  itemIds: Int32Array,
  ratings: Float32Array,
  globalMean: number,
  userFactors: Float32Array,
  itemFactors: Float32Array,
  userBias: Float32Array,
  itemBias: Float32Array,
  dim: number,
  lr: number,
  lrBias: number,
  reg: number,
  regBias: number,
  stats: Float64Array,
): void {
  let sse = 0;
  const n = order.length;
  for (let t = 0; t < n; t++) {
    const x = order[t];
    const u = userIds[x];
    const i = itemIds[x];
    const po = u * dim;
    const qo = i * dim;
    let dot = 0;
    for (let f = 0; f < dim; f++) dot += userFactors[po + f] * itemFactors[qo + f];
    const e = ratings[x] - (globalMean + userBias[u] + itemBias[i] + dot);
    sse += e * e;
    userBias[u] += lrBias * (e - regBias * userBias[u]);
    itemBias[i] += lrBias * (e - regBias * itemBias[i]);
    for (let f = 0; f < dim; f++) {
      const pf = userFactors[po + f];
      const qf = itemFactors[qo + f];
      userFactors[po + f] = pf + lr * (e * qf - reg * pf);
      itemFactors[qo + f] = qf + lr * (e * pf - reg * qf);
    }
  }
  stats[0] = sse;
  stats[1] = n;
}
