/**
 * `@quiver/train`: the training loop (epochs, validation, early stopping, callbacks, history),
 * metrics and honest full-ranking evaluation, cross-validation and grid search, and the
 * `quiver` command line.
 */
export { rmse } from './metrics/rmse.js';
export { mae } from './metrics/mae.js';
export { precisionAtK } from './metrics/precision-at-k.js';
export { recallAtK } from './metrics/recall-at-k.js';
export { ndcgAtK } from './metrics/ndcg-at-k.js';
export { averagePrecisionAtK, mapAtK } from './metrics/map-at-k.js';
export { hitRateAtK } from './metrics/hit-rate-at-k.js';
export { mrr } from './metrics/mrr.js';
export { auc } from './metrics/auc.js';
export { catalogueCoverage } from './metrics/catalogue-coverage.js';
export { evaluateRanking, type EvaluateRankingOptions, type RankingReport, type RankingPerUser } from './evaluate-ranking.js';
export { evaluateRatings, type EvaluateRatingsOptions, type RatingReport } from './evaluate-ratings.js';
export { userItemCsr } from './user-item-csr.js';
export {
  isExplicitModel,
  EXPLICIT_KINDS,
  type InteractionData,
  type ScoringModel,
  type TrainableModel,
  type ModelWeights,
} from './model-types.js';
export { createProgress } from './progress/create-progress.js';
export { BarProgress } from './progress/bar-progress.js';
export { LogProgress } from './progress/log-progress.js';
export { SilentProgress } from './progress/silent-progress.js';
export { type ProgressReporter, type ProgressMode, type EpochProgress, type BatchProgress } from './progress/progress-reporter.js';
export { History, type EpochRecord, type HistoryJSON } from './history.js';
export { Trainer, train, type TrainOptions, type CheckpointOptions, type EpochLogs, type BatchLogs } from './trainer.js';
export { type Callback, type TrainingRun, type EpochState, type BatchState } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingProgress } from './callbacks/early-stopping.js';
export { Checkpointer, type CheckpointerOptions } from './callbacks/checkpointer.js';
export { DivergenceGuard } from './callbacks/divergence-guard.js';
export { Validator, type ValidatorOptions } from './callbacks/validator.js';
export { ProgressCallback } from './callbacks/progress-callback.js';
export { LambdaCallback, type LambdaCallbackOptions } from './callbacks/lambda-callback.js';
export {
  writeCheckpoint,
  readCheckpoint,
  latestCheckpoint,
  isCheckpointFolder,
  checkpointName,
  dataFingerprint,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MAX_JSON_BYTES,
  type Checkpoint,
  type CheckpointContent,
  type DataFingerprint,
  type TrainerProgress,
  type SkippedCheckpoint,
} from './checkpoint.js';
export { TrainingDivergedError } from './training-diverged-error.js';
export { crossValidate, type CrossValidateOptions, type CrossValidationResult, type FoldResult } from './cross-validate.js';
export { gridSearch, type GridSearchOptions, type GridSearchResult, type GridCandidate } from './grid-search.js';
export { report, writeReport } from './report/report.js';
export { type ReportModel, type ReportData, type ReportOptions } from './report/report-payload.js';
export { pca, type PcaResult } from './report/pca.js';
export { evaluateHeldOutUsers, type EvaluateHeldOutOptions, type HeldOutModel } from './evaluate-held-out.js';
export { evaluateSampled, type EvaluateSampledOptions, type SampledRankingReport, type SampledPerUser } from './evaluate-sampled.js';
export { type RankingSummaryOptions, type RankingGroups, type GroupMetrics, type ConfidenceInterval, type IntervalOptions, type GroupOptions } from './ranking-summary.js';
export { TRAIN_OVERLAP_POLICIES, type TrainOverlapPolicy } from './relevant-sets.js';
export {
  beyondAccuracy,
  type BeyondAccuracyOptions,
  type BeyondAccuracyPerList,
  type BeyondAccuracyReport,
  type ItemFeatures,
  type ItemEmbeddingFeatures,
  type ItemSetFeatures,
} from './metrics/beyond-accuracy.js';
export {
  userActivityGroups,
  itemPopularityGroups,
  type UserActivityGroupsOptions,
  type UserActivityGroups,
  type ItemPopularityGroupsOptions,
  type ItemPopularityGroups,
} from './metrics/popularity-groups.js';
export { bootstrapCi, type BootstrapCiOptions, type BootstrapInterval } from './stats/bootstrap-ci.js';
export { foldCi, type FoldInterval } from './stats/fold-ci.js';
export { pairedTest, type PairedTestOptions, type PairedTestResult, type WilcoxonResult } from './stats/paired-test.js';
export { studentTCdf, studentTQuantile } from './stats/student-t.js';
export { normalCdf, normalQuantile } from './stats/normal.js';
export {
  checkSearchSpace,
  sampleParams,
  paramsKey,
  PARAM_KINDS,
  type SearchSpace,
  type ParamSpec,
  type ParamValue,
  type Params,
  type ParamsOf,
  type ParamValueOf,
  type UniformParam,
  type LogUniformParam,
  type IntParam,
  type ChoiceParam,
} from './search/search-space.js';
export { randomSearch, type RandomSearchOptions } from './search/random-search.js';
export { successiveHalving, hyperband, type SuccessiveHalvingOptions, type HyperbandOptions } from './search/successive-halving.js';
export { successiveHalvingSchedule, hyperbandSchedule, checkHalvingBudgets, DEFAULT_ETA, type Rung, type HyperbandBracket, type HalvingBudgets, type SuccessiveHalvingScheduleOptions } from './search/halving-schedule.js';
export { SearchJournal, SEARCH_JOURNAL_FORMAT, type SearchJournalHeader, type SearchJournalEntry } from './search/search-journal.js';
export { type SearchMode, type SearchResult, type SearchTrial, type SearchBest, type Objective, type ObjectiveContext } from './search/search-result.js';
export { compareModels, metricMode, type CompareOptions, type CompareResult, type CompareRow, type PairedComparison, type CompareSearch, type CompareDataSummary, type CompareSearchSummary } from './compare/compare-models.js';
export { planProtocol, PROTOCOLS, PROTOCOL_DESCRIPTIONS, type Protocol, type ProtocolPlan, type ProtocolStage, type ProtocolSettings, type StageResult } from './compare/protocols.js';
export { MODEL_SEARCH, type ModelSearch } from './compare/search-spaces.js';
export { formatCompareTable } from './compare/compare-table.js';
export { compareHtml } from './compare/compare-html.js';
export { importSparkAls, type ImportSparkAlsOptions, type ImportedSparkAls, type SparkAlsFactorPaths } from './spark/import-spark-als.js';
export { exportForSpark, SPARK_EXPORT_MARKER, type ExportForSparkOptions, type SparkExport, type SparkExportTable } from './spark/export-for-spark.js';
export { type RawIdKind } from './spark/spark-tables.js';
