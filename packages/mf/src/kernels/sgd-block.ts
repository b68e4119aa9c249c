/**
 * Biased-MF SGD over one block of 8-byte records, in stored order: the plain-loop reference of
 * the wasm SIMD `sgd` kernel. Record `t` (from record `start`) is the int32 word
 * `rec[2t] = localUser | localItem << 16` and the float32 rating `recF[2t + 1]` (`rec` and
 * `recF` view the same memory). The user's factor row starts at element
 * `pOff + localUser·dim` of `P` and its bias at `bu[buOff + localUser]` (items likewise).
 * The update is {@link biasedMfSgdEpoch}'s: with `e = r − (mu + bᵤ + bᵢ + ⟨p, q⟩)`,
 * `bᵤ += lrBias (e − regBias bᵤ)`, `bᵢ` likewise, `p ← (1 − lr·reg) p + lr·e q`,
 * `q ← (1 − lr·reg) q + lr·e p` (old values). The dot product sums four strided partial sums.
 *
 * Kernel: updates the tables in place, no checks, no allocation.
 *
 * @returns The sum of e² over the block (errors before each update).
 * @example
 * const sse = sgdBlock(rec, recF, 0, n, P, 0, Q, 0, bu, 0, bi, 0, 64, 3.5, 0.01, 0.01, 0.08, 0.02);
 */
export function sgdBlock(
  rec: Int32Array,
  recF: Float32Array,
  start: number,
  count: number,
  P: Float32Array,
  pOff: number,
  Q: Float32Array,
  qOff: number,
  bu: Float32Array,
  buOff: number,
  bi: Float32Array,
  biOff: number,
  dim: number,
  mu: number,
  lr: number,
  lrBias: number,
  reg: number,
  regBias: number,
): number {
  let sse = 0;
  const dim4 = dim & ~3;
  const decay = 1 - lr * reg;
  const end = start + count;
  for (let t = start; t < end; t++) {
    const key = rec[t << 1];
    const ul = key & 0xffff;
    const il = key >>> 16;
    const po = pOff + ul * dim;
    const qo = qOff + il * dim;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let f = 0;
    for (; f < dim4; f += 4) {
      d0 += P[po + f] * Q[qo + f];
      d1 += P[po + f + 1] * Q[qo + f + 1];
      d2 += P[po + f + 2] * Q[qo + f + 2];
      d3 += P[po + f + 3] * Q[qo + f + 3];
    }
    for (; f < dim; f++) d0 += P[po + f] * Q[qo + f];
    const ub = buOff + ul;
    const ib = biOff + il;
    const e = recF[(t << 1) + 1] - (mu + bu[ub] + bi[ib] + (d0 + d1 + d2 + d3));
    sse += e * e;
    bu[ub] += lrBias * (e - regBias * bu[ub]);
    bi[ib] += lrBias * (e - regBias * bi[ib]);
    const step = lr * e;
    for (f = 0; f < dim; f++) {
      const pf = P[po + f];
      const qf = Q[qo + f];
      P[po + f] = decay * pf + step * qf;
      Q[qo + f] = decay * qf + step * pf;
    }
  }
  return sse;
}
