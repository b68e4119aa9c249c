import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { itemPopularityGroups, userActivityGroups } from './popularity-groups.js';

const i32 = (...v: number[]) => Int32Array.from(v);

describe('userActivityGroups', () => {
  it('default threshold: the count at position ⌊0.2 (n − 1)⌋ of the sorted counts', () => {
    // sorted [1, 1, 2, 3, 3, 4, 5, 5, 6, 9], position ⌊0.2 · 9⌋ = 1 → threshold 1: users 1 and 3 are cold
    const r = userActivityGroups(i32(3, 1, 4, 1, 5, 9, 2, 6, 5, 3));
    expect(r.threshold).toBe(1);
    expect(Array.from(r.groups)).toEqual([1, 0, 1, 0, 1, 1, 1, 1, 1, 1]);
  });
  it('coldMax overrides it (any finite number)', () => {
    const counts = i32(3, 1, 4, 1, 5, 9, 2, 6, 5, 3);
    expect(Array.from(userActivityGroups(counts, { coldMax: 3 }).groups)).toEqual([0, 0, 1, 0, 1, 1, 0, 1, 1, 0]);
    expect(Array.from(userActivityGroups(counts, { coldMax: 2.5 }).groups)).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 1, 1]);
    expect(userActivityGroups(counts, { coldMax: 2.5 }).threshold).toBe(2.5);
    expect(Array.from(userActivityGroups(counts, { coldMax: -1 }).groups)).toEqual(new Array(10).fill(1));
  });
  it('matches a slow reference on random counts: at least 20% cold', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const counts = Array.from({ length: 1 + rng.nextInt(200) }, () => rng.nextInt(30));
      const sorted = [...counts].sort((a, b) => a - b);
      const threshold = sorted[Math.floor(0.2 * (counts.length - 1))];
      const r = userActivityGroups(Int32Array.from(counts));
      expect(r.threshold).toBe(threshold);
      expect(Array.from(r.groups)).toEqual(counts.map((c) => (c <= threshold ? 0 : 1)));
      expect(counts.filter((c) => c <= threshold).length).toBeGreaterThanOrEqual(Math.floor(0.2 * (counts.length - 1)) + 1);
    }
  });
  it('no users: empty groups, threshold NaN (or coldMax when given)', () => {
    expect(userActivityGroups(new Int32Array(0)).threshold).toBeNaN();
    expect(userActivityGroups(new Int32Array(0), { coldMax: 4 })).toEqual({ groups: new Uint8Array(0), threshold: 4 });
  });
  it('refuses bad input', () => {
    expect(() => userActivityGroups(i32(1, -2))).toThrow(/userActivityGroups: trainCounts\[1\] must be a count >= 0, got -2/);
    expect(() => userActivityGroups([1, 2] as unknown as Int32Array)).toThrow(/userActivityGroups: trainCounts must be an Int32Array, got Array\(2\)/);
    expect(() => userActivityGroups(i32(1), { coldMax: NaN })).toThrow(/userActivityGroups: options.coldMax must be a finite number, got NaN/);
    expect(() => userActivityGroups(i32(1), { coldMin: 1 } as never)).toThrow(/unknown option "coldMin"/);
  });
});

describe('itemPopularityGroups', () => {
  it('the head is the fewest most popular items holding at least headShare of the interactions', () => {
    // counts 10, 1, 5, 4 (total 20): item 0 alone holds 50% >= 20%
    expect(itemPopularityGroups(i32(10, 1, 5, 4))).toEqual({ groups: Uint8Array.of(1, 0, 0, 0), headItems: 1 });
    // headShare 0.6: item 0 (50%) is short, item 2 brings 75%
    expect(itemPopularityGroups(i32(10, 1, 5, 4), { headShare: 0.6 })).toEqual({ groups: Uint8Array.of(1, 0, 1, 0), headItems: 2 });
  });
  it('ties go to the lower item id; exactly reaching the share stops', () => {
    // counts 3, 3, 3, 1 (total 10), headShare 0.5: items 0 (30%), 1 (60%)
    expect(Array.from(itemPopularityGroups(i32(1, 3, 3, 3), { headShare: 0.5 }).groups)).toEqual([0, 1, 1, 0]);
    // ten items of count 1, headShare 0.3: 3/10 = 0.3 reaches it exactly → 3 items, the first three ids
    const r = itemPopularityGroups(new Int32Array(10).fill(1), { headShare: 0.3 });
    expect(r.headItems).toBe(3);
    expect(Array.from(r.groups)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('headShare 1 takes every item with interactions; no interactions gives an empty head', () => {
    expect(itemPopularityGroups(i32(2, 0, 1), { headShare: 1 })).toEqual({ groups: Uint8Array.of(1, 0, 1), headItems: 2 });
    expect(itemPopularityGroups(i32(0, 0, 0))).toEqual({ groups: new Uint8Array(3), headItems: 0 });
    expect(itemPopularityGroups(new Int32Array(0))).toEqual({ groups: new Uint8Array(0), headItems: 0 });
  });
  it('matches a slow reference on random counts', () => {
    const rng = createRng(9);
    for (let trial = 0; trial < 20; trial++) {
      const counts = Array.from({ length: 1 + rng.nextInt(100) }, () => rng.nextInt(8) * rng.nextInt(8));
      const share = [0.1, 0.2, 0.5, 0.9][trial % 4];
      const total = counts.reduce((a, c) => a + c, 0);
      const order = counts.map((c, i) => ({ c, i })).sort((a, b) => b.c - a.c || a.i - b.i);
      const head = new Set<number>();
      let sum = 0;
      for (const { c, i } of order) {
        if (total === 0 || sum / total >= share) break;
        head.add(i);
        sum += c;
      }
      const r = itemPopularityGroups(Int32Array.from(counts), { headShare: share });
      expect(r.headItems).toBe(head.size);
      expect(Array.from(r.groups)).toEqual(counts.map((_, i) => (head.has(i) ? 1 : 0)));
    }
  });
  it('refuses bad input', () => {
    expect(() => itemPopularityGroups(i32(1, -3))).toThrow(/itemPopularityGroups: itemCounts\[1\] must be a count >= 0, got -3/);
    expect(() => itemPopularityGroups(i32(1), { headShare: 0 })).toThrow(/itemPopularityGroups: options.headShare must be in \(0, 1\], got 0/);
    expect(() => itemPopularityGroups(i32(1), { headShare: 1.5 })).toThrow(/options.headShare must be in \(0, 1\], got 1.5/);
    expect(() => itemPopularityGroups(new Float32Array(2) as unknown as Int32Array)).toThrow(/itemCounts must be an Int32Array, got Float32Array\(2\)/);
    expect(() => itemPopularityGroups(i32(1), { share: 0.2 } as never)).toThrow(/unknown option "share"/);
  });
});
