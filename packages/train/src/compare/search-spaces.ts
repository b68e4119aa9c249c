import type { ModelKind } from '@quiver/base';
import type { SearchSpace } from '../search/search-space.js';

/** How `quiver compare` tunes one model kind. */
export interface ModelSearch {
  /** The hyper-parameters searched (empty: the model has none worth tuning, its defaults are used). */
  readonly space: SearchSpace;
  /** Options every candidate gets (e.g. threads), merged under the searched ones. */
  readonly fixed: Readonly<Record<string, unknown>>;
  /** The option holding the training budget of successive halving (epochs), or null. */
  readonly budget: string | null;
}

const log = (low: number, high: number) => ({ kind: 'loguniform' as const, low, high });
const int = (low: number, high: number, logScale = true) => ({ kind: 'int' as const, low, high, log: logScale });
const uniform = (low: number, high: number) => ({ kind: 'uniform' as const, low, high });

/**
 * The search space of every model kind: ranges around the defaults, wide enough to hold the
 * values the literature reports for MovieLens-sized data (Dacrema et al. 2019's ranges for the
 * neighbour models and EASE; Rendle et al. 2022 for iALS). The defaults themselves are always
 * evaluated as one more candidate, so tuning never ends worse on validation than the defaults.
 * @example
 * MODEL_SEARCH.ease.space; // { lambda: { kind: 'loguniform', low: 10, high: 10000 } }
 */
export const MODEL_SEARCH: Readonly<Record<ModelKind, ModelSearch>> = {
  'biased-mf': { space: { factors: int(16, 256), lr: log(0.002, 0.05), reg: log(0.005, 0.3) }, fixed: {}, budget: 'epochs' },
  baseline: { space: { reg: log(0.001, 1) }, fixed: {}, budget: 'epochs' },
  bpr: { space: { factors: int(16, 128), lr: log(0.01, 0.5), reg: log(1e-4, 0.1) }, fixed: {}, budget: 'epochs' },
  als: { space: { factors: int(16, 128), reg: log(0.01, 100), alpha: log(0.1, 50) }, fixed: {}, budget: 'epochs' },
  popularity: { space: {}, fixed: {}, budget: null },
  random: { space: {}, fixed: {}, budget: null },
  itemknn: { space: { neighbors: int(5, 1000), shrink: uniform(0, 1000) }, fixed: {}, budget: null },
  userknn: { space: { neighbors: int(5, 1000), shrink: uniform(0, 1000) }, fixed: {}, budget: null },
  rp3beta: { space: { neighbors: int(5, 1000), alpha: uniform(0, 2), beta: uniform(0, 1) }, fixed: {}, budget: null },
  p3alpha: { space: { neighbors: int(5, 1000), alpha: uniform(0, 2) }, fixed: {}, budget: null },
  ease: { space: { lambda: log(10, 10000) }, fixed: {}, budget: null },
  puresvd: { space: { factors: int(5, 500) }, fixed: {}, budget: null },
  slim: { space: { l1: log(1e-3, 10), l2: log(1e-2, 1000) }, fixed: {}, budget: null },
  svdpp: { space: { factors: int(8, 128), lr: log(0.001, 0.03), reg: log(0.005, 0.3) }, fixed: {}, budget: 'epochs' },
  'bayesian-mf': { space: { factors: int(4, 64) }, fixed: {}, budget: null },
};
