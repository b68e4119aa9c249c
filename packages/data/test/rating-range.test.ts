import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { IdMap, Interactions, MAX_ABS_RATING, columnsFromTable, fromArrays, fromTable, readArrow, readParquet, writeArrow, writeParquet } from '../src/index.js';
import { QuiverError } from '@quiver/base';

const tmp = makeTmpDir('ratings');
afterAll(() => tmp.cleanup());

const RULE = /rating must be a finite number with \|rating\| <= 1.84e19 \(larger values overflow float32 or the squared loss\)/;

/** Seven rows; row 6 holds `bad` as its rating. */
function table(bad: number, Ratings: Float32ArrayConstructor | Float64ArrayConstructor): Table {
  return new Table({
    user: makeVector(new Int32Array([1, 2, 3, 4, 5, 6, 7])),
    item: makeVector(new Int32Array([1, 1, 1, 1, 1, 1, 1])),
    rating: makeVector(Ratings.from([1, 2, 3, 4, 5, 1, bad])),
  });
}

describe('MAX_ABS_RATING', () => {
  it('is the largest float32 whose float32 square is finite (Math.sqrt of the float32 maximum, rounded down)', () => {
    expect(MAX_ABS_RATING).toBe(2 ** 64 - 2 ** 40);
    expect(MAX_ABS_RATING).toBeLessThanOrEqual(Math.sqrt(3.4028234663852886e38));
    expect(Math.fround(MAX_ABS_RATING)).toBe(MAX_ABS_RATING);
    expect(Number.isFinite(Math.fround(MAX_ABS_RATING * MAX_ABS_RATING))).toBe(true);
    const next = new Float32Array([MAX_ABS_RATING]);
    new Uint32Array(next.buffer)[0]++;
    expect(Math.fround(next[0] * next[0])).toBe(Infinity);
    expect(MAX_ABS_RATING).toBeCloseTo(1.8446744e19, -13);
  });
});

describe('every reader refuses ratings beyond MAX_ABS_RATING (checked before float32)', () => {
  it('fromArrays: 1e39 (Infinity as float32), 3e38 (finite as float32, its square is not), 1e30, Infinity', () => {
    for (const bad of [1e39, 3e38, 1e30, -1e20, Infinity]) {
      expect(() => fromArrays({ userIds: [1, 2], itemIds: [1, 1], ratings: [4, bad] })).toThrow(
        new RegExp(`^fromArrays: row 1: ${RULE.source}, got ${String(bad).replace('+', '\\+')}; pass onInvalid: 'skip' to drop such rows$`),
      );
    }
    const d = fromArrays({ userIds: [1, 2, 3], itemIds: [1, 1, 1], ratings: new Float64Array([4, 3.5e38, MAX_ABS_RATING]) }, { onInvalid: 'skip' });
    expect(Array.from(d.ratings!)).toEqual([4, MAX_ABS_RATING]);
    expect(d.report).toMatchObject({ rowsRead: 3, rowsSkipped: 1 });
    expect(d.report!.skippedExamples[0]).toMatchObject({ line: 1, text: '2, 1' });
    expect(d.report!.skippedExamples[0].reason).toMatch(RULE);
  });

  it('fromTable and readArrow (Float64 and Float32 columns), naming the file and the row', async () => {
    expect(() => fromTable(table(1e39, Float64Array))).toThrow(new RegExp(`^fromTable: row 6: ${RULE.source}, got 1e\\+39; pass onInvalid: 'skip'`));
    const p = tmp.write('x.arrow', tableToIPC(table(3.5e38, Float64Array), 'file'));
    const err = await readArrow(p).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`^readArrow: ${p.replace(/[.\\/]/g, '\\$&')}: row 6: ${RULE.source}, got 3.5e\\+38; pass onInvalid: 'skip' to drop such rows$`));
    expect(err).toBeInstanceOf(RangeError);
    expect(err).toBeInstanceOf(QuiverError);
    const f32 = tmp.write('f32.arrow', tableToIPC(table(3e38, Float32Array), 'stream'));
    await expect(readArrow(f32)).rejects.toThrow(/f32.arrow: row 6: rating must be a finite number with/);
    const skipped = await readArrow(f32, { onInvalid: 'skip' });
    expect(skipped.length).toBe(6);
    expect(skipped.report).toMatchObject({ rowsRead: 7, rowsSkipped: 1 });
    expect(skipped.report!.skippedExamples[0].line).toBe(6);
  });

  it('readParquet', async () => {
    const p = tmp.write('x.parquet', '');
    await writeParquet(table(1e30, Float64Array), p);
    await expect(readParquet(p)).rejects.toThrow(new RegExp(`^readParquet: .*x.parquet: row 6: ${RULE.source}, got 1e\\+30`));
    expect((await readParquet(p, { onInvalid: 'skip' })).report!.rowsSkipped).toBe(1);
  });

  it('a Quiver-written file (read without copying its columns) is checked too: ratings and timestamps', async () => {
    const users = IdMap.fromRawIds(['a', 'b', 'c'], 'user');
    const items = IdMap.fromRawIds([10], 'item');
    const base = { userIds: new Int32Array([0, 1, 2]), itemIds: new Int32Array([0, 0, 0]), userIdMap: users, itemIdMap: items };
    const bad = new Interactions({ ...base, ratings: new Float32Array([1, 3e38, 2]), timestamps: new Float64Array([1, 2, 3]) });
    const p = tmp.write('quiver.arrow', '');
    await writeArrow(bad, p);
    await expect(readArrow(p)).rejects.toThrow(new RegExp(`^readArrow: .*quiver.arrow: row 1: ${RULE.source}, got 3\\.\\d+e\\+38; pass onInvalid: 'skip' to drop such rows$`));
    const d = await readArrow(p, { onInvalid: 'skip' });
    expect(Array.from(d.ratings!)).toEqual([1, 2]);
    expect(d.userIdMap.rawIds()).toEqual(['a', 'b', 'c']);
    expect(Array.from(d.userIds)).toEqual([0, 2]);
    expect(d.report).toMatchObject({ rowsRead: 3, rowsSkipped: 1, duplicatesMerged: 0 });
    expect(d.report!.skippedExamples[0]).toMatchObject({ line: 1, text: '"b", 10' });
    const q = tmp.write('quiver-ts.parquet', '');
    await writeParquet(new Interactions({ ...base, ratings: new Float32Array([1, 2, 3]), timestamps: new Float64Array([1, Infinity, 3]) }), q);
    await expect(readParquet(q)).rejects.toThrow(/quiver-ts.parquet: row 1: timestamp must be a finite number, got Infinity/);
    expect((await readParquet(q, { onInvalid: 'skip' })).length).toBe(2);
  });

  it('columnsFromTable: the zero-copy Float32 view and the converted Float64 column', () => {
    expect(() => columnsFromTable(table(3e38, Float32Array), { user: 'user', item: 'item', rating: 'rating' })).toThrow(
      new RegExp(`^columnsFromTable: column "rating"\\[6\\] must be a finite number with \\|rating\\| <= 1.84e19 .*, got 3\\.\\d+e\\+38$`),
    );
    // 1e39 would be Infinity after the conversion; the message shows the value in the file.
    expect(() => columnsFromTable(table(1e39, Float64Array), { user: 'user', item: 'item', rating: 'rating' }, { convert: true })).toThrow(/column "rating"\[6\] must be a finite number with .*got 1e\+39$/);
    expect(() => columnsFromTable(table(NaN, Float32Array), { user: 'user', item: 'item', rating: 'rating' })).toThrow(RangeError);
    expect(columnsFromTable(table(-MAX_ABS_RATING, Float32Array), { user: 'user', item: 'item', rating: 'rating' }).ratings![6]).toBe(-MAX_ABS_RATING);
  });

  it("duplicates: 'sum' cannot build a rating beyond the limit", () => {
    const cols = { userIds: [1, 1], itemIds: [2, 2], ratings: [1e19, 1e19] };
    expect(() => fromArrays(cols, { duplicates: 'sum' })).toThrow(/^fromArrays: the sum of the 2 ratings of user 1 and item 2 must be a finite number with \|rating\| <= 1.84e19 .*got 1999\d{16}; pass duplicates: 'keep-last' or 'mean'$/);
    expect(fromArrays(cols, { duplicates: 'mean' }).ratings![0]).toBe(Math.fround(1e19));
  });
});
