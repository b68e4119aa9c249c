import { describe, expect, it } from 'vitest';
import { Popularity } from './popularity.js';
import { RandomRecommender } from './random-recommender.js';

const data = {
  userIds: Int32Array.of(0, 0, 1, 1, 2, 2, 2, 0),
  itemIds: Int32Array.of(0, 1, 1, 2, 1, 3, 0, 0),
  ratings: null,
  numUsers: 3,
  numItems: 5,
};

describe('Popularity', () => {
  it('scores items by distinct users and breaks ties by lower id (hand-checked)', () => {
    const m = new Popularity();
    m.fit(data);
    // Distinct users: item 0 → {0, 2} = 2, item 1 → 3, item 2 → 1, item 3 → 1, item 4 → 0.
    expect([...m.predict(Int32Array.of(0, 0, 0, 0, 0), Int32Array.of(0, 1, 2, 3, 4))]).toEqual([2, 3, 1, 1, 0]);
    expect([...m.recommend(1, 5, { filterSeen: false }).ids]).toEqual([1, 0, 2, 3, 4]);
    expect([...m.recommend(1, 3).ids]).toEqual([0, 3, 4]);
    expect([...m.recommendForNew(Int32Array.of(1), undefined, 2).ids]).toEqual([0, 2]);
    expect(m.foldIn(Int32Array.of(1)).length).toBe(0);
    expect([...m.similarUsers(0, 2).ids]).toEqual([2, 1]);
  });

  it('accepts no options', () => {
    expect(() => new Popularity({ alpha: 1 } as never)).toThrow(/Popularity: unknown option "alpha"/);
  });
});

describe('RandomRecommender', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new RandomRecommender({ seed: 1 });
    const b = new RandomRecommender({ seed: 1 });
    const c = new RandomRecommender({ seed: 2 });
    for (const m of [a, b, c]) m.fit(data);
    const users = Int32Array.of(0, 1, 2, 0);
    const items = Int32Array.of(4, 3, 2, 1);
    expect([...a.predict(users, items)]).toEqual([...b.predict(users, items)]);
    expect([...a.predict(users, items)]).not.toEqual([...c.predict(users, items)]);
    for (const v of a.predict(users, items)) expect(v >= 0 && v < 1).toBe(true);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new RandomRecommender({ seed: NaN })).toThrow(/seed must be in \(-Infinity, Infinity\), got NaN/);
  });
});
