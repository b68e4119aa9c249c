import type { Rng } from '@quiver/core';
import type { BprEpochArgs } from './bpr-epoch.js';
import { contains, sampleCdf } from './bpr-epoch.js';

/**
 * Draws `numDraws` BPR triples exactly as {@link bprEpoch} does (same random draws in the same
 * order: a stored pair, then up to 32 negatives), and writes the usable ones (a negative was found
 * and differs from the positive) to `out` as `(user, positive, negative)` triples. Running the
 * updates of these triples in order reproduces `bprEpoch` with the same `rng`, since the draws do
 * not depend on the factors.
 *
 * Kernel: no checks, no allocation; `out` must hold `3 × numDraws` values.
 *
 * @param args - The CSR matrix and sampler settings of the epoch (factors unused).
 * @returns The number of triples written.
 * @example
 * const n = sampleBprTriples(args, rng, 4096, triples);
 */
export function sampleBprTriples(
  args: Pick<BprEpochArgs, 'indptr' | 'indices' | 'rowOf' | 'numItems' | 'negativeCdf' | 'verifyNegatives'>,
  rng: Rng,
  numDraws: number,
  out: Int32Array,
): number {
  const { indptr, indices, rowOf, numItems, negativeCdf, verifyNegatives } = args;
  const nnz = indices.length;
  const totalWeight = negativeCdf === null ? 0 : negativeCdf[numItems - 1];
  let n = 0;
  for (let s = 0; s < numDraws; s++) {
    const pos = rng.nextInt(nnz);
    const u = rowOf[pos];
    const i = indices[pos];
    let j = -1;
    for (let tries = 0; tries < 32; tries++) {
      const cand = negativeCdf === null ? rng.nextInt(numItems) : sampleCdf(negativeCdf, rng.nextFloat() * totalWeight, numItems);
      if (!verifyNegatives || !contains(indices, indptr[u], indptr[u + 1], cand)) {
        j = cand;
        break;
      }
    }
    if (j < 0 || j === i) continue;
    out[3 * n] = u;
    out[3 * n + 1] = i;
    out[3 * n + 2] = j;
    n++;
  }
  return n;
}
