import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { Adagrad } from './adagrad.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));

describe('Adagrad', () => {
  it('hand-computed steps with lrDecay and initialAccumulatorValue', () => {
    const w = param([1]);
    const opt = new Adagrad([w], { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 5, eps: 0 });
    w.accumulateDense(Float32Array.from([2]));
    opt.step(); // sum = 9, w = 1 - 0.1 * 2 / 3
    close(w.data, [1 - 0.2 / 3]);
    opt.step(); // sum = 13, clr = 0.1 / 1.5
    close(w.data, [1 - 0.2 / 3 - ((0.1 / 1.5) * 2) / Math.sqrt(13)]);
    expect(opt.stateOf(w)).toMatchObject({ step: 2 });
  });

  it('dense weight decay adds weightDecay * w to the gradient', () => {
    const w = param([2]);
    const opt = new Adagrad([w], { lr: 1, weightDecay: 0.5, eps: 0 });
    w.accumulateDense(Float32Array.from([0]));
    opt.step(); // g = 1, sum = 1, w = 2 - 1
    close(w.data, [1]);
  });

  it('sparse gradient: duplicates summed before squaring, other rows untouched', () => {
    const w = param([0, 0, 0], [3, 1]);
    const opt = new Adagrad([w], { lr: 1, eps: 0 });
    w.accumulateSparse({ rows: Int32Array.from([1, 1]), values: Float32Array.from([1, 2]), dim: 1 });
    opt.step(); // g = 3, sum = 9 -> w = -1 (uncoalesced squaring would give sum 5)
    close(w.data, [0, -1, 0]);
    close(opt.stateOf(w)!.sum, [0, 9, 0]);
  });

  it('rejects weightDecay with sparse gradients, naming the param, and changes nothing', () => {
    const a = param([1, 1], [2, 1], 'user.weight');
    const b = param([1, 1], [2, 1], 'item.weight');
    const opt = new Adagrad([a, b], { weightDecay: 0.1 });
    a.accumulateDense(Float32Array.from([1, 1]));
    b.accumulateSparse({ rows: Int32Array.from([0]), values: Float32Array.from([1]), dim: 1 });
    expect(() => opt.step()).toThrow(/Adagrad: weightDecay is not supported with sparse gradients \(param "item.weight"\); set it to 0/);
    close(a.data, [1, 1]);
    expect(opt.stateOf(a)).toBeUndefined();
  });

  it('checks every option', () => {
    const w = param([1]);
    expect(() => new Adagrad([w], { lr: -1 })).toThrow(/Adagrad: lr must be >= 0, got -1/);
    expect(() => new Adagrad([w], { lrDecay: -1 })).toThrow(/Adagrad: lrDecay must be >= 0, got -1/);
    expect(() => new Adagrad([w], { weightDecay: -1 })).toThrow(/Adagrad: weightDecay must be >= 0, got -1/);
    expect(() => new Adagrad([w], { initialAccumulatorValue: -1 })).toThrow(/Adagrad: initialAccumulatorValue must be >= 0, got -1/);
    expect(() => new Adagrad([w], { eps: -1 })).toThrow(/Adagrad: eps must be >= 0, got -1/);
    expect(() => new Adagrad([w], { maximize: 0 as never })).toThrow(/Adagrad: maximize must be a boolean, got 0/);
    expect(() => new Adagrad([w], { momentum: 0.9 } as never)).toThrow(/Adagrad: unknown option "momentum"/);
  });
});
