import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { quiverError } from '@quiver/base';

/** Names of the sibling folders a save writes (`.<name>.tmp-…`) and swaps out (`.<name>.old-…`). */
function siblingPrefix(full: string, what: 'tmp' | 'old'): string {
  return `.${basename(full)}.${what}-`;
}

/** fsync of a folder, so that the names in it (a rename) are durable. */
async function syncFolder(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Leftovers of an interrupted save of `dir`: the sibling folders holding a half-written new
 * model (`tmp`) or the swapped-out previous one (`old`), or an empty list.
 * @example
 * interruptedSaves('runs/als'); // [] normally
 */
export function interruptedSaves(dir: string): string[] {
  const full = resolve(dir);
  const parent = dirname(full);
  if (!existsSync(parent)) return [];
  const tmp = siblingPrefix(full, 'tmp');
  const old = siblingPrefix(full, 'old');
  return readdirSync(parent)
    .filter((n) => n.startsWith(tmp) || n.startsWith(old))
    .sort()
    .map((n) => join(parent, n));
}

/**
 * Checks, without writing anything, that {@link writeFolderAtomic} may replace `dir`: it does not
 * exist, or is a folder that is empty or that `isReplaceable` accepts.
 * @returns Whether `dir` exists.
 * @throws {Error} when `dir` is a file, or a folder holding other things.
 * @example
 * checkFolderTarget('quiver train', 'runs/als', (names) => names.includes('model.json'));
 */
export function checkFolderTarget(where: string, dir: string, isReplaceable: (names: readonly string[]) => boolean): boolean {
  const full = resolve(dir);
  if (!existsSync(full)) return false;
  if (!statSync(full).isDirectory()) throw quiverError('Error', { where, what: `${dir} must be a folder (or not exist)`, got: 'an existing file' });
  const names = readdirSync(full);
  if (names.length > 0 && !isReplaceable(names)) {
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, … (${names.length} entries)` : '');
    throw quiverError('Error', { where, what: `${dir} must be a model folder, an empty folder or a new path`, got: `a folder holding other files (${shown})`, tail: '; it is left untouched' });
  }
  return true;
}

/**
 * Replaces folder `dir` by a folder holding exactly `files`, atomically for readers: the files
 * are written and fsynced into a sibling temporary folder, which is fsynced and then swapped in
 * by rename (the previous folder is renamed aside first and deleted last), so no file of a
 * previous content survives and a reader never sees a mix. A crash leaves either the old or the
 * new folder in place, or (between the two renames) both beside a missing `dir`, which
 * {@link interruptedSaves} finds. The caller must hold the folder's lock; leftovers of earlier
 * interrupted saves are removed.
 *
 * @param where - Prefix of error messages.
 * @param dir - The folder to replace (created when missing; its parent too).
 * @param files - File name → bytes; names are plain file names.
 * @param isReplaceable - Decides whether an existing non-empty folder may be replaced, given its
 *   entry names (a folder that is not of this kind is never deleted).
 * @throws {Error} when `dir` exists and is not a folder, or is a folder `isReplaceable` refuses,
 *   or on an I/O error (then nothing changed: the temporary folder is removed).
 * @example
 * await writeFolderAtomic('saveModel', 'runs/als', { 'model.json': bytes }, (names) => names.includes('model.json'));
 */
export async function writeFolderAtomic(
  where: string,
  dir: string,
  files: Readonly<Record<string, Uint8Array>>,
  isReplaceable: (names: readonly string[]) => boolean,
): Promise<void> {
  const full = resolve(dir);
  const parent = dirname(full);
  const exists = checkFolderTarget(where, dir, isReplaceable);
  await mkdir(parent, { recursive: true });
  for (const leftover of interruptedSaves(full)) await rm(leftover, { recursive: true, force: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `${siblingPrefix(full, 'tmp')}${tag}`);
  const old = join(parent, `${siblingPrefix(full, 'old')}${tag}`);
  let swappedOut = false;
  try {
    await mkdir(tmp);
    for (const name of Object.keys(files)) {
      const h = await open(join(tmp, name), 'wx');
      try {
        await h.writeFile(files[name]);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    await syncFolder(tmp);
    if (exists) {
      await rename(full, old);
      swappedOut = true;
    }
    await rename(tmp, full);
    swappedOut = false;
    await syncFolder(parent);
  } catch (err) {
    if (swappedOut) await rename(old, full).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  if (exists) await rm(old, { recursive: true, force: true });
}
