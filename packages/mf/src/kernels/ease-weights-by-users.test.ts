import { buildCsr, createRng, transposeCsr } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { cooccurrenceGram } from './cooccurrence-gram.js';
import { easeWeightsByUsers } from './ease-weights-by-users.js';
import { easeWeights } from './spd-inverse.js';

function randomMatrix(m: number, n: number, nnz: number, seed: number) {
  const rng = createRng(seed);
  const u = Int32Array.from({ length: nnz }, () => rng.nextInt(m));
  const i = Int32Array.from({ length: nnz }, () => rng.nextInt(n));
  const ui = buildCsr(u, i, null, m, n, { duplicates: 'sum' });
  return { ui, iu: transposeCsr(ui) };
}

describe('easeWeightsByUsers', () => {
  for (const [m, n, nnz, lambda] of [[5, 9, 20, 1], [30, 70, 400, 4], [64, 200, 1500, 25]] as const) {
    it(`equals the items' Cholesky path (easeWeights) for ${m} users × ${n} items, λ = ${lambda}`, () => {
      const { ui, iu } = randomMatrix(m, n, nnz, m + n);
      const viaUsers = new Float64Array(n * n);
      easeWeightsByUsers(ui.indptr, ui.indices, iu.indptr, iu.indices, m, n, lambda, viaUsers);
      const viaItems = new Float64Array(n * n);
      cooccurrenceGram(ui.indptr, ui.indices, m, n, viaItems);
      easeWeights(viaItems, n, lambda);
      let worst = 0;
      for (let t = 0; t < n * n; t++) worst = Math.max(worst, Math.abs(viaUsers[t] - viaItems[t]));
      expect(worst).toBeLessThan(1e-10);
    });
  }

  it('refuses lambda 0, which the Woodbury form divides by', () => {
    const { ui, iu } = randomMatrix(3, 5, 6, 1);
    expect(() => easeWeightsByUsers(ui.indptr, ui.indices, iu.indptr, iu.indices, 3, 5, 0, new Float64Array(25))).toThrow(/easeWeightsByUsers: lambda must be a finite number > 0.*got 0/);
  });
});

describe('cooccurrenceGram', () => {
  it('counts the users of each item pair in the lower triangle (hand case)', () => {
    // user 0: items 0, 2; user 1: items 0, 1, 2; user 2: item 2.
    const ui = buildCsr(Int32Array.of(0, 0, 1, 1, 1, 2), Int32Array.of(0, 2, 0, 1, 2, 2), null, 3, 3, { duplicates: 'sum' });
    const g = new Float64Array(9);
    cooccurrenceGram(ui.indptr, ui.indices, 3, 3, g);
    expect(Array.from(g)).toEqual([2, 0, 0, 1, 1, 0, 2, 1, 3]);
  });
});
