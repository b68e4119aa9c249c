import { describe, expect, it } from 'vitest';
import { fromArrays } from '../from-arrays.js';
import type { Interactions } from '../interactions.js';
import { randomSplit } from './random-split.js';

/** A dense grid: every user rated every item once (no cold start possible in a 20% split). */
function grid(numUsers: number, numItems: number): Interactions {
  const u: number[] = [];
  const i: number[] = [];
  const r: number[] = [];
  for (let a = 0; a < numUsers; a++) for (let b = 0; b < numItems; b++) {
    u.push(a);
    i.push(b);
    r.push(a * 1000 + b);
  }
  return fromArrays({ userIds: u, itemIds: i, ratings: r });
}

const pairs = (d: Interactions) => Array.from(d.ratings!);

describe('randomSplit', () => {
  it('puts exactly round(n * testFraction) rows in test, disjoint from train', () => {
    const d = grid(20, 15); // 300 rows
    const { train, test, coldStart } = randomSplit(d, { testFraction: 0.25, seed: 1, coldStart: 'keep' });
    expect(test.length).toBe(75);
    expect(train.length).toBe(225);
    expect(coldStart).toEqual({ policy: 'keep', numRows: 0 });
    const trainSet = new Set(pairs(train));
    for (const p of pairs(test)) expect(trainSet.has(p)).toBe(false);
    expect(new Set([...pairs(train), ...pairs(test)]).size).toBe(300);
    expect(train.userIdMap).toBe(d.userIdMap);
    expect(test.numItems).toBe(d.numItems);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const d = grid(10, 10);
    const a = randomSplit(d, { seed: 3 });
    const b = randomSplit(d, { seed: 3 });
    const c = randomSplit(d, { seed: 4 });
    expect(pairs(a.test)).toEqual(pairs(b.test));
    expect(pairs(a.test)).not.toEqual(pairs(c.test));
    // rows keep their input order
    const t = pairs(a.test);
    expect(t).toEqual([...t].sort((x, y) => x - y));
  });

  it('selects each row with probability testFraction (frequency check over seeds)', () => {
    const d = grid(4, 5); // 20 rows, 5 test rows each time
    const hits = new Array(20).fill(0);
    for (let s = 0; s < 400; s++) for (const v of pairs(randomSplit(d, { seed: s, testFraction: 0.25, coldStart: 'keep' }).test)) hits[(v / 1000 | 0) * 5 + (v % 1000)]++;
    for (const h of hits) expect(Math.abs(h / 400 - 0.25)).toBeLessThan(0.08);
  });

  it('applies the cold-start policy to test rows with a user or item unseen in train', () => {
    // user 'solo' and item 'rare' each have a single row: if it lands in test it is cold.
    const d = fromArrays({ userIds: ['a', 'a', 'b', 'b', 'solo'], itemIds: ['x', 'y', 'x', 'rare', 'y'] });
    for (let seed = 0; seed < 20; seed++) {
      const keep = randomSplit(d, { seed, testFraction: 0.4, coldStart: 'keep' });
      const drop = randomSplit(d, { seed, testFraction: 0.4 });
      const moved = randomSplit(d, { seed, testFraction: 0.4, coldStart: 'train' });
      const trainUsers = new Set(keep.train.userIds);
      const trainItems = new Set(keep.train.itemIds);
      let cold = 0;
      for (let k = 0; k < keep.test.length; k++) if (!trainUsers.has(keep.test.userIds[k]) || !trainItems.has(keep.test.itemIds[k])) cold++;
      expect(drop.coldStart.numRows).toBe(cold);
      expect(drop.test.length).toBe(keep.test.length - cold);
      expect(drop.train.length).toBe(keep.train.length);
      expect(moved.train.length).toBe(keep.train.length + cold);
      expect(moved.test.length).toBe(keep.test.length - cold);
      const warmUsers = new Set(drop.train.userIds);
      for (const u of drop.test.userIds) expect(warmUsers.has(u)).toBe(true);
    }
  });

  it('checks its arguments', () => {
    const d = grid(2, 2);
    expect(() => randomSplit({} as Interactions)).toThrow(/randomSplit: data must be an Interactions dataset, got object/);
    expect(() => randomSplit(d, { testFraction: 1 })).toThrow(/randomSplit: options.testFraction must be in \(0, 1\), got 1/);
    expect(() => randomSplit(d, { testFraction: '0.2' as never })).toThrow(TypeError);
    expect(() => randomSplit(d, { coldStart: 'ignore' as never })).toThrow(/options.coldStart must be one of 'drop', 'keep', 'train', got "ignore"/);
    expect(() => randomSplit(d, { seed: NaN })).toThrow(/randomSplit: seed must be a finite number or a string, got NaN/);
  });
});
