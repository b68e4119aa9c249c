/**
 * `@quiver/mf/kernels`: the plain typed-array loops behind the models, for reuse and testing.
 * They check nothing and allocate nothing; the model classes are the checked API.
 */
export { selectTopK } from './top-k.js';
export { scoreItems, rowNorms, cosineScores } from './score-items.js';
export { biasedMfResidual, biasedMfSgdStep, biasedMfFactorGradient, biasedMfBiasGradient } from './biased-mf-rule.js';
export { biasedMfSgdEpoch } from './biased-mf-sgd-epoch.js';
export { bprEpoch, contains, sampleCdf, type BprEpochArgs } from './bpr-epoch.js';
export { sampleBprTriples, buildPairFilter } from './bpr-sample-triples.js';
export { gramMatrix } from './gram-matrix.js';
export { alsCgSweep } from './als-cg-sweep.js';
export { alsCholeskySweep, alsSolveRow } from './als-cholesky-sweep.js';
export { alsLoss } from './als-loss.js';
export { choleskySolve } from './cholesky.js';
export { sgdBlock } from './sgd-block.js';
export { buildSgdBlocks, type SgdRecordFormat } from './build-sgd-blocks.js';
export { buildRatingCodes, ratingCode, type RatingCodes } from './rating-codes.js';
export { neighborTopK, neighborScratch, SIM_RATIO, SIM_TANIMOTO, type NeighborScratch } from './neighbor-top-k.js';
export { spdInverse, easeWeights, type SpdInverseOptions } from './spd-inverse.js';
export { cooccurrenceGram } from './cooccurrence-gram.js';
export { easeWeightsByUsers } from './ease-weights-by-users.js';
export { alsRowReg } from './als-row-reg.js';
export { svdppEpoch, svdppUserVectors } from './svdpp-epoch.js';
export { sampleGamma, sampleChiSquare } from './bpmf-gamma.js';
export { sampleWishart } from './bpmf-wishart.js';
export { bpmfSampleHyper } from './bpmf-hyper.js';
export { bpmfSampleRows, bpmfSquaredError } from './bpmf-sample-rows.js';
export { randomizedSvd } from './randomized-svd.js';
export { orthonormalizeColumns } from './qr-orthonormalize.js';
export { symmetricEigen } from './symmetric-eigen.js';
export { csrTimesDense } from './csr-times-dense.js';
export { slimColumn, slimScratch, type SlimScratch } from './slim-elastic-net.js';
