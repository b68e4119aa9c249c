import { describe, expect, it } from 'vitest';
import { fromArrays } from '../from-arrays.js';
import type { Interactions } from '../interactions.js';
import { randomInteractions } from './random-interactions.fixture.js';
import { strongGeneralizationSplit, type StrongGeneralizationSplit } from './strong-generalization.js';

/** Random unique pairs with timestamps; the rating of a row is its position, so rows can be traced. */
function randomData(numUsers: number, numItems: number, n: number, seed = 1): Interactions {
  return randomInteractions(numUsers, numItems, n, seed, { timeRange: 30, dense: true });
}
const rowsOf = (d: Interactions) => Array.from(d.ratings!);
const partsOf = (s: StrongGeneralizationSplit) => [s.train, s.test.foldIn, s.test.test, ...(s.validation ? [s.validation.foldIn, s.validation.test] : [])];
const foldInRule = (d: number, f: number) => Math.min(d - 1, Math.max(1, Math.round(d * f)));

describe('strongGeneralizationSplit: a hand-built dataset', () => {
  // a: 1 row; b: 3 rows (t = 30, 10, 20); c: 2 rows (t = 6, 5); d: 1 row. Only b and c can be held out.
  const data = fromArrays({
    userIds: ['a', 'b', 'b', 'b', 'c', 'c', 'd'],
    itemIds: [1, 1, 2, 3, 2, 4, 5],
    ratings: [0, 1, 2, 3, 4, 5, 6],
    timestamps: [1, 30, 10, 20, 6, 5, 2],
  });
  it('holds out b and c, keeps single-interaction users in train, and folds in the earliest rows', () => {
    const s = strongGeneralizationSplit(data, { testUsers: 1, validationUsers: 1, foldInFraction: 0.5, order: 'timestamp', seed: 3 });
    expect(Array.from(s.users.train)).toEqual([0, 3]); // a, d
    expect(rowsOf(s.train)).toEqual([0, 6]);
    // b: round(3 · 0.5) = 2 fold-in rows, its earliest (t = 10, 20 → rows 2, 3); test row 1 (t = 30)
    // c: round(2 · 0.5) = 1 fold-in row, its earliest (t = 5 → row 5); test row 4 (t = 6)
    const expected: Record<number, [number[], number[]]> = { 1: [[2, 3], [1]], 2: [[5], [4]] };
    const testUser = s.users.test[0];
    const validationUser = s.users.validation[0];
    expect(s.users.test).toHaveLength(1);
    expect(s.users.validation).toHaveLength(1);
    expect([testUser, validationUser].sort()).toEqual([1, 2]);
    expect(rowsOf(s.test.foldIn)).toEqual(expected[testUser][0]);
    expect(rowsOf(s.test.test)).toEqual(expected[testUser][1]);
    expect(rowsOf(s.validation!.foldIn)).toEqual(expected[validationUser][0]);
    expect(rowsOf(s.validation!.test)).toEqual(expected[validationUser][1]);
    for (const p of partsOf(s)) {
      expect(p.userIdMap).toBe(data.userIdMap);
      expect(p.itemIdMap).toBe(data.itemIdMap);
      expect(p.numItems).toBe(data.numItems);
    }
  });
  it('draws the test user at random: both b and c are chosen for some seed', () => {
    const chosen = new Set<number>();
    for (let seed = 0; seed < 30; seed++) chosen.add(strongGeneralizationSplit(data, { testUsers: 1, seed }).users.test[0]);
    expect([...chosen].sort()).toEqual([1, 2]);
  });
  it('returns validation null when validationUsers is 0 (the default)', () => {
    const s = strongGeneralizationSplit(data, { testUsers: 2, seed: 1 });
    expect(s.validation).toBeNull();
    expect(s.users.validation).toHaveLength(0);
    expect(Array.from(s.users.test)).toEqual([1, 2]);
  });
  it('clamps fold-in to [1, d - 1] rows: a 2-row user always gives one row to each side', () => {
    for (const f of [0.01, 0.2, 0.9, 0.99]) {
      const s = strongGeneralizationSplit(data, { testUsers: 2, foldInFraction: f, seed: 5 });
      const fold = s.test.foldIn.userDegrees();
      const test = s.test.test.userDegrees();
      expect([fold[2], test[2]]).toEqual([1, 1]); // c has 2 rows
      expect([fold[1], test[1]]).toEqual([foldInRule(3, f), 3 - foldInRule(3, f)]); // b has 3 rows
    }
    // round(3 · 0.5) = round(1.5) = 2 (halves up); round(3 · 0.8) = 2; round(3 · 0.1) = 0 → 1
    expect(strongGeneralizationSplit(data, { testUsers: 2, foldInFraction: 0.5 }).test.foldIn.userDegrees()[1]).toBe(2);
    expect(strongGeneralizationSplit(data, { testUsers: 2 }).test.foldIn.userDegrees()[1]).toBe(2);
    expect(strongGeneralizationSplit(data, { testUsers: 2, foldInFraction: 0.1 }).test.foldIn.userDegrees()[1]).toBe(1);
  });
  it('leaves users without interactions out of every part', () => {
    const sub = data.subset(Int32Array.of(1, 2, 3, 4, 5, 6)); // user a has no row left
    const s = strongGeneralizationSplit(sub, { testUsers: 1, seed: 2 });
    const all = [...s.users.train, ...s.users.test].sort();
    expect(all).toEqual([1, 2, 3]);
  });
});

describe('strongGeneralizationSplit: properties on random data', () => {
  const data = randomData(40, 60, 500);
  const deg = data.userDegrees();
  const active = [...Array(data.numUsers).keys()].filter((j) => deg[j] > 0);
  const opts = { testUsers: 0.2, validationUsers: 5, foldInFraction: 0.7, seed: 3 } as const;
  const s = strongGeneralizationSplit(data, opts);

  it('partitions the users with interactions into train, validation and test', () => {
    expect(s.users.test).toHaveLength(Math.round(0.2 * active.length));
    expect(s.users.validation).toHaveLength(5);
    const all = [...s.users.train, ...s.users.validation, ...s.users.test];
    expect(all.sort((a, b) => a - b)).toEqual(active);
    for (const list of [s.users.train, s.users.validation, s.users.test]) expect(Array.from(list)).toEqual(Array.from(list).sort((a, b) => a - b));
    for (const j of [...s.users.test, ...s.users.validation]) expect(deg[j]).toBeGreaterThanOrEqual(2);
  });
  it('puts every interaction in exactly one part, unchanged and in input order', () => {
    const all = partsOf(s).flatMap(rowsOf).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: data.length }, (_, k) => k));
    for (const p of partsOf(s)) {
      const r = rowsOf(p);
      expect(r).toEqual([...r].sort((a, b) => a - b));
      for (let k = 0; k < p.length; k++) {
        expect(p.userIds[k]).toBe(data.userIds[r[k]]);
        expect(p.itemIds[k]).toBe(data.itemIds[r[k]]);
        expect(p.timestamps![k]).toBe(data.timestamps![r[k]]);
      }
    }
  });
  it('gives each part only its users rows, with the fold-in sizes of the rounding rule', () => {
    const isIn = (list: Int32Array) => new Set(list);
    const groups = [
      [isIn(s.users.train), [s.train], null],
      [isIn(s.users.test), [s.test.foldIn, s.test.test], s.test],
      [isIn(s.users.validation), [s.validation!.foldIn, s.validation!.test], s.validation],
    ] as const;
    for (const [users, parts, heldOut] of groups) {
      for (const p of parts) for (const u of p.userIds) expect(users.has(u)).toBe(true);
      if (heldOut === null) continue;
      const fd = heldOut.foldIn.userDegrees();
      const td = heldOut.test.userDegrees();
      for (const u of users) {
        expect(fd[u]).toBe(foldInRule(deg[u], 0.7));
        expect(td[u]).toBe(deg[u] - fd[u]);
      }
    }
    expect(s.train.length).toBe(s.users.train.reduce((a, u) => a + deg[u], 0));
  });
  it('is deterministic for a seed; the test users do not depend on validationUsers', () => {
    const again = strongGeneralizationSplit(data, opts);
    for (let p = 0; p < 5; p++) expect(rowsOf(partsOf(again)[p])).toEqual(rowsOf(partsOf(s)[p]));
    const other = strongGeneralizationSplit(data, { ...opts, seed: 4 });
    expect(Array.from(other.users.test)).not.toEqual(Array.from(s.users.test));
    const noValidation = strongGeneralizationSplit(data, { ...opts, validationUsers: 0 });
    expect(Array.from(noValidation.users.test)).toEqual(Array.from(s.users.test));
  });
  it("with order 'timestamp' each held-out user's fold-in rows are their earliest (ties by row position)", () => {
    const t = strongGeneralizationSplit(data, { ...opts, order: 'timestamp' });
    const ts = data.timestamps!;
    for (const [users, part] of [[t.users.test, t.test], [t.users.validation, t.validation!]] as const) {
      for (const u of users) {
        const mine = [...Array(data.length).keys()].filter((k) => data.userIds[k] === u);
        mine.sort((a, b) => ts[a] - ts[b] || a - b);
        const nf = foldInRule(mine.length, 0.7);
        const fold = rowsOf(part.foldIn).filter((r) => data.userIds[r] === u);
        const test = rowsOf(part.test).filter((r) => data.userIds[r] === u);
        expect(fold).toEqual(mine.slice(0, nf).sort((a, b) => a - b));
        expect(test).toEqual(mine.slice(nf).sort((a, b) => a - b));
      }
    }
  });
});

describe("strongGeneralizationSplit: order 'random'", () => {
  it("draws each held-out user's fold-in rows uniformly", () => {
    // u has 4 rows (fold-in 2 of them); v and w have one row each, so u is the only candidate.
    const data = fromArrays({ userIds: ['u', 'u', 'u', 'u', 'v', 'w'], itemIds: [1, 2, 3, 4, 1, 2], ratings: [0, 1, 2, 3, 4, 5] });
    const counts = [0, 0, 0, 0];
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const s = strongGeneralizationSplit(data, { testUsers: 1, foldInFraction: 0.5, seed });
      expect(Array.from(s.users.test)).toEqual([0]);
      for (const r of rowsOf(s.test.foldIn)) counts[r]++;
    }
    // each row is in fold-in with probability 1/2: 200 ± 10 (one standard deviation)
    for (const c of counts) expect(Math.abs(c - runs / 2)).toBeLessThan(50);
  });
});

describe('strongGeneralizationSplit: user counts and bad input', () => {
  const data = randomData(10, 30, 120, 7); // every user has many rows
  it('turns fractions into counts of users with interactions (rounded, at least 1)', () => {
    expect(strongGeneralizationSplit(data, { testUsers: 0.25 }).users.test).toHaveLength(3); // round(2.5)
    expect(strongGeneralizationSplit(data, { testUsers: 0.01 }).users.test).toHaveLength(1);
    expect(strongGeneralizationSplit(data).users.test).toHaveLength(1); // default 0.1
    expect(strongGeneralizationSplit(data, { testUsers: 4, validationUsers: 0.2 }).users.validation).toHaveLength(2);
    expect(strongGeneralizationSplit(data, { testUsers: 5, validationUsers: 4 }).users.train).toHaveLength(1);
  });
  it('refuses counts that leave no training user or more held-out users than can be held out', () => {
    expect(() => strongGeneralizationSplit(data, { testUsers: 10 })).toThrow(
      /strongGeneralizationSplit: options.testUsers \+ options.validationUsers must leave at least one training user: fewer than the 10 users with interactions, got 10 \+ 0 = 10/,
    );
    expect(() => strongGeneralizationSplit(data, { testUsers: 6, validationUsers: 0.5 })).toThrow(/got 6 \+ 5 = 11/);
    const few = fromArrays({ userIds: ['x', 'y', 'z', 'u', 'u', 'v', 'v'], itemIds: [1, 1, 1, 1, 2, 1, 2] });
    expect(Array.from(strongGeneralizationSplit(few, { testUsers: 2 }).users.test)).toEqual([3, 4]);
    expect(() => strongGeneralizationSplit(few, { testUsers: 2, validationUsers: 1 })).toThrow(
      /options.testUsers \+ options.validationUsers must be at most the 2 users with at least 2 interactions \(a held-out user needs one for fold-in and one for test\), got 2 \+ 1 = 3/,
    );
  });
  it('refuses bad options, naming the value', () => {
    const f = (o: object) => () => strongGeneralizationSplit(data, o);
    expect(f({ testUsers: 0 })).toThrow(/strongGeneralizationSplit: options.testUsers must be an integer count >= 1 or a fraction in \(0, 1\), got 0/);
    expect(f({ testUsers: 1.5 })).toThrow(/options.testUsers must be an integer count >= 1 or a fraction in \(0, 1\), got 1.5/);
    expect(f({ testUsers: -0.2 })).toThrow(/options.testUsers must be .*, got -0.2/);
    expect(f({ testUsers: NaN })).toThrow(/options.testUsers must be .*, got NaN/);
    expect(f({ testUsers: '2' })).toThrow(TypeError);
    expect(f({ testUsers: '2' })).toThrow(/options.testUsers must be an integer count >= 1 or a fraction in \(0, 1\), got "2"/);
    expect(f({ validationUsers: -1 })).toThrow(RangeError);
    expect(f({ validationUsers: -1 })).toThrow(/options.validationUsers must be 0, an integer count >= 1 or a fraction in \(0, 1\), got -1/);
    expect(f({ validationUsers: 2.5 })).toThrow(/options.validationUsers must be .*, got 2.5/);
    expect(f({ foldInFraction: 1 })).toThrow(/strongGeneralizationSplit: options.foldInFraction must be in \(0, 1\), got 1/);
    expect(f({ foldInFraction: 0 })).toThrow(/options.foldInFraction must be in \(0, 1\), got 0/);
    expect(f({ order: 'time' })).toThrow(/options.order must be one of 'random', 'timestamp', got "time"/);
    expect(f({ seed: NaN })).toThrow(/seed must be a finite number or a string, got NaN/);
    expect(f({ testUser: 1 })).toThrow(/strongGeneralizationSplit: unknown option "testUser"/);
    expect(() => strongGeneralizationSplit([] as never)).toThrow(/strongGeneralizationSplit: data must be an Interactions dataset, got Array\(0\)/);
    const noTime = fromArrays({ userIds: [1, 1, 2, 2], itemIds: [1, 2, 1, 2] });
    expect(() => strongGeneralizationSplit(noTime, { testUsers: 1, order: 'timestamp' })).toThrow(
      /strongGeneralizationSplit: data must have timestamps for order 'timestamp', got none; pass order: 'random'/,
    );
  });
});
