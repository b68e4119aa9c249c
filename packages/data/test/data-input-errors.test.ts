import { Table, makeVector, tableFromArrays } from 'apache-arrow';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTmpDir } from './tmp-dir.js';
import { columnsFromTable, fromArrays, fromTable, leaveLastOut, loadInteractions, loadMovieLens, parseCsv, readArrow, readCsv, writeArrow } from '../src/index.js';
import { QuiverError } from '@quiver/base';

const tmp = makeTmpDir('hints');
afterAll(() => tmp.cleanup());

/** The error `f` throws (sync or async). */
async function caught(f: () => unknown): Promise<QuiverError> {
  try {
    await f();
  } catch (err) {
    expect(err).toBeInstanceOf(QuiverError);
    return err as QuiverError;
  }
  throw new Error('expected an error');
}

/** message = where + ': ' + what + the hint text, and the hint has the given option and value. */
function expectParts(e: QuiverError, where: string, what: string | RegExp, option: string | null, value?: string) {
  expect(e.where).toBe(where);
  if (typeof what === 'string') expect(e.what).toBe(what);
  else expect(e.what).toMatch(what);
  expect(e.message.startsWith(`${where}: ${e.what}`)).toBe(true);
  expect(e.hint).toEqual(option === null ? null : { option, value });
  expect(e.what).not.toMatch(/pass /); // no library option advice left in `what`
}

describe('errors that advise an option are QuiverErrors with where / what / hint (messages unchanged)', () => {
  it("onInvalid: a malformed line (readCsv), an invalid row (fromArrays, readArrow)", async () => {
    const p = tmp.write('bad.csv', 'userId,movieId,rating\n1,2,4\n1,3\n');
    const e = await caught(() => readCsv(p));
    expect(e.message).toBe(`readCsv: ${p}:3: expected at least 3 fields separated by ",", got 2 in line "1,3"; pass onInvalid: 'skip' to drop invalid lines`);
    expectParts(e, 'readCsv', `${p}:3: expected at least 3 fields separated by ",", got 2 in line "1,3"`, 'onInvalid', 'skip');
    expect(e.kind).toBe('Error');
    const f = await caught(() => fromArrays({ userIds: [1, null], itemIds: [1, 2] } as never));
    expect(f.message).toBe(`fromArrays: row 1: user id must be a string, a finite number or a bigint, got null; pass onInvalid: 'skip' to drop such rows`);
    expectParts(f, 'fromArrays', 'row 1: user id must be a string, a finite number or a bigint, got null', 'onInvalid', 'skip');
    expect(f).toBeInstanceOf(RangeError);
    const a = tmp.write('nan.arrow', '');
    await writeArrow(tableFromArrays({ user: new Int32Array([1]), item: new Int32Array([1]), rating: new Float32Array([NaN]) }), a);
    expectParts(await caught(() => readArrow(a)), 'readArrow', `${a}: row 0: rating must be a finite number, got NaN`, 'onInvalid', 'skip');
  });

  it('idType: an id that is not an integer in an integer column (names idType, then onInvalid)', async () => {
    const e = await caught(() => parseCsv('user,item\n1,2\n1.5,3\n', { idType: 'number' }));
    expect(e.message).toBe(`parseCsv: <text>:3: user id must be an integer (the column was read as integer ids), got "1.5" in line "1.5,3"; pass idType: 'string' to read ids as text, or onInvalid: 'skip' to drop invalid lines`);
    expectParts(e, 'parseCsv', '<text>:3: user id must be an integer (the column was read as integer ids), got "1.5" in line "1.5,3"', 'idType', 'string');
  });

  it('columns: no recognisable user/item column (CSV header, Arrow table)', async () => {
    const e = await caught(() => parseCsv('alpha,item,gamma\nx,y,z\n', { header: true }));
    expect(e.message).toBe(`parseCsv: <text> has a header ("alpha", "item", "gamma") with no recognisable user column; pass columns: { user: '<name>' }`);
    expectParts(e, 'parseCsv', '<text> has a header ("alpha", "item", "gamma") with no recognisable user column', 'columns', "{ user: '<name>' }");
    const t = await caught(() => fromTable(tableFromArrays({ user: new Int32Array([1]), b: new Int32Array([2]) })));
    expect(t.message).toBe(`fromTable: table must have a item column (named like item, itemid, iid), got columns "user", "b"; pass columns: { item: '<name>' }`);
    expectParts(t, 'fromTable', /^table must have a item column/, 'columns', "{ item: '<name>' }");
  });

  it('delimiter: a wrong one (with the one the line holds), or none detected', async () => {
    const e = await caught(() => parseCsv('1;2;3\n', { delimiter: ',' }));
    expect(e.message).toBe(`parseCsv: <text>:1: line must contain the delimiter ",", got "1;2;3"; it contains ";": pass delimiter: ";"`);
    expectParts(e, 'parseCsv', '<text>:1: line must contain the delimiter ",", got "1;2;3"; it contains ";"', 'delimiter', ';');
    const n = await caught(() => parseCsv('12345\n'));
    expect(n.message).toMatch(/^parseCsv: <text>:1: could not detect the delimiter \(tried "::", .*\) in "12345"; pass options.delimiter$/);
    expectParts(n, 'parseCsv', /could not detect the delimiter/, 'delimiter', '<delimiter>');
  });

  it('header: a column named in a file without a header', async () => {
    const e = await caught(() => parseCsv('1,2\n', { columns: { user: 'userId' } }));
    expect(e.message).toBe('parseCsv: columns.user is the name "userId" but <text> has no header row; pass a field index or header: true');
    expectParts(e, 'parseCsv', 'columns.user is the name "userId" but <text> has no header row', 'header', 'true');
  });

  it("duplicates: a repeated pair with duplicates: 'error'", async () => {
    const e = await caught(() => fromArrays({ userIds: [1, 1], itemIds: [9, 9] }, { duplicates: 'error' }));
    expect(e.message).toBe(`fromArrays: (user, item) pairs must be unique with duplicates: 'error', got user 1 and item 9 at rows 0 and 1 (1 duplicate rows in all); pass duplicates: 'keep-last', 'mean' or 'sum'`);
    expectParts(e, 'fromArrays', /^\(user, item\) pairs must be unique/, 'duplicates', 'keep-last|mean|sum');
  });

  it('maxLineBytes and maxBytes (a RangeError, as before)', async () => {
    const e = await caught(() => parseCsv(`1,${'2'.repeat(100)}\n3,4\n`, { maxLineBytes: 64 }));
    expectParts(e, 'parseCsv', '<text>:1: line is longer than maxLineBytes (64 bytes)', 'maxLineBytes', '<bytes>');
    const p = tmp.write('big.csv', '1,2\n3,4\n');
    const b = await caught(() => readCsv(p, { maxBytes: 4 }));
    expect(b.message).toBe(`readCsv: ${p} is 8 bytes, over the memory budget options.maxBytes = 4; raise maxBytes, or split the file`);
    expectParts(b, 'readCsv', `${p} is 8 bytes, over the memory budget options.maxBytes = 4`, 'maxBytes', '8');
    expect(b).toBeInstanceOf(RangeError);
    expect(b.kind).toBe('RangeError');
    // readParquet keeps the error as it is (it used to re-wrap it in a plain Error).
    const q = await caught(() => loadInteractions(tmp.write('big.parquet', 'PAR1xxxxxxxxPAR1'), { maxBytes: 4 }));
    expect(q).toBeInstanceOf(RangeError);
    expect(q.where).toBe('readParquet');
  });

  it('format: a file loadInteractions cannot identify', async () => {
    const e = await caught(() => loadInteractions(tmp.write('x.unknown', new Uint8Array([1, 2, 3, 4, 0, 0, 0, 9]))));
    expectParts(e, 'loadInteractions', /could not be detected/, 'format', 'csv|tsv|dat|text|arrow|parquet');
  });

  it('convert: an Int64 / Float64 column in columnsFromTable (a TypeError, as before)', () => {
    const t = new Table({ user: makeVector(new BigInt64Array([0n])), item: makeVector(new Int32Array([0])), rating: makeVector(new Float64Array([1])) });
    let e: QuiverError | null = null;
    try {
      columnsFromTable(t, { user: 'user', item: 'item' });
    } catch (err) {
      e = err as QuiverError;
    }
    expect(e).toBeInstanceOf(TypeError);
    expect(e).toBeInstanceOf(QuiverError);
    expect(e!.message).toBe('columnsFromTable: column "user" must be Int32, got Int64; cast it to Int32 or pass { convert: true } to copy-convert');
    expectParts(e!, 'columnsFromTable', 'column "user" must be Int32, got Int64', 'convert', 'true');
    expect(() => columnsFromTable(t, { user: 'item', item: 'item', rating: 'rating' })).toThrow(QuiverError);
  });

  it("order: leaveLastOut on data without timestamps; dir: a MovieLens folder that is missing", async () => {
    const d = fromArrays({ userIds: [1, 1], itemIds: [1, 2] });
    const e = await caught(() => leaveLastOut(d));
    expect(e.message).toBe("leaveLastOut: data must have timestamps for order 'timestamp', got none; pass order: 'row' to hold out the last rows in input order");
    expectParts(e, 'leaveLastOut', "data must have timestamps for order 'timestamp', got none", 'order', 'row');
    const m = await caught(() => loadMovieLens('ml-1m', join(tmp.dir, 'nothing')));
    expect(m.message).toMatch(/^loadMovieLens: ml-1m must be downloaded first: .*nothing\/ratings.dat does not exist; run `npm run dataset -w @quiver\/data -- ml-1m` \(or pass the folder of an unzipped copy as dir\)$/);
    expect(m.hint).toEqual({ option: 'dir', value: '<folder>' });
    expect(m.what).toMatch(/^ml-1m must be downloaded first: .*ratings.dat does not exist$/);
  });
});
