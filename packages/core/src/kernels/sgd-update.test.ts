import { describe, expect, it } from 'vitest';
import { createRng } from '@quiver/base';
import { sgdMomentumUpdateRows, sgdUpdateDense, sgdUpdateRows } from './sgd-update.js';

const rng = createRng(7);
const randn = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());

/** Slow reference: torch's single-tensor SGD on plain number arrays (float64). */
function refSgd(p: number[], g: number[], buf: number[] | null, o: { lr: number; mu: number; damp: number; wd: number; nesterov: boolean; first: boolean }): void {
  for (let i = 0; i < p.length; i++) {
    let d = g[i] + o.wd * p[i];
    if (buf) {
      buf[i] = o.first ? d : o.mu * buf[i] + (1 - o.damp) * d;
      d = o.nesterov ? d + o.mu * buf[i] : buf[i];
    }
    p[i] -= o.lr * d;
  }
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

describe('sgdUpdateDense', () => {
  it('matches the reference over several steps with momentum, dampening and weight decay', () => {
    for (const nesterov of [false, true]) {
      const n = 17;
      const p = randn(n);
      const ref = Array.from(p);
      const buf = new Float32Array(n);
      const refBuf = new Array<number>(n).fill(0);
      for (let t = 0; t < 4; t++) {
        const g = randn(n);
        const damp = nesterov ? 0 : 0.3;
        sgdUpdateDense(p, g, buf, n, 0.1, 0.9, damp, 0.01, nesterov, false, t === 0);
        refSgd(ref, Array.from(g), refBuf, { lr: 0.1, mu: 0.9, damp, wd: 0.01, nesterov, first: t === 0 });
      }
      expectAllClose(p, ref);
      expectAllClose(buf, refBuf);
    }
  });

  it('plain SGD and maximize flip the sign of the gradient only', () => {
    const p = Float32Array.from([1, 2]);
    sgdUpdateDense(p, Float32Array.from([0.5, -1]), null, 2, 0.1, 0, 0, 0.5, false, true, false);
    // d = -g + 0.5 p = [-0.5 + 0.5, 1 + 1] = [0, 2]
    expectAllClose(p, [1, 1.8]);
  });
});

describe('sgdUpdateRows', () => {
  it('scatter-adds duplicate rows like the dense update of the summed gradient', () => {
    const dim = 3;
    const p = randn(5 * dim);
    const rows = Int32Array.from([4, 1, 4, 0]);
    const values = randn(rows.length * dim);
    const dense = new Array<number>(5 * dim).fill(0);
    for (let k = 0; k < rows.length; k++) for (let j = 0; j < dim; j++) dense[rows[k] * dim + j] += values[k * dim + j];
    const ref = Array.from(p);
    refSgd(ref, dense, null, { lr: 0.2, mu: 0, damp: 0, wd: 0, nesterov: false, first: false });
    sgdUpdateRows(p, dim, rows, values, 0.2, 0, false);
    expectAllClose(p, ref);
  });

  it('decays the listed rows only', () => {
    const p = Float32Array.from([1, 1, 2, 2, 3, 3]);
    sgdUpdateRows(p, 2, Int32Array.from([1]), Float32Array.from([0, 0]), 0.5, 0.1, false);
    expectAllClose(p, [1, 1, 1.9, 1.9, 3, 3]);
  });
});

describe('sgdMomentumUpdateRows', () => {
  it('equals dense momentum SGD on the densified gradient, weight decay on touched rows only', () => {
    for (const nesterov of [false, true]) {
      const dim = 2;
      const numRows = 6;
      const p = randn(numRows * dim);
      const ref = Array.from(p);
      const buf = new Float32Array(numRows * dim);
      const refBuf = new Array<number>(numRows * dim).fill(0);
      const damp = nesterov ? 0 : 0.25;
      const wd = 0.05;
      const rowsPerStep = [[0, 3], [3, 5], [1]];
      rowsPerStep.forEach((rs, t) => {
        const rows = Int32Array.from(rs);
        const values = randn(rows.length * dim);
        // reference: dense gradient = sparse grad + wd * p on touched rows, zero elsewhere
        const g = new Array<number>(numRows * dim).fill(0);
        for (let k = 0; k < rs.length; k++) for (let j = 0; j < dim; j++) {
          g[rs[k] * dim + j] = values[k * dim + j] + wd * ref[rs[k] * dim + j];
        }
        refSgd(ref, g, refBuf, { lr: 0.1, mu: 0.9, damp, wd: 0, nesterov, first: t === 0 });
        sgdMomentumUpdateRows(p, dim, numRows * dim, rows, values, buf, 0.1, 0.9, damp, wd, nesterov, false, t === 0);
      });
      expectAllClose(p, ref);
      expectAllClose(buf, refBuf);
    }
  });
});
