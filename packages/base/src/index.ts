/**
 * `@quiver/base`: the dependency-free layer every Quiver package builds on, `@quiver/data`
 * included: argument checks and typed errors ({@link QuiverError}), the one seeded {@link Rng},
 * CSR matrices, and the types the packages share ({@link InteractionData}, {@link TopK},
 * {@link ModelKind}).
 */
export { QuiverError, QuiverRangeError, QuiverTypeError, quiverError, errorClass, type ErrorHint, type QuiverErrorFields, type QuiverErrorInit, type QuiverErrorKind, type QuiverErrorClass } from './quiver-error.js';
export {
  describeValue,
  checkPositiveInt,
  checkNonNegativeInt,
  checkFinite,
  checkInRange,
  checkBoolean,
  checkOneOf,
  checkOptionNames,
  checkOptions,
  checkInt32Array,
  checkId,
  checkIdArray,
  checkIndices,
  unravel,
  shapeSize,
  formatShape,
} from './check.js';
export { Alea, type AleaState } from './alea.js';
export { Rng, createRng, toRng, checkSeed, DEFAULT_SEED, type RngState, type Shuffleable } from './rng.js';
export { buildCsr, transposeCsr, csrHas, type CsrMatrix, type CsrMatrixWithValues, type BuildCsrOptions } from './csr.js';
export { checkInteractionData, type InteractionData } from './interaction-data.js';
export { MAX_ABS_RATING, RATING_RULE, isValidRating } from './max-abs-rating.js';
export type { TopK, BatchTopK } from './top-k.js';
export { MODEL_KINDS, type ModelKind } from './model-kind.js';
