import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file that marks the repository's `datasets/` folder. */
export const DATASETS_MARKER = 'quiver-datasets.json';

/**
 * The folder that holds named datasets: `$QUIVER_DATASETS` when set, else the repository's
 * `datasets/` folder, found by walking up from this module's location (it works from `src/`
 * and from `dist/`, in the repo or in node_modules of a checkout) to a `datasets/` folder that
 * contains `quiver-datasets.json`. Null when neither exists.
 * @example
 * resolveDatasetsDir(); // '/path/to/quiver/datasets'
 */
export function resolveDatasetsDir(): string | null {
  const env = process.env.QUIVER_DATASETS;
  if (env !== undefined && env !== '') return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'datasets');
    if (existsSync(join(candidate, DATASETS_MARKER))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
