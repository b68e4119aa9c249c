import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { quiverError } from '@quiver/base';
import { interruptedSaves, ModelDirLock } from '@quiver/mf';

/** fsync of a file or folder. */
async function sync(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** fsyncs every file and folder under `dir`, depth first, `dir` last. */
async function syncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await syncTree(p);
    else await sync(p);
  }
  await sync(dir);
}

/**
 * Replaces folder `dir` by what `fill` writes into an empty folder, atomically for readers (as
 * `saveModel` replaces a model folder): `fill` writes into a sibling temporary folder
 * (`.<name>.tmp-…`), which is fsynced and swapped in by rename; a previous `dir` is renamed aside
 * first and deleted last. Nothing is ever half-written at `dir`: a failure removes the temporary
 * folder and leaves the previous `dir` as it was. The folder's lock (`.<name>.lock`, as for a
 * model folder) is held throughout, so two writers never interleave.
 * @param where - Prefix of error messages.
 * @param marker - A file that `fill` writes at the top of the folder: an existing non-empty
 *   `dir` is replaced only when it holds this file (a folder of other things is never deleted).
 * @throws {Error} when `dir` is a file or a folder of other things, another process holds its
 *   lock, or writing fails.
 * @example
 * await replaceFolderAtomic('exportForSpark', 'out/spark', 'quiver-spark-export.json', async (tmp) => { ... });
 */
export async function replaceFolderAtomic(where: string, dir: string, marker: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const full = resolve(dir);
  const parent = dirname(full);
  let exists = false;
  if (existsSync(full)) {
    if (!statSync(full).isDirectory()) throw quiverError('Error', { where, what: `${dir} must be a folder (or not exist)`, got: 'an existing file' });
    const names = readdirSync(full);
    if (names.length > 0 && !names.includes(marker)) {
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length} entries)` : '');
      throw quiverError('Error', { where, what: `${dir} must be a new path, an empty folder or an earlier export (holding ${marker})`, got: `a folder holding ${shown}`, tail: '; it is left untouched' });
    }
    exists = true;
  }
  await mkdir(parent, { recursive: true });
  const lock = ModelDirLock.acquire(full, where);
  try {
    for (const leftover of interruptedSaves(full)) await rm(leftover, { recursive: true, force: true });
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmp = join(parent, `.${basename(full)}.tmp-${tag}`);
    const old = join(parent, `.${basename(full)}.old-${tag}`);
    let swappedOut = false;
    try {
      await mkdir(tmp);
      await fill(tmp);
      await syncTree(tmp);
      if (exists) {
        await rename(full, old);
        swappedOut = true;
      }
      await rename(tmp, full);
      swappedOut = false;
      await sync(parent);
    } catch (err) {
      if (swappedOut) await rename(old, full).catch(() => undefined);
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    if (exists) await rm(old, { recursive: true, force: true });
  } finally {
    lock.release();
  }
}
