import { describeValue, MODEL_KINDS, type ModelKind, quiverError } from '@quiver/base';
import { ALS } from './als.js';
import { Baseline } from './baseline.js';
import { BiasedMF } from './biased-mf.js';
import { BPR } from './bpr.js';
import { BayesianMF } from './bayesian-mf.js';
import { EASE } from './ease.js';
import { PureSVD } from './pure-svd.js';
import { SLIM } from './slim.js';
import { SVDpp } from './svdpp.js';
import { ItemKNN } from './item-knn.js';
import { UserKNN } from './user-knn.js';
import { Popularity } from './popularity.js';
import { P3alpha, RP3beta } from './rp3beta.js';
import { RandomRecommender } from './random-recommender.js';
import type { FoldInRecommender } from './fold-in-recommender.js';


/**
 * Creates an unfitted model of `kind` from its options (such as `getConfig()` of another model,
 * or the `config` of a `model.json`). The options are checked by the model's constructor.
 *
 * @param kind - One of `MODEL_KINDS` (`@quiver/base`).
 * @param config - The model's options.
 * @returns A new model.
 * @throws {RangeError} for an unknown kind; as the model's constructor for bad options.
 * @example
 * const copy = createModel(model.kind, model.getConfig());
 */
export function createModel(kind: ModelKind, config: Record<string, unknown> = {}): FoldInRecommender {
  const o = config as never;
  switch (kind) {
    case 'biased-mf':
      return new BiasedMF(o);
    case 'baseline':
      return new Baseline(o);
    case 'bpr':
      return new BPR(o);
    case 'als':
      return new ALS(o);
    case 'popularity':
      return new Popularity(o);
    case 'random':
      return new RandomRecommender(o);
    case 'itemknn':
      return new ItemKNN(o);
    case 'rp3beta':
      return new RP3beta(o);
    case 'p3alpha':
      return new P3alpha(o);
    case 'userknn':
      return new UserKNN(o);
    case 'ease':
      return new EASE(o);
    case 'puresvd':
      return new PureSVD(o);
    case 'slim':
      return new SLIM(o);
    case 'svdpp':
      return new SVDpp(o);
    case 'bayesian-mf':
      return new BayesianMF(o);
    default:
      throw quiverError('RangeError', { where: 'createModel', what: `kind must be one of ${MODEL_KINDS.map((k) => `'${k}'`).join(', ')}`, got: `${describeValue(kind)}` });
  }
}
