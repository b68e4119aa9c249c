import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { createRng } from '@quiver/base';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RowWiseAdagrad } from './row-wise-adagrad.js';
import { SGD } from './sgd.js';
import { SparseAdam } from './sparse-adam.js';

type AnyOptimizer = Optimizer<{ lr: number }, object>;
const NUM_ROWS = 8;
const DIM = 3;

function makeParams(): Parameter[] {
  const rng = createRng(3);
  return [
    new Parameter(Float32Array.from({ length: NUM_ROWS * DIM }, () => rng.normal()), [NUM_ROWS, DIM], { name: 'table' }),
    new Parameter(Float32Array.from({ length: 4 }, () => rng.normal()), [4], { name: 'bias' }),
  ];
}

/** Gradient for step t: deterministic, sparse (with a repeated row) or dense. */
function feed(params: Parameter[], t: number, sparse: boolean): void {
  const rng = createRng(100 + t);
  for (const p of params) {
    p.zeroGrad();
    if (sparse) {
      const rows = Int32Array.from([t % p.numRows, (t * 3) % p.numRows, t % p.numRows]);
      p.accumulateSparse({ rows, values: Float32Array.from({ length: 3 * p.rowSize }, () => rng.normal()), dim: p.rowSize });
    } else {
      p.accumulateDense(Float32Array.from({ length: p.size }, () => rng.normal()));
    }
  }
}

const FACTORIES: { name: string; sparse: boolean; make: (p: Parameter[]) => AnyOptimizer }[] = [
  { name: 'SGD momentum nesterov', sparse: false, make: (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }) as never },
  { name: 'SGD sparse momentum', sparse: true, make: (p) => new SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }) as never },
  { name: 'Adagrad dense', sparse: false, make: (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.1, weightDecay: 0.1 }) as never },
  { name: 'Adagrad sparse', sparse: true, make: (p) => new Adagrad(p, { lr: 0.1, initialAccumulatorValue: 0.1 }) as never },
  { name: 'RowWiseAdagrad sparse', sparse: true, make: (p) => new RowWiseAdagrad(p, { lr: 0.1, weightDecay: 0.1 }) as never },
  { name: 'Adam amsgrad', sparse: false, make: (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1 }) as never },
  { name: 'AdamW', sparse: false, make: (p) => new AdamW(p, { lr: 0.01 }) as never },
  { name: 'SparseAdam', sparse: true, make: (p) => new SparseAdam(p, { lr: 0.01 }) as never },
];

describe('Optimizer contract', () => {
  for (const f of FACTORIES) {
    it(`${f.name}: save after 3 steps, load into a fresh optimizer, 3 more = 6 uninterrupted (bit-identical)`, () => {
      const straight = makeParams();
      const a = f.make(straight);
      for (let t = 0; t < 6; t++) {
        feed(straight, t, f.sparse);
        a.step();
      }

      const first = makeParams();
      const b = f.make(first);
      for (let t = 0; t < 3; t++) {
        feed(first, t, f.sparse);
        b.step();
      }
      const saved = b.stateDict();
      const savedWeights = first.map((p) => p.data.slice());
      feed(first, 99, f.sparse);
      b.step(); // later steps must not leak into the saved copy

      const resumed = makeParams();
      resumed.forEach((p, i) => p.data.set(savedWeights[i]));
      const c = f.make(resumed);
      c.loadStateDict(structuredClone(saved));
      for (let t = 3; t < 6; t++) {
        feed(resumed, t, f.sparse);
        c.step();
      }
      resumed.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(straight[i].data)));
    });

    it(`${f.name}: skips frozen params and params without a gradient`, () => {
      const params = makeParams();
      const opt = f.make(params);
      feed(params, 1, f.sparse);
      params[0].requiresGrad = false;
      params[1].grad = null;
      const before = params.map((p) => p.data.slice());
      opt.step();
      params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(before[i])));
      expect(opt.stateOf(params[0])).toBeUndefined();
      expect(opt.stateOf(params[1])).toBeUndefined();
    });
  }

  it('zeroGrad clears every gradient in every group', () => {
    const params = makeParams();
    const opt = new SGD([{ params: [params[0]] }, { params: [params[1]], lr: 1 }], { lr: 0.1 });
    feed(params, 0, false);
    opt.zeroGrad();
    expect(params.map((p) => p.grad)).toEqual([null, null]);
  });

  it('groups inherit defaults and keep their overrides; lr can be changed between steps', () => {
    const params = makeParams();
    const opt = new SGD([{ params: [params[0]] }, { params: [params[1]], lr: 1, momentum: 0.5 }], { lr: 0.1 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 1, momentum: 0.5 });
    const b0 = params[1].data[0];
    params[1].accumulateDense(Float32Array.from([1, 0, 0, 0]));
    opt.paramGroups[1].lr = 0.25;
    opt.step();
    expect(params[1].data[0]).toBeCloseTo(b0 - 0.25, 6);
  });

  it('addParamGroup adds a checked group', () => {
    const params = makeParams();
    const opt = new Adam([params[0]], { lr: 0.01 });
    opt.addParamGroup({ params: [params[1]], lr: 0.5 });
    expect(opt.paramGroups[1].lr).toBe(0.5);
    expect(() => opt.addParamGroup({ params: [params[1]] })).toThrow(/Adam: param "bias" appears in more than one parameter group/);
  });

  it('stateDict is a plain copy that survives JSON once buffers become arrays', () => {
    const params = makeParams();
    const opt = new Adam(params, { lr: 0.01 });
    feed(params, 0, false);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual([{ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1] }]);
    expect(sd.state[0]).toMatchObject({ step: 1, maxExpAvgSq: null });
    const json = JSON.parse(JSON.stringify(sd, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
    const other = new Adam(makeParams(), { lr: 0.5 });
    other.loadStateDict(json);
    expect(other.paramGroups[0].lr).toBe(0.01);
    expect(Array.from(other.stateOf(other.paramGroups[0].params[0])!.expAvg)).toEqual(Array.from(opt.stateOf(params[0])!.expAvg));
  });

  describe('loadStateDict rejects mismatches and changes nothing', () => {
    const setup = () => {
      const params = makeParams();
      const opt = new Adam(params, { lr: 0.01 });
      feed(params, 0, false);
      opt.step();
      return { opt, sd: opt.stateDict(), params };
    };
    it('group count', () => {
      const { opt, sd } = setup();
      expect(() => opt.loadStateDict({ ...sd, paramGroups: [...sd.paramGroups, sd.paramGroups[0]] })).toThrow(
        /Adam.loadStateDict: paramGroups must have 1 groups to match this optimizer, got 2/,
      );
    });
    it('param count', () => {
      const { opt, sd } = setup();
      sd.paramGroups[0].params = [0];
      expect(() => opt.loadStateDict(sd)).toThrow(/paramGroups\[0\]\.params must have 2 entries to match this optimizer, got 1/);
    });
    it('buffer length, naming the param', () => {
      const { opt, sd, params } = setup();
      const before = opt.stateOf(params[0])!.expAvg.slice();
      (sd.state[0] as Record<string, unknown>).expAvg = new Float32Array(5);
      sd.paramGroups[0].lr = 0.5;
      expect(() => opt.loadStateDict(sd)).toThrow(/state\[0\]\.expAvg must have length 24 for param "table", got 5/);
      expect(opt.paramGroups[0].lr).toBe(0.01);
      expect(Array.from(opt.stateOf(params[0])!.expAvg)).toEqual(Array.from(before));
    });
    it('buffer kind, unknown state key, bad step, unknown key number, bad option', () => {
      const { opt, sd } = setup();
      const bad = (mut: (s: typeof sd) => void) => {
        const copy = structuredClone(sd);
        mut(copy);
        return () => opt.loadStateDict(copy);
      };
      expect(bad((s) => ((s.state[0] as Record<string, unknown>).expAvg = 'x'))).toThrow(/state\[0\]\.expAvg must be a Float32Array \(or number array\)/);
      expect(bad((s) => ((s.state[0] as Record<string, unknown>).momentum = 1))).toThrow(/state\[0\]: unknown option "momentum"/);
      expect(bad((s) => ((s.state[0] as Record<string, unknown>).step = -1))).toThrow(/state\[0\]\.step must be a non-negative integer, got -1/);
      expect(bad((s) => (s.state[7] = s.state[0]))).toThrow(/state key "7" must be a parameter number listed in paramGroups/);
      expect(bad((s) => (s.paramGroups[0].betas = [0.9, 1]))).toThrow(/Adam: paramGroups\[0\]\.betas\[1\] must be in \[0, 1\), got 1/);
      expect(bad((s) => (s.paramGroups[0].foo = 1))).toThrow(/paramGroups\[0\]: unknown option "foo"/);
      expect(() => opt.loadStateDict(null as never)).toThrow(/Adam.loadStateDict: stateDict must be an object \{ state, paramGroups \}, got null/);
    });
  });

  describe('constructor checks shared by every optimizer', () => {
    const p = () => makeParams();
    it('params must be a non-empty list of Parameter or groups', () => {
      expect(() => new SGD([], { lr: 0.1 })).toThrow(/SGD: params must be a non-empty array of Parameter or of parameter groups, got Array\(0\)/);
      expect(() => new Adam('w' as never)).toThrow(/Adam: params must be a non-empty array/);
      expect(() => new Adam([{ params: [new Float32Array(3)] }] as never)).toThrow(
        /Adam: paramGroups\[0\]\.params\[0\] must be a Parameter, got Float32Array\(3\)/,
      );
      expect(() => new Adam([{ foo: 1 }] as never)).toThrow(/Adam: paramGroups\[0\] must be a Parameter or an object \{ params: Parameter\[\], \.\.\.options \}/);
    });
    it('a parameter may appear only once', () => {
      const [a] = p();
      expect(() => new SGD([a, a], { lr: 0.1 })).toThrow(/SGD: param "table" appears in more than one parameter group/);
      expect(() => new SGD([{ params: [a] }, { params: [a] }], { lr: 0.1 })).toThrow(/appears in more than one parameter group/);
    });
    it('group overrides are checked and named', () => {
      const [a, b] = p();
      expect(() => new SGD([{ params: [a] }, { params: [b], lr: -2 }], { lr: 0.1 })).toThrow(/SGD: paramGroups\[1\]\.lr must be >= 0, got -2/);
      expect(() => new SGD([{ params: [a], lrr: 1 } as never], { lr: 0.1 })).toThrow(/SGD: paramGroups\[0\]: unknown option "lrr"/);
    });
    it('sparse gradient rows out of range are rejected before any update', () => {
      const params = p();
      const opt = new SparseAdam([params[0]]);
      params[0].grad = { rows: Int32Array.from([1, 9]), values: new Float32Array(6), dim: 3 };
      const before = params[0].data.slice();
      expect(() => opt.step()).toThrow(/SparseAdam: sparse gradient rows of param "table"\[1\] = 9 is out of range; indices must be integers in \[0, 7\]/);
      expect(Array.from(params[0].data)).toEqual(Array.from(before));
      params[0].grad = { rows: Int32Array.from([1]), values: new Float32Array(2), dim: 2 };
      expect(() => opt.step()).toThrow(/SparseAdam: sparse gradient of param "table" must have 3 values per row, got dim 2/);
    });
  });
});

describe('sparse updates cost O(nnz), not O(numRows)', () => {
  const numRows = 500_000;
  const dim = 8;
  const factories: { name: string; make: (p: Parameter[]) => AnyOptimizer; state: string }[] = [
    { name: 'SparseAdam', make: (p) => new SparseAdam(p, { lr: 0.01 }) as never, state: 'expAvg' },
    { name: 'Adagrad', make: (p) => new Adagrad(p, { lr: 0.01 }) as never, state: 'sum' },
    { name: 'RowWiseAdagrad', make: (p) => new RowWiseAdagrad(p, { lr: 0.01, weightDecay: 0.1 }) as never, state: 'sum' },
    { name: 'SGD (weightDecay, no momentum)', make: (p) => new SGD(p, { lr: 0.01, weightDecay: 0.1 }) as never, state: '' },
  ];
  for (const f of factories) {
    it(`${f.name}: 200 steps of 16 rows on a ${numRows}-row table stay fast and leave other rows alone`, () => {
      const w = new Parameter(new Float32Array(numRows * dim).fill(1), [numRows, dim], { name: 'big' });
      const opt = f.make([w]);
      const rng = createRng(5);
      const touched = new Set<number>();
      const grad = () => {
        const rows = Int32Array.from({ length: 16 }, () => rng.nextInt(1000));
        rows.forEach((r) => touched.add(r));
        return { rows, values: Float32Array.from({ length: 16 * dim }, () => rng.normal()), dim };
      };
      w.grad = grad();
      opt.step(); // first step allocates state once
      const t0 = performance.now();
      for (let s = 0; s < 200; s++) {
        w.grad = grad();
        opt.step();
      }
      const ms = performance.now() - t0;
      // An O(numRows × dim) pass per step would be >= 200 × 4M element updates (seconds).
      expect(ms).toBeLessThan(400);
      for (const r of [1000, 5000, numRows - 1]) {
        expect(w.data[r * dim]).toBe(1);
        if (f.state) {
          const s = (opt.stateOf(w) as Record<string, Float32Array>)[f.state];
          expect(s[f.state === 'sum' && s.length === numRows ? r : r * dim]).toBe(0);
        }
      }
      const r0 = [...touched][0];
      expect(w.data[r0 * dim]).not.toBe(1);
    });
  }
});
