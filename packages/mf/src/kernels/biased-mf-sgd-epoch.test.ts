import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { biasedMfSgdEpoch } from './biased-mf-sgd-epoch.js';

/** The per-rating loss the kernel descends, in float64: ½e² + ½reg(‖p‖² + ‖q‖²) + ½regBias(bu² + bi²). */
function loss(theta: number[], k: number, r: number, mu: number, reg: number, regBias: number): number {
  const [bu, bi] = theta;
  const p = theta.slice(2, 2 + k);
  const q = theta.slice(2 + k);
  let dot = 0;
  for (let f = 0; f < k; f++) dot += p[f] * q[f];
  const e = r - (mu + bu + bi + dot);
  let n2 = 0;
  for (let f = 0; f < k; f++) n2 += p[f] * p[f] + q[f] * q[f];
  return 0.5 * e * e + 0.5 * reg * n2 + 0.5 * regBias * (bu * bu + bi * bi);
}

describe('biasedMfSgdEpoch', () => {
  for (const k of [3, 0]) {
    it(`takes one step of -lr × the finite-difference gradient per rating (factors ${k})`, () => {
      const rng = createRng(9);
      // Two users, two items; the step on rating (user 1, item 0) only.
      const P = Float32Array.from({ length: 2 * k }, () => 0.5 * rng.normal());
      const Q = Float32Array.from({ length: 2 * k }, () => 0.5 * rng.normal());
      const bu = Float32Array.of(0.1, -0.2);
      const bi = Float32Array.of(0.3, 0.05);
      const mu = 3.5;
      const lr = 0.01;
      const reg = 0.1;
      const regBias = 0.05;
      const theta = [bu[1], bi[0], ...P.subarray(k, 2 * k), ...Q.subarray(0, k)];
      const grad = theta.map((_, j) => {
        const h = 1e-6;
        const up = theta.slice();
        const down = theta.slice();
        up[j] += h;
        down[j] -= h;
        return (loss(up, k, 4.5, mu, reg, regBias) - loss(down, k, 4.5, mu, reg, regBias)) / (2 * h);
      });
      const stats = new Float64Array(2);
      biasedMfSgdEpoch(Int32Array.of(0), Int32Array.of(1), Int32Array.of(0), Float32Array.of(4.5), mu, P, Q, bu, bi, k, lr, lr, reg, regBias, stats);
      const after = [bu[1], bi[0], ...P.subarray(k, 2 * k), ...Q.subarray(0, k)];
      after.forEach((v, j) => expect((theta[j] - v) / lr).toBeCloseTo(grad[j], 4));
      expect(stats[1]).toBe(1);
      expect(stats[0]).toBeCloseTo(2 * (loss(theta, k, 4.5, mu, 0, 0)), 5);
      // Untouched rows stay as they were.
      expect(bu[0]).toBeCloseTo(0.1, 7);
      expect(bi[1]).toBeCloseTo(0.05, 7);
    });
  }
});
