import { describe, expect, it } from 'vitest';
import { buildSgdBlocks } from './build-sgd-blocks.js';

describe('buildSgdBlocks', () => {
  it('puts every rating in its block with local indices, stable within a block', () => {
    const userIds = Int32Array.of(0, 4, 2, 1, 3, 0, 4);
    const itemIds = Int32Array.of(2, 0, 1, 2, 0, 1, 2);
    const ratings = Float32Array.of(1, 2, 3, 4, 5, 6, 7);
    const userPos = Int32Array.of(4, 0, 3, 1, 2); // users in position order: 1, 3, 4, 2, 0
    const itemPos = Int32Array.of(2, 0, 1);
    const grid = 2;
    const offsets = new Int32Array(5);
    const buf = new ArrayBuffer(8 * 7);
    const rec = new Int32Array(buf);
    const recF = new Float32Array(buf);
    buildSgdBlocks(userIds, itemIds, ratings, userPos, itemPos, 3, 2, grid, offsets, rec, recF);
    // Hand-worked: user rows {1,3,4} → row 0, {2,0} → row 1; item cols {1,2} → col 0, {0} → col 1.
    // Hand-worked: positions 0–2 are block row 0 and 3–4 row 1 (local = pos − 3·row), so
    // u0 → (row 1, local 1), u1 → (0, 0), u2 → (1, 0), u3 → (0, 1), u4 → (0, 2); item positions
    // 0–1 are column 0 and 2 column 1: i0 → (col 1, local 0), i1 → (0, 0), i2 → (0, 1).
    expect(Array.from(offsets)).toEqual([0, 2, 4, 7, 7]);
    const got: number[][] = [];
    for (let t = 0; t < 7; t++) got.push([rec[2 * t] & 0xffff, rec[2 * t] >>> 16, recF[2 * t + 1]]);
    expect(got).toEqual([
      [0, 1, 4], [2, 1, 7], // block 0 (row 0, col 0): ratings 3 and 6, input order
      [2, 0, 2], [1, 0, 5], // block 1 (row 0, col 1)
      [1, 1, 1], [0, 0, 3], [1, 0, 6], // block 2 (row 1, col 0)
    ]);
  });
});
