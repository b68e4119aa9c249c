import { createReadStream, realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { describeValue, quiverError } from '@quiver/base';

/** Content type by file extension; any other extension is served as `application/octet-stream`. */
export const STATIC_CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
});

/** Longest URL path the static handler looks at. */
const MAX_PATH = 2048;

/**
 * The file a URL path names inside `root`, or null when the path is refused. Each segment is
 * percent-decoded once; a segment that is empty after decoding, `.` or `..`, starts with a dot
 * (hidden files), or holds `/`, `\`, a NUL or another control character refuses the whole path,
 * and so does a path that is malformed, too long, or resolves outside `root`. Nothing is read from
 * the filesystem here.
 * @param root - The static folder (absolute, resolved).
 * @param urlPath - The request's path, without the query string.
 * @example
 * resolveStaticPath('/srv/www', '/css/site.css'); // '/srv/www/css/site.css'
 * resolveStaticPath('/srv/www', '/%2e%2e/etc/passwd'); // null
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  if (urlPath.length > MAX_PATH || !urlPath.startsWith('/')) return null;
  const segments: string[] = [];
  const raw = urlPath.split('/');
  for (let n = 1; n < raw.length; n++) {
    if (raw[n] === '') {
      if (n === raw.length - 1) break; // a trailing slash: the folder's index.html
      return null; // '//' has no place in a file path
    }
    let seg: string;
    try {
      seg = decodeURIComponent(raw[n]);
    } catch {
      return null;
    }
    // eslint-disable-next-line no-control-regex
    if (seg === '' || seg.startsWith('.') || /[/\\\u0000-\u001f\u007f]/.test(seg)) return null;
    segments.push(seg);
  }
  const full = resolve(root, ...segments);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

/** A file found by {@link findStaticFile}. */
export interface StaticFile {
  /** The file's real path (inside the static folder). */
  readonly path: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its content type from {@link STATIC_CONTENT_TYPES}. */
  readonly contentType: string;
}

/**
 * Finds the regular file a URL path names inside the static folder: `index.html` for a folder;
 * null when the path is refused by {@link resolveStaticPath}, does not exist, is not a regular
 * file, or (through a symbolic link) really lies outside the folder.
 * @param rootReal - The static folder's real path (`realpath`).
 * @example
 * await findStaticFile('/srv/www', '/'); // { path: '/srv/www/index.html', size: 512, contentType: 'text/html; charset=utf-8' }
 */
export async function findStaticFile(rootReal: string, urlPath: string): Promise<StaticFile | null> {
  let path = resolveStaticPath(rootReal, urlPath);
  if (path === null) return null;
  try {
    let st = await stat(path);
    if (st.isDirectory()) {
      path = join(path, 'index.html');
      st = await stat(path);
    }
    if (!st.isFile()) return null;
    const real = await realpath(path);
    if (!real.startsWith(rootReal + sep)) return null;
    const type = STATIC_CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    return { path: real, size: st.size, contentType: type };
  } catch {
    return null;
  }
}

/**
 * The real path of a static folder, checked to be a folder.
 * @throws {Error} when `dir` does not exist or is not a folder.
 * @example
 * const root = staticRoot('public');
 */
export function staticRoot(dir: string): string {
  const where = 'createServer';
  if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where, what: 'staticDir must be a non-empty string', got: describeValue(dir) });
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw quiverError('Error', { where, what: `staticDir must be an existing folder`, got: JSON.stringify(dir) });
  }
  if (!statSync(real).isDirectory()) throw quiverError('Error', { where, what: 'staticDir must be a folder', got: `the file ${JSON.stringify(dir)}` });
  return real;
}

/**
 * A readable stream of a found static file.
 * @example
 * reply.type(file.contentType).send(openStaticFile(file));
 */
export function openStaticFile(file: StaticFile): NodeJS.ReadableStream {
  return createReadStream(file.path);
}
