import { DUPLICATE_POLICIES, INTERACTION_FILE_FORMATS } from '@quiver/data';
import { defaultMemoryBudget, type FoldInRecommender } from '@quiver/mf';
import { isExplicitModel } from '../model-types.js';
import { CliError } from './cli-error.js';
import { CLI_MODELS, createCliModel, type CliHyperParams, type CliModel } from './create-model.js';
import type { CliDataOptions } from './load-cli-data.js';
import { parseCliArgs, type ParsedFlags } from './parse-cli-args.js';
import { parseBytesFlag, parseChoiceFlag, parseColumns, parseDelimiter, parseIntFlag, parseNumberFlag } from './parse-values.js';

const SPLITS = ['random', 'user-ratio', 'leave-last-out'] as const;
const SCHEDULES = ['shuffle', 'blocks'] as const;

/** The flags of `quiver train`. */
const TRAIN_FLAGS = {
  data: { type: 'string' },
  test: { type: 'string' },
  'test-ratio': { type: 'string' },
  split: { type: 'string' },
  model: { type: 'string' },
  factors: { type: 'string' },
  /** The old name of --factors: refused with a pointer to it. */
  dim: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  reg: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  schedule: { type: 'string' },
  neighbors: { type: 'string' },
  shrink: { type: 'string' },
  similarity: { type: 'string' },
  weighting: { type: 'string' },
  alpha: { type: 'string' },
  beta: { type: 'string' },
  lambda: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'boolean' },
  out: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'boolean' },
  columns: { type: 'string' },
  delimiter: { type: 'string' },
  format: { type: 'string' },
  'on-invalid': { type: 'string' },
  duplicates: { type: 'string' },
  'id-type': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  'max-memory': { type: 'string' },
  'relevant-min': { type: 'string' },
} as const;

/** A `quiver train` run as its flags describe it, every value checked (nothing read or written yet). */
export interface TrainPlan {
  /** The command's name for messages. */
  readonly where: string;
  /** The raw flags. */
  readonly values: ParsedFlags<typeof TRAIN_FLAGS> & { data: string };
  /** `--json`: one JSON object on stdout, nothing on stderr. */
  readonly json: boolean;
  readonly kind: CliModel;
  readonly split: string;
  readonly testRatio: number | undefined;
  readonly seed: number | undefined;
  readonly threads: number | undefined;
  readonly relevantMin: number | null;
  readonly kindIsMf: boolean;
  /** Whether the model has a multi-threaded solver. */
  readonly threaded: boolean;
  readonly usedThreads: number;
  readonly hyper: CliHyperParams;
  /** How `--data` and `--test` are read. */
  readonly readOptions: CliDataOptions;
  /** `--max-memory` as given, or undefined. */
  readonly maxMemoryFlag: number | undefined;
  /** The memory budget in bytes (the flag, else half of this machine's memory). */
  readonly maxMemory: number;
  /** The untrained model and the options it was built with. */
  readonly model: FoldInRecommender;
  readonly options: Record<string, unknown>;
  readonly explicit: boolean;
  readonly checkpointDir: string | undefined;
  readonly reportPath: string | undefined;
}

/**
 * Parses and checks the flags of `quiver train` (usage errors exit with code 2).
 * @throws {CliError} for a missing, unknown or malformed flag or a combination that does not apply.
 * @example
 * const plan = parseTrainArgs(['--data', 'ml-latest-small', '--model', 'als']);
 */
export function parseTrainArgs(args: string[]): TrainPlan {
  const where = 'quiver train';
  const { values } = parseCliArgs(where, args, TRAIN_FLAGS);
  const json = values.json === true;
  if (values.data === undefined) throw new CliError(`${where}: --data is required (a file or a builtin name such as ml-latest-small)`, 2);
  const kind = (values.model ?? 'biased-mf') as CliModel;
  if (!(CLI_MODELS as readonly string[]).includes(kind)) throw new CliError(`${where}: --model must be one of ${CLI_MODELS.join(', ')}, got ${JSON.stringify(values.model)}`, 2);
  const split = values.split ?? 'random';
  if (!(SPLITS as readonly string[]).includes(split)) throw new CliError(`${where}: --split must be one of ${SPLITS.join(', ')}, got ${JSON.stringify(split)}`, 2);
  const testRatio = parseNumberFlag(where, '--test-ratio', values['test-ratio'], { lo: 0, hi: 1, loOpen: true, hiOpen: true });
  if (values.test !== undefined && (values.split !== undefined || testRatio !== undefined)) {
    throw new CliError(`${where}: --test cannot be combined with --split or --test-ratio`, 2);
  }
  if (split === 'leave-last-out' && testRatio !== undefined) throw new CliError(`${where}: --test-ratio does not apply to --split leave-last-out`, 2);
  const seed = parseIntFlag(where, '--seed', values.seed, 0);
  const threads = parseIntFlag(where, '--threads', values.threads, 1);
  const relevantMin = parseNumberFlag(where, '--relevant-min', values['relevant-min']) ?? null;
  const kindIsMf = kind === 'biased-mf';
  // Models with a multi-threaded solver (the others say they train on one thread).
  const threaded = kindIsMf || kind === 'als' || kind === 'itemknn' || kind === 'userknn' || kind === 'rp3beta' || kind === 'p3alpha' || kind === 'slim';
  if (values.schedule !== undefined && !(SCHEDULES as readonly string[]).includes(values.schedule)) {
    throw new CliError(`${where}: --schedule must be one of ${SCHEDULES.join(', ')}, got ${JSON.stringify(values.schedule)}`, 2);
  }
  // BiasedMF trains on several threads with the blocks schedule, which --threads N > 1 implies.
  const schedule = (values.schedule ?? (kindIsMf && threads !== undefined && threads > 1 ? 'blocks' : undefined)) as CliHyperParams['schedule'];
  // One name per concept: the models' option is `factors` (core's Embedding calls it embeddingDim).
  if (values.dim !== undefined) throw new CliError(`${where}: --dim is now --factors (the models' option name); pass --factors ${values.dim}`, 2);
  const hyper: CliHyperParams = {
    factors: parseIntFlag(where, '--factors', values.factors, 1),
    epochs: parseIntFlag(where, '--epochs', values.epochs, 1),
    lr: parseNumberFlag(where, '--lr', values.lr, { lo: 0, loOpen: true }),
    reg: parseNumberFlag(where, '--reg', values.reg, { lo: 0 }),
    seed,
    schedule,
    threads: threaded ? threads : undefined,
    neighbors: parseIntFlag(where, '--neighbors', values.neighbors, 1),
    shrink: parseNumberFlag(where, '--shrink', values.shrink, { lo: 0 }),
    similarity: parseChoiceFlag(where, '--similarity', values.similarity, ['cosine', 'asymmetric-cosine', 'jaccard'] as const),
    weighting: parseChoiceFlag(where, '--weighting', values.weighting, ['none', 'tfidf', 'bm25'] as const),
    alpha: parseNumberFlag(where, '--alpha', values.alpha, { lo: 0 }),
    beta: parseNumberFlag(where, '--beta', values.beta, { lo: 0 }),
    lambda: parseNumberFlag(where, '--lambda', values.lambda, { lo: 0 }),
  };
  const columns = parseColumns(where, values.columns);
  const delimiter = parseDelimiter(where, values.delimiter);
  const readOptions = {
    columns,
    delimiter,
    format: parseChoiceFlag(where, '--format', values.format, INTERACTION_FILE_FORMATS),
    onInvalid: parseChoiceFlag(where, '--on-invalid', values['on-invalid'], ['error', 'skip'] as const),
    duplicates: parseChoiceFlag(where, '--duplicates', values.duplicates, DUPLICATE_POLICIES),
    idType: parseChoiceFlag(where, '--id-type', values['id-type'], ['auto', 'number', 'string'] as const),
    maxLineBytes: parseBytesFlag(where, '--max-line-bytes', values['max-line-bytes']),
  };
  const maxMemoryFlag = parseBytesFlag(where, '--max-memory', values['max-memory']);
  const maxMemory = maxMemoryFlag ?? defaultMemoryBudget();
  const { model, options } = createCliModel(where, kind, hyper);
  const usedThreads = threaded ? (threads ?? 1) : 1;
  const checkpointDir = values.checkpoint;
  if (checkpointDir === '') throw new CliError(`${where}: --checkpoint needs a folder`, 2);
  if (values.resume === true && checkpointDir === undefined) throw new CliError(`${where}: --resume needs --checkpoint DIR (the folder the interrupted run wrote its checkpoints to)`, 2);
  const explicit = isExplicitModel(model);

  return {
    where,
    values: values as TrainPlan['values'],
    json,
    kind,
    split,
    testRatio,
    seed,
    threads,
    relevantMin,
    kindIsMf,
    threaded,
    usedThreads,
    hyper,
    readOptions,
    maxMemoryFlag,
    maxMemory,
    model,
    options,
    explicit,
    checkpointDir,
    reportPath: values.report,
  };
}
