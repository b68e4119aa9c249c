import { describe, expect, it } from 'vitest';
import { fromArrays } from '../from-arrays.js';
import type { Interactions } from '../interactions.js';
import { randomInteractions } from './random-interactions.fixture.js';
import { kFold } from './k-fold.js';
import { leaveLastOut } from './leave-last-out.js';
import { temporalSplit } from './temporal-split.js';
import { userRatioSplit } from './user-ratio-split.js';

/** Random unique pairs with timestamps; rating encodes the row so rows can be traced. */
function randomData(numUsers: number, numItems: number, n: number, seed = 1): Interactions {
  return randomInteractions(numUsers, numItems, n, seed, { timeRange: 50 });
}
const rowsOf = (d: Interactions) => Array.from(d.ratings!);

describe('kFold', () => {
  it('puts every row in exactly one test fold with sizes differing by at most one', () => {
    const d = randomData(30, 40, 203);
    const folds = kFold(d, { k: 5, seed: 2, coldStart: 'keep' });
    expect(folds).toHaveLength(5);
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(203);
    const all = folds.flatMap((f) => rowsOf(f.test)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 203 }, (_, k) => k));
    for (const f of folds) {
      expect(f.train.length + f.test.length).toBe(203);
      const tr = new Set(rowsOf(f.train));
      for (const r of rowsOf(f.test)) expect(tr.has(r)).toBe(false);
    }
    expect(rowsOf(kFold(d, { k: 5, seed: 2 })[3].test)).toEqual(rowsOf(kFold(d, { k: 5, seed: 2 })[3].test));
  });
  it('checks k', () => {
    const d = randomData(3, 3, 4);
    expect(() => kFold(d, { k: 1 })).toThrow(/kFold: options.k must be in \[2, 4\], got 1/);
    expect(() => kFold(d, { k: 5 })).toThrow(/options.k must be in \[2, 4\], got 5/);
    expect(() => kFold(d, { k: 2.5 })).toThrow(/options.k must be an integer in \[2, 4\], got 2.5/);
  });
});

describe('userRatioSplit', () => {
  it('holds out round(d * f) rows of each user, keeping minTrain in train', () => {
    const d = randomData(20, 60, 400);
    const { train, test } = userRatioSplit(d, { testFraction: 0.3, seed: 5, coldStart: 'keep' });
    const deg = d.userDegrees();
    const testDeg = test.userDegrees();
    const trainDeg = train.userDegrees();
    for (let u = 0; u < d.numUsers; u++) {
      expect(testDeg[u]).toBe(Math.min(Math.round(deg[u] * 0.3), Math.max(0, deg[u] - 1)));
      expect(trainDeg[u] + testDeg[u]).toBe(deg[u]);
    }
    const tr = new Set(rowsOf(train));
    for (const r of rowsOf(test)) expect(tr.has(r)).toBe(false);
  });
  it('keeps users with too few rows entirely in train and is deterministic', () => {
    const d = fromArrays({ userIds: ['a', 'b', 'b'], itemIds: [1, 1, 2] });
    const s = userRatioSplit(d, { testFraction: 0.5, minTrain: 1, coldStart: 'keep' });
    expect(s.test.userDegrees()[0]).toBe(0);
    expect(s.test.userDegrees()[1]).toBe(1);
    const big = randomData(10, 30, 150);
    expect(rowsOf(userRatioSplit(big, { seed: 3 }).test)).toEqual(rowsOf(userRatioSplit(big, { seed: 3 }).test));
    expect(() => userRatioSplit(big, { minTrain: -1 })).toThrow(/userRatioSplit: options.minTrain must be a non-negative integer, got -1/);
  });
});

describe('leaveLastOut', () => {
  it('holds out each user latest rows; no test row is earlier than the user train rows', () => {
    const d = randomData(15, 50, 300);
    const { train, test } = leaveLastOut(d, { numTest: 2, coldStart: 'keep' });
    const deg = d.userDegrees();
    for (let u = 0; u < d.numUsers; u++) {
      const trT = [];
      const teT = [];
      for (let k = 0; k < train.length; k++) if (train.userIds[k] === u) trT.push(train.timestamps![k]);
      for (let k = 0; k < test.length; k++) if (test.userIds[k] === u) teT.push(test.timestamps![k]);
      expect(teT.length).toBe(deg[u] >= 3 ? 2 : 0);
      if (teT.length > 0) expect(Math.min(...teT)).toBeGreaterThanOrEqual(Math.max(...trT));
    }
  });
  it('breaks timestamp ties by row position and supports row order', () => {
    const d = fromArrays({ userIds: [1, 1, 1], itemIds: [1, 2, 3], timestamps: [5, 9, 9] });
    expect(Array.from(leaveLastOut(d, { coldStart: 'keep' }).test.itemIds, (i) => d.itemIdMap.toRaw(i))).toEqual([3]);
    expect(leaveLastOut(d).test.length).toBe(0); // item 3 is cold: dropped by default
    const noTime = fromArrays({ userIds: [1, 1, 1], itemIds: [1, 2, 3] });
    expect(() => leaveLastOut(noTime)).toThrow(/leaveLastOut: data must have timestamps for order 'timestamp', got none; pass order: 'row'/);
    expect(Array.from(leaveLastOut(noTime, { order: 'row', coldStart: 'keep' }).test.itemIds)).toEqual([2]);
    expect(() => leaveLastOut(noTime, { numTest: 0 })).toThrow(/options.numTest must be a positive integer, got 0/);
  });
});

describe('temporalSplit', () => {
  it('cuts at a timestamp so that every test row is at or after every train row', () => {
    const d = randomData(20, 40, 300);
    const { train, test } = temporalSplit(d, { testFraction: 0.25, coldStart: 'keep' });
    const maxTrain = Math.max(...train.timestamps!);
    const minTest = Math.min(...test.timestamps!);
    expect(minTest).toBeGreaterThan(maxTrain);
    // ties move whole timestamps, so test is at least the requested size
    expect(test.length).toBeGreaterThanOrEqual(75);
    const sorted = Array.from(d.timestamps!).sort((a, b) => a - b);
    expect(minTest).toBe(sorted[300 - 75]);
  });
  it('accepts an explicit cutoff and applies the cold-start policy to new users', () => {
    const d = fromArrays({ userIds: ['a', 'a', 'b', 'new', 'b'], itemIds: [1, 2, 1, 1, 2], timestamps: [1, 5, 2, 6, 3] });
    const s = temporalSplit(d, { cutoff: 5 });
    expect(s.train.length).toBe(3);
    expect(s.test.length).toBe(1);
    expect(s.coldStart).toEqual({ policy: 'drop', numRows: 1 });
    expect(temporalSplit(d, { cutoff: 5, coldStart: 'keep' }).test.length).toBe(2);
    expect(() => temporalSplit(d, { cutoff: 5, testFraction: 0.2 })).toThrow(/temporalSplit: options must give cutoff or testFraction, not both/);
    expect(() => temporalSplit(fromArrays({ userIds: [1], itemIds: [1] }))).toThrow(/temporalSplit: data must have timestamps, got none/);
    expect(() => temporalSplit(d, { cutoff: NaN })).toThrow(/options.cutoff must be a finite number, got NaN/);
  });
});
