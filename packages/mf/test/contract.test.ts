import { ALS, BPR, Baseline, BiasedMF, EASE, ItemKNN, P3alpha, Popularity, RP3beta, RandomRecommender, UserKNN } from '../src/index.js';
import { describeRecommenderContract } from './recommender-contract.js';

describeRecommenderContract('BiasedMF (sgd)', () => new BiasedMF({ factors: 4, epochs: 60, lr: 0.02, reg: 0.02 }), {
  explicit: true,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract(
  'BiasedMF (minibatch, sparse-adam)',
  () => new BiasedMF({ factors: 4, epochs: 60, lr: 0.05, reg: 0.02, solver: { kind: 'minibatch', optimizer: 'sparse-adam', batchSize: 8 } }),
  { explicit: true, foldInApproximates: true, learnsGroups: true },
);
describeRecommenderContract('Baseline', () => new Baseline({ epochs: 30, lr: 0.02 }), {
  explicit: true,
  foldInApproximates: true,
  learnsGroups: false,
});
describeRecommenderContract('BPR', () => new BPR({ factors: 4, epochs: 200, lr: 0.05, foldInEpochs: 200 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('ALS (cg)', () => new ALS({ factors: 2, epochs: 10, reg: 0.1 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('ALS (cholesky)', () => new ALS({ factors: 2, epochs: 10, reg: 0.1, solver: 'cholesky' }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('Popularity', () => new Popularity(), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: false,
});
describeRecommenderContract('RandomRecommender', () => new RandomRecommender({ seed: 3 }), {
  explicit: false,
  foldInApproximates: false,
  learnsGroups: false,
});
describeRecommenderContract('ItemKNN (cosine)', () => new ItemKNN({ neighbors: 5, shrink: 0 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('ItemKNN (jaccard, bm25)', () => new ItemKNN({ neighbors: 5, similarity: 'jaccard', weighting: 'bm25' }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('RP3beta', () => new RP3beta({ neighbors: 5 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('P3alpha (normalized)', () => new P3alpha({ neighbors: 5, normalize: true }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('UserKNN (cosine)', () => new UserKNN({ neighbors: 8, shrink: 0 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('UserKNN (jaccard, tfidf)', () => new UserKNN({ neighbors: 8, similarity: 'jaccard', weighting: 'tfidf' }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('EASE', () => new EASE({ lambda: 5 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
