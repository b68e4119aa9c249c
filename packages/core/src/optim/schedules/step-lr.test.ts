import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { StepLR } from './step-lr.js';

const opt = () => new SGD([new Parameter(new Float32Array(1), [1])], { lr: 0.8 });

describe('StepLR', () => {
  it('multiplies by gamma every stepSize epochs', () => {
    const s = new StepLR(opt(), 2, { gamma: 0.5 });
    const lrs = [s.getLastLr()[0]];
    for (let i = 0; i < 5; i++) { s.step(); lrs.push(s.getLastLr()[0]); }
    expect(lrs).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
    expect(new StepLR(opt(), 3).gamma).toBe(0.1);
  });
  it('checks its arguments', () => {
    expect(() => new StepLR(opt(), 0)).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new StepLR(opt(), 1.5)).toThrow(/StepLR: stepSize must be a positive integer, got 1.5/);
    expect(() => new StepLR(opt(), 2, { gamma: NaN })).toThrow(/StepLR: gamma must be a finite number, got NaN/);
    expect(() => new StepLR(opt(), 2, { factor: 2 } as never)).toThrow(/StepLR: unknown option "factor"/);
  });
});
