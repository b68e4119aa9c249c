import { createModel, type FoldInRecommender } from '@quiver/mf';
import { MODEL_KINDS, QuiverError, type ModelKind } from '@quiver/base';
import { CliError, cliErrorFrom } from './cli-error.js';

/** The model names `quiver train --model` accepts: every model kind of `@quiver/mf`. */
export const CLI_MODELS: readonly ModelKind[] = MODEL_KINDS;

/** A model name of the CLI. */
export type CliModel = ModelKind;

/** Hyper-parameters settable from the command line (undefined: the model's default). */
export interface CliHyperParams {
  readonly dim?: number;
  readonly epochs?: number;
  readonly lr?: number;
  readonly reg?: number;
  readonly seed?: number;
  /** BiasedMF's SGD visiting order: `shuffle` or `blocks`. */
  readonly schedule?: string;
  /** Training threads (BiasedMF's `blocks` schedule, ALS's CG sweeps). */
  readonly threads?: number;
}

/** Which CLI hyper-parameters each model has (the flag name → the model option). */
const APPLIES: Record<CliModel, Partial<Record<keyof CliHyperParams, string>>> = {
  'biased-mf': { dim: 'factors', epochs: 'epochs', lr: 'lr', reg: 'reg', seed: 'seed', schedule: 'schedule', threads: 'threads' },
  baseline: { epochs: 'epochs', lr: 'lr', reg: 'reg', seed: 'seed' },
  bpr: { dim: 'factors', epochs: 'epochs', lr: 'lr', reg: 'reg', seed: 'seed' },
  als: { dim: 'factors', epochs: 'epochs', reg: 'reg', seed: 'seed', threads: 'threads' },
  popularity: {},
  random: { seed: 'seed' },
};

/**
 * Builds an untrained model from CLI flags with `@quiver/mf`'s `createModel` (the one factory). A flag the model has no use for is an error
 * rather than silently ignored (`--lr` with ALS, `--dim` with popularity).
 * @returns The model and the options it was built with.
 * @throws {CliError} for a flag that does not apply to the model.
 * @example
 * const { model } = createCliModel('quiver train', 'als', { dim: 64, epochs: 15 });
 */
export function createCliModel(where: string, kind: CliModel, params: CliHyperParams): { model: FoldInRecommender; options: Record<string, number | string> } {
  const options: Record<string, number | string> = {};
  for (const key of Object.keys(params) as (keyof CliHyperParams)[]) {
    const value = params[key];
    if (value === undefined) continue;
    const option = APPLIES[kind][key];
    if (option === undefined) {
      // --seed is harmless for deterministic models: accept it without passing it on.
      if (key === 'seed') continue;
      throw new CliError(`${where}: --${key} does not apply to model '${kind}'`, 2);
    }
    options[option] = value;
  }
  try {
    return { model: createModel(kind, options), options };
  } catch (e) {
    // A combination the model rejects (threads with a dimension the SIMD kernels cannot take, …).
    if (e instanceof QuiverError) throw cliErrorFrom(where, e, 2);
    throw e;
  }
}
