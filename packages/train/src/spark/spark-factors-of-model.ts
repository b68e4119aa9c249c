import { quiverError } from '@quiver/base';
import { FactorModel, WEIGHT_NAMES, type FoldInRecommender } from '@quiver/mf';

/** A model's scores as Spark ALS factors: `score(u, i) = ⟨users[u], items[i]⟩`. */
export interface SparkFactorTables {
  /** Row-major `numUsers × rank`. */
  readonly users: Float32Array;
  /** Row-major `numItems × rank`. */
  readonly items: Float32Array;
  /** Values per vector: the model's factors, plus one per folded bias column. */
  readonly rank: number;
  /** The model's own number of factors. */
  readonly factors: number;
  /**
   * The bias columns appended after the factors (empty for ALS and PureSVD): `'user'` (users
   * hold `mu + b_u`, items 1) and `'item'` (users hold 1, items `b_i`).
   */
  readonly biasColumns: readonly ('user' | 'item')[];
}

/**
 * The factor tables of a fitted factor model in Spark ALS's form, whose dot product is the
 * model's score. Biases are folded in as extra columns when the model has them (BiasedMF,
 * SVD++, BayesianMF, BPR with item biases): a user vector `[p_u, mu + b_u, 1]` against an item
 * vector `[q_i, 1, b_i]` gives `mu + b_u + b_i + ⟨p_u, q_i⟩`, the model's `scoreAllItems` (equal up
 * to float32 rounding; explicit models' `predict` also clips to the training ratings' range,
 * which a dot product does not).
 * @param where - Prefix of error messages.
 * @throws {TypeError} for a model that is not a factor model, or one without latent factors
 *   (Baseline), naming its kind.
 * @example
 * const { users, items, rank } = sparkFactorsOf('exportForSpark', model);
 */
export function sparkFactorsOf(where: string, model: FoldInRecommender): SparkFactorTables {
  if (!(model instanceof FactorModel)) {
    throw quiverError('TypeError', { where, what: `options.model must be a factor model (als, bpr, biased-mf, svdpp, puresvd, bayesian-mf: Spark ALS holds user and item vectors)`, got: `a '${model.kind}' model` });
  }
  const state = model.getState();
  const p = state[WEIGHT_NAMES.userFactors];
  const q = state[WEIGHT_NAMES.itemFactors];
  if (p === undefined || q === undefined) {
    throw quiverError('TypeError', { where, what: 'options.model must have latent factors (Spark ALS holds user and item vectors)', got: `a '${model.kind}' model without factors` });
  }
  const k = p.shape[1];
  const nu = model.numUsers;
  const ni = model.numItems;
  const bu = state[WEIGHT_NAMES.userBias]?.data ?? null;
  const bi = state[WEIGHT_NAMES.itemBias]?.data ?? null;
  const mu = state[WEIGHT_NAMES.globalMean]?.data[0] ?? 0;
  const biasColumns: ('user' | 'item')[] = [];
  if (bu !== null || mu !== 0) biasColumns.push('user');
  if (bi !== null) biasColumns.push('item');
  if (biasColumns.length === 0) return { users: p.data, items: q.data, rank: k, factors: k, biasColumns };
  const rank = k + biasColumns.length;
  const users = new Float32Array(nu * rank);
  const items = new Float32Array(ni * rank);
  const P = p.data;
  const Q = q.data;
  const userCol = biasColumns.indexOf('user');
  const itemCol = biasColumns.indexOf('item');
  for (let u = 0; u < nu; u++) {
    const o = u * rank;
    for (let f = 0; f < k; f++) users[o + f] = P[u * k + f];
    if (userCol >= 0) users[o + k + userCol] = mu + (bu === null ? 0 : bu[u]);
    if (itemCol >= 0) users[o + k + itemCol] = 1;
  }
  for (let i = 0; i < ni; i++) {
    const o = i * rank;
    for (let f = 0; f < k; f++) items[o + f] = Q[i * k + f];
    if (userCol >= 0) items[o + k + userCol] = 1;
    if (itemCol >= 0) items[o + k + itemCol] = bi![i];
  }
  return { users, items, rank, factors: k, biasColumns };
}
