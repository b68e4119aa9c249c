import { checkOptions, describeValue, quiverError } from '@quiver/base';
import { assembleModel, MODEL_FILES, parseManifest, type LoadedModel } from './model-format.js';

/** The part of the Fetch API's `Response` that {@link loadModelFromUrl} reads. */
export interface FetchResponse {
  /** True for a 2xx status. */
  readonly ok: boolean;
  /** The HTTP status. */
  readonly status: number;
  /** The HTTP status text. */
  readonly statusText: string;
  /** The body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` as {@link loadModelFromUrl} calls it: one absolute URL, one response (the global `fetch` is one). */
export type FetchLike = (url: string) => Promise<FetchResponse>;

/** Options of {@link loadModelFromUrl}. */
export interface LoadModelFromUrlOptions {
  /**
   * The function that fetches each file, by absolute URL (a test can serve files from memory or
   * disk; a page can add credentials or a cache).
   * @defaultValue the global `fetch`
   */
  fetch?: FetchLike;
}

/** The parts of Web Crypto used here (`globalThis.crypto.subtle`). */
interface SubtleDigest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

/** The page's address, to resolve a relative `baseUrl` against (undefined outside a page). */
function pageHref(): string | undefined {
  return (globalThis as { location?: { href?: string } }).location?.href;
}

/**
 * Loads a model folder written by `saveModel` from a URL, in a browser (or anywhere with `fetch`
 * and Web Crypto): fetches `model.json`, then every file it lists, and checks each against the
 * manifest exactly as `loadModel` does (the manifest's format, version and own checksum; each
 * file's size and SHA-256, computed with `crypto.subtle.digest`; the weights' kind; the tensor
 * names and shapes), so a truncated or edited file is refused, naming it. The further files of
 * `saveModel`'s `files` (such as `titles.json`) come back verified in `files`.
 *
 * @param baseUrl - The folder's URL (`'./model/'`, `'https://host/models/als/'`); relative URLs
 *   resolve against the page. A missing trailing slash is added: the files are `baseUrl + name`.
 * @param options - See {@link LoadModelFromUrlOptions}.
 * @returns The model (fitted), the id maps, the manifest and the further files.
 * @throws {TypeError} for a `baseUrl` that is not a URL (or is relative outside a page), an
 *   unknown option or a `fetch` that is not a function.
 * @throws {Error} when a file cannot be fetched (naming its URL and the HTTP status), when
 *   `crypto.subtle` is missing (a page that is not a secure context: serve it over https or from
 *   localhost), or for any check of `loadModel` that fails (naming the file).
 * @example
 * const { model, idMaps, files } = await loadModelFromUrl('./model/');
 * const titles = JSON.parse(new TextDecoder().decode(files['titles.json']));
 * model.recommendForNew(Int32Array.of(3, 8), undefined, 10);
 */
export async function loadModelFromUrl(baseUrl: string | URL, options?: LoadModelFromUrlOptions): Promise<LoadedModel> {
  const where = 'loadModelFromUrl';
  const o = checkOptions(where, options, ['fetch']);
  if (!(typeof baseUrl === 'string' && baseUrl !== '') && !(baseUrl instanceof URL)) {
    throw quiverError('TypeError', { where, what: 'baseUrl must be a non-empty string or a URL', got: describeValue(baseUrl) });
  }
  let base: URL;
  try {
    base = new URL(String(baseUrl), pageHref());
  } catch {
    throw quiverError('TypeError', { where, what: 'baseUrl must be an absolute URL, or a URL relative to the page in a browser', got: JSON.stringify(String(baseUrl)) });
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const fetchFn = o.fetch ?? (globalThis as { fetch?: FetchLike }).fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function') {
    throw quiverError('TypeError', { where, what: 'options.fetch must be a function (there is no global fetch here)', got: describeValue(fetchFn) });
  }
  const subtle = (globalThis as { crypto?: { subtle?: SubtleDigest } }).crypto?.subtle;
  if (subtle === undefined) {
    throw quiverError('Error', {
      where,
      what: 'crypto.subtle (Web Crypto) must be available to check the files against their SHA-256',
      tail: '; a page has it only in a secure context: serve it over https or from localhost / 127.0.0.1',
    });
  }
  const sha256 = async (bytes: Uint8Array): Promise<string> => {
    const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
    let hex = '';
    for (let n = 0; n < digest.length; n++) hex += digest[n].toString(16).padStart(2, '0');
    return hex;
  };
  const get = async (name: string): Promise<Uint8Array> => {
    const url = new URL(name, base).href;
    let response: FetchResponse;
    try {
      response = await fetchFn(url);
    } catch (err) {
      throw quiverError('Error', { where, what: `cannot fetch ${url}: ${(err as Error)?.message ?? String(err)}` });
    }
    if (!response.ok) throw quiverError('Error', { where, what: `cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd() });
    return new Uint8Array(await response.arrayBuffer());
  };
  const manifest = await parseManifest(where, new TextDecoder().decode(await get(MODEL_FILES.manifest)), sha256);
  return assembleModel(where, manifest, get, sha256);
}
