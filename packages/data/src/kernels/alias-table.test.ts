import { describe, expect, it } from 'vitest';
import { aliasTable } from './alias-table.js';

/** The distribution a table encodes: bucket i keeps i with prob[i], else gives idx[i]; buckets are uniform. */
function implied(prob: Float64Array, idx: Int32Array): Float64Array {
  const n = prob.length;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] += prob[i] / n;
    p[idx[i]] += (1 - prob[i]) / n;
  }
  return p;
}

describe('aliasTable', () => {
  it('encodes exactly the normalised weights (hand case and random weights)', () => {
    for (const w of [Float64Array.of(1, 2, 1), Float64Array.of(5), Float64Array.from({ length: 257 }, (_, i) => 1 / (i + 1) ** 0.8 + (i % 7))]) {
      const total = w.reduce((a, b) => a + b, 0);
      const prob = new Float64Array(w.length);
      const idx = new Int32Array(w.length);
      aliasTable(w, total, prob, idx);
      const p = implied(prob, idx);
      for (let i = 0; i < w.length; i++) expect(p[i]).toBeCloseTo(w[i] / total, 12);
    }
    // Hand-worked: weights 1, 2, 1 scale to 0.75, 1.5, 0.75; item 2 borrows 0.25 from item 1, then item 1 (now 1.25) gives 0.25 to item 0.
    const prob = new Float64Array(3);
    const idx = new Int32Array(3);
    aliasTable(Float64Array.of(1, 2, 1), 4, prob, idx);
    expect(Array.from(prob)).toEqual([0.75, 1, 0.75]);
    expect(Array.from(idx)).toEqual([1, 1, 1]);
  });

  it('never draws a zero-weight item: its bucket gives everything to the heaviest item', () => {
    const w = Float64Array.of(0, 3, 0, 1);
    const prob = new Float64Array(4);
    const idx = new Int32Array(4);
    aliasTable(w, 4, prob, idx);
    const p = implied(prob, idx);
    expect(p[0]).toBe(0);
    expect(p[2]).toBe(0);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(p[3]).toBeCloseTo(0.25, 12);
  });
});
