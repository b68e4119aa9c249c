import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { StepLR } from './step-lr.js';

const opt = (lr = 0.1) => new SGD([new Parameter(new Float32Array(1), [1])], { lr });

describe('LrScheduler (shared behaviour)', () => {
  it('sets epoch 0 on construction and writes each step into the groups', () => {
    const o = opt(1);
    const s = new StepLR(o, 1, { gamma: 0.5 });
    expect(s.lastEpoch).toBe(0);
    expect(o.paramGroups[0].lr).toBe(1);
    s.step();
    s.step();
    expect(o.paramGroups[0].lr).toBe(0.25);
    expect(s.getLastLr()).toEqual([0.25]);
  });

  it('stateDict/loadStateDict resumes exactly, on a fresh optimizer', () => {
    const a = opt(0.1);
    const sa = new CosineAnnealingLR(a, 10, { etaMin: 0.001 });
    for (let i = 0; i < 4; i++) sa.step();
    const saved = JSON.parse(JSON.stringify(sa.stateDict()));
    for (let i = 0; i < 3; i++) sa.step();

    const b = opt(0.5);
    const sb = new CosineAnnealingLR(b, 10, { etaMin: 0.001 });
    sb.loadStateDict(saved);
    expect(sb.lastEpoch).toBe(4);
    for (let i = 0; i < 3; i++) sb.step();
    expect(b.paramGroups[0].lr).toBe(a.paramGroups[0].lr);
  });

  it('rejects a non-optimizer and malformed state', () => {
    expect(() => new StepLR({} as never, 2)).toThrow(/StepLR: optimizer must be an Optimizer \(paramGroups with numeric lr\), got object/);
    const s = new StepLR(opt(), 2);
    expect(() => s.loadStateDict(null as never)).toThrow(/StepLR.loadStateDict: state must be an object \{ lastEpoch, baseLrs \}, got null/);
    expect(() => s.loadStateDict({ lastEpoch: -1, baseLrs: [0.1] })).toThrow(/StepLR.loadStateDict: lastEpoch must be a non-negative integer, got -1/);
    expect(() => s.loadStateDict({ lastEpoch: 1, baseLrs: [0.1, 0.2] })).toThrow(/baseLrs must have 1 entries \(one per group\), got 2/);
    expect(() => s.loadStateDict({ lastEpoch: 1, baseLrs: [NaN] })).toThrow(/baseLrs\[0\] must be a finite number, got NaN/);
    expect(s.lastEpoch).toBe(0);
  });
});
