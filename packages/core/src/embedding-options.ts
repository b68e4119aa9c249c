import { checkBoolean, checkInRange, checkOptionNames, checkPositiveInt, describeValue as describe, formatShape, quiverError, toRng, type Rng } from '@quiver/base';
import { type InitSpec, initialize } from './init.js';
import { scatterAddRows } from './kernels/scatter-add-rows.js';
import { Parameter } from './parameter.js';
import { isSparseRowGrad } from './sparse-grad.js';
import { type NestedNumbers, Tensor, tensor } from './tensor.js';

/** Options shared by `Embedding` and `EmbeddingBag`. Names and defaults follow `torch.nn.Embedding`. */
export interface TableOptions {
  /**
   * Row whose entries are ignored: it starts at zero (in the constructor), contributes no
   * gradient and, in a bag, is left out of the reduction. Negative values count from the
   * end (`-1` is the last row). `null` for none.
   * @defaultValue null
   */
  paddingIdx?: number | null;
  /**
   * When set, every row looked up whose `normType`-norm exceeds it is rescaled in place in
   * the weight to norm `maxNorm` before the lookup (torch's `embedding_renorm_`).
   * @defaultValue null
   */
  maxNorm?: number | null;
  /** p of the p-norm used by `maxNorm` (`Infinity` allowed). @defaultValue 2 */
  normType?: number;
  /** Scale each row's gradient by the inverse of its count in the mini-batch. @defaultValue false */
  scaleGradByFreq?: boolean;
  /** Produce row-sparse gradients (`SparseRowGrad`) instead of dense ones. @defaultValue false */
  sparse?: boolean;
  /** Initialiser of the table. @defaultValue 'normal' (N(0, 1), as torch) */
  init?: InitSpec;
  /** Seed (or `Rng`) of the initialiser: the same seed gives bit-identical weights. @defaultValue 42 */
  seed?: number | string | Rng;
  /** Name of the weight parameter, used in optimizer messages and weight files. @defaultValue 'weight' */
  name?: string;
  /** When false the table is frozen: backward accumulates nothing and optimizers skip it. @defaultValue true */
  requiresGrad?: boolean;
}

export const TABLE_OPTION_NAMES = [
  'paddingIdx',
  'maxNorm',
  'normType',
  'scaleGradByFreq',
  'sparse',
  'init',
  'seed',
  'name',
  'requiresGrad',
] as const;

/** Validated, normalised table options. `paddingIdx` is non-negative, or -1 for none. */
export interface ResolvedTableOptions {
  readonly paddingIdx: number;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
}

/**
 * Checks the sizes and the shared options once, at construction, before anything is
 * allocated. `known` lists every option name the caller accepts.
 */
export function resolveTableOptions(
  where: string,
  numEmbeddings: number,
  embeddingDim: number,
  o: TableOptions,
  known: readonly string[],
): ResolvedTableOptions {
  checkOptionNames(where, o, known);
  checkPositiveInt(where, 'numEmbeddings', numEmbeddings);
  checkPositiveInt(where, 'embeddingDim', embeddingDim);
  let paddingIdx = -1;
  if (o.paddingIdx !== undefined && o.paddingIdx !== null) {
    const p = o.paddingIdx;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < -numEmbeddings || p >= numEmbeddings) {
      throw quiverError(typeof p === 'number' ? 'RangeError' : 'TypeError', { where, what: `paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}]`, got: describe(p) });
    }
    paddingIdx = p < 0 ? numEmbeddings + p : p;
  }
  let maxNorm: number | null = null;
  if (o.maxNorm !== undefined && o.maxNorm !== null) {
    maxNorm = checkInRange(where, 'maxNorm', o.maxNorm, 0, Infinity, { loOpen: true, hiOpen: true });
  }
  const normType = checkInRange(where, 'normType', o.normType ?? 2, 0, Infinity, { loOpen: true });
  return {
    paddingIdx,
    maxNorm,
    normType,
    scaleGradByFreq: checkBoolean(where, 'scaleGradByFreq', o.scaleGradByFreq ?? false),
    sparse: checkBoolean(where, 'sparse', o.sparse ?? false),
  };
}

/** Creates and initialises the `[numEmbeddings, embeddingDim]` weight of a new table. */
export function createTableWeight(
  where: string,
  numEmbeddings: number,
  embeddingDim: number,
  options: TableOptions,
  paddingIdx: number,
): Parameter {
  const size = numEmbeddings * embeddingDim;
  if (size > 2 ** 31 - 1) {
    throw quiverError('RangeError', { where, what: `numEmbeddings × embeddingDim must be at most ${2 ** 31 - 1} values`, got: `${numEmbeddings} × ${embeddingDim} = ${size}` });
  }
  const data = new Float32Array(size);
  initialize(where, data, numEmbeddings, embeddingDim, options.init ?? 'normal', toRng(where, options.seed));
  if (paddingIdx >= 0) data.fill(0, paddingIdx * embeddingDim, (paddingIdx + 1) * embeddingDim);
  return new Parameter(data, [numEmbeddings, embeddingDim], {
    name: checkName(where, options.name ?? 'weight'),
    requiresGrad: checkBoolean(where, 'requiresGrad', options.requiresGrad ?? true),
  });
}

function checkName(where: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw quiverError('TypeError', { where, what: 'name must be a non-empty string', got: describe(name) });
  }
  return name;
}

/** The options that differ from their defaults, for printing (torch's `extra_repr`). */
export function describeTableOptions(o: ResolvedTableOptions): string[] {
  const parts: string[] = [];
  if (o.paddingIdx >= 0) parts.push(`paddingIdx=${o.paddingIdx}`);
  if (o.maxNorm !== null) parts.push(`maxNorm=${o.maxNorm}`);
  if (o.normType !== 2) parts.push(`normType=${o.normType}`);
  if (o.scaleGradByFreq) parts.push('scaleGradByFreq=true');
  if (o.sparse) parts.push('sparse=true');
  return parts;
}

/**
 * Accepts a pretrained matrix for `fromPretrained`: a `Tensor` is used as it is (shared, as
 * torch does), nested arrays are copied. It must be 2-D with both sizes >= 1.
 */
export function pretrainedMatrix(where: string, weight: Tensor | NestedNumbers): Tensor {
  const t = weight instanceof Tensor ? weight : Array.isArray(weight) ? tensor(weight) : null;
  if (t === null) {
    throw quiverError('TypeError', { where, what: 'weight must be a Tensor or nested number arrays', got: describe(weight) });
  }
  if (t.shape.length !== 2 || t.shape[0] === 0 || t.shape[1] === 0) {
    throw quiverError('RangeError', { where, what: `weight must be a 2-D matrix [numEmbeddings, embeddingDim] with both sizes >= 1`, got: `shape ${formatShape(t.shape)}` });
  }
  return t;
}

/**
 * Adds per-entry row gradients to a table's gradient: entry `k` (`dim` values of `entries`,
 * times `scale[k]` when given) goes to row `rows[k]`; entries of the padding row are dropped.
 * Sparse tables get a row-sparse gradient with one entry per kept index (uncoalesced, as torch);
 * dense ones are scatter-added into a dense gradient, allocated on first use.
 */
export function accumulateRowGrads(
  weight: Parameter,
  sparse: boolean,
  rows: Int32Array,
  entries: Float32Array,
  dim: number,
  paddingIdx: number,
  scale: Float32Array | null,
): void {
  if (sparse) {
    let n = 0;
    for (let k = 0; k < rows.length; k++) if (rows[k] !== paddingIdx) n++;
    const outRows = new Int32Array(n);
    const values = new Float32Array(n * dim);
    let m = 0;
    for (let k = 0; k < rows.length; k++) {
      if (rows[k] === paddingIdx) continue;
      outRows[m] = rows[k];
      const f = scale === null ? 1 : scale[k];
      const src = k * dim;
      const dst = m * dim;
      for (let j = 0; j < dim; j++) values[dst + j] = f * entries[src + j];
      m++;
    }
    weight.accumulateSparse({ rows: outRows, values, dim });
    return;
  }
  if (weight.grad === null || isSparseRowGrad(weight.grad)) {
    const dense = weight.grad === null ? new Float32Array(weight.data.length) : weight.denseGrad()!;
    scatterAddRows(dense, dim, rows, entries, paddingIdx, scale);
    weight.grad = new Tensor(dense, weight.shape);
  } else {
    scatterAddRows(weight.grad.data, dim, rows, entries, paddingIdx, scale);
  }
}
