import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { describeValue, quiverError } from '@quiver/base';

/** What a lock file holds (JSON). */
interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly purpose: string;
}

/**
 * The lock file that guards model folder `dir`: `<parent>/.<name>.lock`, beside the folder so
 * that it survives the folder being swapped.
 * @example
 * lockPath('runs/als'); // 'runs/.als.lock'
 */
export function lockPath(dir: string): string {
  const full = resolve(dir);
  return join(dirname(full), `.${basename(full)}.lock`);
}

/** True when process `pid` on this host is alive (EPERM means alive, owned by another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseLock(text: string | null): LockInfo | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.host === 'string') {
      return { pid: v.pid, host: v.host, startedAt: String(v.startedAt ?? '?'), purpose: String(v.purpose ?? '?') };
    }
  } catch {
    // Missing (released meanwhile) or unreadable: handled by the caller.
  }
  return null;
}

/** Removes the lock file only if it still holds `text` (narrows the race with another taker). */
function removeIfUnchanged(path: string, text: string | null): void {
  if (readText(path) === text) rmSync(path, { force: true });
}

/**
 * An exclusive lock on a model folder, so that two writers (two `quiver train --out D` runs, or
 * two `saveModel` calls from different processes) never interleave and one model never silently
 * replaces another. The lock is a file created with `O_EXCL` (`wx`) beside the folder, holding
 * the writer's pid, host, start time and purpose. A lock left by a process that no longer runs on
 * this host is stale and is taken over; a live one makes `acquire` throw an error naming it.
 * Locks held by the same process are not re-entrant: pass the held lock to `saveModel`.
 *
 * @example
 * const lock = ModelDirLock.acquire('runs/als', 'quiver train');
 * try { await saveModel(model, 'runs/als', { lock }); } finally { lock.release(); }
 */
export class ModelDirLock {
  /** The model folder this lock guards (absolute). */
  readonly dir: string;
  /** The lock file. */
  readonly path: string;
  private held = true;
  private readonly startedAt: string;

  private constructor(dir: string, path: string, startedAt: string) {
    this.dir = dir;
    this.path = path;
    this.startedAt = startedAt;
  }

  /**
   * Takes the lock of folder `dir` (which need not exist yet; its parent is created).
   * @param dir - The model folder.
   * @param purpose - Who takes it, shown to a second writer (such as `'quiver train'`).
   * @returns The held lock.
   * @throws {Error} when another live process holds the lock (the message names its pid, host,
   *   start time and purpose, and the lock file), or when the lock file cannot be created.
   */
  static acquire(dir: string, purpose = 'saveModel'): ModelDirLock {
    if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where: 'ModelDirLock.acquire', what: 'dir must be a non-empty string', got: describeValue(dir) });
    const full = resolve(dir);
    const path = lockPath(full);
    const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), purpose };
    // The lock's content is written to a private file first and then hard-linked to the lock
    // name: link() fails with EEXIST atomically, and a reader never sees a half-written lock.
    const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(mine, `${JSON.stringify(info)}\n`, { flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw quiverError('Error', { where: 'ModelDirLock.acquire', what: `the parent folder of ${dir} must exist`, got: `a missing folder ${dirname(full)}` });
      throw quiverError('Error', { where: 'ModelDirLock.acquire', what: `cannot create the lock file ${path}: ${(err as Error).message}` });
    }
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(mine, path);
          return new ModelDirLock(full, path, info.startedAt);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw quiverError('Error', { where: 'ModelDirLock.acquire', what: `cannot create the lock file ${path}: ${(err as Error).message}` });
        }
        const text = readText(path);
        const other = parseLock(text);
        if (text === null) continue; // released meanwhile
        if (other === null || (other.host === hostname() && other.pid !== process.pid && !isAlive(other.pid))) {
          removeIfUnchanged(path, text); // corrupt, or its writer is gone: a stale lock
          continue;
        }
        const who = other.pid === process.pid && other.host === hostname() ? 'this process' : `process ${other.pid} on ${other.host}`;
        throw quiverError('Error', { where: 'ModelDirLock.acquire', what: `${dir} must not be written by two writers at once`, got: `a lock held by ${who} (${other.purpose}, since ${other.startedAt})`, tail: `; wait for it to finish, choose another folder, or delete ${path} if that process is gone` });
      }
      throw quiverError('Error', { where: 'ModelDirLock.acquire', what: `cannot take the lock ${path}: it keeps reappearing` });
    } finally {
      rmSync(mine, { force: true });
    }
  }

  /**
   * The folder a lock on `dir` guards: `dir` resolved to an absolute path (what `lock.dir` holds).
   * @example
   * ModelDirLock.folderOf('runs/als') === lock.dir;
   */
  static folderOf(dir: string): string {
    return resolve(dir);
  }

  /** True until {@link ModelDirLock.release}. */
  get isHeld(): boolean {
    return this.held;
  }

  /** Releases the lock (idempotent). Only removes the file when it still holds this process's pid. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const text = readText(this.path);
    const other = parseLock(text);
    if (other !== null && other.pid === process.pid && other.host === hostname() && other.startedAt === this.startedAt) removeIfUnchanged(this.path, text);
  }
}
