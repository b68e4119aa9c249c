import type { Rng } from '@quiver/base';
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
 * @param filter - Optional {@link buildPairFilter} bits of the same matrix: a clear bit proves a
 * candidate negative is not among the user's items without the binary search (one memory access
 * instead of several); a set bit falls back to the exact search, so the triples are the same.
 * @returns The number of triples written.
 * @example
 * const n = sampleBprTriples(args, rng, 4096, triples);
 */
export function sampleBprTriples(
  args: Pick<BprEpochArgs, 'indptr' | 'indices' | 'rowOf' | 'numItems' | 'negativeCdf' | 'verifyNegatives'>,
  rng: Rng,
  numDraws: number,
  out: Int32Array,
  filter: Uint32Array | null = null,
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
      if (!verifyNegatives || (filter !== null && !pairBit(filter, u, cand)) || !contains(indices, indptr[u], indptr[u + 1], cand)) {
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

/** Whether the bit of the pair `(u, item)` is set in `filter` (length a power of two). */
function pairBit(filter: Uint32Array, u: number, item: number): boolean {
  const h = pairHash(u, item) & (filter.length * 32 - 1);
  return (filter[h >>> 5] & (1 << (h & 31))) !== 0;
}

/** A 32-bit mix of a (row, column) pair. */
function pairHash(u: number, item: number): number {
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(item + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/**
 * A one-hash Bloom filter of the stored `(row, column)` pairs of a CSR matrix, for
 * {@link sampleBprTriples}: `out` (length a power of two) gets one bit per pair.
 *
 * Kernel: no checks, no allocation; `out` must be zeroed.
 *
 * @example
 * const filter = new Uint32Array(1 << 20); // 2^25 bits
 * buildPairFilter(csr.indptr, csr.indices, filter);
 */
export function buildPairFilter(indptr: Int32Array, indices: Int32Array, out: Uint32Array): void {
  const mask = out.length * 32 - 1;
  for (let u = 0; u + 1 < indptr.length; u++) {
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const h = pairHash(u, indices[p]) & mask;
      out[h >>> 5] |= 1 << (h & 31);
    }
  }
}
