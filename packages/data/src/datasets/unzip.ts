import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { checkOptions, describeValue, quiverError } from '@quiver/base';

/** One entry of a zip archive's central directory. */
export interface ZipEntry {
  /** Path inside the archive, with `/` separators. */
  readonly name: string;
  /** 0 = stored, 8 = deflate. */
  readonly method: number;
  /** Bytes in the archive. */
  readonly compressedSize: number;
  /** Bytes once unpacked. */
  readonly size: number;
  /** CRC-32 of the unpacked bytes. */
  readonly crc32: number;
  /** Offset of the local file header. */
  readonly localHeaderOffset: number;
  /** True for folder entries (name ends with `/`). */
  readonly isDirectory: boolean;
  /** True for Unix symbolic links (never unpacked). */
  readonly isSymlink: boolean;
  /** True when the entry is encrypted (not supported). */
  readonly encrypted: boolean;
}

const u16 = (b: Buffer, o: number) => b.readUInt16LE(o);
const u32 = (b: Buffer, o: number) => b.readUInt32LE(o);
const u64 = (b: Buffer, o: number) => Number(b.readBigUInt64LE(o));

/**
 * Reads the central directory of a zip file (Zip64 sizes and offsets included).
 * @throws {Error} when the file cannot be opened, is not a zip archive or is truncated.
 * @example
 * (await listZip('ml-1m.zip')).map((e) => e.name); // ['ml-1m/', 'ml-1m/ratings.dat', ...]
 */
export async function listZip(zipPath: string): Promise<ZipEntry[]> {
  const where = 'listZip';
  let fh;
  try {
    fh = await open(zipPath, 'r');
  } catch (err) {
    throw quiverError('Error', { where, what: `cannot open ${zipPath}: ${(err as Error).message}` });
  }
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let p = tailLen - 22; p >= 0; p--) {
      if (u32(tail, p) === 0x06054b50) {
        eocd = p;
        break;
      }
    }
    if (eocd < 0) throw quiverError('Error', { where, what: `${zipPath} must be a zip archive`, got: 'a file without an end-of-central-directory record (truncated or not a zip)' });
    let count = u16(tail, eocd + 10);
    let cdSize = u32(tail, eocd + 12);
    let cdOffset = u32(tail, eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || u32(tail, loc) !== 0x07064b50) throw quiverError('Error', { where, what: `${zipPath} is a Zip64 archive without its locator (truncated?)` });
      const recOffset = u64(tail, loc + 8);
      const rec = Buffer.alloc(56);
      await fh.read(rec, 0, 56, recOffset);
      if (u32(rec, 0) !== 0x06064b50) throw quiverError('Error', { where, what: `${zipPath} has a corrupt Zip64 end-of-central-directory record` });
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
    if (cdOffset + cdSize > size) throw quiverError('Error', { where, what: `${zipPath} is truncated: its central directory ends at byte ${cdOffset + cdSize}, the file has ${size}` });
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) throw quiverError('Error', { where, what: `${zipPath} has a corrupt central directory at entry ${k}` });
      const madeBy = u16(cd, p + 4);
      const flags = u16(cd, p + 8);
      const method = u16(cd, p + 10);
      const crc = u32(cd, p + 16);
      let csize = u32(cd, p + 20);
      let usize = u32(cd, p + 24);
      const nameLen = u16(cd, p + 28);
      const extraLen = u16(cd, p + 30);
      const commentLen = u16(cd, p + 32);
      const external = u32(cd, p + 38);
      let offset = u32(cd, p + 42);
      const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
      // Zip64 extended information: present fields follow the order usize, csize, offset.
      let e = p + 46 + nameLen;
      const eEnd = e + extraLen;
      while (e + 4 <= eEnd) {
        const id = u16(cd, e);
        const len = u16(cd, e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff) (usize = u64(cd, q)), (q += 8);
          if (csize === 0xffffffff) (csize = u64(cd, q)), (q += 8);
          if (offset === 0xffffffff) offset = u64(cd, q);
        }
        e += 4 + len;
      }
      const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
      entries.push({
        name,
        method,
        compressedSize: csize,
        size: usize,
        crc32: crc,
        localHeaderOffset: offset,
        isDirectory: name.endsWith('/'),
        isSymlink: (unixMode & 0o170000) === 0o120000,
        encrypted: (flags & 1) === 1,
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Checks a zip entry name and returns its path relative to the target; throws on escape. */
export function safeEntryPath(zipPath: string, name: string, target: string): string {
  const parts = name.split(/[/\\]/);
  if (name.includes('\0') || isAbsolute(name) || name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
    throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(name)} of ${zipPath} must stay inside the target folder`, got: 'a path that escapes it', tail: '; refusing to unpack' });
  }
  const full = resolve(target, ...parts.filter((s) => s !== '' && s !== '.'));
  if (full !== target && !full.startsWith(target + sep)) {
    throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(name)} of ${zipPath} must stay inside the target folder`, got: 'a path that escapes it', tail: '; refusing to unpack' });
  }
  return full;
}

class Crc32Check extends Transform {
  crc = 0;
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      cb(new Error(`unpacks to more than the ${this.limit} bytes its header declares`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    cb(null, chunk);
  }
}

/** Options of {@link extractZip}. */
export interface ExtractZipOptions {
  /** Drop the single top-level folder all entries share (e.g. `ml-10M100K/`). @defaultValue true */
  readonly stripTopLevel?: boolean;
}

/**
 * Unpacks a zip archive into `targetDir` safely: every entry path is checked (no absolute
 * paths, no `..`, no drive letters, no symbolic links), sizes and CRC-32 are verified, and
 * everything is unpacked into a temporary sibling folder that is renamed into place only
 * when all entries succeeded, so a failure never leaves a half-unpacked dataset. An existing
 * `targetDir` is deleted and replaced by the unpacked folder.
 * @returns The unpacked file paths.
 * @throws {TypeError} on an unknown option name or a non-boolean stripTopLevel.
 * @throws {Error} on an unsafe entry, an unsupported method or encryption, or a corrupt entry.
 * @example
 * await extractZip('/tmp/ml-1m.zip', 'datasets/ml-1m');
 */
export async function extractZip(zipPath: string, targetDir: string, options?: ExtractZipOptions): Promise<string[]> {
  const o = checkOptions('extractZip', options, ['stripTopLevel']);
  if (o.stripTopLevel !== undefined && typeof o.stripTopLevel !== 'boolean') {
    throw quiverError('TypeError', { where: 'extractZip', what: 'options.stripTopLevel must be a boolean', got: describeValue(o.stripTopLevel) });
  }
  const target = resolve(targetDir);
  const entries = await listZip(zipPath);
  const strip = o.stripTopLevel ?? true;
  let prefix = '';
  if (strip && entries.length > 0) {
    const first = entries[0].name.split('/')[0];
    if (first !== '' && entries.every((e) => e.name.startsWith(`${first}/`) || e.name === `${first}/`)) prefix = `${first}/`;
  }
  const tmp = `${target}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const written: string[] = [];
  try {
    for (const e of entries) {
      if (e.isSymlink) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} is a symbolic link; refusing to unpack` });
      const rel = e.name.slice(prefix.length);
      safeEntryPath(zipPath, e.name, tmp); // the full name must be safe too
      const finalOut = rel === '' ? tmp : safeEntryPath(zipPath, rel, tmp);
      if (e.isDirectory || rel === '') {
        await mkdir(finalOut, { recursive: true });
        continue;
      }
      if (e.encrypted) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} is encrypted, which is not supported` });
      if (e.method !== 0 && e.method !== 8) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} must be stored or deflated`, got: `compression method ${e.method}` });
      const fh = await open(zipPath, 'r');
      const head = Buffer.alloc(30);
      await fh.read(head, 0, 30, e.localHeaderOffset);
      await fh.close();
      if (u32(head, 0) !== 0x04034b50) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} has a corrupt local header` });
      const dataStart = e.localHeaderOffset + 30 + u16(head, 26) + u16(head, 28);
      await mkdir(dirname(finalOut), { recursive: true });
      const check = new Crc32Check(e.size);
      const src = createReadStream(zipPath, { start: dataStart, end: Math.max(dataStart, dataStart + e.compressedSize - 1) });
      try {
        if (e.compressedSize === 0) {
          src.destroy();
          await writeFile(finalOut, '');
        } else if (e.method === 8) await pipeline(src, createInflateRaw(), check, createWriteStream(finalOut));
        else await pipeline(src, check, createWriteStream(finalOut));
      } catch (err) {
        throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} is corrupt (${(err as Error).message})` });
      }
      if (check.bytes !== e.size) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} is corrupt (${check.bytes} bytes unpacked, ${e.size} declared)` });
      if ((check.crc >>> 0) !== e.crc32) throw quiverError('Error', { where: 'extractZip', what: `entry ${JSON.stringify(e.name)} of ${zipPath} is corrupt (CRC-32 mismatch)` });
      written.push(join(target, rel));
    }
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return written;
}
