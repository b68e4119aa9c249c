import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { AdamW } from './adamw.js';

const param = (values: number[], shape = [values.length], name = 'w') => new Parameter(Float32Array.from(values), shape, { name });

describe('AdamW', () => {
  it('decoupled decay: with a zero gradient the weight only shrinks by 1 - lr * weightDecay', () => {
    const w = param([2]);
    const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
    w.accumulateDense(Float32Array.from([0]));
    opt.step();
    expect(w.data[0]).toBeCloseTo(1.9, 6);
  });

  it('defaults to weightDecay 0.01 as torch', () => {
    expect(new AdamW([param([1])]).defaults.weightDecay).toBe(0.01);
  });

  it('rejects sparse gradients and bad options with its own name', () => {
    const w = param([0, 0], [2, 1], 'emb');
    const opt = new AdamW([w]);
    w.accumulateSparse({ rows: Int32Array.from([0]), values: Float32Array.from([1]), dim: 1 });
    expect(() => opt.step()).toThrow(/AdamW: gradient of param "emb" must be dense, got a sparse gradient; use SparseAdam/);
    expect(() => new AdamW([w], { betas: [1, 0.9] })).toThrow(/AdamW: betas\[0\] must be in \[0, 1\), got 1/);
  });
});
