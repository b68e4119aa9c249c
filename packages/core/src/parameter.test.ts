import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Parameter } from './parameter.js';
import { Tensor } from './tensor.js';
import { concatRowGrads, densifyRowGrad, isSparseRowGrad } from './sparse-grad.js';

describe('Parameter gradients', () => {
  it('mixes dense and sparse accumulation into the right dense sum', () => {
    const p = new Parameter(new Float32Array(6), [3, 2], { name: 'w' });
    expect(p.numRows).toBe(3);
    expect(p.rowSize).toBe(2);
    p.accumulateSparse({ rows: Int32Array.from([2, 0, 2]), values: Float32Array.from([1, 1, 2, 2, 3, 3]), dim: 2 });
    expect(isSparseRowGrad(p.grad)).toBe(true);
    p.accumulateDense(Float32Array.from([1, 0, 0, 1, 0, 0]));
    expect(Array.from(p.denseGrad()!)).toEqual([3, 2, 0, 1, 4, 4]);
    p.accumulateSparse({ rows: Int32Array.from([1]), values: Float32Array.from([5, 5]), dim: 2 });
    expect(Array.from(p.denseGrad()!)).toEqual([3, 2, 5, 6, 4, 4]);
  });

  it('1-D parameters have one value per row', () => {
    const bias = new Parameter(new Float32Array(4), [4], { name: 'item_bias' });
    expect(bias.rowSize).toBe(1);
    bias.accumulateSparse({ rows: Int32Array.from([3, 3]), values: Float32Array.from([1, 2]), dim: 1 });
    expect(Array.from(bias.denseGrad()!)).toEqual([0, 0, 0, 3]);
  });

  it('rejects gradients of the wrong size; frozen parameters accumulate nothing', () => {
    const p = new Parameter(new Float32Array(6), [3, 2], { name: 'w' });
    expect(() => p.accumulateDense(new Float32Array(5))).toThrow(/^Parameter "w": a dense gradient must have 6 values \(shape \[3, 2\]\), got 5 values$/);
    expect(() => p.accumulateSparse({ rows: Int32Array.of(0), values: new Float32Array(3), dim: 3 })).toThrow(
      expect.objectContaining({ where: 'Parameter "w"', what: 'sparse gradient rows must have 2 values (shape [3, 2])', got: 'rows of 3 values' }),
    );
    expect(() => p.accumulateSparse({ rows: new Int32Array(1), values: new Float32Array(3), dim: 3 })).toThrow(/^Parameter "w": sparse gradient rows must have 2 values \(shape \[3, 2\]\), got rows of 3 values$/);
    p.requiresGrad = false;
    p.accumulateDense(new Float32Array(6));
    expect(p.grad).toBeNull();
    expect(inspect(p)).toMatch(/Parameter "w" \[3, 2\] float32 requiresGrad=false grad=none/);
  });

  it('sparse helpers concatenate and densify', () => {
    const a = { rows: Int32Array.from([0]), values: Float32Array.from([1]), dim: 1 };
    const b = { rows: Int32Array.from([0, 1]), values: Float32Array.from([2, 3]), dim: 1 };
    expect(Array.from(densifyRowGrad(concatRowGrads(a, b), 2))).toEqual([3, 3]);
    expect(() => densifyRowGrad(b, 1)).toThrow(/rows\[1\] = 1 must be in \[0, 0\]/);
    expect(() => concatRowGrads(a, { ...b, dim: 2 })).toThrow(/dims must match, got 1 and 2/);
  });
});

describe('Parameter.version', () => {
  it('counts in-place changes: optimizer steps, maxNorm renormalisation, markChanged; not frozen or gradient-less params', async () => {
    const { Embedding } = await import('./embedding.js');
    const { SGD } = await import('./optim/sgd.js');
    const e = new Embedding(4, 2, { sparse: true, seed: 1 });
    const frozen = new Embedding(4, 2, { seed: 2 });
    frozen.weight.requiresGrad = false;
    const opt = new SGD([...e.parameters(), ...frozen.parameters()], { lr: 0.1 });
    expect(e.weight.version).toBe(0);
    opt.step(); // no gradient yet: nothing changes
    expect(e.weight.version).toBe(0);
    e.backward(Int32Array.of(1), new Tensor(Float32Array.of(1, 1), [1, 2]));
    opt.step();
    expect(e.weight.version).toBe(1);
    expect(frozen.weight.version).toBe(0);
    const capped = new Embedding(3, 2, { maxNorm: 0.01, seed: 3 });
    capped.forward(Int32Array.of(0));
    expect(capped.weight.version).toBe(1);
    capped.weight.markChanged();
    expect(capped.weight.version).toBe(2);
  });
});
