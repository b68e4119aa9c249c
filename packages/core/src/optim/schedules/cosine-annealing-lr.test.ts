import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';

const opt = () => new SGD([new Parameter(new Float32Array(1), [1])], { lr: 1 });

describe('CosineAnnealingLR', () => {
  it('reaches etaMin at tMax, the midpoint halfway, and rises again after', () => {
    const s = new CosineAnnealingLR(opt(), 4, { etaMin: 0.2 });
    const lrs = [s.getLastLr()[0]];
    for (let i = 0; i < 6; i++) { s.step(); lrs.push(s.getLastLr()[0]); }
    expect(lrs[0]).toBe(1);
    expect(lrs[2]).toBeCloseTo(0.6, 12);
    expect(lrs[4]).toBeCloseTo(0.2, 12);
    expect(lrs[6]).toBeCloseTo(0.6, 12);
  });
  it('checks its arguments', () => {
    expect(() => new CosineAnnealingLR(opt(), 0)).toThrow(/CosineAnnealingLR: tMax must be a positive integer, got 0/);
    expect(() => new CosineAnnealingLR(opt(), 5, { etaMin: NaN })).toThrow(/CosineAnnealingLR: etaMin must be a finite number, got NaN/);
    expect(() => new CosineAnnealingLR(opt(), 5, { eta_min: 0 } as never)).toThrow(/CosineAnnealingLR: unknown option "eta_min"/);
  });
});
