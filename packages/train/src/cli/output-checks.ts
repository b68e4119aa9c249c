import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkSaveTarget, ModelDirLock } from '@quiver/mf';
import { QuiverError } from '@quiver/base';
import { CliError, cliErrorFrom } from './cli-error.js';

/**
 * Takes the lock of the --out folder for the whole run, after checking that a model may be
 * saved there, so a second `quiver train --out` into it is refused at once (naming this run)
 * and a bad --out fails before training rather than after.
 */
export function lockOutput(where: string, out: string): ModelDirLock {
  if (out === '') throw new CliError(`${where}: --out needs a folder`, 2);
  try {
    checkSaveTarget(out, where);
    mkdirSync(dirname(resolve(out)), { recursive: true });
    accessSync(dirname(resolve(out)), constants.W_OK);
    return ModelDirLock.acquire(out, `quiver train --out ${out}`);
  } catch (e) {
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 1, `cannot write --out ${out}: `);
    throw new CliError(`${where}: cannot write --out ${out}: ${(e as Error).message}`);
  }
}

/**
 * Checks, before training, that file `path` can be written: it is not a folder, and its folder
 * exists (it is created, like --out's parent) and is writable. Writes no file.
 */
export function checkWritableFile(where: string, flag: string, path: string): void {
  if (path === '') throw new CliError(`${where}: ${flag} needs a file name`, 2);
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new CliError(`${where}: ${flag} must be a file path, got the folder ${path}`);
  const folder = dirname(full);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    if (existsSync(full)) accessSync(full, constants.W_OK);
  } catch (e) {
    throw new CliError(`${where}: cannot write ${flag} ${path}: ${(e as Error).message}`);
  }
}
