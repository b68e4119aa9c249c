import { describe, expect, it } from 'vitest';
import { groupItems, plantedData } from '../test/fixtures.js';
import { BPR } from './bpr.js';

// Implicit positives of the planted fixture: the liked (rating >= 3) interactions only.
function liked() {
  const d = plantedData();
  const keep: number[] = [];
  for (let n = 0; n < d.userIds.length; n++) if (d.ratings![n] >= 3) keep.push(n);
  return { userIds: Int32Array.from(keep, (n) => d.userIds[n]), itemIds: Int32Array.from(keep, (n) => d.itemIds[n]), ratings: null, numUsers: 12, numItems: 10 };
}

describe('BPR', () => {
  it('rejects bad options', () => {
    expect(() => new BPR({ negativeSampling: 'hard' as never })).toThrow(/negativeSampling must be one of 'uniform', 'popularity', got "hard"/);
    expect(() => new BPR({ lr: 0 })).toThrow(/BPR: lr must be in \(0, Infinity\), got 0/);
    expect(() => new BPR({ itemBias: 1 as never })).toThrow(/itemBias must be a boolean, got 1/);
  });

  for (const options of [
    { optimizer: 'sgd' as const },
    { optimizer: 'adagrad' as const, lr: 0.3 },
    { negativeSampling: 'popularity' as const },
    { itemBias: false },
  ]) {
    it(`lowers its loss and ranks the planted groups (${JSON.stringify(options)})`, () => {
      const m = new BPR({ factors: 4, epochs: 200, lr: 0.05, ...options });
      const losses: number[] = [];
      const data = liked();
      m.fit(data, { onEpochEnd: (_e, { loss }) => void losses.push(loss) });
      const early = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const late = losses.slice(-5).reduce((a, b) => a + b) / 5;
      expect(late).toBeLessThan(0.7 * early);
      for (let u = 0; u < 12; u++) expect(groupItems(u)).toContain(m.recommend(u, 1).ids[0]);
      // Every in-group item outranks every out-of-group item for each user.
      for (const u of [0, 6]) {
        const s = m.predict(new Int32Array(10).fill(u), Int32Array.from({ length: 10 }, (_, i) => i));
        const own = groupItems(u);
        const minOwn = Math.min(...own.map((i) => s[i]));
        const maxOther = Math.max(...[...Array(10).keys()].filter((i) => !own.includes(i)).map((i) => s[i]));
        expect(minOwn).toBeGreaterThan(maxOther);
      }
    });
  }
});
