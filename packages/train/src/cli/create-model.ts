import { createModel, type FoldInRecommender } from '@quiver/mf';
import { MODEL_KINDS, QuiverError, type ModelKind } from '@quiver/base';
import { CliError, cliErrorFrom } from './cli-error.js';

/** The model names `quiver train --model` accepts: every model kind of `@quiver/mf`. */
export const CLI_MODELS: readonly ModelKind[] = MODEL_KINDS;

/** A model name of the CLI. */
export type CliModel = ModelKind;

/** Hyper-parameters settable from the command line (undefined: the model's default). */
export interface CliHyperParams {
  readonly factors?: number;
  readonly epochs?: number;
  readonly lr?: number;
  readonly reg?: number;
  readonly seed?: number;
  /** BiasedMF's SGD visiting order: `shuffle` or `blocks` (its `solver.schedule`). */
  readonly schedule?: 'shuffle' | 'blocks';
  /** Training threads (BiasedMF's `blocks` schedule, ALS's CG sweeps: their `solver.threads`; the neighbour models' `threads`). */
  readonly threads?: number;
  /** Neighbours kept per item (ItemKNN, RP3beta, P3alpha) or per user (UserKNN). */
  readonly neighbors?: number;
  /** ItemKNN's and UserKNN's similarity shrinkage. */
  readonly shrink?: number;
  /** ItemKNN's and UserKNN's similarity kind (its defaults). */
  readonly similarity?: 'cosine' | 'asymmetric-cosine' | 'jaccard';
  /** ItemKNN's and UserKNN's interaction weighting kind (its defaults). */
  readonly weighting?: 'none' | 'tfidf' | 'bm25';
  /** RP3beta / P3alpha: the walk's exponent; ALS: the confidence slope. */
  readonly alpha?: number;
  /** RP3beta's popularity penalty. */
  readonly beta?: number;
  /** EASE's L2 penalty. */
  readonly lambda?: number;
}

/** The models whose `threads` is a top-level option (the neighbour computation's threads). */
const NEIGHBOR_MODELS: readonly CliModel[] = ['itemknn', 'userknn', 'rp3beta', 'p3alpha', 'slim'];

/** Which CLI hyper-parameters each model has. */
const APPLIES: Record<CliModel, ReadonlyArray<keyof CliHyperParams>> = {
  'biased-mf': ['factors', 'epochs', 'lr', 'reg', 'seed', 'schedule', 'threads'],
  baseline: ['epochs', 'lr', 'reg', 'seed'],
  bpr: ['factors', 'epochs', 'lr', 'reg', 'seed'],
  als: ['factors', 'epochs', 'reg', 'seed', 'threads', 'alpha'],
  popularity: [],
  random: ['seed'],
  itemknn: ['neighbors', 'shrink', 'similarity', 'weighting', 'threads'],
  rp3beta: ['neighbors', 'alpha', 'beta', 'threads'],
  p3alpha: ['neighbors', 'alpha', 'threads'],
  userknn: ['neighbors', 'shrink', 'similarity', 'weighting', 'threads'],
  ease: ['lambda'],
  puresvd: ['factors', 'seed'],
  slim: ['neighbors', 'threads'],
  svdpp: ['factors', 'epochs', 'lr', 'reg', 'seed'],
  'bayesian-mf': ['factors', 'epochs', 'seed'],
};

/**
 * Builds an untrained model from CLI flags with `@quiver/mf`'s `createModel` (the one factory).
 * The flags are the options of the same name, except `--schedule` and `--threads`, which build the
 * model's `solver` (BiasedMF `{ kind: 'sgd', schedule, threads }`, ALS `{ kind: 'cg', threads }`).
 * A flag the model has no use for is an error rather than silently ignored (`--lr` with ALS,
 * `--factors` with popularity).
 * @returns The model and the options it was built with.
 * @throws {CliError} for a flag that does not apply to the model.
 * @example
 * const { model } = createCliModel('quiver train', 'als', { factors: 64, epochs: 15 });
 */
export function createCliModel(where: string, kind: CliModel, params: CliHyperParams): { model: FoldInRecommender; options: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  for (const key of Object.keys(params) as (keyof CliHyperParams)[]) {
    const value = params[key];
    if (value === undefined) continue;
    if (!APPLIES[kind].includes(key)) {
      // --seed is harmless for deterministic models: accept it without passing it on.
      if (key === 'seed') continue;
      throw new CliError(`${where}: --${key} does not apply to model '${kind}'`, 2);
    }
    if (key !== 'schedule' && key !== 'threads') options[key] = value;
  }
  const { schedule, threads } = params;
  if (kind === 'biased-mf' && (schedule !== undefined || threads !== undefined)) {
    if (schedule !== 'blocks' && threads !== undefined && threads > 1) {
      throw new CliError(`${where}: --threads ${threads} needs --schedule blocks (the shuffle schedule trains on one thread)`, 2);
    }
    options.solver = schedule === 'blocks' ? { kind: 'sgd', schedule, ...(threads === undefined ? {} : { threads }) } : { kind: 'sgd', schedule: 'shuffle' };
  }
  if (kind === 'als' && threads !== undefined) options.solver = { kind: 'cg', threads };
  if (NEIGHBOR_MODELS.includes(kind) && threads !== undefined) options.threads = threads;
  try {
    return { model: createModel(kind, options), options };
  } catch (e) {
    // A combination the model rejects (threads with a dimension the SIMD kernels cannot take, …).
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 2);
    throw e;
  }
}
