import { describe, expect, it } from 'vitest';
import { batches } from '../src/batches.js';
import { fromArrays } from '../src/from-arrays.js';
import { NegativeSampler } from '../src/negative-sampler.js';
import { kFold } from '../src/splits/k-fold.js';
import { randomSplit } from '../src/splits/random-split.js';

// Pinned outputs for fixed seeds (seedrandom's Alea is platform-independent): a change here
// means every seeded experiment in Quiver changes too, so it must be deliberate.
const d = fromArrays({
  userIds: Array.from({ length: 12 }, (_, k) => k % 3),
  itemIds: Array.from({ length: 12 }, (_, k) => k),
  ratings: Array.from({ length: 12 }, (_, k) => k),
});

describe('seeded outputs are pinned', () => {
  it('randomSplit, kFold, batches and NegativeSampler with seed 1', () => {
    expect(Array.from(randomSplit(d, { seed: 1, testFraction: 0.25, coldStart: 'keep' }).test.ratings!)).toEqual([0, 3, 6]);
    expect(Array.from(kFold(d, { k: 3, seed: 1, coldStart: 'keep' })[0].test.ratings!)).toEqual([2, 7, 8, 11]);
    expect([...batches(d, { batchSize: 12, seed: 1 }).epoch(0)].flatMap((b) => Array.from(b.rows))).toEqual([1, 5, 6, 4, 11, 2, 10, 7, 0, 8, 3, 9]);
    expect(Array.from(new NegativeSampler(d, { seed: 1 }).sample(new Int32Array(8), new Int32Array(8)))).toEqual([6, 5, 1, 0, 5, 3, 11, 10]);
  });
});
