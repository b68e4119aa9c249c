import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { adamUpdateDense } from './adam-update.js';

const rng = createRng(17);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

/** Slow reference: the Adam / AdamW algorithm boxes of the torch docs, float64. */
function refAdam(p: number[], g0: number[], s: { m: number[]; v: number[]; vmax: number[] }, t: number,
  o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean; amsgrad: boolean }): void {
  for (let i = 0; i < p.length; i++) {
    if (o.decoupled) p[i] *= 1 - o.lr * o.wd;
    const g = o.decoupled ? g0[i] : g0[i] + o.wd * p[i];
    s.m[i] = o.b1 * s.m[i] + (1 - o.b1) * g;
    s.v[i] = o.b2 * s.v[i] + (1 - o.b2) * g * g;
    const mHat = s.m[i] / (1 - o.b1 ** t);
    let vHat = s.v[i] / (1 - o.b2 ** t);
    if (o.amsgrad) {
      s.vmax[i] = Math.max(s.vmax[i], s.v[i]);
      vHat = s.vmax[i] / (1 - o.b2 ** t);
    }
    p[i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
  }
}

describe('adamUpdateDense', () => {
  for (const decoupled of [false, true]) {
    for (const amsgrad of [false, true]) {
      it(`matches the reference (decoupled=${decoupled}, amsgrad=${amsgrad})`, () => {
        const n = 11;
        const p = randn(n);
        const m = new Float32Array(n);
        const v = new Float32Array(n);
        const vmax = amsgrad ? new Float32Array(n) : null;
        const ref = Array.from(p);
        const s = { m: new Array(n).fill(0), v: new Array(n).fill(0), vmax: new Array(n).fill(0) };
        const o = { lr: 0.01, b1: 0.9, b2: 0.99, eps: 1e-6, wd: 0.1, decoupled, amsgrad };
        for (let t = 1; t <= 5; t++) {
          const g = randn(n);
          adamUpdateDense(p, g, m, v, vmax, n, o.lr, o.b1, o.b2, o.eps, o.wd, decoupled, t, false);
          refAdam(ref, Array.from(g), s, t, o);
        }
        expectAllClose(p, ref);
        expectAllClose(m, s.m);
        expectAllClose(v, s.v);
      });
    }
  }

  it('hand-computed first step moves each weight by lr against the gradient sign', () => {
    // t = 1: mHat = g, vHat = g², so p -= lr * g / (|g| + eps)
    const p = Float32Array.from([0, 0]);
    adamUpdateDense(p, Float32Array.from([2, -3]), new Float32Array(2), new Float32Array(2), null, 2, 0.1, 0.9, 0.999, 0, 0, false, 1, false);
    expectAllClose(p, [-0.1, 0.1]);
  });
});
