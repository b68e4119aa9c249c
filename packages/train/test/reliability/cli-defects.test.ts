// The defects a new user hit through the CLI (issue "Reliability II"), one test each.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { writeArrow } from '@quiver/data';
import { BiasedMF, saveModel } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, quiver, expectOneLineError, expectLastLineError } from '../run-quiver.js';

let dir = '';
const header = 'userId,movieId,rating,timestamp';
const rows: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-cli-defects-'));
  for (let u = 1; u <= 20; u++) {
    for (let i = 1; i <= 12; i++) if ((u * 5 + i * 3) % 4 < 3) rows.push(`${u},${100 + i},${1 + ((u + i) % 5)},${1_600_000_000 + u * 100 + i}`);
  }
  writeFileSync(join(dir, 'ratings.csv'), `${[header, ...rows].join('\n')}\n`);
  const ml = join(dir, 'ml');
  mkdirSync(ml);
  writeFileSync(join(ml, 'ratings.csv'), `${[header, ...rows].join('\n')}\n`);
  writeFileSync(join(ml, 'movies.csv'), `movieId,title,genres\n${Array.from({ length: 12 }, (_, i) => `${101 + i},Old Movie ${i},Drama`).join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving: whole folders, one writer, ids that mean what they say', () => {
  it('1. reusing --out leaves no file of the older model: no stale titles', async () => {
    const ml = join(dir, 'ml'); // a MovieLens folder: titles come from movies.csv beside ratings.csv
    const out = join(dir, 'reused');
    expect((await quiver('train', '--data', join(ml, 'ratings.csv'), '--model', 'popularity', '--out', out)).code).toBe(0);
    expect(readdirSync(out)).toContain('titles.json');
    // Now a dataset without titles into the same folder: no titles may survive.
    expect((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'popularity', '--out', out)).code).toBe(0);
    expect(readdirSync(out)).not.toContain('titles.json');
    const r = await quiver('recommend', '--model', out, '--user', '1', '--json');
    for (const rec of JSON.parse(r.stdout).recommendations) expect(rec.title).toBeUndefined();
    expect(readdirSync(dir).filter((n) => n.startsWith('.reused'))).toEqual([]);
  });

  it('2. two quiver train --out D at once: the second is refused at once, naming the first; the first saves', async () => {
    const out = join(dir, 'race');
    // A holds the lock from before it loads its data until its model is saved.
    const a = spawn(process.execPath, [BIN, 'train', '--data', 'ml-latest-small', '--factors', '16', '--epochs', '30', '--seed', '1', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let aErr = '';
    const aDone = new Promise<number>((done) => a.on('close', (code) => done(code ?? 1)));
    await new Promise<void>((ready) => a.stderr.on('data', (chunk) => {
      aErr += chunk;
      if (/quiver: loaded/.test(aErr)) ready();
    }));
    const b = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '2', '--epochs', '1', '--seed', '2', '--out', out);
    expectOneLineError(b, 1, new RegExp(`^quiver train: cannot write --out .*race: .*must not be written by two writers at once, got a lock held by process ${a.pid} on .* \\(quiver train --out .*race, since .*\\); wait for it to finish`));
    expect(await aDone).toBe(0);
    expect(aErr).toMatch(/saved the model to/);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).config.seed).toBe(1);
    expect(existsSync(join(dir, '.race.lock'))).toBe(false);
    // Once A is done, B may write (and replaces A's model whole).
    expect((await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '2', '--epochs', '1', '--seed', '2', '--out', out)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).config.seed).toBe(2);
  }, 60_000);

  it('4. a model saved by the library without id maps keeps --user meaning a raw id (identity maps are saved)', async () => {
    const m = new BiasedMF({ factors: 2, epochs: 2 });
    m.fit({ userIds: Int32Array.of(0, 1, 2, 2), itemIds: Int32Array.of(0, 1, 1, 2), ratings: Float32Array.of(5, 4, 3, 1), numUsers: 3, numItems: 3 });
    const out = join(dir, 'lib');
    await saveModel(m, out);
    const ids = JSON.parse(readFileSync(join(out, 'id_maps.json'), 'utf8'));
    expect(ids.users).toMatchObject({ type: 'identity', size: 3 });
    const r = await quiver('recommend', '--model', out, '--user', '1', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ user: 1, userIndex: 1 });
    // A folder of the old format without id maps: --user is refused and --user-index explained.
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    delete manifest.checksum;
    delete manifest.files['id_maps.json'];
    writeFileSync(join(out, 'model.json'), JSON.stringify({ ...manifest, formatVersion: 1, idMaps: null }));
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 2, /saved without raw ids \(no id maps\), so --user 1 cannot be looked up; pass --user-index N \(a row 0..2\)/);
    const byRow = await quiver('recommend', '--model', out, '--user-index', '1', '--json');
    expect(JSON.parse(byRow.stdout)).toMatchObject({ user: 1, userIndex: 1 });
    expect(byRow.stderr).toBe('');
    const human = await quiver('recommend', '--model', out, '--user-index', '1');
    expect(human.stderr).toMatch(/for user index 1 .*items are row indices: the model has no raw ids/);
  });

  it('5. edited id maps and an edited kind are detected', async () => {
    const out = join(dir, 'sealed');
    expect((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'popularity', '--out', out)).code).toBe(0);
    const p = join(out, 'id_maps.json');
    const maps = readFileSync(p, 'utf8');
    writeFileSync(p, maps.replace('[1,', '[2,').replace(',2,', ',1,'));
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 1, /id_maps\.json checksum mismatch \(the file was modified\)/);
    writeFileSync(p, maps);
    const m = join(out, 'model.json');
    writeFileSync(m, readFileSync(m, 'utf8').replace('"kind": "popularity"', '"kind": "random"'));
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 1, /model\.json checksum mismatch \(the manifest was modified\)/);
  });

  it('6. ids above 2^53 (Arrow Int64) stay exact from training to recommend', async () => {
    const big = [9007199254740993n, 9007199254740995n, 9223372036854775783n];
    const users: bigint[] = [];
    const items: bigint[] = [];
    for (let n = 0; n < 30; n++) {
      users.push(big[n % 3]);
      items.push(BigInt(1000 + (n % 7)) * 10_000_000_000_000n);
    }
    // An Int64 column as pandas / pyarrow write it (BigInt64Array: exact beyond 2^53).
    const table = tableFromArrays({ userId: BigInt64Array.from(users), movieId: BigInt64Array.from(items) });
    const file = join(dir, 'big.arrow');
    await writeArrow(table, file);
    const out = join(dir, 'big');
    const t = await quiver('train', '--data', file, '--model', 'popularity', '--out', out);
    expect(t.code).toBe(0);
    const r = await quiver('recommend', '--model', out, '--user', '9007199254740995', '--json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.user).toBe('9007199254740995');
    for (const rec of parsed.recommendations) expect(rec.item).toMatch(/^100[0-6]0000000000000$/);
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '9007199254740994'), 1, /unknown user "9007199254740994"/);
  });
});

describe('runs that silently did something else', () => {
  it('7. --resume with a smaller --epochs than the checkpoint is refused, naming both', async () => {
    const ck = join(dir, 'ck');
    const base = ['train', '--data', join(dir, 'ratings.csv'), '--factors', '2', '--checkpoint', ck];
    expect((await quiver(...base, '--epochs', '6')).code).toBe(0);
    expectOneLineError(await quiver(...base, '--epochs', '3', '--resume'), 2, /--resume: the newest checkpoint .*epoch-000006 has 6 epochs done, more than --epochs 3; pass --epochs 6 or more/);
    const same = await quiver(...base, '--epochs', '6', '--resume');
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/6 epochs done; that is --epochs 6, so nothing is left to train/);
  });

  it('8. duplicate (user, item) rows are counted on stderr and in --json', async () => {
    const f = join(dir, 'dups.csv');
    writeFileSync(f, `${[header, ...rows, rows[0], rows[1], rows[1]].join('\n')}\n`);
    const r = await quiver('train', '--data', f, '--factors', '2', '--epochs', '1');
    expect(r.stderr).toMatch(/quiver: 3 duplicate \(user, item\) rows merged \(--duplicates keep-last; --duplicates error refuses them\)/);
    const j = await quiver('train', '--data', f, '--factors', '2', '--epochs', '1', '--json');
    expect(JSON.parse(j.stdout).data.duplicatesMerged).toBe(3);
    expectOneLineError(await quiver('train', '--data', f, '--duplicates', 'error'), 1, /pairs must be unique.*; use --duplicates keep-last \| mean \| sum$/);
  });
});

describe('unbounded resources', () => {
  it('9. a data line beyond --max-line-bytes is refused with its line number', async () => {
    const f = join(dir, 'long.csv');
    writeFileSync(f, `${header}\n${rows[0]}\n${rows[1]}${'9'.repeat(5000)}\n`);
    expectOneLineError(await quiver('train', '--data', f, '--max-line-bytes', '1K'), 1, /long\.csv:3: .*longer than .*1024 bytes.*; use --max-line-bytes N$/);
  });

  it('10. --factors 100000 is refused before allocating when it needs more than --max-memory, naming the need', async () => {
    const t0 = Date.now();
    // The estimate needs the data's shape, so the data is read first (and nothing else).
    expectLastLineError(
      await quiver('train', '--data', 'ml-latest-small', '--factors', '100000', '--max-memory', '1G'),
      1,
      /^quiver train: model 'biased-mf' would need about 3\.\d GiB for this data \(factor tables 3\.\d GiB, .*\), more than --max-memory 1\.0 GiB; use a smaller --factors or raise --max-memory$/,
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    expectLastLineError(await quiver('train', '--data', 'ml-latest-small', '--factors', '100000000'), 1, /would need about .* TiB .*more than the default --max-memory .* \(half of this machine's memory\)/);
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--max-memory', 'lots'), 2, /--max-memory must be a size in bytes such as 2G/);
  });
});

describe('clear errors', () => {
  it('12. ratings that overflow float32 or the loss name file and line', async () => {
    for (const bad of ['1e39', '1e30']) {
      const f = join(dir, `huge-${bad}.csv`);
      writeFileSync(f, `${header}\n${rows.slice(0, 5).join('\n')}\n7,101,${bad},1\n`);
      expectOneLineError(await quiver('train', '--data', f), 1, new RegExp(`huge-${bad}\\.csv:7: rating must be .*got "${bad}".*; use --on-invalid skip`));
    }
  });

  it('13. a corrupt titles.json or run.json is named', async () => {
    const out = join(dir, 'corrupt');
    const ml = join(dir, 'ml');
    expect((await quiver('train', '--data', join(ml, 'ratings.csv'), '--model', 'popularity', '--out', out)).code).toBe(0);
    for (const name of ['titles.json', 'run.json']) {
      const p = join(out, name);
      const text = readFileSync(p, 'utf8');
      writeFileSync(p, `${text.slice(0, -3)}xx`);
      expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 1, new RegExp(`${name.replace('.', '\\.')} (checksum mismatch|must have \\d+ bytes)`));
      writeFileSync(p, text);
    }
  });

  it('13b. in a folder of the old format (files beside model.json, not checksummed) a corrupt titles.json is named', async () => {
    const out = join(dir, 'corrupt-v1');
    expect((await quiver('train', '--data', join(dir, 'ml', 'ratings.csv'), '--model', 'popularity', '--out', out)).code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    delete m.checksum;
    delete m.files['titles.json'];
    delete m.files['run.json'];
    writeFileSync(join(out, 'model.json'), JSON.stringify({ ...m, formatVersion: 1 }));
    writeFileSync(join(out, 'titles.json'), '["Old Movie 0", ');
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 1, /cannot load the model in .*: .*corrupt-v1\/titles\.json is not valid JSON/);
  });

  it('14. --out and --report are checked before training', async () => {
    const t0 = Date.now();
    const underFile = join(dir, 'ratings.csv', 'folder', 'r.html');
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '200', '--report', underFile), 1, /cannot write --report .*r\.html: ENOTDIR/);
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '200', '--out', join(dir, 'ratings.csv', 'm')), 1, /cannot write --out .*ratings\.csv\/m: /);
    const photos = join(dir, 'photos');
    mkdirSync(photos);
    writeFileSync(join(photos, 'cat.jpg'), 'x');
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '200', '--out', photos), 1, /cannot write --out .*photos: .*must be a model folder, an empty folder or a new path, got a folder holding other files \(cat\.jpg\)/);
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '200', '--report', dir), 1, /--report must be a file path, got the folder/);
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'readonly');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '200', '--out', join(ro, 'm')), 1, /cannot write --out/);
    }
    // 200 epochs would take far longer than this: nothing was trained.
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('15. errors name the CLI\'s own flags, never library options', async () => {
    const f = join(dir, 'broken.csv');
    writeFileSync(f, `${header}\n${rows[0]}\n3,oops\n${rows.slice(1).join('\n')}\n`);
    const r = await quiver('train', '--data', f);
    expectOneLineError(r, 1, /broken\.csv:3: .*; use --on-invalid skip/);
    expect(r.stderr).not.toMatch(/onInvalid|pass columns|columns: \{/);
    const skipped = await quiver('train', '--data', f, '--on-invalid', 'skip', '--factors', '2', '--epochs', '1', '--json');
    expect(JSON.parse(skipped.stdout).data.skippedInvalid).toBe(1);
    const cols = join(dir, 'cols.csv');
    writeFileSync(cols, 'who,what,score\n1,2,3\n');
    const c = await quiver('train', '--data', cols);
    expect(c.stderr).toMatch(/use --columns user,item\[,rating\[,timestamp\]\]/);
    expect(c.stderr).not.toMatch(/pass columns/);
  });

  it('16. negative values are values: --seed -1 and --user -5 get the right message', async () => {
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--seed', '-1'), 2, /^quiver train: --seed must be a non-negative integer, got "-1"$/);
    const out = join(dir, 'neg');
    const f = join(dir, 'neg.csv');
    // Raw user ids -1 .. -20 (negative ids are ids like any other).
    writeFileSync(f, `user,item\n${rows.map((r) => { const [u, i] = r.split(','); return `-${u},${i}`; }).join('\n')}\n`);
    expect((await quiver('train', '--data', f, '--model', 'popularity', '--out', out)).code).toBe(0);
    const r = await quiver('recommend', '--model', out, '--user', '-5', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).user).toBe(-5);
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '-abc'), 2, /option --user needs a value; write a value that starts with '-' as --user=-value/);
  });

  it('17. MovieLens .base / .test fold files are read (text sniffed whatever the extension), and --format overrides', async () => {
    const tsv = rows.map((r) => r.split(',').join('\t'));
    writeFileSync(join(dir, 'u1.base'), `${tsv.filter((_, k) => k % 5 !== 0).join('\n')}\n`);
    writeFileSync(join(dir, 'u1.test'), `${tsv.filter((_, k) => k % 5 === 0).join('\n')}\n`);
    const r = await quiver('train', '--data', join(dir, 'u1.base'), '--test', join(dir, 'u1.test'), '--factors', '2', '--epochs', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data.numTrain).toBe(tsv.length - Math.ceil(tsv.length / 5));
    const asCsv = join(dir, 'data.bin');
    writeFileSync(asCsv, `${[header, ...rows].join('\n')}\n`);
    expect((await quiver('train', '--data', asCsv, '--format', 'csv', '--factors', '2', '--epochs', '1')).code).toBe(0);
    expectOneLineError(await quiver('train', '--data', asCsv, '--format', 'xml'), 2, /--format must be one of .*csv.*, got "xml"/);
  });
});
