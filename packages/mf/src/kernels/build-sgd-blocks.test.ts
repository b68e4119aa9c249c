import { describe, expect, it } from 'vitest';
import { buildSgdBlocks, type SgdRecordFormat } from './build-sgd-blocks.js';
import { buildRatingCodes } from './rating-codes.js';

// 5 users × 3 items on a 2 × 2 grid, 3 users and 2 items per block:
// users 0–2 → row 0 (local u), 3–4 → row 1 (local u − 3); items 0–1 → column 0, item 2 → column 1 (local 0).
const userIds = Int32Array.of(0, 4, 2, 1, 3, 0, 4, 2);
const itemIds = Int32Array.of(2, 0, 1, 2, 0, 1, 2, 0);
const ratings = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);

function build(format: SgdRecordFormat, byUser: boolean) {
  const offsets = new Int32Array(5);
  const words = new Int32Array((format.stride / 4) * 8);
  buildSgdBlocks(userIds, itemIds, ratings, 3, 2, 2, byUser, format, offsets, words);
  const floats = new Float32Array(words.buffer);
  const got: number[][] = [];
  for (let t = 0; t < 8; t++) {
    const w = format.stride === 8 ? words[2 * t] : words[t];
    const umask = (1 << format.ubits) - 1;
    const imask = (1 << format.ibits) - 1;
    const r = format.stride === 8 ? floats[2 * t + 1] : format.codes!.values[w >>> (format.ubits + format.ibits)];
    got.push([w & umask, (w >>> format.ubits) & imask, r]);
  }
  return { offsets: Array.from(offsets), got };
}

describe('buildSgdBlocks', () => {
  // Hand-worked blocks (local user, local item, rating), each sorted by local user, ties in input order:
  const byUser = [
    [0, 1, 6], [2, 1, 3], [2, 0, 8], // block 0 (row 0, column 0): input (2,1,3), (0,1,6), (2,0,8)
    [0, 0, 1], [1, 0, 4], // block 1 (row 0, column 1)
    [0, 0, 5], [1, 0, 2], // block 2 (row 1, column 0): input (4,0,2), (3,0,5)
    [1, 0, 7], // block 3
  ];

  it('8-byte records: blocks with local indices, sorted by user, the rating in the second word', () => {
    const r = build({ stride: 8, ubits: 16, ibits: 16, codes: null }, true);
    expect(r.offsets).toEqual([0, 3, 5, 7, 8]);
    expect(r.got).toEqual(byUser);
  });

  it('4-byte records: the same blocks with the rating as a dictionary code in the top bits', () => {
    const codes = buildRatingCodes(ratings, 8)!;
    const r = build({ stride: 4, ubits: 2, ibits: 1, codes }, true);
    expect(r.offsets).toEqual([0, 3, 5, 7, 8]);
    expect(r.got).toEqual(byUser);
  });

  it('sorts by item when items are the streamed side, ties in input order', () => {
    const r = build({ stride: 8, ubits: 16, ibits: 16, codes: null }, false);
    expect(r.got.slice(0, 3)).toEqual([[2, 0, 8], [2, 1, 3], [0, 1, 6]]);
    expect(r.got.slice(3)).toEqual([[0, 0, 1], [1, 0, 4], [1, 0, 2], [0, 0, 5], [1, 0, 7]]);
  });
});
