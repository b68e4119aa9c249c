import { describe, expect, it } from 'vitest';
import { IdMap } from './id-map.js';

describe('IdMap', () => {
  it('maps raw ids to dense indices in first-seen order and back', () => {
    const m = IdMap.fromRawIds(['b', 'a', 'b', 'c'], 'user');
    expect(m.size).toBe(3);
    expect(m.toIndex('b')).toBe(0);
    expect(m.toIndex('a')).toBe(1);
    expect(m.toIndex('c')).toBe(2);
    expect(m.toRaw(1)).toBe('a');
    expect(m.rawIds()).toEqual(['b', 'a', 'c']);
  });

  it('keeps numbers, strings and bigints apart and looks up small and large integers', () => {
    const m = IdMap.fromRawIds([7, '7', 7n, 5_000_000_000, -3, 0.5, 1 << 20]);
    expect(m.size).toBe(7);
    expect(m.get(7)).toBe(0);
    expect(m.get('7')).toBe(1);
    expect(m.get(7n)).toBe(2);
    expect(m.get(5_000_000_000)).toBe(3);
    expect(m.get(-3)).toBe(4);
    expect(m.get(0.5)).toBe(5);
    expect(m.get(1 << 20)).toBe(6);
    expect(m.get(8)).toBe(-1);
    expect(m.has('8')).toBe(false);
    expect(m.has(7)).toBe(true);
  });

  it('throws a clear error on unknown ids, with a hint on a number/string mix-up', () => {
    const m = IdMap.fromRawIds([1, 2, 3], 'user');
    expect(() => m.toIndex(4)).toThrow(/IdMap.toIndex: user id must be one of the 3 known user ids, got unknown id 4$/);
    expect(() => m.toIndex(4)).toThrow(expect.objectContaining({ where: 'IdMap.toIndex', got: 'unknown id 4' }));
    expect(() => m.toIndex('2')).toThrow(/got unknown id "2"; the map holds the number 2: pass a number, not a string/);
    const s = IdMap.fromRawIds(['10'], 'item');
    expect(() => s.toIndex(10)).toThrow(/the map holds the string "10": pass a string/);
    expect(() => m.toIndex(2n)).toThrow(/the map holds the number 2: pass a number, not a bigint/);
    expect(() => m.toIndex(4)).toThrow(RangeError);
  });

  it('toRaw rejects indices out of range', () => {
    const m = IdMap.fromRawIds(['x']);
    expect(() => m.toRaw(1)).toThrow(/IdMap.toRaw: index must be an integer in \[0, 1\) for id ids, got 1/);
    expect(() => m.toRaw(-1)).toThrow(RangeError);
    expect(() => m.toRaw(0.5)).toThrow(/got 0.5/);
  });

  it('rejects ids that are not strings, finite numbers or bigints', () => {
    expect(() => IdMap.fromRawIds([NaN])).toThrow(/IdMap: id id must be a string, a finite number or a bigint, got NaN/);
    expect(() => IdMap.fromRawIds([{} as unknown as string])).toThrow(TypeError);
  });

  it('toIndices maps in bulk, with -1 for unknown ids on request', () => {
    const m = IdMap.fromRawIds([10, 20, 30]);
    expect(Array.from(m.toIndices([30, 10]))).toEqual([2, 0]);
    expect(Array.from(m.toIndices([30, 99], undefined, -1))).toEqual([2, -1]);
    expect(() => m.toIndices([99])).toThrow(/IdMap.toIndices: id id must be one of the 3 known/);
    expect(() => m.toIndices([1, 2], new Int32Array(1))).toThrow(/out must have length >= 2, got 1/);
  });

  it('round-trips through JSON for every kind of id', () => {
    const cases = [
      IdMap.fromRawIds([3, 1, 2], 'user'),
      IdMap.fromRawIds(['a', 'b'], 'item'),
      IdMap.fromRawIds([12345678901234567890n, 5n]),
      IdMap.fromRawIds([1, '1', 2n]),
      IdMap.identity(4, 'user'),
    ];
    for (const m of cases) {
      const text = JSON.stringify(m);
      const back = IdMap.fromJSON(text);
      expect(back.size).toBe(m.size);
      expect(back.rawIds()).toEqual(m.rawIds());
      expect(back.name).toBe(m.name);
      for (const raw of m.rawIds()) expect(back.toIndex(raw)).toBe(m.toIndex(raw));
    }
    expect(JSON.parse(JSON.stringify(cases[2])).ids).toEqual(['12345678901234567890', '5']);
    expect(JSON.parse(JSON.stringify(cases[3])).ids).toEqual([1, '1', { bigint: '2' }]);
  });

  it('fromJSON rejects other objects and inconsistent sizes', () => {
    expect(() => IdMap.fromJSON({ foo: 1 } as never)).toThrow(/IdMap.fromJSON: json must be an object from IdMap.toJSON\(\)/);
    const bad = { ...IdMap.fromRawIds([1, 2]).toJSON(), size: 3 };
    expect(() => IdMap.fromJSON(bad)).toThrow(/size must match the number of distinct ids \(2\), got 3/);
    // A repeated id would give two indices for one raw id (toRaw(0) = 'a' but toIndex('a') = 1).
    const repeated = { ...IdMap.fromRawIds(['a', 'b']).toJSON(), ids: ['a', 'a'] };
    expect(() => IdMap.fromJSON(repeated)).toThrow(/IdMap.fromJSON: ids must be distinct, got "a" again at position 1/);
  });

  it('identity maps are dense 0..n-1 and grow only at the end', () => {
    const m = IdMap.identity(3);
    expect(m.isIdentity).toBe(true);
    expect(m.toIndex(2)).toBe(2);
    expect(m.get(3)).toBe(-1);
    expect(m.get('1')).toBe(-1);
    expect(m.getOrAdd(3)).toBe(3);
    expect(m.isIdentity).toBe(true);
    expect(m.getOrAdd('x')).toBe(4);
    expect(m.isIdentity).toBe(false);
    expect(m.toIndex(1)).toBe(1);
    expect(m.toRaw(4)).toBe('x');
    expect(() => IdMap.identity(-1)).toThrow(/IdMap.identity: size must be a non-negative integer, got -1/);
  });

  it('prints a short summary', () => {
    const m = IdMap.fromRawIds(['a', 'b', 'c', 'd'], 'user');
    const inspect = (m as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')];
    expect(inspect.call(m)).toBe('IdMap(user) { 4 ids: "a", "b", "c", ... }');
  });
});
