import { describe, expect, it } from 'vitest';
import { fromArrays } from './from-arrays.js';
import { IdMap } from './id-map.js';

describe('fromArrays', () => {
  it('maps raw ids (strings, numbers, bigints) and copies ratings to Float32', () => {
    const d = fromArrays({ userIds: [5n, 'u', 5n], itemIds: [1, 2, 2], ratings: new Float64Array([0.1, 2, 3]) });
    expect(d.numUsers).toBe(2);
    expect(d.userIdMap.toRaw(0)).toBe(5n);
    expect(d.ratings![0]).toBe(Math.fround(0.1));
    expect(d.report).toMatchObject({ source: 'arrays', rowsRead: 3, rowsSkipped: 0, duplicatesMerged: 0 });
  });

  it("ids: 'dense' uses identity maps sized by the max id or the given counts", () => {
    const d = fromArrays({ userIds: new Int32Array([0, 3]), itemIds: new Int32Array([1, 0]) }, { ids: 'dense' });
    expect(d.numUsers).toBe(4);
    expect(d.numItems).toBe(2);
    expect(d.userIdMap.isIdentity).toBe(true);
    const e = fromArrays({ userIds: [0], itemIds: [0] }, { ids: 'dense', numUsers: 10, numItems: 5 });
    expect([e.numUsers, e.numItems]).toEqual([10, 5]);
    expect(() => fromArrays({ userIds: [0, 10], itemIds: [0, 0] }, { ids: 'dense', numUsers: 10 })).toThrow(/fromArrays: row 1: user id must be an integer in \[0, 10\), got 10/);
    expect(() => fromArrays({ userIds: [0], itemIds: [0] }, { ids: 'dense', numUsers: -1 })).toThrow(/options.numUsers must be a non-negative integer, got -1/);
    expect(() => fromArrays({ userIds: [0], itemIds: [0] }, { ids: 'dense', numItems: '5' as never })).toThrow(TypeError);
  });

  it('rejects unknown option names instead of ignoring a typo', () => {
    const cols = { userIds: [1, 1], itemIds: [9, 9], ratings: [1, 5] };
    expect(() => fromArrays(cols, { duplicate: 'sum' } as never)).toThrow(/^fromArrays: unknown option "duplicate"; the options are "ids", /);
    expect(() => fromArrays({ userIds: [0], itemIds: [0] }, { ids: 'dense', userIdMap: new IdMap() })).toThrow(/cannot be combined with ids: 'dense'/);
  });

  it('applies each duplicate policy (hand-computed)', () => {
    const cols = { userIds: [1, 2, 1, 1], itemIds: [9, 9, 9, 8], ratings: [1, 5, 4, 2], timestamps: [100, 200, 300, 400] };
    const last = fromArrays(cols);
    expect(Array.from(last.ratings!)).toEqual([5, 4, 2]);
    expect(Array.from(last.timestamps!)).toEqual([200, 300, 400]);
    expect(last.report!.duplicatesMerged).toBe(1);
    expect(Array.from(fromArrays(cols, { duplicates: 'mean' }).ratings!)).toEqual([5, 2.5, 2]);
    expect(Array.from(fromArrays(cols, { duplicates: 'sum' }).ratings!)).toEqual([5, 5, 2]);
    expect(() => fromArrays(cols, { duplicates: 'error' })).toThrow(
      /fromArrays: \(user, item\) pairs must be unique with duplicates: 'error', got user 1 and item 9 at rows 0 and 2 \(1 duplicate rows in all\)/,
    );
    expect(() => fromArrays(cols, { duplicates: 'first' as never })).toThrow(/duplicates must be one of 'keep-last', 'mean', 'sum', 'error', got "first"/);
  });

  it("'sum' without ratings counts each pair (implicit feedback)", () => {
    const d = fromArrays({ userIds: ['a', 'a', 'a', 'b'], itemIds: ['x', 'x', 'y', 'x'] }, { duplicates: 'sum' });
    expect(d.length).toBe(3);
    expect(Array.from(d.ratings!)).toEqual([2, 1, 1]);
    expect(fromArrays({ userIds: ['a', 'a'], itemIds: ['x', 'x'] }, { duplicates: 'mean' }).ratings).toBeNull();
  });

  it('rejects invalid rows, or skips and counts them', () => {
    const cols = { userIds: [1, null, 3, 4], itemIds: [1, 2, NaN, 4], ratings: [1, 2, 3, NaN] } as never;
    expect(() => fromArrays(cols)).toThrow(/fromArrays: row 1: user id must be a string, a finite number or a bigint, got null; pass onInvalid: 'skip'/);
    const d = fromArrays(cols, { onInvalid: 'skip' });
    expect(d.length).toBe(1);
    expect(d.report!.rowsSkipped).toBe(3);
    expect(d.report!.skippedExamples.map((s) => s.reason)).toEqual([
      'user id must be a string, a finite number or a bigint, got null',
      'item id must be a string, a finite number or a bigint, got NaN',
      'rating must be a finite number, got NaN',
    ]);
    expect(() => fromArrays({ userIds: [1], itemIds: [1], timestamps: [Infinity] })).toThrow(/timestamp must be a finite number, got Infinity/);
  });

  it('looks ids up in given id maps without changing them', () => {
    const users = IdMap.fromRawIds(['a', 'b'], 'user');
    const d = fromArrays({ userIds: ['b', 'a'], itemIds: [1, 2] }, { userIdMap: users });
    expect(Array.from(d.userIds)).toEqual([1, 0]);
    expect(() => fromArrays({ userIds: ['c'], itemIds: [1] }, { userIdMap: users })).toThrow(/row 0: user id "c" is not in options.userIdMap/);
    expect(users.size).toBe(2);
    const items = IdMap.fromRawIds([1]);
    expect(() => fromArrays({ userIds: ['a'], itemIds: [2] }, { itemIdMap: items })).toThrow(/item id 2 is not in options.itemIdMap/);
    expect(() => fromArrays({ userIds: ['a'], itemIds: [2] }, { itemIdMap: {} as IdMap })).toThrow(/options.itemIdMap must be an IdMap, got object/);
  });

  it('checks the shape of its arguments', () => {
    expect(() => fromArrays(null as never)).toThrow(/fromArrays: columns must be an object, got null/);
    expect(() => fromArrays({ userIds: 5, itemIds: [] } as never)).toThrow(/columns.userIds must be an array or a typed array, got 5/);
    expect(() => fromArrays({ userIds: [1], itemIds: [1, 2] })).toThrow(/itemIds must have length 1 \(as userIds\), got 2/);
    expect(() => fromArrays({ userIds: [1], itemIds: [1] }, { ids: 'sparse' as never })).toThrow(/options.ids must be one of 'raw', 'dense', got "sparse"/);
    expect(() => fromArrays({ userIds: [1], itemIds: [1] }, { onInvalid: 'warn' as never })).toThrow(/options.onInvalid must be one of 'error', 'skip'/);
    expect(() => fromArrays({ userIds: [1], itemIds: [1] }, 3 as never)).toThrow(/fromArrays: options must be an object, got 3/);
  });
});
