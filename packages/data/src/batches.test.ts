import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';

function cols(n: number) {
  const userIds = new Int32Array(n);
  const itemIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    userIds[k] = k;
    itemIds[k] = 100 + k;
    ratings[k] = k / 2;
  }
  return { userIds, itemIds, ratings };
}

describe('batches', () => {
  it('without shuffle yields zero-copy views in order, with a short last batch', () => {
    const c = cols(10);
    const it = batches(c, { batchSize: 4, shuffle: false });
    expect(it.numBatches).toBe(3);
    const got = [...it].map((b) => ({ size: b.size, users: Array.from(b.userIds), rows: Array.from(b.rows) }));
    expect(got).toEqual([
      { size: 4, users: [0, 1, 2, 3], rows: [0, 1, 2, 3] },
      { size: 4, users: [4, 5, 6, 7], rows: [4, 5, 6, 7] },
      { size: 2, users: [8, 9], rows: [8, 9] },
    ]);
    const first = batches(c, { batchSize: 4, shuffle: false })[Symbol.iterator]().next().value!;
    expect(first.userIds.buffer).toBe(c.userIds.buffer);
  });

  it('dropLast drops the short batch', () => {
    const it = batches(cols(10), { batchSize: 4, dropLast: true });
    expect(it.numBatches).toBe(2);
    expect([...it].map((b) => b.size)).toEqual([4, 4]);
  });

  it('shuffled epochs cover every row once, gather the right values and differ across epochs', () => {
    const c = cols(23);
    const it = batches(c, { batchSize: 5, seed: 9 });
    const epochs: number[][] = [];
    for (let e = 0; e < 3; e++) {
      const seen: number[] = [];
      for (const b of it) {
        expect(b.epoch).toBe(e);
        for (let k = 0; k < b.size; k++) {
          const row = b.rows[k];
          expect(b.userIds[k]).toBe(c.userIds[row]);
          expect(b.itemIds[k]).toBe(c.itemIds[row]);
          expect(b.ratings![k]).toBe(c.ratings[row]);
          seen.push(row);
        }
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, k) => k));
      epochs.push(seen);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(it.nextEpoch).toBe(3);
  });

  it('is deterministic for a seed and epoch', () => {
    const c = cols(50);
    const order = (seed: number, epoch: number) => [...batches(c, { batchSize: 7, seed }).epoch(epoch)].flatMap((b) => Array.from(b.rows));
    expect(order(1, 2)).toEqual(order(1, 2));
    expect(order(1, 2)).not.toEqual(order(2, 2));
    const it = batches(c, { batchSize: 7, seed: 1 });
    [...it];
    [...it];
    expect([...it].flatMap((b) => Array.from(b.rows))).toEqual(order(1, 2));
  });

  it('works without ratings and on an empty source', () => {
    const c = cols(3);
    const b = [...batches({ userIds: c.userIds, itemIds: c.itemIds }, { batchSize: 2 })];
    expect(b[0].ratings).toBeNull();
    expect([...batches({ userIds: new Int32Array(0), itemIds: new Int32Array(0) })]).toEqual([]);
  });

  it('checks its arguments', () => {
    const c = cols(3);
    expect(() => batches(null as never)).toThrow(/batches: source must be an Interactions dataset or \{ userIds, itemIds, ratings\? \}, got null/);
    expect(() => batches({ userIds: [1] as never, itemIds: c.itemIds })).toThrow(/batches: source.userIds must be an Int32Array, got Array\(1\)/);
    expect(() => batches({ userIds: c.userIds, itemIds: new Float32Array(3) as never })).toThrow(/source.itemIds must be an Int32Array/);
    expect(() => batches({ ...c, ratings: new Float64Array(3) as never })).toThrow(/source.ratings must be a Float32Array or null/);
    expect(() => batches({ userIds: c.userIds, itemIds: new Int32Array(2) })).toThrow(/source.itemIds must have length 3 \(as userIds\), got 2/);
    expect(() => batches({ ...c, ratings: new Float32Array(2) })).toThrow(/source.ratings must have length 3/);
    expect(() => batches(c, { batchSize: 0 })).toThrow(/batches: options.batchSize must be a positive integer, got 0/);
    expect(() => batches(c, { shuffle: 1 as never })).toThrow(/options.shuffle must be a boolean, got 1/);
    expect(() => batches(c, { seed: Infinity })).toThrow(/options.seed must be a finite number or a string, got Infinity/);
    expect(() => batches(c, { seed: null as never })).toThrow(/batches: options.seed must be a finite number or a string, got null/);
  });
});
