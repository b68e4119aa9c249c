import { describe, expect, it } from 'vitest';
import { fromArrays } from '../from-arrays.js';
import type { Interactions } from '../interactions.js';
import { randomInteractions } from './random-interactions.fixture.js';
import { leaveLastOut } from './leave-last-out.js';
import { randomSplit } from './random-split.js';
import { temporalSplit } from './temporal-split.js';
import { checkTemporalLeakage, temporalLeakage } from './temporal-leakage.js';

/** Random unique pairs with timestamps drawn from a small range (many ties). */
function randomData(numUsers: number, numItems: number, n: number, seed = 1): Interactions {
  return randomInteractions(numUsers, numItems, n, seed, { timeRange: 40, traceRatings: false });
}

/** Slow reference: plain arrays, the per-user cutoff found by scanning all training rows for every test row. */
function slowLeakage(train: Interactions, test: Interactions): { rows: number; users: number } {
  const leaky = new Set<number>();
  let rows = 0;
  for (let k = 0; k < test.length; k++) {
    const u = test.userIds[k];
    const mine = [...Array(train.length).keys()].filter((r) => train.userIds[r] === u).map((r) => train.timestamps![r]);
    if (mine.length > 0 && test.timestamps![k] < Math.max(...mine)) {
      rows++;
      leaky.add(u);
    }
  }
  return { rows, users: leaky.size };
}

describe('checkTemporalLeakage', () => {
  // alice trains at 5 and 9; bob at 3; carol never trains.
  const data = fromArrays({
    userIds: ['alice', 'alice', 'bob', 'bob', 'alice', 'carol', 'alice', 'bob'],
    itemIds: [1, 2, 1, 2, 3, 1, 4, 3],
    timestamps: [5, 9, 3, 4, 7, 1, 2, 3],
  });
  const train = data.subset(Int32Array.of(0, 1, 2));
  it('refuses a hand-made leaky pair, naming the first offending user, time, cutoff and counts', () => {
    // test: bob at 4 (after his cutoff 3: fine), alice at 7 and 2 (before her cutoff 9: leaky),
    // carol at 1 (no training row: fine), bob at 3 (equal to his cutoff: fine)
    const test = data.subset(Int32Array.of(3, 4, 5, 6, 7));
    expect(() => checkTemporalLeakage(train, test)).toThrow(RangeError);
    expect(() => checkTemporalLeakage(train, test)).toThrow(
      /^checkTemporalLeakage: no test row may be earlier than its user's latest training row \(per-user cutoff\), but 2 test rows of 1 user are, got user "alice" \(index 0\) with a test row at 7 before their training cutoff 9 \(the first such row\)$/,
    );
    expect(() => checkTemporalLeakage(train, test, { where: 'evaluateTemporal' })).toThrow(/^evaluateTemporal: no test row may be earlier/);
    expect(temporalLeakage(train, test)).toEqual({ rows: 2, users: 1 });
    // a single leaky row of bob, who is user index 1
    const one = fromArrays({ userIds: ['alice', 'bob', 'bob'], itemIds: [1, 1, 2], timestamps: [1, 8, 6] });
    expect(() => checkTemporalLeakage(one.subset(Int32Array.of(0, 1)), one.subset(Int32Array.of(2)))).toThrow(
      /but 1 test row of 1 user is, got user "bob" \(index 1\) with a test row at 6 before their training cutoff 8/,
    );
  });
  it('allows test rows at the cutoff and test rows of users without training rows', () => {
    const test = data.subset(Int32Array.of(3, 5, 7));
    expect(() => checkTemporalLeakage(train, test)).not.toThrow();
    expect(temporalLeakage(train, test)).toEqual({ rows: 0, users: 0 });
    expect(temporalLeakage(train, data.subset(new Int32Array(0)))).toEqual({ rows: 0, users: 0 });
  });
  it('passes the outputs of temporalSplit and leaveLastOut', () => {
    for (const seed of [1, 2, 3]) {
      const d = randomData(25, 40, 400, seed);
      for (const s of [temporalSplit(d, { testFraction: 0.3, coldStart: 'keep' }), leaveLastOut(d, { numTest: 2, coldStart: 'keep' }), leaveLastOut(d)]) {
        expect(s.test.length).toBeGreaterThan(0);
        expect(() => checkTemporalLeakage(s.train, s.test)).not.toThrow();
        expect(temporalLeakage(s.train, s.test)).toEqual({ rows: 0, users: 0 });
      }
    }
  });
  it('counts the leakage of a random split like a slow reference', () => {
    const d = randomData(25, 40, 400, 4);
    const s = randomSplit(d, { testFraction: 0.3, coldStart: 'keep', seed: 9 });
    const expected = slowLeakage(s.train, s.test);
    expect(expected.rows).toBeGreaterThan(10); // a random split of timestamped data leaks
    expect(temporalLeakage(s.train, s.test)).toEqual(expected);
    expect(() => checkTemporalLeakage(s.train, s.test)).toThrow(new RegExp(`but ${expected.rows} test rows of ${expected.users} users are, got user`));
  });
  it('refuses parts without timestamps or of different datasets, and bad options', () => {
    const noTime = fromArrays({ userIds: ['alice', 'bob', 'carol'], itemIds: [1, 1, 1] });
    const twoUsers = fromArrays({ userIds: ['alice', 'bob'], itemIds: [1, 1], timestamps: [1, 2] });
    expect(() => checkTemporalLeakage(noTime, train)).toThrow(/^checkTemporalLeakage: train must have timestamps to check temporal leakage, got none$/);
    expect(() => checkTemporalLeakage(train, noTime.subset(Int32Array.of(0)))).toThrow(/checkTemporalLeakage: test must have timestamps to check temporal leakage, got none/);
    expect(() => temporalLeakage(train, twoUsers)).toThrow(/^temporalLeakage: test.numUsers must equal train.numUsers \(3\): both parts must share one user id map, got 2$/);
    expect(() => temporalLeakage(noTime, noTime)).toThrow(/temporalLeakage: train must have timestamps/);
    expect(() => checkTemporalLeakage(train, { userIds: new Int32Array(0) } as never)).toThrow(/checkTemporalLeakage: test must be an Interactions dataset, got object/);
    expect(() => checkTemporalLeakage(null as never, train)).toThrow(TypeError);
    expect(() => checkTemporalLeakage(train, train, { where: 3 } as never)).toThrow(/checkTemporalLeakage: options.where must be a string, got 3/);
    expect(() => checkTemporalLeakage(train, train, { at: 'x' } as never)).toThrow(/checkTemporalLeakage: unknown option "at"/);
  });
});
