import { BayesianMF } from '../src/bayesian-mf.js';
import { SVDpp } from '../src/svdpp.js';
import { describeRecommenderContract } from './recommender-contract.js';

describeRecommenderContract('SVDpp', () => new SVDpp({ factors: 4, epochs: 60, lr: 0.02, lrBias: 0.02, reg: 0.02 }), {
  explicit: true,
  foldInApproximates: true,
  learnsGroups: true,
});
// A fixed noise precision: with alpha sampled, the fit of the tiny fixture is so tight that
// several predictions pass the top of the rating range, and their clipped ties break the
// contract's "ranks with the same scores as predict" check (ranking is by unclipped scores).
describeRecommenderContract('BayesianMF (biases, fixed alpha)', () => new BayesianMF({ factors: 3, epochs: 40, burnIn: 10, alpha: 2 }), {
  explicit: true,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('BayesianMF (no biases, sampled alpha)', () => new BayesianMF({ factors: 3, epochs: 40, burnIn: 10, biases: false }), {
  explicit: true,
  foldInApproximates: true,
  learnsGroups: true,
});
