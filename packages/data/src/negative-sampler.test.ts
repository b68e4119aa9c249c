import { describe, expect, it } from 'vitest';
import { fromArrays } from './from-arrays.js';
import { NegativeSampler } from './negative-sampler.js';

// items 0..4 with degrees 4, 2, 1, 1, 0 (item 4 exists via the dense id map but has no row)
const data = fromArrays(
  { userIds: [0, 1, 2, 3, 0, 1, 2, 3], itemIds: [0, 0, 0, 0, 1, 1, 2, 3] },
  { ids: 'dense', numItems: 5 },
);

describe('NegativeSampler', () => {
  it('popularity^alpha probabilities match the hand-computed weights', () => {
    const s = new NegativeSampler(data, { distribution: 'popularity', alpha: 0.5 });
    const w = [2, Math.SQRT2, 1, 1, 0];
    const total = w.reduce((a, b) => a + b, 0);
    Array.from(s.probabilities()).forEach((p, i) => expect(p).toBeCloseTo(w[i] / total, 12));
    expect(Array.from(new NegativeSampler(data).probabilities())).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  it('draws by popularity^alpha (empirical frequencies) and never an item of weight 0', () => {
    const s = new NegativeSampler(data, { distribution: 'popularity', alpha: 1, seed: 3 });
    const users = new Int32Array(20000);
    const out = s.sample(users, new Int32Array(20000));
    const counts = [0, 0, 0, 0, 0];
    for (const i of out) counts[i]++;
    const p = [4 / 8, 2 / 8, 1 / 8, 1 / 8, 0];
    counts.forEach((c, i) => expect(Math.abs(c / 20000 - p[i])).toBeLessThan(0.015));
    expect(counts[4]).toBe(0);
  });

  it('uniform draws cover all items evenly and are deterministic for a seed', () => {
    const a = new NegativeSampler(data, { seed: 1 }).sample(new Int32Array(10000), new Int32Array(10000));
    const b = new NegativeSampler(data, { seed: 1 }).sample(new Int32Array(10000), new Int32Array(10000));
    expect(Array.from(a)).toEqual(Array.from(b));
    const counts = [0, 0, 0, 0, 0];
    for (const i of a) counts[i]++;
    for (const c of counts) expect(Math.abs(c / 10000 - 0.2)).toBeLessThan(0.02);
  });

  it('rejects positives and keeps the distribution restricted to negatives', () => {
    const s = new NegativeSampler(data, { distribution: 'popularity', alpha: 1, rejectPositives: true, seed: 2 });
    // user 0 has items 0 and 1: its negatives are 2 and 3, equally popular; 4 has weight 0
    const out = s.sample(new Int32Array([0, 2]), new Int32Array(2 * 4000));
    const c0 = [0, 0, 0, 0, 0];
    for (let k = 0; k < 4000; k++) c0[out[k]]++;
    expect(c0[0] + c0[1] + c0[4]).toBe(0);
    expect(Math.abs(c0[2] / 4000 - 0.5)).toBeLessThan(0.04);
    // user 2 has items 0 and 2: negatives 1 (w 2), 3 (w 1)
    const c2 = [0, 0, 0, 0, 0];
    for (let k = 4000; k < 8000; k++) c2[out[k]]++;
    expect(c2[0] + c2[2] + c2[4]).toBe(0);
    expect(Math.abs(c2[1] / 4000 - 2 / 3)).toBeLessThan(0.04);
  });

  it('falls back to an exact draw after maxTries and fails when no negative exists', () => {
    const dense = fromArrays({ userIds: [0, 0, 0, 1], itemIds: [0, 1, 2, 0] }, { ids: 'dense' });
    const s = new NegativeSampler(dense, { rejectPositives: true, maxTries: 1, seed: 4 });
    const out = s.sample(new Int32Array([1, 1, 1, 1, 1, 1]), new Int32Array(6));
    for (const i of out) expect(i === 1 || i === 2).toBe(true);
    expect(() => s.sample(new Int32Array([0]), new Int32Array(1))).toThrow(/NegativeSampler.sample: user 0 must have at least one item to draw as a negative, got none/);
  });

  it('lays out several negatives per user and checks its arguments', () => {
    const s = new NegativeSampler(data, { rejectPositives: true });
    const out = s.sample(new Int32Array([0, 3]), new Int32Array(6));
    for (let j = 0; j < 3; j++) expect([0, 1]).not.toContain(out[j]);
    for (let j = 3; j < 6; j++) expect([0, 3]).not.toContain(out[j]);
    expect(() => s.sample(new Int32Array(2), new Int32Array(3))).toThrow(/NegativeSampler.sample: out.length must be a multiple of users.length \(2\), got 3/);
    expect(() => s.sample([0] as never, new Int32Array(1))).toThrow(/users must be an Int32Array, got Array\(1\)/);
    expect(() => s.sample(new Int32Array(1), new Float32Array(1) as never)).toThrow(/out must be an Int32Array, got Float32Array\(1\)/);
    expect(() => s.sample(new Int32Array([9]), new Int32Array(1))).toThrow(/users\[0\] must be in \[0, 4\), got 9/);
    expect(() => new NegativeSampler({} as never)).toThrow(/NegativeSampler: data must be an Interactions dataset, got object/);
    expect(() => new NegativeSampler(data, { distribution: 'zipf' as never })).toThrow(/options.distribution must be one of 'uniform', 'popularity', got "zipf"/);
    expect(() => new NegativeSampler(data, { alpha: -1 })).toThrow(/options.alpha must be >= 0, got -1/);
    expect(() => new NegativeSampler(data, { maxTries: 0 })).toThrow(/options.maxTries must be a positive integer, got 0/);
    expect(() => new NegativeSampler(data, { rejectPositives: 'yes' as never })).toThrow(/options.rejectPositives must be a boolean, got "yes"/);
    expect(s.sample(new Int32Array(0), new Int32Array(0))).toHaveLength(0);
  });
});
