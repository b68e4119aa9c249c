/**
 * The biased-MF update rule, written once. Every biased-MF solver descends the per-rating loss
 *
 *   `L = ½e² + ½reg(‖pᵤ‖² + ‖qᵢ‖²) + ½regBias(bᵤ² + bᵢ²)`,  `e = r − (mu + bᵤ + bᵢ + ⟨pᵤ, qᵢ⟩)`
 *
 * (Surprise's SVD). Its gradient is `∂L/∂pᵤ = −e qᵢ + reg pᵤ`, `∂L/∂qᵢ = −e pᵤ + reg qᵢ`,
 * `∂L/∂bᵤ = −e + regBias bᵤ` (`bᵢ` likewise):
 * - the per-rating kernels ({@link biasedMfSgdEpoch}, {@link sgdBlock}, and the wasm `sgd`
 *   twin of `sgdBlock`) take {@link biasedMfResidual} and then {@link biasedMfSgdStep}, the step
 *   `x ← x − lr ∂L/∂x` rearranged as `p ← (1 − lr·reg) p + lr·e q` (both from the old values);
 * - the mini-batch solver writes {@link biasedMfFactorGradient} and {@link biasedMfBiasGradient}
 *   into the batch's sparse gradients and lets a core optimizer step.
 *
 * Kernels: no checks, no allocation.
 */

/**
 * The residual `e = r − (mu + bᵤ + bᵢ + ⟨p, q⟩)` of one rating, the dot product of the factor rows
 * at `P[po..]` and `Q[qo..]` summed as four strided partial sums (independent chains the CPU
 * overlaps; the order the per-rating kernels' weights depend on).
 * @example
 * const e = biasedMfResidual(4.5, 3.5, bu[u], bi[i], P, u * dim, Q, i * dim, dim);
 */
export function biasedMfResidual(
  r: number,
  mu: number,
  bu: number,
  bi: number,
  P: Float32Array,
  po: number,
  Q: Float32Array,
  qo: number,
  dim: number,
): number {
  const dim4 = dim & ~3;
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
  return r - (mu + bu + bi + (d0 + d1 + d2 + d3));
}

/**
 * One SGD step on one rating's loss, given its residual `e`, in place:
 * `bᵤ += lrBias (e − regBias bᵤ)`, `bᵢ` likewise, `p ← (1 − lr·reg) p + lr·e q` and
 * `q ← (1 − lr·reg) q + lr·e p`, both from the old values. That is `x ← x − lr ∂L/∂x` with the
 * gradients of {@link biasedMfFactorGradient} and {@link biasedMfBiasGradient}.
 * @example
 * biasedMfSgdStep(e, P, u * dim, Q, i * dim, dim, bu, u, bi, i, 0.005, 0.005, 0.02, 0.02);
 */
export function biasedMfSgdStep(
  e: number,
  P: Float32Array,
  po: number,
  Q: Float32Array,
  qo: number,
  dim: number,
  bu: Float32Array,
  ub: number,
  bi: Float32Array,
  ib: number,
  lr: number,
  lrBias: number,
  reg: number,
  regBias: number,
): void {
  bu[ub] += lrBias * (e - regBias * bu[ub]);
  bi[ib] += lrBias * (e - regBias * bi[ib]);
  const decay = 1 - lr * reg;
  const step = lr * e;
  for (let f = 0; f < dim; f++) {
    const pf = P[po + f];
    const qf = Q[qo + f];
    P[po + f] = decay * pf + step * qf;
    Q[qo + f] = decay * qf + step * pf;
  }
}

/**
 * The gradient of one rating's loss with respect to its two factor rows, given its residual `e`:
 * writes `−e q + reg p` to `gp[go..]` and `−e p + reg q` to `gq[go..]` (`p` at `P[po..]`, `q` at
 * `Q[qo..]`, `dim` entries each).
 * @example
 * biasedMfFactorGradient(e, p, t * k, q, t * k, k, 0.02, gp, gq, t * k);
 */
export function biasedMfFactorGradient(
  e: number,
  P: Float32Array,
  po: number,
  Q: Float32Array,
  qo: number,
  dim: number,
  reg: number,
  gp: Float32Array,
  gq: Float32Array,
  go: number,
): void {
  const g = -e;
  for (let f = 0; f < dim; f++) {
    gp[go + f] = g * Q[qo + f] + reg * P[po + f];
    gq[go + f] = g * P[po + f] + reg * Q[qo + f];
  }
}

/**
 * The gradient of one rating's loss with respect to one of its biases `b`, given its residual
 * `e`: `−e + regBias b`.
 * @example
 * gbu[t] = biasedMfBiasGradient(e, bu[t], 0.02);
 */
export function biasedMfBiasGradient(e: number, b: number, regBias: number): number {
  return -e + regBias * b;
}
