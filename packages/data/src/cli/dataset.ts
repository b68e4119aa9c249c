import { downloadMovieLens } from '../datasets/download-movielens.js';
import { MOVIELENS, MOVIELENS_NAMES, type MovieLensName } from '../datasets/movielens-catalog.js';
import { resolveDatasetsDir } from '../datasets/datasets-dir.js';

/**
 * `npm run dataset -w @quiver/data -- <name...> [--dir <folder>] [--force] [--base-url <mirror>]`: downloads
 * MovieLens variants into the datasets folder. Exits 1 with a one-line message on failure.
 * @param argv - The arguments after the script name.
 * @param log - Where lines go. @defaultValue console.log
 * @returns The process exit code (0 on success, 1 on failure).
 * @example
 * await runDatasetCli(['ml-1m']); // same as: npm run dataset -w @quiver/data -- ml-1m
 */
export async function runDatasetCli(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const names: string[] = [];
  let dir: string | undefined;
  let force = false;
  let baseUrl: string | undefined;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--dir') dir = argv[++k];
    else if (a === '--force') force = true;
    else if (a === '--base-url') baseUrl = argv[++k];
    else if (a === '--help' || a === '-h' || a === '--list') {
      log(`usage: npm run dataset -w @quiver/data -- <name...> [--dir <folder>] [--force] [--base-url <mirror>]\nnames: ${MOVIELENS_NAMES.join(', ')}\ndatasets folder: ${dir ?? resolveDatasetsDir() ?? '(none: set QUIVER_DATASETS)'}`);
      return 0;
    } else names.push(a);
  }
  if (names.length === 0) {
    log(`dataset: name must be one of ${MOVIELENS_NAMES.join(', ')}, got none`);
    return 1;
  }
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(MOVIELENS, name)) {
      log(`dataset: name must be one of ${MOVIELENS_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
      return 1;
    }
    try {
      let last = 0;
      const folder = await downloadMovieLens(name as MovieLensName, {
        dir,
        force,
        baseUrl,
        onProgress: (got, total) => {
          if (got - last >= 16 << 20) {
            last = got;
            log(`${name}: ${(got / 1e6).toFixed(0)} MB${total ? ` of ${(total / 1e6).toFixed(0)} MB` : ''}`);
          }
        },
      });
      log(`${name}: ready in ${folder}`);
    } catch (err) {
      log((err as Error).message);
      return 1;
    }
  }
  return 0;
}

const invoked = process.argv[1] !== undefined && /cli[/\\]dataset\.js$/.test(process.argv[1]);
if (invoked) {
  runDatasetCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
