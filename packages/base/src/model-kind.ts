/** The model kinds `@quiver/mf`'s `createModel`, its weight files and the `quiver` CLI know. */
export type ModelKind =
  | 'biased-mf' | 'baseline' | 'bpr' | 'als' | 'popularity' | 'random' | 'itemknn' | 'rp3beta' | 'p3alpha'
  | 'userknn' | 'ease' | 'puresvd' | 'slim' | 'svdpp' | 'bayesian-mf';

/**
 * Every model kind, in the order the docs list them.
 * @example
 * MODEL_KINDS.includes('als'); // true
 */
export const MODEL_KINDS: readonly ModelKind[] = ['biased-mf', 'baseline', 'bpr', 'als', 'popularity', 'random', 'itemknn', 'rp3beta', 'p3alpha', 'userknn', 'ease', 'puresvd', 'slim', 'svdpp', 'bayesian-mf'];
