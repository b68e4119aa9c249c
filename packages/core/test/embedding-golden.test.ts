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

const golden = JSON.parse(readFileSync(new URL('./golden/embedding.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

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
