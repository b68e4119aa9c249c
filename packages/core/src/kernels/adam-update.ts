/**
 * Dense Adam / AdamW step over `n` values, in place. Same math as `torch.optim.Adam` and
 * `torch.optim.AdamW` (single-tensor, non-capturable path), with `step` the 1-based step count
 * after incrementing:
 *
 * ```
 * g = maximize ? -grad : grad
 * decoupled (AdamW): p *= 1 - lr * weightDecay        else (Adam): g += weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vMax = max(vMax, v)                                  (amsgrad: maxExpAvgSq not null)
 * p -= lr / (1 - beta1^step) * m / (sqrt(amsgrad ? vMax : v) / sqrt(1 - beta2^step) + eps)
 * ```
 *
 * @param param - Parameter values, length `n`; updated in place.
 * @param grad - Dense gradient, length `n`.
 * @param expAvg - First moment `m`, length `n`; updated in place.
 * @param expAvgSq - Second moment `v`, length `n`; updated in place.
 * @param maxExpAvgSq - Running max of `v` (AMSGrad), length `n`, or null to disable AMSGrad.
 * @returns Nothing: `param` and the moments are the outputs.
 * @example
 * adamUpdateDense(w, g, m, v, null, w.length, 1e-3, 0.9, 0.999, 1e-8, 0, false, 1, false);
 */
export function adamUpdateDense(
  param: Float32Array,
  grad: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  maxExpAvgSq: Float32Array | null,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  step: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    let p = param[i];
    if (decoupled) p = Math.fround(p * decay);
    const g = sign * grad[i] + l2 * p;
    expAvg[i] = beta1 * expAvg[i] + c1 * g;
    expAvgSq[i] = beta2 * expAvgSq[i] + c2 * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq !== null) {
      if (v > maxExpAvgSq[i]) maxExpAvgSq[i] = v;
      else v = maxExpAvgSq[i];
    }
    param[i] = p - (stepSize * expAvg[i]) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}
