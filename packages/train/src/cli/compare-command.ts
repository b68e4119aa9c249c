import { writeFileSync } from 'node:fs';
import { DUPLICATE_POLICIES, INTERACTION_FILE_FORMATS } from '@quiver/data';
import { compareHtml } from '../compare/compare-html.js';
import { compareModels } from '../compare/compare-models.js';
import { formatCompareTable } from '../compare/compare-table.js';
import { PROTOCOLS } from '../compare/protocols.js';
import type { ItemFeatures } from '../metrics/beyond-accuracy.js';
import { CliError } from './cli-error.js';
import { CLI_MODELS, type CliModel } from './create-model.js';
import { loadCliData } from './load-cli-data.js';
import { jsonSafe, type CliIo } from './output.js';
import { parseCliArgs } from './parse-cli-args.js';
import { parseChoiceFlag, parseColumns, parseDelimiter, parseIntFlag, parseNumberFlag } from './parse-values.js';

/** The models `quiver compare` runs without `--models`. */
export const DEFAULT_COMPARE_MODELS: readonly CliModel[] = ['als', 'ease', 'itemknn', 'bpr', 'popularity'];

/**
 * `quiver compare`: every model of `--models` on one split of `--data`, each tuned on a
 * validation split of the training part, as one table with confidence intervals (stderr), JSON
 * (`--json`, stdout) and an HTML report with error bars (`--html FILE`).
 * @example
 * const code = await compareCommand(['--data', 'ml-latest-small', '--models', 'ease,popularity'], processIo());
 */
export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver compare';
  const { values } = parseCliArgs(where, args, {
    data: { type: 'string' },
    models: { type: 'string' },
    protocol: { type: 'string' },
    k: { type: 'string', short: 'k' },
    'relevant-min': { type: 'string' },
    negatives: { type: 'string' },
    trials: { type: 'string' },
    search: { type: 'string' },
    metric: { type: 'string' },
    seed: { type: 'string' },
    level: { type: 'string' },
    bootstrap: { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    journal: { type: 'string' },
    columns: { type: 'string' },
    delimiter: { type: 'string' },
    format: { type: 'string' },
    'on-invalid': { type: 'string' },
    duplicates: { type: 'string' },
  });
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) io.err(`${line}\n`);
  };
  if (values.data === undefined) throw new CliError(`${where}: --data is required (a file or a builtin dataset such as ml-latest-small)`, 2);
  const models = parseModels(where, values.models);
  const protocol = parseChoiceFlag(where, '--protocol', values.protocol, PROTOCOLS) ?? 'full';
  const k = parseIntFlag(where, '-k', values.k, 1) ?? 10;
  const relevantMin = parseNumberFlag(where, '--relevant-min', values['relevant-min']) ?? null;
  const negatives = parseIntFlag(where, '--negatives', values.negatives, 1);
  const trials = parseIntFlag(where, '--trials', values.trials, 0);
  const search = parseChoiceFlag(where, '--search', values.search, ['random', 'hyperband'] as const);
  const seed = parseIntFlag(where, '--seed', values.seed, 0);
  const level = parseNumberFlag(where, '--level', values.level, { lo: 0, hi: 1, loOpen: true, hiOpen: true });
  const bootstrapSamples = parseIntFlag(where, '--bootstrap', values.bootstrap, 1);
  const threads = parseIntFlag(where, '--threads', values.threads, 1);
  if (negatives !== undefined && protocol !== 'loo-sampled') throw new CliError(`${where}: --negatives applies to --protocol loo-sampled only (got --protocol ${protocol})`, 2);
  if (values.html !== undefined && values.html === '') throw new CliError(`${where}: --html needs a file name`, 2);
  const loaded = await loadCliData(where, '--data', values.data, {
    columns: parseColumns(where, values.columns),
    delimiter: parseDelimiter(where, values.delimiter),
    format: parseChoiceFlag(where, '--format', values.format, INTERACTION_FILE_FORMATS),
    onInvalid: parseChoiceFlag(where, '--on-invalid', values['on-invalid'], ['error', 'skip'] as const),
    duplicates: parseChoiceFlag(where, '--duplicates', values.duplicates, DUPLICATE_POLICIES),
    withTitles: true,
  });
  const data = loaded.interactions;
  const itemFeatures = loaded.genres === null ? undefined : genreSets(loaded.genres);
  say(`quiver: ${values.data}: ${data.length.toLocaleString('en-US')} interactions; comparing ${models.join(', ')} under --protocol ${protocol}${itemFeatures === undefined ? '' : ' (diversity by genres)'}`);
  const result = compareModels(data, {
      models,
      protocol,
      k,
      relevantMin,
      ...(negatives === undefined ? {} : { negatives }),
      ...(trials === undefined ? {} : { trials }),
      ...(search === undefined ? {} : { search }),
      ...(values.metric === undefined ? {} : { metric: values.metric }),
      ...(seed === undefined ? {} : { seed }),
      ...(level === undefined ? {} : { level }),
      ...(bootstrapSamples === undefined ? {} : { bootstrapSamples }),
      ...(threads === undefined ? {} : { threads }),
      ...(itemFeatures === undefined ? {} : { itemFeatures }),
      ...(values.journal === undefined ? {} : { journal: values.journal }),
      onProgress: (line) => say(`quiver: ${line}`),
  });
  say('');
  if (!json) io.err(formatCompareTable(result, values.data));
  if (values.html !== undefined) {
    writeFileSync(values.html, compareHtml(result, values.data));
    say(`quiver: wrote ${values.html}`);
  }
  if (json) io.out(`${JSON.stringify(jsonSafe({ command: 'compare', source: values.data, ...result }))}\n`);
  return 0;
}

function parseModels(where: string, value: string | undefined): CliModel[] {
  if (value === undefined) return [...DEFAULT_COMPARE_MODELS];
  const names = value.split(',').map((s) => s.trim());
  const out: CliModel[] = [];
  for (const name of names) {
    if (!(CLI_MODELS as readonly string[]).includes(name)) throw new CliError(`${where}: --models: unknown model ${JSON.stringify(name)}; the models are ${CLI_MODELS.join(', ')}`, 2);
    if (out.includes(name as CliModel)) throw new CliError(`${where}: --models names ${JSON.stringify(name)} twice`, 2);
    out.push(name as CliModel);
  }
  return out;
}

/** MovieLens genres per item as an item → genre-id CSR (sorted ids per item), for diversity. */
function genreSets(genres: ReadonlyArray<readonly string[]>): ItemFeatures {
  const ids = new Map<string, number>();
  const indptr = new Int32Array(genres.length + 1);
  const flat: number[] = [];
  for (let i = 0; i < genres.length; i++) {
    const row: number[] = [];
    for (const g of genres[i]) {
      if (g === '(no genres listed)') continue;
      let id = ids.get(g);
      if (id === undefined) ids.set(g, (id = ids.size));
      if (!row.includes(id)) row.push(id);
    }
    row.sort((a, b) => a - b);
    flat.push(...row);
    indptr[i + 1] = flat.length;
  }
  return { kind: 'sets', indptr, indices: Int32Array.from(flat) };
}
