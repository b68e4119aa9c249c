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
  const dim4 = dim & ~3;
  const decay = 1 - lr * reg;
  for (let t = 0; t < n; t++) {
    const x = order[t];
    const u = userIds[x];
    const i = itemIds[x];
    const po = u * dim;
    const qo = i * dim;
    // Four partial sums: independent chains the CPU can overlap.
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let f = 0;
    for (; f < dim4; f += 4) {
      d0 += userFactors[po + f] * itemFactors[qo + f];
      d1 += userFactors[po + f + 1] * itemFactors[qo + f + 1];
      d2 += userFactors[po + f + 2] * itemFactors[qo + f + 2];
      d3 += userFactors[po + f + 3] * itemFactors[qo + f + 3];
    }
    for (; f < dim; f++) d0 += userFactors[po + f] * itemFactors[qo + f];
    const e = ratings[x] - (globalMean + userBias[u] + itemBias[i] + (d0 + d1 + d2 + d3));
    sse += e * e;
    userBias[u] += lrBias * (e - regBias * userBias[u]);
    itemBias[i] += lrBias * (e - regBias * itemBias[i]);
    // p += lr (e q − reg p) and q += lr (e p − reg q), both from the old values.
    const step = lr * e;
    for (f = 0; f < dim; f++) {
      const pf = userFactors[po + f];
      const qf = itemFactors[qo + f];
      userFactors[po + f] = decay * pf + step * qf;
      itemFactors[qo + f] = decay * qf + step * pf;
    }
  }
  stats[0] = sse;
  stats[1] = n;
}
