import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { sgd, SGD } from './sgd.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));

describe('SGD', () => {
  it('plain step: w -= lr * g', () => {
    const w = param([1, 2]);
    const opt = new SGD([w], { lr: 0.1 });
    w.accumulateDense(Float32Array.from([0.5, 1]));
    opt.step();
    close(w.data, [0.95, 1.9]);
  });

  it('momentum: first step b = g, second b = 0.9 b + g (hand-computed)', () => {
    const w = param([1]);
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.accumulateDense(Float32Array.from([1]));
    opt.step(); // 1 - 0.1
    opt.step(); // b = 1.9 -> 0.9 - 0.19
    close(w.data, [0.71]);
    close(opt.stateOf(w)!.momentumBuffer!, [1.9]);
  });

  it('nesterov: d = g + mu * b', () => {
    const w = param([0]);
    const opt = new SGD([w], { lr: 1, momentum: 0.5, nesterov: true });
    w.accumulateDense(Float32Array.from([2]));
    opt.step(); // b = 2, d = 2 + 1 = 3
    close(w.data, [-3]);
  });

  it('maximize ascends', () => {
    const w = param([0]);
    const opt = new SGD([w], { lr: 0.5, maximize: true });
    w.accumulateDense(Float32Array.from([2]));
    opt.step();
    close(w.data, [1]);
  });

  it('sparse gradient without momentum scatter-adds duplicate rows', () => {
    const w = param([0, 0, 0, 0, 0, 0], [3, 2]);
    const opt = new SGD([w], { lr: 0.5 });
    w.accumulateSparse({ rows: Int32Array.from([2, 0, 2]), values: Float32Array.from([1, 1, 2, 2, 3, 3]), dim: 2 });
    opt.step();
    close(w.data, [-1, -1, 0, 0, -2, -2]);
  });

  it('weight decay with a sparse gradient decays the touched rows only (coalesced: once per row)', () => {
    const w = param([1, 1, 1, 1, 1, 1], [3, 2]);
    const opt = new SGD([w], { lr: 1, weightDecay: 0.1 });
    w.accumulateSparse({ rows: Int32Array.from([1, 1]), values: Float32Array.from([1, 0, 1, 0]), dim: 2 });
    opt.step();
    // row 1: g = [2, 0] + 0.1 * [1, 1]; rows 0 and 2 keep their values (a dense decay would shrink them)
    close(w.data, [1, 1, 1 - 2.1, 0.9, 1, 1]);
  });

  it('sparse gradient with momentum keeps moving rows touched earlier (as torch)', () => {
    const w = param([0, 0, 0], [3, 1]);
    const opt = new SGD([w], { lr: 1, momentum: 0.5 });
    w.accumulateSparse({ rows: Int32Array.from([0]), values: Float32Array.from([1]), dim: 1 });
    opt.step(); // row 0: b = 1 -> -1
    w.zeroGrad();
    w.accumulateSparse({ rows: Int32Array.from([2]), values: Float32Array.from([1]), dim: 1 });
    opt.step(); // row 0: b = 0.5 -> -1.5; row 2: b = 1 -> -1
    close(w.data, [-1.5, 0, -1]);
  });

  it('functional sgd fills in a new momentum buffer', () => {
    const w = param([1, 1]);
    w.accumulateDense(Float32Array.from([1, 2]));
    const bufs: (Float32Array | null)[] = [null];
    sgd([w], [w.grad!], bufs, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    close(bufs[0]!, [1, 2]);
    close(w.data, [0.9, 0.8]);
  });

  it('checks every option', () => {
    const w = param([1]);
    expect(() => new SGD([w], undefined as never)).toThrow(/SGD: options must be an object with lr, got undefined/);
    expect(() => new SGD([w], {} as never)).toThrow(/SGD: lr must be a finite number, got undefined/);
    expect(() => new SGD([w], { lr: -1 })).toThrow(/SGD: lr must be >= 0, got -1/);
    expect(() => new SGD([w], { lr: NaN })).toThrow(/SGD: lr must be a finite number, got NaN/);
    expect(() => new SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow(/SGD: momentum must be >= 0, got -0.5/);
    expect(() => new SGD([w], { lr: 0.1, dampening: Infinity })).toThrow(/SGD: dampening must be a finite number, got Infinity/);
    expect(() => new SGD([w], { lr: 0.1, weightDecay: -1 })).toThrow(/SGD: weightDecay must be >= 0, got -1/);
    expect(() => new SGD([w], { lr: 0.1, nesterov: 1 as never })).toThrow(/SGD: nesterov must be a boolean, got 1/);
    expect(() => new SGD([w], { lr: 0.1, maximize: 'no' as never })).toThrow(/SGD: maximize must be a boolean, got "no"/);
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(
      /SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0 and dampening 0/,
    );
    expect(() => new SGD([w], { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/nesterov requires momentum > 0 and dampening 0/);
    expect(() => new SGD([w], { lr: 0.1, learningRate: 1 } as never)).toThrow(/SGD: unknown option "learningRate"/);
  });
});
