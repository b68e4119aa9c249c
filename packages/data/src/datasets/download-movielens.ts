import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkOneOf, checkOptions, describeValue, quiverError } from '@quiver/base';
import { dataInputError } from '../data-input-error.js';
import { resolveDatasetsDir } from './datasets-dir.js';
import { MOVIELENS, MOVIELENS_NAMES, type MovieLensName } from './movielens-catalog.js';
import { extractZip } from './unzip.js';

/** The subset of `fetch` the downloader uses (inject one in tests or behind a proxy). */
export type FetchLike = (url: string) => Promise<{
  /** True for a 2xx status; otherwise the download fails with the status in the message. */
  ok: boolean;
  /** HTTP status code (e.g. 200, 404). */
  status: number;
  /** HTTP status text (e.g. `'Not Found'`), shown in the error message. */
  statusText: string;
  /** The response body as a byte stream (the zip); null fails the download. */
  body: ReadableStream<Uint8Array> | null;
  /** Reads the whole body as text (used for the `.md5` file). */
  text(): Promise<string>;
}>;

/** Options of {@link downloadMovieLens}. */
export interface DownloadMovieLensOptions {
  /** Folder that receives `<name>/`. @defaultValue the datasets folder (`$QUIVER_DATASETS` or the repo's `datasets/`) */
  readonly dir?: string;
  /** Download again even when the dataset is already there. @defaultValue false */
  readonly force?: boolean;
  /** Base URL of the zips (a mirror). @defaultValue 'https://files.grouplens.org/datasets/movielens' */
  readonly baseUrl?: string;
  /** Expected MD5 of the zip; null fetches `<zip url>.md5`. @defaultValue the published MD5 of the variant */
  readonly md5?: string | null;
  /** The fetch function. @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Called as bytes arrive. @defaultValue none */
  readonly onProgress?: (received: number, total: number | null) => void;
}

/**
 * Downloads the official zip of a MovieLens variant, verifies its MD5 (the published value,
 * or GroupLens's `.md5` file for ml-latest*, which change), and unpacks it safely (see
 * `extractZip`) into `<dir>/<name>/` with the zip's top folder removed, so
 * `loadInteractions(name)` finds it. Nothing is left behind on failure.
 * @returns The dataset folder.
 * @throws {TypeError} when name is not a known variant, an option name is unknown, or dir/baseUrl is not a non-empty string.
 * @throws {Error} when offline or the server fails (with a hint for a manual download), on a
 *   checksum mismatch, or on an unsafe or corrupt archive.
 * @example
 * await downloadMovieLens('ml-1m'); // then: await loadInteractions('ml-1m')
 */
export async function downloadMovieLens(name: MovieLensName, options?: DownloadMovieLensOptions): Promise<string> {
  const where = 'downloadMovieLens';
  checkOneOf(where, 'name', name, MOVIELENS_NAMES);
  const o = checkOptions(where, options, ['dir', 'force', 'baseUrl', 'md5', 'fetch', 'onProgress']);
  for (const key of ['dir', 'baseUrl'] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw quiverError('TypeError', { where, what: `options.${key} must be a non-empty string`, got: describeValue(v) });
  }
  const spec = MOVIELENS[name];
  const root = o.dir ?? resolveDatasetsDir();
  if (root === null) throw dataInputError('Error', where, 'no datasets folder found', { option: 'dir', value: '<folder>' }, '; set QUIVER_DATASETS or pass options.dir');
  const target = join(root, name);
  if (!o.force && existsSync(join(target, spec.ratingsFile))) return target;
  const fetchFn: FetchLike = o.fetch ?? (globalThis.fetch as unknown as FetchLike);
  if (typeof fetchFn !== 'function') throw quiverError('TypeError', { where, what: 'options.fetch must be a function', got: describeValue(fetchFn) });
  const base = (o.baseUrl ?? spec.url.slice(0, spec.url.lastIndexOf('/'))).replace(/\/+$/, '');
  const url = `${base}/${spec.url.slice(spec.url.lastIndexOf('/') + 1)}`;
  const manual = `download ${url} by hand and unzip it into ${target}`;
  const get = async (u: string) => {
    let res;
    try {
      res = await fetchFn(u);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (err as Error).message;
      throw quiverError('Error', { where, what: `could not download ${u} (${detail}); check the network connection, or ${manual}` });
    }
    if (!res.ok) throw quiverError('Error', { where, what: `could not download ${u} (HTTP ${res.status} ${res.statusText}); ${manual}` });
    return res;
  };

  let expected = o.md5 === undefined ? spec.md5 : o.md5;
  if (expected === null) {
    const text = await (await get(`${url}.md5`)).text();
    const m = /\b[0-9a-f]{32}\b/i.exec(text);
    if (m === null) throw quiverError('Error', { where, what: `${url}.md5 must hold an MD5 checksum`, got: describeValue(text.slice(0, 80)) });
    expected = m[0];
  }
  expected = expected.toLowerCase();

  await mkdir(root, { recursive: true });
  const part = join(root, `${name}.zip.part-${process.pid}`);
  const zip = join(root, `${name}.zip`);
  try {
    const res = await get(url);
    if (res.body === null) throw quiverError('Error', { where, what: `${url} returned no body; ${manual}` });
    const total = Number((res as unknown as { headers?: { get(k: string): string | null } }).headers?.get('content-length') ?? NaN);
    const hash = createHash('md5');
    const out = createWriteStream(part);
    let received = 0;
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        received += value.length;
        if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
        o.onProgress?.(received, Number.isFinite(total) ? total : null);
      }
    } catch (err) {
      throw quiverError('Error', { where, what: `the download of ${url} was interrupted after ${received} bytes (${(err as Error).message}); try again, or ${manual}` });
    } finally {
      await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    }
    const got = hash.digest('hex');
    if (got !== expected) throw quiverError('Error', { where, what: `checksum of ${url} must be MD5 ${expected}`, got: String(got), tail: '; the download is corrupt or the file changed upstream' });
    await rename(part, zip);
    await extractZip(zip, target, { stripTopLevel: true });
    if (!existsSync(join(target, spec.ratingsFile))) {
      throw quiverError('Error', { where, what: `${url} must contain ${spec.ratingsFile}`, got: 'an archive without it' });
    }
  } finally {
    await rm(part, { force: true });
    await rm(zip, { force: true });
  }
  return target;
}
