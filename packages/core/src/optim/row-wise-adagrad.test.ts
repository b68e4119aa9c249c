import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { Adagrad } from './adagrad.js';
import { RowWiseAdagrad } from './row-wise-adagrad.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));

describe('RowWiseAdagrad', () => {
  it('keeps one accumulator per row: the mean squared gradient (hand-computed)', () => {
    const w = param([1, 1, 5, 5], [2, 2]);
    const opt = new RowWiseAdagrad([w], { lr: 1, eps: 0 });
    w.accumulateSparse({ rows: Int32Array.from([0, 0]), values: Float32Array.from([1, 4, 2, 0]), dim: 2 });
    opt.step(); // row 0: g = [3, 4], sum = 12.5
    const m = 1 / Math.sqrt(12.5);
    close(w.data, [1 - 3 * m, 1 - 4 * m, 5, 5]);
    expect(opt.stateOf(w)!.sum).toEqual(Float32Array.from([12.5, 0]));
  });

  it('with one value per row it is exactly Adagrad', () => {
    const a = param([1, 2, 3], [3]);
    const b = param([1, 2, 3], [3]);
    const oa = new Adagrad([a], { lr: 0.1, lrDecay: 0.1, weightDecay: 0.2 });
    const ob = new RowWiseAdagrad([b], { lr: 0.1, lrDecay: 0.1, weightDecay: 0.2 });
    for (let t = 0; t < 3; t++) {
      const g = Float32Array.from([0.5, -1, t]);
      a.zeroGrad(); b.zeroGrad();
      a.accumulateDense(g); b.accumulateDense(g);
      oa.step(); ob.step();
    }
    close(b.data, Array.from(a.data));
  });

  it('weight decay with a sparse gradient decays the touched rows only', () => {
    const w = param([1, 1, 1, 1], [2, 2]);
    const opt = new RowWiseAdagrad([w], { lr: 1, weightDecay: 0.5, eps: 0 });
    w.accumulateSparse({ rows: Int32Array.from([1]), values: Float32Array.from([0, 0]), dim: 2 });
    opt.step(); // row 1: g = [0.5, 0.5], sum = 0.25, w -= (1 / 0.5) * 0.5
    close(w.data, [1, 1, 0, 0]);
  });

  it('checks options with its own name', () => {
    const w = param([1]);
    expect(() => new RowWiseAdagrad([w], { eps: -1 })).toThrow(/RowWiseAdagrad: eps must be >= 0, got -1/);
    expect(() => new RowWiseAdagrad([w], { betas: [0.9, 0.9] } as never)).toThrow(/RowWiseAdagrad: unknown option "betas"/);
  });
});
