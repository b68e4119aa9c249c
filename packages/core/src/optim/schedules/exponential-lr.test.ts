import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { ExponentialLR } from './exponential-lr.js';

const opt = () => new SGD([new Parameter(new Float32Array(1), [1])], { lr: 1 });

describe('ExponentialLR', () => {
  it('multiplies by gamma every epoch', () => {
    const s = new ExponentialLR(opt(), 0.5);
    s.step(); s.step(); s.step();
    expect(s.getLastLr()).toEqual([0.125]);
  });
  it('checks gamma', () => {
    expect(() => new ExponentialLR(opt(), Infinity)).toThrow(/ExponentialLR: gamma must be a finite number, got Infinity/);
    expect(() => new ExponentialLR(opt(), '0.9' as never)).toThrow(/ExponentialLR: gamma must be a finite number, got "0.9"/);
  });
});
