import type { ModelWeights } from './recommender.js';

/**
 * Optimizer state outside the weights, flattened to named entries: `Float32Array` buffers
 * (accumulators, moments), numbers (step counts) and nulls (buffers not created yet). Keys are
 * `"<what>.<key>"`, such as `"0.expAvg"` (core optimizer parameter 0) or `"adagrad"` (BPR).
 */
export type OptimizerBuffers = Record<string, Float32Array | number | null>;

/**
 * Everything a model needs to continue training exactly where it stopped: its weights and its
 * optimizer state. The sampling streams need nothing more, since each epoch's stream depends
 * only on the seed and the epoch index.
 */
export interface TrainingState {
  /** The weights, as `getState()` returns them (copies). */
  readonly weights: ModelWeights;
  /** The optimizer state (copies); empty for models without one (SGD solvers, ALS, Baseline). */
  readonly optimizer: OptimizerBuffers;
}
