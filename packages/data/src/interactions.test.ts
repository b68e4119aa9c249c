import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fromArrays } from './from-arrays.js';
import { IdMap } from './id-map.js';
import { Interactions } from './interactions.js';

function small() {
  // users a,b,c ; items x,y,z
  return fromArrays({
    userIds: ['a', 'a', 'b', 'c', 'b', 'a'],
    itemIds: ['z', 'x', 'x', 'y', 'y', 'y'],
    ratings: [1, 2, 3, 4, 5, 6],
    timestamps: [10, 20, 30, 40, 50, 60],
  });
}

describe('Interactions', () => {
  it('exposes typed-array columns, counts and density', () => {
    const d = small();
    expect(d.length).toBe(6);
    expect(d.numInteractions).toBe(6);
    expect(d.numUsers).toBe(3);
    expect(d.numItems).toBe(3);
    expect(Array.from(d.userIds)).toEqual([0, 0, 1, 2, 1, 0]);
    expect(Array.from(d.itemIds)).toEqual([0, 1, 1, 2, 2, 2]);
    expect(d.ratings).toBeInstanceOf(Float32Array);
    expect(d.timestamps).toBeInstanceOf(Float64Array);
    expect(d.density).toBeCloseTo(6 / 9);
  });

  it('wraps its columns in an Arrow table without copying', () => {
    const d = small();
    const t = d.table;
    expect(t.numRows).toBe(6);
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['user:Int32', 'item:Int32', 'rating:Float32', 'timestamp:Float64']);
    const col = t.getChild('user')!.data[0].values as Int32Array;
    expect(col.buffer).toBe(d.userIds.buffer);
  });

  it('builds CSR and CSC with sorted indices (checked against a hand-made matrix)', () => {
    const d = small();
    // user 0 (a): z(0)=1, x(1)=2, y(2)=6 ; user 1 (b): x(1)=3, y(2)=5 ; user 2 (c): y(2)=4
    const csr = d.toCsr();
    expect(Array.from(csr.indptr)).toEqual([0, 3, 5, 6]);
    expect(Array.from(csr.indices)).toEqual([0, 1, 2, 1, 2, 2]);
    expect(Array.from(csr.values!)).toEqual([1, 2, 6, 3, 5, 4]);
    expect(csr.numRows).toBe(3);
    expect(csr.numCols).toBe(3);
    const csc = d.toCsc();
    expect(Array.from(csc.indptr)).toEqual([0, 1, 3, 6]);
    expect(Array.from(csc.indices)).toEqual([0, 0, 1, 0, 1, 2]);
    expect(Array.from(csc.values!)).toEqual([1, 2, 3, 6, 5, 4]);
    expect(d.toCsr()).toBe(csr);
  });

  it('reports degrees and degree statistics', () => {
    const d = small();
    expect(Array.from(d.userDegrees())).toEqual([3, 2, 1]);
    expect(Array.from(d.itemDegrees())).toEqual([1, 2, 3]);
    const s = d.degreeStats();
    expect(s.users).toEqual({ min: 1, max: 3, mean: 2, median: 2, numZero: 0 });
    const sub = d.subset(new Int32Array([0]));
    expect(sub.degreeStats().users).toEqual({ min: 0, max: 1, mean: 1 / 3, median: 0, numZero: 2 });
  });

  it('subset copies the rows and keeps the id maps', () => {
    const d = small();
    const s = d.subset(new Int32Array([5, 2]));
    expect(s.numUsers).toBe(3);
    expect(s.userIdMap).toBe(d.userIdMap);
    expect(Array.from(s.userIds)).toEqual([0, 1]);
    expect(Array.from(s.ratings!)).toEqual([6, 3]);
    expect(Array.from(s.timestamps!)).toEqual([60, 30]);
    expect(() => d.subset(new Int32Array([6]))).toThrow(/Interactions.subset: rows\[0\] must be in \[0, 6\), got 6/);
    expect(() => d.subset([0] as unknown as Int32Array)).toThrow(/rows must be an Int32Array, got Array\(1\)/);
  });

  it('prints a short summary', () => {
    expect(inspect(small())).toBe('Interactions { 6 interactions, 3 users × 3 items, density 66.7%, ratings 1..6 (mean 3.50), timestamps }');
    const implicit = fromArrays({ userIds: [1], itemIds: [2] });
    expect(inspect(implicit)).toBe('Interactions { 1 interactions, 1 users × 1 items, density 100%, implicit }');
  });

  it('the constructor checks kinds, lengths and index ranges', () => {
    const maps = { userIdMap: IdMap.identity(2), itemIdMap: IdMap.identity(2) };
    const ok = new Interactions({ userIds: new Int32Array([0, 1]), itemIds: new Int32Array([1, 1]), ...maps });
    expect(ok.numUsers).toBe(2);
    expect(() => new Interactions({ userIds: [0] as unknown as Int32Array, itemIds: new Int32Array(1), ...maps })).toThrow(/Interactions: userIds must be an Int32Array, got Array\(1\)/);
    expect(() => new Interactions({ userIds: new Int32Array(2), itemIds: new Int32Array(1), ...maps })).toThrow(/itemIds must have length 2 \(as userIds\), got 1/);
    expect(() => new Interactions({ userIds: new Int32Array([2]), itemIds: new Int32Array(1), ...maps })).toThrow(/userIds\[0\] must be in \[0, 2\), got 2/);
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), ratings: new Float64Array(1) as never, ...maps })).toThrow(
      /ratings must be a Float32Array or null, got Float64Array\(1\)/,
    );
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), timestamps: new Float32Array(1) as never, ...maps })).toThrow(
      /timestamps must be a Float64Array or null/,
    );
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), ratings: new Float32Array(2), ...maps })).toThrow(/ratings must have length 1/);
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), timestamps: new Float64Array(2), ...maps })).toThrow(/timestamps must have length 1/);
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), userIdMap: {} as IdMap, itemIdMap: maps.itemIdMap })).toThrow(/userIdMap must be an IdMap/);
    expect(() => new Interactions({ userIds: new Int32Array(1), itemIds: new Int32Array(1), userIdMap: maps.userIdMap, itemIdMap: {} as IdMap })).toThrow(/itemIdMap must be an IdMap/);
    expect(() => new Interactions(null as never)).toThrow(/Interactions: init must be an object, got null/);
  });
});
