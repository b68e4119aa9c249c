import { ALS } from '../src/als.js';
import { ialsOptions } from '../src/als-options.js';
import { describeRecommenderContract } from './recommender-contract.js';

// ALS with frequency-scaled regularisation (Rendle et al. 2022) on every solver path.
describeRecommenderContract('ALS (frequency reg, cg)', () => new ALS({ factors: 2, epochs: 10, alpha: 2, reg: { kind: 'frequency', scale: 0.005 } }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('ALS (frequency reg, cholesky)', () => new ALS({ factors: 2, epochs: 10, alpha: 2, reg: { kind: 'frequency', scale: 0.005 }, solver: 'cholesky' }), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
describeRecommenderContract('ALS (ialsOptions, wasm cg)', () => new ALS(ialsOptions({ factors: 4, epochs: 10 })), {
  explicit: false,
  foldInApproximates: true,
  learnsGroups: true,
});
