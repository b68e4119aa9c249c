import { PureSVD } from '../src/pure-svd.js';
import { SLIM } from '../src/slim.js';
import { describeRecommenderContract } from './recommender-contract.js';

describeRecommenderContract('PureSVD', () => new PureSVD({ factors: 2 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('PureSVD (useRatings, plain sketch)', () => new PureSVD({ factors: 2, useRatings: true, oversamples: 0, powerIterations: 0 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('SLIM', () => new SLIM({ l1: 0.1, l2: 1, neighbors: 5 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('SLIM (unconstrained, 2 threads)', () => new SLIM({ l1: 0.1, l2: 1, positive: false, threads: 2 }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
