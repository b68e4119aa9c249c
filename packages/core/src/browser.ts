/**
 * The browser entry of `@quiver/core` (the `browser` condition of its `exports`): everything
 * `index.ts` exports except what reads or writes files, so that no `node:` module is imported.
 * Left out: `readNpy`, `readNpyInt32`, `writeNpy`, `readSafetensors`, `writeSafetensors`
 * (`io/weight-files.ts`), `writeFileAtomic` (`io/atomic-write.ts`) and `readWordVectors` /
 * `parseWordVectors` (`io/word-vectors.ts`). The byte-level codecs (`encodeNpy`, `decodeNpy`,
 * `encodeSafetensors`, `decodeSafetensors`) are here: fetch the bytes, then decode them.
 */
export { Tensor, tensor, zeros, isTensor, toIndexTensor, type IndexInput, type IndexTensor, type NestedNumbers } from './tensor.js';
export { Parameter, type Grad } from './parameter.js';
export { type SparseRowGrad, isSparseRowGrad, concatRowGrads, densifyRowGrad } from './sparse-grad.js';
export { coalesceRows } from './kernels/coalesce-rows.js';
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from './embedding.js';
export { EmbeddingBag, type EmbeddingBagOptions, type BagMode, type OffsetsInput, type WeightsInput } from './embedding-bag.js';
export { type TableOptions } from './embedding-options.js';
export {
  type InitName,
  type InitSpec,
  type NormalInit,
  type UniformInit,
  type XavierInit,
  type TruncatedNormalInit,
  type ZerosInit,
  initialize,
  initNormal,
  initUniform,
  initTruncatedNormal,
} from './init.js';
// The seeded generator lives in @quiver/base (shared by every package); core re-exports it for users.
export { Rng, createRng, toRng, DEFAULT_SEED, type RngState, type AleaState, type Shuffleable } from '@quiver/base';
export { encodeNpy, decodeNpy, decodeNpyInt32, type NpyArray, type DecodeNpyOptions } from './io/npy.js';
export { parseNpyHeader, formatNpyHeader, NPY_MAX_HEADER_BYTES, type NpyHeader, type NpyHeaderOptions } from './io/npy-header.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  parseSafetensorsHeader,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsFile,
  type SafetensorsInput,
  type Float32Matrix,
  type SafetensorsEntry,
  type SafetensorsHeader,
  type DecodeSafetensorsOptions,
} from './io/safetensors.js';
export {
  Optimizer,
  type BaseOptimizerOptions,
  type OptimizerSpec,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type StateKind,
  type StateValue,
} from './optim/optimizer.js';
export { SGD, sgd, type SgdOptions, type SgdState } from './optim/sgd.js';
export { Adagrad, adagrad, type AdagradOptions, type AdagradState } from './optim/adagrad.js';
export { RowWiseAdagrad, rowWiseAdagrad, type RowWiseAdagradState } from './optim/row-wise-adagrad.js';
export { Adam, adam, type AdamOptions, type AdamGroupOptions, type AdamState } from './optim/adam.js';
export { AdamW, adamw } from './optim/adamw.js';
export {
  SparseAdam,
  sparseAdam,
  type SparseAdamOptions,
  type SparseAdamGroupOptions,
  type SparseAdamState,
} from './optim/sparse-adam.js';
export { LrScheduler, type LrSchedulerStateDict, type LrTarget } from './optim/schedules/lr-scheduler.js';
export { StepLR, type StepLrOptions } from './optim/schedules/step-lr.js';
export { ExponentialLR } from './optim/schedules/exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLrOptions } from './optim/schedules/cosine-annealing-lr.js';
export { LinearWarmup, type LinearWarmupOptions } from './optim/schedules/linear-warmup.js';
export { LambdaLR, type LrLambda } from './optim/schedules/lambda-lr.js';
