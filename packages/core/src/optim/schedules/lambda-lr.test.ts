import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { LambdaLR } from './lambda-lr.js';

const opt = () => new SGD(
  [{ params: [new Parameter(new Float32Array(1), [1])] }, { params: [new Parameter(new Float32Array(1), [1])], lr: 2 }],
  { lr: 1 },
);

describe('LambdaLR', () => {
  it('one function for all groups, or one per group', () => {
    const s = new LambdaLR(opt(), (e) => 1 / (e + 1));
    s.step();
    expect(s.getLastLr()).toEqual([0.5, 1]);
    const t = new LambdaLR(opt(), [(e) => e + 1, () => 0.25]);
    t.step();
    expect(t.getLastLr()).toEqual([2, 0.5]);
  });
  it('checks the functions and what they return; a bad value changes nothing', () => {
    expect(() => new LambdaLR(opt(), 3 as never)).toThrow(/LambdaLR: lrLambda must be a function or an array of functions, got 3/);
    expect(() => new LambdaLR(opt(), [() => 1])).toThrow(/LambdaLR: lrLambda must have 2 functions \(one per group\), got 1/);
    expect(() => new LambdaLR(opt(), [() => 1, 'x' as never])).toThrow(/LambdaLR: lrLambda\[1\] must be a function, got "x"/);
    const o = opt();
    const s = new LambdaLR(o, (e) => (e === 2 ? NaN : 1));
    s.step();
    expect(() => s.step()).toThrow(/LambdaLR: lrLambda\(2\) must return a finite number, got NaN/);
    expect(s.lastEpoch).toBe(1);
    expect(o.paramGroups.map((g) => g.lr)).toEqual([1, 2]);
  });
});
