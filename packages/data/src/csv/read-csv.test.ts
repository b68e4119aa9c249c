import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdMap } from '../id-map.js';
import { parseCsv, readCsv } from './read-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-data-csv-'));
const tmp = {
  write: (name: string, content: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  },
  cleanup: () => rmSync(dir, { recursive: true, force: true }),
};
afterAll(() => tmp.cleanup());

const raw = (d: { userIds: Int32Array; userIdMap: IdMap }) => Array.from(d.userIds, (u) => d.userIdMap.toRaw(u));
const rawItems = (d: { itemIds: Int32Array; itemIdMap: IdMap }) => Array.from(d.itemIds, (i) => d.itemIdMap.toRaw(i));

describe('readCsv', () => {
  it('reads a headered CSV with named columns in any order', async () => {
    const p = tmp.write('a.csv', 'timestamp,rating,movieId,userId\n100,4.5,10,1\n200,3,20,1\n300,5,10,2\n');
    const d = await readCsv(p);
    expect(raw(d)).toEqual([1, 1, 2]);
    expect(rawItems(d)).toEqual([10, 20, 10]);
    expect(Array.from(d.ratings!)).toEqual([4.5, 3, 5]);
    expect(Array.from(d.timestamps!)).toEqual([100, 200, 300]);
    expect(d.report).toMatchObject({ source: p, rowsRead: 3, rowsSkipped: 0 });
  });

  it('reads headerless TSV, MovieLens :: and pipe files positionally', async () => {
    const tsv = await readCsv(tmp.write('u.data', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n'));
    expect(raw(tsv)).toEqual([196, 186]);
    expect(Array.from(tsv.timestamps!)).toEqual([881250949, 891717742]);
    const dat = await readCsv(tmp.write('r.dat', '1::1193::5::978300760\n1::661::3::978302109\n'));
    expect(rawItems(dat)).toEqual([1193, 661]);
    expect(Array.from(dat.ratings!)).toEqual([5, 3]);
    const two = await readCsv(tmp.write('two.txt', 'a|x\nb|y\n'));
    expect(raw(two)).toEqual(['a', 'b']);
    expect(two.ratings).toBeNull();
    expect(two.timestamps).toBeNull();
  });

  it('detects a header by column names or by text above numbers', async () => {
    const byType = await readCsv(tmp.write('h.csv', 'who,what,how\n1,2,3\n'));
    expect(byType.length).toBe(1);
    const none = await readCsv(tmp.write('n.csv', '1,2,3\n4,5,6\n'));
    expect(none.length).toBe(2);
    const forced = await readCsv(tmp.write('f.csv', '1,2,3\n4,5,6\n'), { header: true });
    expect(forced.length).toBe(1);
  });

  it('maps columns by name or index and ignores rating/timestamp on request', async () => {
    const p = tmp.write('m.csv', 'u,i,score,when,extra\nx,y,2,7,zz\n');
    const d = await readCsv(p, { columns: { user: 'u', item: 1, rating: 'score', timestamp: null } });
    expect(raw(d)).toEqual(['x']);
    expect(Array.from(d.ratings!)).toEqual([2]);
    expect(d.timestamps).toBeNull();
    const noRating = await readCsv(p, { columns: { user: 0, item: 1, rating: null } });
    expect(noRating.ratings).toBeNull();
  });

  it('handles CRLF, BOM, blank lines, quotes and a missing final newline', async () => {
    const text = '\ufeffuserId,movieId,rating\r\n"1",2,4\r\n\r\n"a ""b""",3,"5"\r\n7,8,1';
    const d = await readCsv(tmp.write('crlf.csv', text));
    expect(raw(d)).toEqual(['1', 'a "b"', '7']);
    expect(Array.from(d.ratings!)).toEqual([4, 5, 1]);
  });

  it('parses identically with tiny chunks (lines and :: split across reads)', async () => {
    const lines: string[] = [];
    for (let k = 0; k < 300; k++) lines.push(`${k % 17}::${(k * 7) % 23}::${(k % 5) + 0.5}::${1000 + k}`);
    const p = tmp.write('chunks.dat', lines.join('\n') + '\n');
    const big = await readCsv(p);
    for (const chunkSize of [16, 17, 31, 64]) {
      const d = await readCsv(p, { chunkSize });
      expect(Array.from(d.userIds)).toEqual(Array.from(big.userIds));
      expect(Array.from(d.itemIds)).toEqual(Array.from(big.itemIds));
      expect(Array.from(d.ratings!)).toEqual(Array.from(big.ratings!));
      expect(Array.from(d.timestamps!)).toEqual(Array.from(big.timestamps!));
    }
    // against a reference parse with String.split
    const refRatings = lines.map((l) => Number(l.split('::')[2]));
    const refUsers = lines.map((l) => Number(l.split('::')[0]));
    const kept = big.report!.duplicatesMerged;
    expect(kept).toBeGreaterThanOrEqual(0);
    const byPair = new Map<string, number>();
    lines.forEach((l, k) => byPair.set(`${refUsers[k]}|${l.split('::')[1]}`, refRatings[k]));
    expect(big.length).toBe(byPair.size);
    for (let r = 0; r < big.length; r++) {
      const key = `${big.userIdMap.toRaw(big.userIds[r])}|${big.itemIdMap.toRaw(big.itemIds[r])}`;
      expect(big.ratings![r]).toBe(byPair.get(key));
    }
  });

  it('mixes the single-pass numeric lines with lines that need the general parser', async () => {
    const text =
      'user,item,rating,timestamp,tag\n1,10,4.5,100,"a,b"\n2,20, 3 ,200,x\n3,30,2e0,300,y\n4,40,1.5,2020-01-01T00:00:00Z,z\r\n' +
      '5,50,5,500\r\n\n6,60,-1,600,"q"\n7,70,0.25,700\n"8",80,1,800\n9,90,2,900,"x,\n';
    const p = tmp.write('mixed.csv', text);
    for (const chunkSize of [16, 23, 64, 1 << 20]) {
      const d = await readCsv(p, { chunkSize, onInvalid: 'skip', idType: 'number' });
      expect(raw(d)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(Array.from(d.ratings!)).toEqual([4.5, 3, 2, 1.5, 5, -1, 0.25, 1]);
      expect(Array.from(d.timestamps!)).toEqual([100, 200, 300, Date.UTC(2020, 0, 1) / 1000, 500, 600, 700, 800]);
      expect(d.report!.rowsSkipped).toBe(1);
      expect(d.report!.skippedExamples[0]).toMatchObject({ line: 11, reason: 'unterminated quoted field' });
    }
  });

  it('reads ids as integers or strings (auto, forced) and keeps leading zeros as text', async () => {
    const p = tmp.write('ids.csv', 'user,item\n007,1\n7,2\n');
    const auto = await readCsv(p);
    expect(raw(auto)).toEqual(['007', '7']);
    const asNumber = await readCsv(p, { idType: 'number' });
    expect(raw(asNumber)).toEqual([7, 7]);
    expect(asNumber.numUsers).toBe(1);
    const asString = await readCsv(tmp.write('ids2.csv', 'user,item\n1,1\n'), { idType: 'string' });
    expect(raw(asString)).toEqual(['1']);
  });

  it('converts ISO-8601 timestamps to seconds', async () => {
    const d = await readCsv(tmp.write('iso.csv', 'user,item,rating,timestamp\n1,2,3,2020-01-01T00:00:00Z\n'));
    expect(d.timestamps![0]).toBe(Date.UTC(2020, 0, 1) / 1000);
  });

  it('uses given id maps and treats unknown ids as invalid lines', async () => {
    const users = IdMap.fromRawIds([1, 2], 'user');
    const p = tmp.write('known.csv', 'user,item\n2,5\n3,5\n');
    await expect(readCsv(p, { userIdMap: users })).rejects.toThrow(/known.csv:3: user id "3" is not in the given userIdMap in line "3,5"/);
    const d = await readCsv(p, { userIdMap: users, onInvalid: 'skip' });
    expect(Array.from(d.userIds)).toEqual([1]);
    expect(d.numUsers).toBe(2);
  });

  it('reads latin1 ids when asked', async () => {
    const p = tmp.write('l1.dat', Buffer.from('caf\xe9::1::5\n', 'latin1'));
    const d = await readCsv(p, { encoding: 'latin1' });
    expect(d.userIdMap.toRaw(0)).toBe('café');
  });
});

describe('readCsv bad input', () => {
  it('names file, line number and text of a malformed line', async () => {
    const p = tmp.write('bad.csv', 'userId,movieId,rating\n1,2,4\n1,3\n');
    await expect(readCsv(p)).rejects.toThrow(new RegExp(`readCsv: ${p.replace(/[.\\/]/g, '\\$&')}:3: expected at least 3 fields separated by ",", got 2 in line "1,3"; pass onInvalid: 'skip'`));
  });

  it("skips and reports invalid lines with onInvalid: 'skip'", async () => {
    const p = tmp.write('skip.csv', 'userId,movieId,rating\n1,2,4\n1,3\nx1,4,NaN\n2,5,abc\n3,x,2\n4,6,\n5,7,2\n');
    const d = await readCsv(p, { onInvalid: 'skip', idType: 'number' });
    expect(d.length).toBe(2);
    expect(d.report!.rowsRead).toBe(7);
    expect(d.report!.rowsSkipped).toBe(5);
    expect(d.report!.skippedExamples.map((s) => [s.line, s.text])).toEqual([
      [3, '1,3'],
      [4, 'x1,4,NaN'],
      [5, '2,5,abc'],
      [6, '3,x,2'],
      [7, '4,6,'],
    ]);
    expect(d.report!.skippedExamples[1].reason).toMatch(/user id must be an integer \(the column was read as integer ids/);
    expect(d.report!.skippedExamples[2].reason).toBe('rating must be a finite number, got "abc"');
  });

  it('rejects non-numeric and NaN ratings', async () => {
    await expect(readCsv(tmp.write('nan.csv', 'user,item,rating\n1,2,NaN\n'))).rejects.toThrow(/nan.csv:2: rating must be a finite number, got "NaN" in line "1,2,NaN"/);
    await expect(readCsv(tmp.write('txt.csv', 'user,item,rating\n1,2,good\n'))).rejects.toThrow(/rating must be a finite number, got "good"/);
    await expect(readCsv(tmp.write('ts.csv', 'user,item,rating,timestamp\n1,2,3,yesterday\n'))).rejects.toThrow(/timestamp must be a number or an ISO-8601 date, got "yesterday"/);
  });

  it('rejects ids that do not parse', async () => {
    await expect(readCsv(tmp.write('id.csv', 'user,item\n1,2\n1.5,3\n'), { idType: 'number' })).rejects.toThrow(/id.csv:3: user id must be an integer .*got "1.5" in line "1.5,3"/);
    await expect(readCsv(tmp.write('id2.csv', 'user,item\na,b\n ,c\n'))).rejects.toThrow(/id2.csv:3: user id must not be empty, got " "/);
  });

  it('rejects empty files, blank files and header-only files', async () => {
    await expect(readCsv(tmp.write('empty.csv', ''))).rejects.toThrow(/readCsv: .*empty.csv must contain at least one data line, got an empty file/);
    await expect(readCsv(tmp.write('blank.csv', '\n\n  \n'))).rejects.toThrow(/blank.csv must contain at least one data line, got an empty file/);
    await expect(readCsv(tmp.write('head.csv', 'userId,movieId,rating\n'))).rejects.toThrow(/head.csv must contain at least one data line, got only a header/);
    await expect(readCsv(tmp.write('allbad.csv', 'user,item,rating\n1,2,x\n'), { onInvalid: 'skip' })).rejects.toThrow(
      /must contain at least one valid data line, got 1 invalid lines \(all skipped\); first: line 2: rating must be a finite number/,
    );
  });

  it('rejects missing columns and names what the header has', async () => {
    const p = tmp.write('cols.csv', 'userId,movieId\n1,2\n');
    await expect(readCsv(p, { columns: { rating: 'score' } })).rejects.toThrow(/columns.rating must name a column of .*cols.csv, got "score"; the header has "userId", "movieId"/);
    await expect(readCsv(tmp.write('nouser.csv', 'alpha,item,gamma\nx,y,z\n'), { header: true })).rejects.toThrow(/has a header \("alpha", "item", "gamma"\) with no recognisable user column/);
    const positional = await readCsv(tmp.write('unknownhead.csv', 'alpha,beta,gamma\nx,y,3\n'));
    expect(raw(positional)).toEqual(['x']);
    expect(Array.from(positional.ratings!)).toEqual([3]);
    await expect(readCsv(tmp.write('noh.csv', '1,2\n'), { columns: { user: 'userId' } })).rejects.toThrow(/columns.user is the name "userId" but .*noh.csv has no header row/);
    await expect(readCsv(tmp.write('idx.csv', '1,2\n'), { columns: { rating: 5 } })).rejects.toThrow(/columns.rating must be a field index in \[0, 2\)/);
    await expect(readCsv(p, { columns: { user: 0, item: 0 } })).rejects.toThrow(/columns.user and columns.item must be different fields, got field 0 for both/);
  });

  it('rejects wrong delimiters with a hint', async () => {
    const p = tmp.write('semi.csv', '1;2;3\n4;5;6\n');
    await expect(readCsv(p, { delimiter: ',' })).rejects.toThrow(/semi.csv:1: line must contain the delimiter ",", got "1;2;3"; it contains ";": pass delimiter: ";"/);
    await expect(readCsv(tmp.write('one.csv', '12345\n')).then(() => 0)).rejects.toThrow(/could not detect the delimiter/);
    await expect(readCsv(p, { delimiter: 'x' as never })).rejects.toThrow(/options.delimiter must be one of '::', '\\t', ',', ';', '\|', ' ', got "x"/);
  });

  it('rejects an unterminated quote and a missing file', async () => {
    await expect(readCsv(tmp.write('q.csv', 'user,item\n"abc,1\n'))).rejects.toThrow(/q.csv:2: unterminated quoted field/);
    await expect(readCsv('/nonexistent/ratings.csv')).rejects.toThrow(/readCsv: cannot open \/nonexistent\/ratings.csv: ENOENT/);
    await expect(readCsv('' as string)).rejects.toThrow(/readCsv: path must be a non-empty string, got ""/);
  });

  it('checks its options', async () => {
    const p = tmp.write('o.csv', '1,2\n');
    await expect(readCsv(p, { header: 'yes' as never })).rejects.toThrow(/options.header must be true, false or 'auto', got "yes"/);
    await expect(readCsv(p, { chunkSize: 3 })).rejects.toThrow(/options.chunkSize must be an integer >= 16, got 3/);
    await expect(readCsv(p, { idType: 'int' as never })).rejects.toThrow(/options.idType must be one of 'auto', 'number', 'string'/);
    await expect(readCsv(p, { columns: 3 as never })).rejects.toThrow(/options.columns must be an object, got 3/);
    await expect(readCsv(p, { userIdMap: {} as never })).rejects.toThrow(/options.userIdMap must be an IdMap/);
    await expect(readCsv(p, { columns: { user: true as never } })).rejects.toThrow(/columns.user must be a header name, a field index or null, got true/);
  });
});

describe('parseCsv', () => {
  it('parses text and bytes with the same rules', () => {
    const d = parseCsv('user,item,rating\n1,10,4\n2,10,5\n');
    expect(d.numItems).toBe(1);
    expect(Array.from(d.ratings!)).toEqual([4, 5]);
    const b = parseCsv(new TextEncoder().encode('a\tb\n'));
    expect(b.userIdMap.toRaw(0)).toBe('a');
    expect(() => parseCsv('user,item\n1\n', { source: 'inline' })).toThrow(/parseCsv: inline:2: expected at least 2 fields/);
    expect(() => parseCsv(5 as never)).toThrow(/parseCsv: text must be a string or a Uint8Array, got 5/);
    expect(() => parseCsv('')).toThrow(/<text> must contain at least one data line, got an empty file/);
  });
});

describe('maxLineBytes', () => {
  it('refuses a data line longer than the limit, naming file, line and limit, before the buffer grows past ~2x the limit', async () => {
    const long = `3,${'x'.repeat(10000)}`; // no newline at the end: the reader never finds one
    const p = tmp.write('long.csv', `user,item\n1,2\n${long}`);
    const sizes: number[] = [];
    const alloc = Buffer.allocUnsafe;
    Buffer.allocUnsafe = ((n: number) => {
      sizes.push(n);
      return alloc(n);
    }) as typeof Buffer.allocUnsafe;
    let err: unknown;
    try {
      await readCsv(p, { maxLineBytes: 64, chunkSize: 16 });
    } catch (e) {
      err = e;
    } finally {
      Buffer.allocUnsafe = alloc;
    }
    expect((err as Error).message).toBe(`readCsv: ${p}:3: line is longer than maxLineBytes (64 bytes); pass maxLineBytes to raise the limit`);
    // sizes[0] is the 64 KiB sample of the head; the line buffer starts at chunkSize and stops growing at the limit.
    expect(Math.max(...sizes.slice(1))).toBeLessThanOrEqual(2 * 64);
    // The same file loads with a larger limit (a complete line just within it, too).
    const ok = await readCsv(p, { maxLineBytes: long.length, chunkSize: 16 });
    expect(ok.length).toBe(2);
    await expect(readCsv(p, { maxLineBytes: long.length - 1 })).rejects.toThrow(/long.csv:3: line is longer than maxLineBytes \(10001 bytes\)/);
  });

  it('applies to complete lines whatever the chunk size, and in parseCsv; not skipped by onInvalid', async () => {
    const text = `1,2\n3,${'y'.repeat(100)}\n5,6\n`;
    const p = tmp.write('long2.csv', text);
    for (const chunkSize of [16, 1 << 20]) {
      await expect(readCsv(p, { maxLineBytes: 64, chunkSize, onInvalid: 'skip' })).rejects.toThrow(/^readCsv: .*long2.csv:2: line is longer than maxLineBytes \(64 bytes\); pass maxLineBytes to raise the limit$/);
    }
    expect(() => parseCsv(text, { maxLineBytes: 64 })).toThrow(/^parseCsv: <text>:2: line is longer than maxLineBytes \(64 bytes\); pass maxLineBytes to raise the limit$/);
    expect(parseCsv(text, { maxLineBytes: 102 }).length).toBe(3);
    // A numeric line (the single-pass path) is measured too.
    expect(() => parseCsv(`1,2\n3,${'4'.repeat(10)}\n`, { maxLineBytes: 8 })).toThrow(/<text>:2: line is longer than maxLineBytes \(8 bytes\)/);
    expect(parseCsv('1,2\r\n3,4\r\n', { maxLineBytes: 3 }).length).toBe(2); // the line end does not count
  });

  it('says so when an open quote runs past the limit', async () => {
    const p = tmp.write('quote.csv', `user,item\n1,2\n"3,4\n${'5,6\n'.repeat(40)}`);
    await expect(readCsv(p, { maxLineBytes: 64, chunkSize: 16 })).rejects.toThrow(/quote.csv:3: line is longer than maxLineBytes \(64 bytes\): a quoted field on it is not closed/);
  });

  it('is 1 MiB by default and checked like the other options', async () => {
    const p = tmp.write('mib.csv', `1,${'z'.repeat((1 << 20) + 10)}\n`);
    await expect(readCsv(tmp.write('h1.csv', `user,item\n1,2\n3,${'z'.repeat((1 << 20) + 10)}\n`))).rejects.toThrow(/h1.csv:3: line is longer than maxLineBytes \(1048576 bytes\)/);
    // A first line over 64 KiB is still refused by the header sample.
    await expect(readCsv(p)).rejects.toThrow(/the first line is longer than 64 KiB/);
    await expect(readCsv(p, { maxLineBytes: 0 })).rejects.toThrow(/^readCsv: options.maxLineBytes must be a positive integer, got 0$/);
    await expect(readCsv(p, { maxLineBytes: 1.5 })).rejects.toThrow(RangeError);
    expect(() => parseCsv('1,2\n', { maxLineBytes: '64' as never })).toThrow(TypeError);
  });
});

describe('ratings beyond float32 and the squared loss', () => {
  it('rejects |rating| > MAX_ABS_RATING before the float32 conversion, naming file:line', async () => {
    const p = tmp.write('r.csv', 'user,item,rating\n1,1,4\n1,2,3.5e38\n1,3,1e39\n1,4,1e30\n1,5,-1e20\n1,6,1e400\n1,7,1.8e19\n');
    await expect(readCsv(p)).rejects.toThrow(
      new RegExp(`^readCsv: ${p.replace(/[.\\/]/g, '\\$&')}:3: rating must be a finite number with \\|rating\\| <= 1.84e19 \\(larger values overflow float32 or the squared loss\\), got "3.5e38" in line "1,2,3.5e38"; pass onInvalid: 'skip' to drop invalid lines$`),
    );
    for (const chunkSize of [16, 1 << 20]) {
      const d = await readCsv(p, { onInvalid: 'skip', chunkSize });
      expect(Array.from(d.ratings!)).toEqual([4, Math.fround(1.8e19)]);
      expect(d.report!.rowsSkipped).toBe(5);
      expect(d.report!.skippedExamples.map((s) => [s.line, s.text])).toEqual([[3, '1,2,3.5e38'], [4, '1,3,1e39'], [5, '1,4,1e30'], [6, '1,5,-1e20'], [7, '1,6,1e400']]);
    }
  });

  it('in TSV and :: files and in parseCsv too', async () => {
    expect(() => parseCsv('1\t2\t1e39\n', { source: 'u.data' })).toThrow(/^parseCsv: u.data:1: rating must be a finite number with \|rating\| <= 1.84e19 .*got "1e39"/);
    await expect(readCsv(tmp.write('big.dat', '1::2::5\n1::3::2e19\n'))).rejects.toThrow(/big.dat:2: rating must be a finite number with \|rating\| <= 1.84e19/);
    // Quoted and spaced fields take the checked path.
    expect(() => parseCsv('user,item,rating\n1,2," 1e39"\n')).toThrow(/<text>:2: rating must be a finite number with/);
  });

  it('timestamps must be finite', async () => {
    expect(() => parseCsv('user,item,rating,timestamp\n1,2,3,1e400\n')).toThrow(/<text>:2: timestamp must be a number or an ISO-8601 date, got "1e400"/);
  });
});

describe('integer ids beyond 2^53', () => {
  const ids = ['9007199254740992', '9007199254740993', '9007199254740994'];
  it('stay exact (bigints above 2^53 - 1, numbers below): three different ids are three users', async () => {
    const p = tmp.write('big-ids.csv', `user,item,rating\n${ids.map((u, k) => `${u},18446744073709551615,${k + 1}`).join('\n')}\n1,7,5\n`);
    for (const idType of ['auto', 'number'] as const) {
      const d = await readCsv(p, { idType });
      expect(d.numUsers).toBe(4);
      expect(d.userIdMap.rawIds()).toEqual([9007199254740992n, 9007199254740993n, 9007199254740994n, 1]);
      expect(ids.map((_, k) => String(d.userIdMap.toRaw(k)))).toEqual(ids);
      expect(d.itemIdMap.toRaw(0)).toBe(18446744073709551615n);
      expect(d.userIdMap.get(9007199254740993n)).toBe(1);
      expect(d.numItems).toBe(2);
    }
    expect(parseCsv(`${ids.join(',1\n')},1\n`, { idType: 'number' }).userIdMap.rawIds()).toEqual(ids.map(BigInt));
  });

  it('a large id after the sampled head of an integer column is read exactly too', async () => {
    const head = Array.from({ length: 8000 }, (_, k) => `${k},1`).join('\n');
    const d = await readCsv(tmp.write('late-big.csv', `${head}\n9007199254740993,1\n9007199254740992,1\n`), { chunkSize: 4096 });
    expect(d.numUsers).toBe(8002);
    expect(d.userIdMap.toRaw(8000)).toBe(9007199254740993n);
    expect(d.userIdMap.toRaw(8001)).toBe(9007199254740992n);
    expect(d.userIdMap.toRaw(5)).toBe(5);
  });

  it('round-trip through IdMap JSON exactly', async () => {
    const d = parseCsv(`${ids.join(',1\n')},1\n1,2\n`);
    const back = IdMap.fromJSON(JSON.stringify(d.userIdMap));
    expect(back.rawIds()).toEqual([...ids.map(BigInt), 1]);
    expect(back.toIndex(9007199254740994n)).toBe(2);
    expect(JSON.parse(JSON.stringify(d.userIdMap)).ids).toEqual([...ids.map((id) => ({ bigint: id })), 1]);
  });
});
