import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { bprEpoch, sampleCdf } from './bpr-epoch.js';

/** −ln σ(x) + ½reg(‖p‖² + ‖qᵢ‖² + ‖qⱼ‖² + bᵢ² + bⱼ²) in float64; theta = [bi, bj, p, qi, qj]. */
function loss(theta: number[], k: number, reg: number): number {
  const [bi, bj] = theta;
  const p = theta.slice(2, 2 + k);
  const qi = theta.slice(2 + k, 2 + 2 * k);
  const qj = theta.slice(2 + 2 * k);
  let x = bi - bj;
  for (let f = 0; f < k; f++) x += p[f] * (qi[f] - qj[f]);
  const n2 = theta.reduce((s, v) => s + v * v, 0);
  return Math.log1p(Math.exp(-x)) + 0.5 * reg * n2;
}

describe('bprEpoch', () => {
  it('takes one step of -lr × the finite-difference gradient per triple', () => {
    const k = 3;
    const rng = createRng(3);
    const P = Float32Array.from({ length: k }, () => rng.normal());
    const Q = Float32Array.from({ length: 2 * k }, () => rng.normal());
    const bias = Float32Array.of(0.2, -0.1);
    const reg = 0.05;
    const lr = 0.01;
    const theta = [bias[0], bias[1], ...P, ...Q];
    const grad = theta.map((_, j) => {
      const h = 1e-6;
      const up = theta.slice();
      const down = theta.slice();
      up[j] += h;
      down[j] -= h;
      return (loss(up, k, reg) - loss(down, k, reg)) / (2 * h);
    });
    const stats = new Float64Array(3);
    // One user who liked item 0; with 2 items and verified negatives, the negative is item 1.
    bprEpoch(
      {
        indptr: Int32Array.of(0, 1), indices: Int32Array.of(0), rowOf: Int32Array.of(0), userFactors: P, itemFactors: Q,
        itemBias: bias, numItems: 2, dim: k, lr, reg, negativeCdf: null, verifyNegatives: true, adagrad: null,
        numSamples: 1, scratch: new Float64Array(3 * k), freezeItems: false,
      },
      createRng(1),
      stats,
    );
    if (stats[1] === 1) {
      const after = [bias[0], bias[1], ...P, ...Q];
      after.forEach((v, j) => expect((theta[j] - v) / lr).toBeCloseTo(grad[j], 4));
      expect(stats[0]).toBeCloseTo(loss(theta, k, 0), 5);
    } else {
      // 32 draws all hit the positive: astronomically unlikely with this seed.
      expect.unreachable('no negative drawn');
    }
  });

  it('samples from a CDF by binary search', () => {
    const cdf = Float64Array.of(1, 1, 4, 5); // weights 1, 0, 3, 1
    expect(sampleCdf(cdf, 0.5, 4)).toBe(0);
    expect(sampleCdf(cdf, 1, 4)).toBe(2);
    expect(sampleCdf(cdf, 3.99, 4)).toBe(2);
    expect(sampleCdf(cdf, 4.2, 4)).toBe(3);
  });
});
