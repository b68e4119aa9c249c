import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { quiverError } from '@quiver/base';

let cached: string | null = null;

/**
 * The source of Chart.js's self-contained UMD build (`chart.js/dist/chart.umd.min.js`, the
 * pinned dependency of this package), read once and cached, ready to inline in a `<script>`.
 * Any `</script` inside it is escaped so it cannot close the element early.
 *
 * @returns The JavaScript source.
 * @throws {Error} when the chart.js package cannot be found (a broken install).
 * @example
 * const js = chartLibrarySource(); // about 200 kB
 */
export function chartLibrarySource(): string {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    cached = readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  } catch (e) {
    throw quiverError('Error', { where: 'report', what: `cannot read the Chart.js library (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); reinstall @quiver/train's dependencies` });
  }
  return cached;
}
