import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { SparseAdam } from './sparse-adam.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));

describe('SparseAdam', () => {
  it('lazy: only rows present update; bias correction uses the one global step count', () => {
    const w = param([0, 0, 0], [3, 1]);
    const [lr, b1, b2] = [0.1, 0.5, 0.75];
    const opt = new SparseAdam([w], { lr, betas: [b1, b2], eps: 1e-12 });
    w.accumulateSparse({ rows: Int32Array.from([0, 0]), values: Float32Array.from([1, 1]), dim: 1 });
    opt.step(); // row 0: g = 2 (summed), first step -> moves by lr
    close(w.data, [-0.1, 0, 0]);
    w.zeroGrad();
    w.accumulateSparse({ rows: Int32Array.from([2]), values: Float32Array.from([1]), dim: 1 });
    opt.step(); // row 2 first seen at global step 2: m = 0.5, v = 0.25
    const step = (lr * Math.sqrt(1 - b2 ** 2)) / (1 - b1 ** 2);
    close(w.data, [-0.1, 0, -step * (0.5 / Math.sqrt(0.25))]);
    const s = opt.stateOf(w)!;
    expect(s.step).toBe(2);
    expect(Array.from(s.expAvg)).toEqual([1, 0, 0.5]); // row 0 not decayed on step 2 (lazy)
  });

  it('rejects dense gradients, naming the param and Adam', () => {
    const w = param([0, 0], [2, 1], 'item.weight');
    const opt = new SparseAdam([w]);
    w.accumulateDense(Float32Array.from([1, 1]));
    expect(() => opt.step()).toThrow(
      /SparseAdam: gradient of param "item.weight" must be sparse, got a dense gradient; use Adam for dense gradients/,
    );
  });

  it('checks every option (lr and eps strictly positive, as torch)', () => {
    const w = param([1]);
    expect(() => new SparseAdam([w], { lr: 0 })).toThrow(/SparseAdam: lr must be > 0, got 0/);
    expect(() => new SparseAdam([w], { eps: 0 })).toThrow(/SparseAdam: eps must be > 0, got 0/);
    expect(() => new SparseAdam([w], { betas: [0.9, 1.5] })).toThrow(/SparseAdam: betas\[1\] must be in \[0, 1\), got 1.5/);
    expect(() => new SparseAdam([w], { maximize: null as never })).toThrow(/SparseAdam: maximize must be a boolean, got null/);
    expect(() => new SparseAdam([w], { weightDecay: 0.1 } as never)).toThrow(/SparseAdam: unknown option "weightDecay"/);
  });
});
