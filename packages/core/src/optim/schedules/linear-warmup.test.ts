import { describe, expect, it } from 'vitest';
import { Parameter } from '../../parameter.js';
import { SGD } from '../sgd.js';
import { LinearWarmup } from './linear-warmup.js';

const opt = () => new SGD([new Parameter(new Float32Array(1), [1])], { lr: 0.05 });

describe('LinearWarmup', () => {
  it("torch's LinearLR docstring example: 0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05", () => {
    const s = new LinearWarmup(opt(), { startFactor: 0.5, totalIters: 4 });
    const lrs = [s.getLastLr()[0]];
    for (let i = 0; i < 5; i++) { s.step(); lrs.push(s.getLastLr()[0]); }
    [0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05].forEach((x, i) => expect(lrs[i]).toBeCloseTo(x, 12));
  });
  it('checks its options', () => {
    expect(() => new LinearWarmup(opt(), { startFactor: 1.5 })).toThrow(/LinearWarmup: startFactor must be in \[0, 1\], got 1.5/);
    expect(() => new LinearWarmup(opt(), { endFactor: -1 })).toThrow(/LinearWarmup: endFactor must be in \[0, 1\], got -1/);
    expect(() => new LinearWarmup(opt(), { totalIters: 0 })).toThrow(/LinearWarmup: totalIters must be a positive integer, got 0/);
    expect(() => new LinearWarmup(opt(), { warmup: 3 } as never)).toThrow(/LinearWarmup: unknown option "warmup"/);
  });
});
