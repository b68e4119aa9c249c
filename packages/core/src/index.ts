/**
 * `@quiver/core`: embeddings and embedding bags with PyTorch semantics on Float32Array
 * kernels, sparse row gradients, optimizers, learning-rate schedules, seeded initialisation
 * and `.npy` / safetensors weight files.
 */
export { Tensor, tensor, zeros, isTensor, toIndexTensor, type IndexInput, type IndexTensor, type NestedNumbers } from './tensor.js';
export { Parameter, type Grad } from './parameter.js';
export { type SparseRowGrad, isSparseRowGrad, concatRowGrads, densifyRowGrad } from './sparse-grad.js';
export { coalesceRows } from './kernels/coalesce-rows.js';
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from './embedding.js';
export { EmbeddingBag, type EmbeddingBagOptions, type BagMode, type OffsetsInput, type WeightsInput } from './embedding-bag.js';
export { type TableOptions } from './embedding-options.js';
export { type InitName, type InitSpec, initialize, initNormal, initUniform, initTruncatedNormal } from './init.js';
export { Rng, createRng, toRng, randomInt, DEFAULT_SEED, type RngState } from './rng.js';
export {
  checkPositiveInt,
  checkNonNegativeInt,
  checkFinite,
  checkInRange,
  checkBoolean,
  checkOneOf,
  checkOptionNames,
  checkIndices,
  describe as describeValue,
  formatShape,
  shapeSize,
} from './check.js';
export { encodeNpy, decodeNpy, decodeNpyInt32, type NpyArray, type DecodeNpyOptions } from './io/npy.js';
export { parseNpyHeader, formatNpyHeader, NPY_MAX_HEADER_BYTES, type NpyHeader, type NpyHeaderOptions } from './io/npy-header.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  parseSafetensorsHeader,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsFile,
  type SafetensorsInput,
  type SafetensorsEntry,
  type SafetensorsHeader,
  type DecodeSafetensorsOptions,
} from './io/safetensors.js';
export { readNpy, readNpyInt32, writeNpy, readSafetensors, writeSafetensors } from './io/weight-files.js';
export { writeFileAtomic } from './io/atomic-write.js';
