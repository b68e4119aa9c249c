import { createFactorKernels, type FactorKernelExports } from './factor-kernels.js';

/**
 * Scores blocks of users against every item with the wasm SIMD kernel `scoreBlock`: the item
 * table (and item biases) is copied into wasm memory once, then each block of up to `maxUsers`
 * users streams it once (the bias area is zero without biases), four users per loaded item row. Scores are float32 sums (the plain
 * `scoreItems` sums in float64), so they can differ from it in the last bits; callers rescore
 * their candidates exactly (see `RecommenderBase.recommendBatch`).
 *
 * @example
 * const s = BlockScorer.create(Q, bi, 64, 32);
 * const scores = s?.score(P, bu, mu, users, 0, 32); // 32 × numItems, row-major, a view
 */
export class BlockScorer {
  /** Largest L2 norm of an item row (for error bounds). */
  readonly maxItemNorm: number;
  /** Largest |item bias| (0 without biases). */
  readonly maxItemBias: number;
  private constructor(
    private readonly k: FactorKernelExports,
    private readonly buffer: ArrayBuffer,
    private readonly dim: number,
    private readonly numItems: number,
        private readonly at: { items: number; bias: number; users: number; constant: number; out: number },
    itemFactors: Float32Array,
    itemBias: Float32Array | null,
  ) {
    new Float32Array(buffer, at.items, numItems * dim).set(itemFactors.subarray(0, numItems * dim));
    if (itemBias !== null) new Float32Array(buffer, at.bias, numItems).set(itemBias.subarray(0, numItems));
    let maxNorm = 0;
    let maxBias = 0;
    for (let i = 0; i < numItems; i++) {
      let s = 0;
      for (let f = 0; f < dim; f++) s += itemFactors[i * dim + f] * itemFactors[i * dim + f];
      maxNorm = Math.max(maxNorm, Math.sqrt(s));
      if (itemBias !== null) maxBias = Math.max(maxBias, Math.abs(itemBias[i]));
    }
    this.maxItemNorm = maxNorm;
    this.maxItemBias = maxBias;
  }

  /**
   * @param itemFactors - Row-major `numItems × dim` (copied).
   * @param itemBias - One bias per item (copied), or null.
   * @returns A scorer, or `null` when `dim` is 0 or not a multiple of 4, or wasm SIMD is unavailable.
   */
  static create(itemFactors: Float32Array, itemBias: Float32Array | null, dim: number, maxUsers: number): BlockScorer | null {
    if (dim === 0 || dim % 4 !== 0) return null;
    const numItems = itemFactors.length / dim;
    const align = (n: number): number => (n + 15) & ~15;
    const items = 0;
    const bias = align(items + 4 * numItems * dim);
    const users = align(bias + 4 * numItems);
    const constant = align(users + 4 * maxUsers * dim);
    const out = align(constant + 4 * maxUsers);
    const kernels = createFactorKernels(out + 4 * maxUsers * numItems);
    if (kernels === null) return null;
    const buffer = kernels.memory.buffer as ArrayBuffer;
    return new BlockScorer(kernels.exports, buffer, dim, numItems, { items, bias, users, constant, out }, itemFactors, itemBias);
  }

  /**
   * Scores `users[start .. start + count)` (`count <= maxUsers`): score = `mu + userBias[u] +
   * itemBias[i] + ⟨userFactors[u], itemFactors[i]⟩`.
   * @returns A view (overwritten by the next call) of `count × numItems` scores, row-major.
   */
  score(userFactors: Float32Array, userBias: Float32Array | null, mu: number, users: Int32Array, start: number, count: number): Float32Array {
    const { dim, at } = this;
    const rows = new Float32Array(this.buffer, at.users, count * dim);
    const constant = new Float32Array(this.buffer, at.constant, count);
    for (let n = 0; n < count; n++) {
      const u = users[start + n];
      rows.set(userFactors.subarray(u * dim, (u + 1) * dim), n * dim);
      constant[n] = mu + (userBias === null ? 0 : userBias[u]);
    }
    this.k.scoreBlock(at.users, count, at.items, this.numItems, dim, at.bias, at.constant, at.out);
    return new Float32Array(this.buffer, at.out, count * this.numItems);
  }
}
