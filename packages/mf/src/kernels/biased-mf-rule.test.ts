import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { biasedMfBiasGradient, biasedMfFactorGradient, biasedMfResidual, biasedMfSgdStep } from './biased-mf-rule.js';

/** One rating's loss in float64, written out independently: ½e² + ½reg(‖p‖² + ‖q‖²) + ½regBias(bu² + bi²). */
function loss(x: number[], k: number, r: number, mu: number, reg: number, regBias: number): number {
  const [bu, bi] = x;
  let dot = 0;
  let n2 = 0;
  for (let f = 0; f < k; f++) {
    dot += x[2 + f] * x[2 + k + f];
    n2 += x[2 + f] ** 2 + x[2 + k + f] ** 2;
  }
  const e = r - (mu + bu + bi + dot);
  return 0.5 * e * e + 0.5 * reg * n2 + 0.5 * regBias * (bu * bu + bi * bi);
}

function fdGradient(x: number[], f: (y: number[]) => number): number[] {
  return x.map((_, j) => {
    const h = 1e-6;
    const up = x.slice();
    const down = x.slice();
    up[j] += h;
    down[j] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('the biased-MF rule', () => {
  const r = 4;
  const mu = 3.25;
  const reg = 0.1;
  const regBias = 0.05;

  it('residual: r − (mu + bu + bi + ⟨p, q⟩), hand-computed, at row offsets, for every remainder of dim / 4', () => {
    // p = (1, 2, 3, 4, 5), q = (0.5, 0.25, 0, -1, 2): ⟨p, q⟩ = 0.5 + 0.5 + 0 − 4 + 10 = 7.
    const P = Float32Array.of(9, 9, 1, 2, 3, 4, 5);
    const Q = Float32Array.of(0.5, 0.25, 0, -1, 2);
    expect(biasedMfResidual(r, mu, 0.5, -0.25, P, 2, Q, 0, 5)).toBe(4 - (3.25 + 0.5 - 0.25 + 7));
    // Prefixes of length 0..4: dots 0, 0.5, 1, 1, -3.
    [0, 0.5, 1, 1, -3].forEach((dot, dim) => expect(biasedMfResidual(r, mu, 0, 0, P, 2, Q, 0, dim)).toBe(r - mu - dot));
  });

  for (const k of [0, 3, 8]) {
    it(`gradients equal finite differences of the loss (factors ${k})`, () => {
      const rng = createRng(k + 1);
      const P = Float32Array.from({ length: k }, () => 0.5 * rng.normal());
      const Q = Float32Array.from({ length: k }, () => 0.5 * rng.normal());
      const bu = 0.2;
      const bi = -0.1;
      const x = [bu, bi, ...P, ...Q];
      const fd = fdGradient(x, (y) => loss(y, k, r, mu, reg, regBias));
      const e = biasedMfResidual(r, mu, bu, bi, P, 0, Q, 0, k);
      const gp = new Float32Array(k + 2);
      const gq = new Float32Array(k + 2);
      biasedMfFactorGradient(e, P, 0, Q, 0, k, reg, gp, gq, 2);
      const got = [biasedMfBiasGradient(e, bu, regBias), biasedMfBiasGradient(e, bi, regBias), ...gp.subarray(2), ...gq.subarray(2)];
      got.forEach((g, j) => expect(g).toBeCloseTo(fd[j], 4));
      expect([gp[0], gp[1], gq[0], gq[1]]).toEqual([0, 0, 0, 0]); // writes at the offset only
    });

    it(`the SGD step is x − lr × the gradient, for every parameter at once (factors ${k})`, () => {
      const rng = createRng(20 + k);
      const P = Float32Array.from({ length: 2 * k }, () => 0.5 * rng.normal());
      const Q = Float32Array.from({ length: 2 * k }, () => 0.5 * rng.normal());
      const bu = Float32Array.of(0.3, -0.2);
      const bi = Float32Array.of(0.1, 0.4);
      const lr = 0.03;
      const lrBias = 0.07;
      const x = [bu[1], bi[0], ...P.subarray(k), ...Q.subarray(0, k)];
      const fd = fdGradient(x, (y) => loss(y, k, r, mu, reg, regBias));
      const e = biasedMfResidual(r, mu, bu[1], bi[0], P, k, Q, 0, k);
      biasedMfSgdStep(e, P, k, Q, 0, k, bu, 1, bi, 0, lr, lrBias, reg, regBias);
      const after = [bu[1], bi[0], ...P.subarray(k), ...Q.subarray(0, k)];
      after.forEach((v, j) => expect(v).toBeCloseTo(x[j] - (j < 2 ? lrBias : lr) * fd[j], 6));
      expect([bu[0], bi[1]]).toEqual([Math.fround(0.3), Math.fround(0.4)]); // other rows untouched
    });
  }
});
