import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Embedding } from '../src/embedding.js';
import { EmbeddingBag, type EmbeddingBagOptions } from '../src/embedding-bag.js';
import { Parameter } from '../src/parameter.js';

// Golden values produced by real PyTorch: see test/golden/gen_embedding.py.
interface Case {
  name: string;
  kind: 'embedding' | 'bag';
  num: number;
  dim: number;
  options: Record<string, unknown>;
  weight: number[];
  indices: number[];
  indicesShape: number[];
  offsets?: number[] | null;
  perSampleWeights?: number[] | null;
  gradOutput: number[];
  output: number[];
  outputShape: number[];
  weightAfter: number[];
  grad: number[];
  perSampleWeightsGrad?: number[];
}

/** What torch does with a combination Quiver refuses (the `checks` of gen_embedding.py). */
interface TorchRaise {
  type: string;
  message: string;
}
interface IncludeLastOffset2dCheck {
  name: '2-D input with include_last_offset';
  num: number;
  dim: number;
  weight: number[];
  indices: number[];
  indicesShape: number[];
  results: {
    mode: 'sum' | 'mean';
    outputShape: number[];
    output: number[];
    functionalOutputShape: number[];
    moduleEqualsFunctional: boolean;
    equalsFirstRowsWithoutIncludeLastOffset: boolean;
    singleRowOutputShape: number[];
  }[];
}
interface MaxScaleGradByFreqCheck {
  name: 'max with scale_grad_by_freq';
  constructorRaises: TorchRaise | null;
  forwardRaises: TorchRaise | null;
  forward2dRaises: TorchRaise | null;
  noGradForwardRaises: TorchRaise | null;
  functionalRaises: TorchRaise | null;
  sparseForwardRaises: TorchRaise | null;
  maxNormWeightUnchanged: boolean;
}

const golden = JSON.parse(readFileSync(new URL('./golden/embedding.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
  checks: (IncludeLastOffset2dCheck | MaxScaleGradByFreqCheck)[];
};

function check<N extends (IncludeLastOffset2dCheck | MaxScaleGradByFreqCheck)['name']>(
  name: N,
): Extract<IncludeLastOffset2dCheck | MaxScaleGradByFreqCheck, { name: N }> {
  const c = golden.checks.find((k) => k.name === name);
  if (c === undefined) throw new Error(`golden/embedding.json has no check "${name}"; run gen_embedding.py`);
  return c as Extract<IncludeLastOffset2dCheck | MaxScaleGradByFreqCheck, { name: N }>;
}

const NAMES: Record<string, string> = {
  padding_idx: 'paddingIdx',
  max_norm: 'maxNorm',
  norm_type: 'normType',
  scale_grad_by_freq: 'scaleGradByFreq',
  sparse: 'sparse',
  mode: 'mode',
  include_last_offset: 'includeLastOffset',
};

function options(c: Case): EmbeddingBagOptions {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) o[NAMES[k] ?? k] = v;
  return o as EmbeddingBagOptions;
}

/** |a - b| <= 1e-5 · max(|a|, |b|) + 1e-6 for every entry. */
function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = 1e-5 * Math.max(Math.abs(a), Math.abs(e)) + 1e-6;
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(`entry ${i}: got ${a}, PyTorch gives ${e} (tolerance ${tol})`);
    }
  }
}

function unflatten(values: number[], shape: number[]): unknown {
  if (shape.length === 1) return values;
  const stride = values.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => unflatten(values.slice(i * stride, (i + 1) * stride), shape.slice(1)));
}

describe(`golden values from PyTorch ${golden.torch}`, () => {
  it('has cases', () => {
    expect(golden.cases.length).toBeGreaterThan(20);
  });
  for (const c of golden.cases) {
    it(`${c.kind}: ${c.name}`, () => {
      const weight = new Parameter(Float32Array.from(c.weight), [c.num, c.dim]);
      const indices = unflatten(c.indices, c.indicesShape) as number[];
      const grad = Float32Array.from(c.gradOutput);
      if (c.kind === 'embedding') {
        const emb = new Embedding(c.num, c.dim, options(c) as never, weight);
        const out = emb.forward(indices);
        expect(out.shape).toEqual(c.outputShape);
        expectClose(out.data, c.output);
        expectClose(emb.weight.data, c.weightAfter);
        emb.backward(indices, grad);
        expect(emb.weight.grad !== null && 'rows' in emb.weight.grad).toBe(c.options.sparse === true);
        expectClose(emb.weight.denseGrad()!, c.grad);
      } else {
        const bag = new EmbeddingBag(c.num, c.dim, options(c), weight);
        const out = bag.forward(indices, c.offsets ?? null, c.perSampleWeights ?? null);
        expect(out.shape).toEqual(c.outputShape);
        expectClose(out.data, c.output);
        expectClose(bag.weight.data, c.weightAfter);
        const pswGrad = bag.backward(indices, grad, c.offsets ?? null, c.perSampleWeights ?? null);
        expectClose(bag.weight.denseGrad()!, c.grad);
        if (c.perSampleWeightsGrad) expectClose(pswGrad!, c.perSampleWeightsGrad);
        else expect(pswGrad).toBeNull();
      }
    });
  }
});

describe(`combinations Quiver refuses, next to what PyTorch ${golden.torch} does with them`, () => {
  it('2-D input with includeLastOffset: torch returns B - 1 bags (mean even mis-scales the last); Quiver refuses it', () => {
    const c = check('2-D input with include_last_offset');
    const [numRows, rowSize] = c.indicesShape;
    const indices = unflatten(c.indices, c.indicesShape) as number[][];
    for (const r of c.results) {
      // What torch does (nn.EmbeddingBag and F.embedding_bag alike): one bag fewer than rows.
      expect(r.outputShape).toEqual([numRows - 1, c.dim]);
      expect(r.functionalOutputShape).toEqual(r.outputShape);
      expect(r.moduleEqualsFunctional).toBe(true);
      expect(r.singleRowOutputShape).toEqual([0, c.dim]);
      expect(r.equalsFirstRowsWithoutIncludeLastOffset).toBe(r.mode === 'sum');
      // Those bags are rows 0 .. B-2; mean divides the last one by 2N (its distance to the end
      // of the input) instead of N. Quiver's bag without includeLastOffset gives one bag per row.
      const plain = new EmbeddingBag(c.num, c.dim, { mode: r.mode }, new Parameter(Float32Array.from(c.weight), [c.num, c.dim]));
      const ours = plain.forward(indices).data;
      const expected = Array.from(ours.subarray(0, (numRows - 1) * c.dim));
      if (r.mode === 'mean') {
        for (let j = (numRows - 2) * c.dim; j < expected.length; j++) expected[j] *= rowSize / (2 * rowSize);
      }
      expectClose(Float32Array.from(r.output), expected);

      // What Quiver does: refuses, in forward and backward, before touching anything.
      const weight = new Parameter(Float32Array.from(c.weight), [c.num, c.dim]);
      const bag = new EmbeddingBag(c.num, c.dim, { mode: r.mode, includeLastOffset: true, maxNorm: 0.1 }, weight);
      const message = new RegExp(
        `EmbeddingBag.forward: includeLastOffset applies only to 1-D input with offsets; 2-D input gives one bag per row, got 2-D input of shape \\[${numRows}, ${rowSize}\\]`,
      );
      expect(() => bag.forward(indices)).toThrow(TypeError);
      expect(() => bag.forward(indices)).toThrow(message);
      expect(() => bag.backward(indices, new Float32Array(numRows * c.dim))).toThrow(/EmbeddingBag.backward: includeLastOffset applies only to 1-D input/);
      expect(Array.from(bag.weight.data)).toEqual(Array.from(Float32Array.from(c.weight)));
      expect(bag.weight.grad).toBeNull();
    }
  });

  it("mode 'max' with scaleGradByFreq: torch builds the module and raises in forward; Quiver does the same", () => {
    const c = check('max with scale_grad_by_freq');
    expect(c.constructorRaises).toBeNull();
    const torchMessage = c.forwardRaises!.message;
    expect(torchMessage).toBe('max mode does not support scaling the gradient by the frequency');
    for (const r of [c.forward2dRaises, c.noGradForwardRaises, c.functionalRaises, c.sparseForwardRaises]) {
      expect(r).toEqual(c.forwardRaises);
    }
    expect(c.maxNormWeightUnchanged).toBe(true);

    for (const sparse of [false, true]) {
      const bag = new EmbeddingBag(10, 3, { mode: 'max', scaleGradByFreq: true, sparse, maxNorm: 0.1, seed: 3 }); // builds, as torch
      const before = bag.weight.data.slice();
      const ours = (fn: () => unknown, where: string): void => {
        expect(fn).toThrow(Error);
        expect(fn).toThrow(new RegExp(`^${where}: scaleGradByFreq is not supported with mode 'max'`));
        expect(fn).toThrow(torchMessage);
      };
      ours(() => bag.forward([1, 1, 2, 3], [0, 2]), 'EmbeddingBag.forward');
      ours(() => bag.forward([[1, 1], [2, 3]]), 'EmbeddingBag.forward');
      ours(() => bag.backward([1, 1, 2, 3], new Float32Array(6), [0, 2]), 'EmbeddingBag.backward');
      expect(Array.from(bag.weight.data)).toEqual(Array.from(before));
      expect(bag.weight.grad).toBeNull();
    }
  });
});
