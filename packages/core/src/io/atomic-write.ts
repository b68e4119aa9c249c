import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `bytes` to `path` atomically: into a new temporary file in the same directory
 * (`.<name>.<random>.tmp`, created exclusively), flushed to disk, then renamed over `path`.
 * Readers see either the old file or the complete new one, never a partial write. On
 * failure the temporary file is removed and the error is rethrown; `path` is untouched.
 *
 * @param path Destination file.
 * @param bytes The complete contents.
 * @returns Resolves once the file is in place.
 * @throws The underlying `fs` error (ENOENT for a missing directory, EACCES, ...).
 * @example
 * await writeFileAtomic('weights.npy', encodeNpy(t));
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  // A unique name from node:crypto: it need not be reproducible, so no seeded Rng here.
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
