import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDatasetCli } from '../src/cli/dataset.js';
import { downloadMovieLens } from '../src/datasets/download-movielens.js';
import { loadMovieLens } from '../src/datasets/load-movielens.js';
import { extractZip, listZip } from '../src/datasets/unzip.js';
import { makeTmpDir } from './tmp-dir.js';
import { writeZip } from './zip-writer.js';

const tmp = makeTmpDir('dl');
const files = new Map<string, Buffer>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404, 'Not Found');
      res.end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  tmp.cleanup();
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const ml1m = () =>
  writeZip([
    { name: 'ml-1m/', data: '' },
    { name: 'ml-1m/ratings.dat', data: '1::1193::5::978300760\n2::1193::4::978298413\n' },
    { name: 'ml-1m/movies.dat', data: "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n", method: 0 },
    { name: 'ml-1m/README', data: '' },
  ]);

describe('zip reader', () => {
  it('lists and unpacks stored and deflated entries, stripping the top folder', async () => {
    const z = tmp.write('a.zip', ml1m());
    const entries = await listZip(z);
    expect(entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['ml-1m/', 8, true],
      ['ml-1m/ratings.dat', 8, false],
      ['ml-1m/movies.dat', 0, false],
      ['ml-1m/README', 8, false],
    ]);
    const out = join(tmp.dir, 'unz');
    await extractZip(z, out);
    expect(readFileSync(join(out, 'ratings.dat'), 'utf8')).toBe('1::1193::5::978300760\n2::1193::4::978298413\n');
    expect(readFileSync(join(out, 'README'), 'utf8')).toBe('');
  });

  it('refuses entries that would escape the target folder (zip-slip), absolute paths and symlinks', async () => {
    const cases: [string, Buffer][] = [
      ['../evil.txt', writeZip([{ name: '../evil.txt', data: 'x' }])],
      ['a/../../evil.txt', writeZip([{ name: 'a/../../evil.txt', data: 'x' }])],
      ['/etc/evil', writeZip([{ name: '/etc/evil', data: 'x' }])],
      ['C:/evil', writeZip([{ name: 'C:/evil', data: 'x' }])],
      ['..\\evil', writeZip([{ name: '..\\evil', data: 'x' }])],
    ];
    for (const [name, zip] of cases) {
      const z = tmp.write('slip.zip', zip);
      const out = join(tmp.dir, 'slip-out');
      await expect(extractZip(z, out)).rejects.toThrow(new RegExp(`extractZip: entry ${JSON.stringify(name).replace(/[\\.()[\]]/g, '\\$&')} of .* must stay inside the target folder`));
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(tmp.dir, 'evil.txt'))).toBe(false);
    }
    const link = tmp.write('link.zip', writeZip([{ name: 'd/link', data: '/etc/passwd', method: 0, unixMode: 0o120777 }]));
    await expect(extractZip(link, join(tmp.dir, 'link-out'))).rejects.toThrow(/entry "d\/link" of .* is a symbolic link; refusing to unpack/);
  });

  it('detects corrupt and truncated archives and leaves nothing behind', async () => {
    const bad = tmp.write('crc.zip', writeZip([{ name: 'x/a.txt', data: 'hello world' }, { name: 'x/b.txt', data: 'second', badCrc: true }]));
    const out = join(tmp.dir, 'crc-out');
    await expect(extractZip(bad, out)).rejects.toThrow(/entry "x\/b.txt" of .* is corrupt \(CRC-32 mismatch\)/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).some((f) => f.startsWith('crc-out.partial'))).toBe(false);
    const full = ml1m();
    await expect(listZip(tmp.write('cut.zip', full.subarray(0, full.length - 30)))).rejects.toThrow(/listZip: .*cut.zip must be a zip archive, got a file without an end-of-central-directory record/);
    await expect(listZip(tmp.write('text.zip', 'not a zip at all'))).rejects.toThrow(/must be a zip archive/);
    await expect(listZip(join(tmp.dir, 'missing.zip'))).rejects.toThrow(/^listZip: cannot open .*missing.zip: ENOENT/);
    await expect(extractZip(join(tmp.dir, 'missing.zip'), join(tmp.dir, 'never'))).rejects.toThrow(/^listZip: cannot open .*missing.zip/);
    const okZip = tmp.write('ok.zip', full);
    await expect(extractZip(okZip, join(tmp.dir, 'never'), { strip: false } as never)).rejects.toThrow(/^extractZip: unknown option "strip"; the options are "stripTopLevel"/);
    await expect(extractZip(okZip, join(tmp.dir, 'never'), { stripTopLevel: 'no' } as never)).rejects.toThrow(/^extractZip: options.stripTopLevel must be a boolean, got "no"/);
    expect(existsSync(join(tmp.dir, 'never'))).toBe(false);
  });
});

describe('downloadMovieLens', () => {
  it('downloads, verifies the MD5, unpacks, and the result loads', async () => {
    const zip = ml1m();
    files.set('/ml-1m.zip', zip);
    const root = join(tmp.dir, 'root1');
    const seen: number[] = [];
    const dir = await downloadMovieLens('ml-1m', { dir: root, baseUrl: base, md5: md5(zip), onProgress: (n) => seen.push(n) });
    expect(dir).toBe(join(root, 'ml-1m'));
    expect(seen[seen.length - 1]).toBe(zip.length);
    expect(readdirSync(root)).toEqual(['ml-1m']);
    const ml = await loadMovieLens('ml-1m', dir);
    expect(ml.interactions.length).toBe(2);
    expect(ml.items!.titles[0]).toBe("One Flew Over the Cuckoo's Nest (1975)");
    // already there: no second download
    files.delete('/ml-1m.zip');
    expect(await downloadMovieLens('ml-1m', { dir: root, baseUrl: base, md5: md5(zip) })).toBe(dir);
  });

  it('uses the published .md5 file for ml-latest variants', async () => {
    const zip = writeZip([{ name: 'ml-latest-small/ratings.csv', data: 'userId,movieId,rating,timestamp\n1,1,4.0,9\n' }]);
    files.set('/ml-latest-small.zip', zip);
    files.set('/ml-latest-small.zip.md5', Buffer.from(`${md5(zip)}  ml-latest-small.zip\n`));
    const dir = await downloadMovieLens('ml-latest-small', { dir: join(tmp.dir, 'root2'), baseUrl: base });
    expect(readFileSync(join(dir, 'ratings.csv'), 'utf8')).toContain('1,1,4.0,9');
    files.set('/ml-latest.zip.md5', Buffer.from('<html>oops</html>'));
    await expect(downloadMovieLens('ml-latest', { dir: join(tmp.dir, 'root2b'), baseUrl: base })).rejects.toThrow(/ml-latest.zip.md5 must hold an MD5 checksum, got "<html>oops<\/html>"/);
  });

  it('rejects a checksum mismatch and cleans up', async () => {
    files.set('/ml-100k.zip', writeZip([{ name: 'ml-100k/u.data', data: '1\t2\t3\t4\n' }]));
    const root = join(tmp.dir, 'root3');
    await expect(downloadMovieLens('ml-100k', { dir: root, baseUrl: base, md5: '0'.repeat(32) })).rejects.toThrow(
      /downloadMovieLens: checksum of http:\/\/127.0.0.1:\d+\/ml-100k.zip must be MD5 0{32}, got [0-9a-f]{32}; the download is corrupt/,
    );
    expect(readdirSync(root)).toEqual([]);
    // the real published checksum guards the real download too
    await expect(downloadMovieLens('ml-100k', { dir: root, baseUrl: base })).rejects.toThrow(/must be MD5 0e33842e24a9c977be4e0107933c0723/);
  });

  it('fails clearly on HTTP errors and when offline', async () => {
    await expect(downloadMovieLens('ml-25m', { dir: join(tmp.dir, 'root4'), baseUrl: base })).rejects.toThrow(
      /downloadMovieLens: could not download http:\/\/127.0.0.1:\d+\/ml-25m.zip \(HTTP 404 Not Found\); download .* by hand and unzip it into .*root4\/ml-25m/,
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(downloadMovieLens('ml-20m', { dir: join(tmp.dir, 'root5'), baseUrl: `http://127.0.0.1:${port}` })).rejects.toThrow(
      /downloadMovieLens: could not download http:\/\/127.0.0.1:\d+\/ml-20m.zip \(ECONNREFUSED\); check the network connection, or download/,
    );
    const offline = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    };
    await expect(downloadMovieLens('ml-10m', { dir: join(tmp.dir, 'root6'), fetch: offline })).rejects.toThrow(
      /could not download https:\/\/files.grouplens.org\/datasets\/movielens\/ml-10m.zip \(ENOTFOUND\); check the network connection/,
    );
    expect(existsSync(join(tmp.dir, 'root6', 'ml-10m'))).toBe(false);
  });

  it('checks its options before touching the network', async () => {
    await expect(downloadMovieLens('ml-1m', { dir: 5 as never })).rejects.toThrow(/^downloadMovieLens: options.dir must be a non-empty string, got 5/);
    await expect(downloadMovieLens('ml-1m', { dir: join(tmp.dir, 'root9'), baseUrl: 1 as never })).rejects.toThrow(/^downloadMovieLens: options.baseUrl must be a non-empty string, got 1/);
    await expect(downloadMovieLens('ml-1m', { dir: join(tmp.dir, 'root9'), md5sum: 'x' } as never)).rejects.toThrow(/^downloadMovieLens: unknown option "md5sum"; the options are "dir", "force", "baseUrl", "md5", "fetch", "onProgress"/);
  });

  it('rejects an archive without the ratings file and a zip-slip archive', async () => {
    const noRatings = writeZip([{ name: 'ml-1m/README', data: 'hi' }]);
    files.set('/ml-1m.zip', noRatings);
    await expect(downloadMovieLens('ml-1m', { dir: join(tmp.dir, 'root7'), baseUrl: base, md5: md5(noRatings), force: true })).rejects.toThrow(/must contain ratings.dat, got an archive without it/);
    const slip = writeZip([{ name: '../../escape.txt', data: 'x' }]);
    files.set('/ml-1m.zip', slip);
    mkdirSync(join(tmp.dir, 'root8'));
    await expect(downloadMovieLens('ml-1m', { dir: join(tmp.dir, 'root8'), baseUrl: base, md5: md5(slip) })).rejects.toThrow(/must stay inside the target folder/);
    expect(readdirSync(join(tmp.dir, 'root8'))).toEqual([]);
  });

  it('the CLI prints usage, downloads, and fails with one clear line', async () => {
    const lines: string[] = [];
    expect(await runDatasetCli(['--help'], (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/usage: npm run dataset -w @quiver\/data -- <name...>/);
    expect(await runDatasetCli(['ml-2m'], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toBe('dataset: name must be one of ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-latest, ml-latest-small, got "ml-2m"');
    expect(await runDatasetCli([], (l) => lines.push(l))).toBe(1);
    // ml-100k served without the published checksum: the CLI reports the mismatch
    files.set('/ml-100k.zip', writeZip([{ name: 'ml-100k/u.data', data: '1\t2\t3\t4\n' }]));
    expect(await runDatasetCli(['ml-100k', '--dir', join(tmp.dir, 'cli-root'), '--base-url', base], (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toMatch(/^downloadMovieLens: checksum of http:\/\/127.0.0.1:\d+\/ml-100k.zip must be MD5 0e33842e24a9c977be4e0107933c0723/);
    const good = ml1m();
    files.set('/ml-1m.zip', good);
    // ml-1m also has a pinned checksum, so a locally made zip cannot pass: only offline-safe paths are tested here
    expect(await runDatasetCli(['ml-1m', '--dir', join(tmp.dir, 'cli-root'), '--base-url', base], (l) => lines.push(l))).toBe(1);
    expect(existsSync(join(tmp.dir, 'cli-root', 'ml-1m'))).toBe(false);
    // ml-latest-small is verified against the served .md5 file: the success path
    const small = writeZip([{ name: 'ml-latest-small/ratings.csv', data: 'userId,movieId,rating,timestamp\n1,1,4.0,9\n' }]);
    files.set('/ml-latest-small.zip', small);
    files.set('/ml-latest-small.zip.md5', Buffer.from(md5(small)));
    expect(await runDatasetCli(['ml-latest-small', '--dir', join(tmp.dir, 'cli-root'), '--base-url', base], (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe(`ml-latest-small: ready in ${join(tmp.dir, 'cli-root', 'ml-latest-small')}`);
  });
});
