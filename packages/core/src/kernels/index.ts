/**
 * `@quiver/core/kernels`: the hot loops behind the public API, as plain functions over typed
 * arrays with explicit sizes. They check nothing (the public layer does), write into an `out`
 * the caller passes, and allocate nothing per row. Exported for other backends, benchmarks
 * and tests; most users want the main entry point instead.
 */
export { gatherRows } from './gather-rows.js';
export { scatterAddRows } from './scatter-add-rows.js';
export { renormRows } from './renorm-rows.js';
export { bagReduce, bagCounts, bagBackwardEntries, bagPerSampleWeightsGrad, type BagMode } from './bag-reduce.js';
export { coalesceRows } from './coalesce-rows.js';
export { inverseFrequencies, uniqueSorted } from './count-occurrences.js';
export { sgdMomentumUpdateRows, sgdUpdateDense, sgdUpdateRows } from './sgd-update.js';
export { adagradUpdateDense, adagradUpdateRows } from './adagrad-update.js';
export { rowWiseAdagradUpdate } from './row-wise-adagrad-update.js';
export { adamUpdateDense } from './adam-update.js';
export { sparseAdamUpdateRows } from './sparse-adam-update.js';
