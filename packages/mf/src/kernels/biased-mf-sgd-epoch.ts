import { biasedMfResidual, biasedMfSgdStep } from './biased-mf-rule.js';

/**
 * One epoch of Funk-style SGD for biased matrix factorisation, visiting the interactions in
 * `order`: for each rating, {@link biasedMfResidual} then {@link biasedMfSgdStep} (the rule and its
 * loss are documented in `biased-mf-rule.ts`; Surprise's SVD).
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
    const e = biasedMfResidual(ratings[x], globalMean, userBias[u], itemBias[i], userFactors, u * dim, itemFactors, i * dim, dim);
    sse += e * e;
    biasedMfSgdStep(e, userFactors, u * dim, itemFactors, i * dim, dim, userBias, u, itemBias, i, lr, lrBias, reg, regBias);
  }
  stats[0] = sse;
  stats[1] = n;
}
