import { describe, expect, it } from 'vitest';
import { checkGroupedUnique } from './check-grouped-unique.js';

const run = (u: number[], i: number[]) => checkGroupedUnique(new Int32Array(u), new Int32Array(i), new Uint8Array(10), new Int32Array(10));

describe('checkGroupedUnique', () => {
  it('proves uniqueness of grouped rows, finds repeats, and gives up on ungrouped rows', () => {
    expect(run([0, 0, 1, 1, 2], [1, 2, 1, 2, 1])).toBe(0);
    expect(run([0, 0, 1, 1], [1, 2, 3, 3])).toBe(1);
    expect(run([0, 1, 0], [1, 1, 2])).toBe(2);
    expect(run([], [])).toBe(0);
  });
});
