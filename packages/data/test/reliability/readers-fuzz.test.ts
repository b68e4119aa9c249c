import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableToIPC } from 'apache-arrow';
import { parseCsv, readArrowTable, readArrow, readParquet, readCsv, writeArrow, writeParquet, fromArrays, loadInteractions } from '../../src/index.js';
import { join } from 'node:path';
import { makeTmpDir } from '../tmp-dir.js';
import { QuiverError, errorClass } from '@quiver/base';

const tmp = makeTmpDir('fuzz');
afterAll(() => tmp.cleanup());

/** Runs `f`; it must succeed or throw one of our errors (prefixed with `where:`), within `ms`. */
async function outcome(where: string, f: () => unknown, ms = 2000): Promise<'ok' | 'error'> {
  const t0 = performance.now();
  try {
    await f();
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    // One of our errors: a plain Error / TypeError / RangeError, or a QuiverError (which is one of those too).
    expect([Error, TypeError, RangeError]).toContain(errorClass(err));
    expect((err as Error).message).toMatch(new RegExp(`^${where}: `));
    return 'error';
  } finally {
    expect(performance.now() - t0).toBeLessThan(ms);
  }
}

const validCsv = 'user,item,rating,timestamp\n1,10,4.5,100\n2,10,3,101\n2,11,5,102\n3,12,1,103\n';
const validDat = '1::10::5::100\n2::10::4::101\n2::11::3::102\n';
const validTsv = '1\t10\t5\t100\n2\t10\t4\t101\n';

const mutate = (base: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
    const b = base.slice();
    for (const [at, v] of edits) b[at % b.length] = v;
    return b;
  });
const truncate = (base: Uint8Array) => fc.nat({ max: base.length - 1 }).map((n) => base.subarray(0, n));

describe('CSV / TSV / :: reader fuzzing', () => {
  for (const [name, text] of [['csv', validCsv], ['dat', validDat], ['tsv', validTsv]] as const) {
    const bytes = new TextEncoder().encode(text);
    it(`${name}: mutated, truncated and random bytes load or throw parseCsv errors`, async () => {
      const arb = fc.oneof(mutate(bytes), truncate(bytes), fc.uint8Array({ maxLength: 200 }));
      const seen = new Set<string>();
      await fc.assert(fc.asyncProperty(arb, async (b) => { seen.add(await outcome('parseCsv', () => parseCsv(b))); }), { numRuns: 150, seed: 7 });
      expect(seen).toEqual(new Set(['ok', 'error']));
    });
  }

  it('random text lines never hang the parser (quotes, delimiters, huge numbers)', async () => {
    const line = fc.array(fc.constantFrom('1', '2', '99999999999999999999', ',', '::', '\t', '"', '\n', '\r\n', 'e', '-', '.', 'NaN', ' '), { maxLength: 60 }).map((p) => p.join(''));
    await fc.assert(fc.asyncProperty(line, async (t) => { await outcome('parseCsv', () => parseCsv(t)); }), { numRuns: 200, seed: 11 });
  });

  it('a successful parse is internally consistent', async () => {
    await fc.assert(fc.asyncProperty(mutate(new TextEncoder().encode(validCsv)), async (b) => {
      let d;
      try {
        d = parseCsv(b);
      } catch {
        return;
      }
      expect(d.userIds.length).toBe(d.itemIds.length);
      for (const u of d.userIds) expect(u >= 0 && u < d.numUsers).toBe(true);
      for (const i of d.itemIds) expect(i >= 0 && i < d.numItems).toBe(true);
      if (d.ratings !== null) for (const r of d.ratings) expect(Number.isFinite(r)).toBe(true);
    }), { numRuns: 100, seed: 3 });
  });
});

const data = fromArrays({ userIds: [1, 2, 2, 3, 4, 5], itemIds: [10, 10, 11, 12, 10, 11], ratings: [4.5, 3, 5, 1, 2, 3] });

describe('Arrow IPC reader fuzzing', () => {
  it('mutated, truncated and random bytes load or throw readArrow errors', async () => {
    const path = tmp.write('x.arrow', '');
    await writeArrow(data, path);
    const { readFileSync } = await import('node:fs');
    const file = new Uint8Array(readFileSync(path));
    const stream = tableToIPC(await readArrowTable(path), 'stream');
    const arb = fc.oneof(mutate(file), truncate(file), mutate(stream), truncate(stream), fc.uint8Array({ maxLength: 300 }));
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(arb, async (b) => { seen.add(await outcome('readArrow', () => readArrow(b))); }), { numRuns: 200, seed: 5 });
    expect(seen.has('error')).toBe(true);
  });
});

describe('Parquet reader fuzzing', () => {
  it('mutated, truncated and random bytes load or throw readParquet errors', async () => {
    const path = tmp.write('x.parquet', '');
    await writeParquet(data, path, { compression: 'uncompressed' });
    const { readFileSync } = await import('node:fs');
    const file = new Uint8Array(readFileSync(path));
    const arb = fc.oneof(mutate(file), truncate(file), fc.uint8Array({ maxLength: 300 }));
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(arb, async (b) => { seen.add(await outcome('readParquet', () => readParquet(b), 5000)); }), { numRuns: 120, seed: 9 });
    expect(seen.has('error')).toBe(true);
  });
});

describe('memory budget (maxBytes)', () => {
  it('every reader refuses a file over the budget before reading it', async () => {
    const csv = tmp.write('big.csv', `user,item,rating\n${'1,10,4.5\n2,11,3\n3,12,1\n'.repeat(50)}`);
    const arrow = tmp.write('big.arrow', '');
    await writeArrow(data, arrow);
    const parquet = tmp.write('big.parquet', '');
    await writeParquet(data, parquet);
    await expect(readCsv(csv, { maxBytes: 100 })).rejects.toThrow(/^readCsv: .*big.csv is \d+ bytes, over the memory budget options.maxBytes = 100; raise maxBytes, or split the file$/);
    await expect(readCsv(csv, { maxBytes: 100 })).rejects.toBeInstanceOf(RangeError);
    await expect(readArrow(arrow, { maxBytes: 100 })).rejects.toThrow(/^readArrow: .*big.arrow is \d+ bytes, over the memory budget options.maxBytes = 100/);
    await expect(readParquet(parquet, { maxBytes: 100 })).rejects.toThrow(/^readParquet: .*big.parquet is \d+ bytes, over the memory budget/);
    await expect(loadInteractions(csv, { maxBytes: 100 })).rejects.toThrow(/^readCsv: .* over the memory budget/);
    await expect(loadInteractions(parquet, { maxBytes: 100 })).rejects.toThrow(/^readParquet: .* over the memory budget/);
    expect(() => parseCsv(validCsv, { maxBytes: 10 })).toThrow(/^parseCsv: <text> is 73 bytes, over the memory budget options.maxBytes = 10/);
    await expect(readArrow(new Uint8Array(1000), { maxBytes: 10 })).rejects.toThrow(/^readArrow: <bytes> is 1000 bytes, over the memory budget/);
    // Within budget (and Infinity = no limit) they load.
    expect((await readCsv(csv, { maxBytes: 1e6 })).numUsers).toBe(3);
    expect((await readArrow(arrow, { maxBytes: Infinity })).numUsers).toBe(5);
    expect((await readParquet(parquet, { maxBytes: 1e6 })).numUsers).toBe(5);
    await expect(readCsv(csv, { maxBytes: 0 })).rejects.toThrow(/readCsv: options.maxBytes must be a positive integer, got 0/);
    await expect(readCsv(csv, { maxBytes: 'x' as never })).rejects.toThrow(TypeError);
  });
});

describe('unknown option names are rejected', () => {
  it('by the readers, loadInteractions and the data helpers', async () => {
    expect(() => parseCsv(validCsv, { delimeter: ',' } as never)).toThrow(/^parseCsv: unknown option "delimeter"; the options are "delimiter", /);
    await expect(readCsv(tmp.write('u.csv', validCsv), { sep: ',' } as never)).rejects.toThrow(/^readCsv: unknown option "sep"/);
    await expect(readArrow(new Uint8Array(8), { colums: {} } as never)).rejects.toThrow(/^readArrow: unknown option "colums"/);
    await expect(loadInteractions(tmp.write('v.csv', validCsv), { maxbytes: 1 } as never)).rejects.toThrow(/^loadInteractions: unknown option "maxbytes"/);
    const { randomSplit, kFold, batches, NegativeSampler } = await import('../../src/index.js');
    expect(() => randomSplit(data, { testFraction: 0.5, sed: 1 } as never)).toThrow(/^randomSplit: unknown option "sed"/);
    expect(() => kFold(data, { folds: 3 } as never)).toThrow(/^kFold: unknown option "folds"; the options are "k", "seed", "coldStart"/);
    expect(() => batches(data, { batch_size: 3 } as never)).toThrow(/^batches: unknown option "batch_size"/);
    expect(() => new NegativeSampler(data, { distrib: 'uniform' } as never)).toThrow(/^NegativeSampler: unknown option "distrib"/);
  });
});

describe('headers that claim huge sizes are refused before anything is allocated', () => {
  it('an Arrow record batch claiming 10^12 rows', async () => {
    const path = tmp.write('claims.arrow', '');
    await writeArrow(data, path);
    const stream = tableToIPC(await readArrowTable(path), 'stream');
    // The second message is the record batch: rewrite every int64 6 (its row and value counts) in its metadata.
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
    const schemaLen = view.getInt32(4, true);
    const batchAt = 8 + schemaLen;
    expect(view.getInt32(batchAt, true)).toBe(-1);
    const batchLen = view.getInt32(batchAt + 4, true);
    let patched = 0;
    for (let p = batchAt + 8; p + 8 <= batchAt + 8 + batchLen; p += 4) {
      if (view.getBigInt64(p, true) === 6n) {
        view.setBigInt64(p, 10n ** 12n, true);
        patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
    const t0 = performance.now();
    await expect(readArrow(stream)).rejects.toThrow(/^readArrow: <bytes> is not valid Arrow IPC data \(a (record batch|field node) claims 1000000000000 (rows|values) but its body holds only \d+ bytes\)/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('an Arrow schema whose field vector claims 2^31 entries', async () => {
    const path = join(tmp.dir, 'y.arrow');
    await writeArrow(data, path);
    const stream = tableToIPC(await readArrowTable(path), 'stream');
    // Corrupt each 4-byte word of the schema metadata in turn to 0x7fffffff: never an allocation blow-up.
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
    const schemaLen = view.getInt32(4, true);
    for (let p = 8; p + 4 <= 8 + schemaLen; p += 4) {
      const b = stream.slice();
      new DataView(b.buffer).setInt32(p, 0x7fffffff, true);
      await outcome('readArrow', () => readArrow(b), 1000);
    }
  });
});
