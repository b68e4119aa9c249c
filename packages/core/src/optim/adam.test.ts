import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { Adam } from './adam.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));

describe('Adam', () => {
  it('first step moves by lr against the sign of the gradient (bias-corrected)', () => {
    const w = param([0, 0]);
    const opt = new Adam([w], { lr: 0.1, eps: 0 });
    w.accumulateDense(Float32Array.from([2, -3]));
    opt.step();
    close(w.data, [-0.1, 0.1]);
  });

  it('second step by hand, with L2 weight decay in the gradient', () => {
    const w = param([1]);
    const [b1, b2, lr, wd] = [0.5, 0.75, 0.1, 0.5];
    const opt = new Adam([w], { lr, betas: [b1, b2], eps: 0, weightDecay: wd });
    w.accumulateDense(Float32Array.from([1]));
    opt.step();
    opt.step();
    // reference, by hand
    let p = 1, m = 0, v = 0;
    for (let t = 1; t <= 2; t++) {
      const g = 1 + wd * p;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      p -= (lr * m) / (1 - b1 ** t) / Math.sqrt(v / (1 - b2 ** t));
    }
    close(w.data, [p]);
  });

  it('amsgrad keeps the running max of the second moment', () => {
    const w = param([0]);
    const opt = new Adam([w], { amsgrad: true, betas: [0.9, 0.5] });
    w.accumulateDense(Float32Array.from([4]));
    opt.step(); // v = 8
    w.zeroGrad();
    w.accumulateDense(Float32Array.from([0]));
    opt.step(); // v = 4, max stays 8
    expect(opt.stateOf(w)!.maxExpAvgSq![0]).toBe(8);
    expect(opt.stateOf(w)!.expAvgSq[0]).toBe(4);
  });

  it('rejects sparse gradients, naming the param and SparseAdam', () => {
    const w = param([0, 0], [2, 1], 'emb');
    const opt = new Adam([w]);
    w.accumulateSparse({ rows: Int32Array.from([0]), values: Float32Array.from([1]), dim: 1 });
    expect(() => opt.step()).toThrow(/Adam: gradient of param "emb" must be dense, got a sparse gradient; use SparseAdam for sparse gradients/);
    expect(opt.stateOf(w)).toBeUndefined();
  });

  it('checks every option', () => {
    const w = param([1]);
    expect(() => new Adam([w], { betas: [0.9, 1] })).toThrow(/Adam: betas\[1\] must be in \[0, 1\), got 1/);
    expect(() => new Adam([w], { betas: [-0.1, 0.9] })).toThrow(/Adam: betas\[0\] must be in \[0, 1\), got -0.1/);
    expect(() => new Adam([w], { betas: [0.9] as never })).toThrow(/Adam: betas must be a pair \[beta1, beta2\], got Array\(1\)/);
    expect(() => new Adam([w], { lr: -0.1 })).toThrow(/Adam: lr must be >= 0, got -0.1/);
    expect(() => new Adam([w], { eps: -1 })).toThrow(/Adam: eps must be >= 0, got -1/);
    expect(() => new Adam([w], { weightDecay: -1 })).toThrow(/Adam: weightDecay must be >= 0, got -1/);
    expect(() => new Adam([w], { amsgrad: 'yes' as never })).toThrow(/Adam: amsgrad must be a boolean, got "yes"/);
    expect(() => new Adam([w], { beta1: 0.9 } as never)).toThrow(/Adam: unknown option "beta1"/);
  });
});
