/**
 * The browser entry of `@quiver/mf` (the `browser` condition of its `exports`): every model and
 * function of `index.ts` whose import graph has no `node:` module, and `loadModelFromUrl` (fetch
 * + Web Crypto) in place of the file-system functions. Left out, as they need Node's file system:
 * `saveModel`, `loadModel`, `checkSaveTarget`, `SaveModelOptions` (`model-files.ts`),
 * `ModelDirLock`, `lockPath` (`model-dir-lock.ts`) and `interruptedSaves`
 * (`write-folder-atomic.ts`). Training runs here too, on the calling thread: `threads > 1` needs
 * Node's worker threads, and `maxMemory` has no default limit (the machine's memory is unknown).
 * `test/browser-entry.test.ts` walks this file's import graph and fails on any Node builtin.
 */
export {
  type Recommender,
  type EpochTrainable,
  type TrainingStateful,
  type RecommendOptions,
  type FitOptions,
  type InitializeOptions,
  type EpochLogs,
  type ModelWeights,
  type EpochHooks,
  type BatchLogs,
} from './recommender.js';
export { RecommenderBase, type BatchHook } from './recommender-base.js';
export { ModelStateBase } from './model-state-base.js';
export { FoldInRecommender, type FoldInModel } from './fold-in-recommender.js';
export { recommendBatch } from './recommend-batch.js';
export { type Scorer, type BlockScoring } from './scorer.js';
export { type SeenItems } from './seen-index.js';
export { firstNonFinite } from './weights-state.js';
export { selectTopK } from './kernels/top-k.js';
export { type TrainingState, type OptimizerBuffers } from './training-state.js';
export { FactorModel, WEIGHT_NAMES, type FactorLayout, type TrainingDefaults } from './factor-model.js';
export { BiasedMF } from './biased-mf.js';
export {
  type BiasedMfOptions,
  type BiasedMfConfig,
  type BiasedMfSolver,
  type BiasedMfSolverKind,
  type BiasedMfSolverOptions,
  type SgdShuffleSolver,
  type SgdBlocksSolver,
  type MiniBatchSolver,
} from './biased-mf-options.js';
export { type MiniBatchOptimizer } from './minibatch-trainer.js';
export { Baseline, type BaselineOptions, type BaselineConfig } from './baseline.js';
export { BPR, type BprOptions, type BprConfig, type NegativeSampling } from './bpr.js';
export { ALS } from './als.js';
export { PureSVD, type PureSVDOptions, type PureSVDConfig } from './pure-svd.js';
export { SLIM, type SLIMOptions, type SLIMConfig } from './slim.js';
export { SVDpp, SVDPP_WEIGHT_NAMES } from './svdpp.js';
export { type SvdppOptions, type SvdppConfig } from './svdpp-options.js';
export { BayesianMF, BAYESIAN_MF_WEIGHT_NAMES } from './bayesian-mf.js';
export { type BayesianMfOptions, type BayesianMfConfig } from './bayesian-mf-options.js';
export {
  type AlsOptions, type AlsConfig, type AlsSolver, type AlsSolverOptions, type AlsCgSolver, type AlsCholeskySolver, type AlsFrequencyReg,
  type IalsParameters, ialsOptions, IALS_DEFAULTS,
} from './als-options.js';
export { Popularity, type PopularityOptions } from './popularity.js';
export { ItemNeighborModel, MAX_NEIGHBOR_ROWS } from './item-neighbor-model.js';
export { ItemKNN, type ItemKNNOptions, type ItemKNNConfig } from './item-knn.js';
export {
  type ItemSimilarityOptions, type CosineSimilarity, type AsymmetricCosineSimilarity, type JaccardSimilarity, type ResolvedSimilarity,
  type WeightingOptions, type NoWeighting, type TfIdfWeighting, type Bm25Weighting, type ResolvedWeighting,
} from './knn-similarity.js';
export { UserKNN, type UserKNNOptions, type UserKNNConfig } from './user-knn.js';
export { EASE, EASE_WEIGHTS, type EASEOptions, type EASEConfig } from './ease.js';
export { UserHistoryModel, HISTORY_WEIGHTS, MAX_HISTORY_ITEMS } from './user-history-model.js';
export { RP3beta, P3alpha, type RP3betaOptions, type RP3betaConfig, type P3alphaOptions } from './rp3beta.js';
export { RandomRecommender, type RandomRecommenderOptions } from './random-recommender.js';
export { createModel } from './create-model.js';
export { upgradeModelConfig } from './upgrade-config.js';
export {
  MODEL_FORMAT_VERSION,
  MODEL_FILES,
  type LoadedModel,
  type ModelManifest,
  type ModelFileEntry,
} from './model-format.js';
export { loadModelFromUrl, type LoadModelFromUrlOptions, type FetchLike, type FetchResponse } from './load-model-url.js';
export { parseJsonSafely } from './safe-json.js';
export { identityIdMaps, type ModelIdMaps, type IdMapLike } from './model-id-maps.js';
export { TrainingDivergedError } from './training-diverged-error.js';
export { MemoryBudgetError, defaultMemoryBudget, formatBytes, type MemoryEstimate, type DataShape } from './memory-budget.js';
