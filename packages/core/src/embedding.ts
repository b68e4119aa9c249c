import { checkBoolean, checkIndices, checkOptionNames, describeValue as describe, formatShape, quiverError } from '@quiver/base';
import {
  type ResolvedTableOptions,
  type TableOptions,
  TABLE_OPTION_NAMES,
  accumulateRowGrads,
  createTableWeight,
  describeTableOptions,
  pretrainedMatrix,
  resolveTableOptions,
} from './embedding-options.js';
import { inverseFrequencies, uniqueSorted } from './kernels/count-occurrences.js';
import { gatherRows } from './kernels/gather-rows.js';
import { renormRows } from './kernels/renorm-rows.js';
import { Parameter } from './parameter.js';
import { type IndexInput, type IndexTensor, type NestedNumbers, Tensor, previewMatrix, toIndexTensor } from './tensor.js';

/** Options of {@link Embedding}; see {@link TableOptions} for each field and its default. */
export type EmbeddingOptions = TableOptions;

/** Options of {@link Embedding.fromPretrained}. */
export interface FromPretrainedOptions {
  /** Freeze the table (`requiresGrad = false`). @defaultValue true */
  freeze?: boolean;
  /** As in {@link TableOptions.paddingIdx}; the pretrained row is kept as it is (torch does the same). @defaultValue null */
  paddingIdx?: number | null;
  /** @defaultValue null */
  maxNorm?: number | null;
  /** @defaultValue 2 */
  normType?: number;
  /** @defaultValue false */
  scaleGradByFreq?: boolean;
  /** @defaultValue false */
  sparse?: boolean;
  /** @defaultValue 'weight' */
  name?: string;
}

/**
 * A lookup table of `numEmbeddings` rows of `embeddingDim` values: looking up index `i`
 * returns row `i` of {@link Embedding.weight}. Same semantics as `torch.nn.Embedding`,
 * including `paddingIdx`, `maxNorm`/`normType`, `scaleGradByFreq` and `sparse`.
 *
 * Gradients are explicit: {@link Embedding.backward} accumulates into `weight.grad` (a dense
 * `Tensor`, or a `SparseRowGrad` when `sparse`), which any optimizer then applies.
 *
 * @example
 * const emb = new Embedding(10, 3, { paddingIdx: 0, seed: 1 });
 * const out = emb.forward([[1, 2], [0, 9]]); // shape [2, 2, 3]
 * emb.backward([[1, 2], [0, 9]], out);      // weight.grad += d(sum(out²)/2)/dW
 */
export class Embedding {
  /** Number of rows. */
  readonly numEmbeddings: number;
  /** Values per row. */
  readonly embeddingDim: number;
  /** The table, row-major `numEmbeddings × embeddingDim`. */
  readonly weight: Parameter;
  private readonly opts: ResolvedTableOptions;

  /**
   * Creates a table initialised with `options.init` (N(0, 1) by default) from `options.seed`.
   * @throws {RangeError} for a non-positive size, a `paddingIdx` outside `[-numEmbeddings, numEmbeddings)`,
   * `maxNorm` <= 0 and other bad option values.
   * @throws {TypeError} for an unknown option name or an option of the wrong type.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}, /** @internal */ _weight?: Parameter) {
    this.opts = resolveTableOptions('Embedding', numEmbeddings, embeddingDim, options, TABLE_OPTION_NAMES);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = _weight ?? createTableWeight('Embedding', numEmbeddings, embeddingDim, options, this.opts.paddingIdx);
  }

  /**
   * Creates a table from a 2-D matrix of pretrained vectors. A `Tensor` (or `Parameter`) is
   * used as the weight without copying, as torch does; nested arrays are copied. The padding
   * row keeps its pretrained values. Frozen by default.
   * @throws {RangeError} when the matrix is not 2-D or has a zero dimension.
   * @example
   * const emb = Embedding.fromPretrained([[1, 2.3, 3], [4, 5.1, 6.3]]);
   * emb.forward([1]).toArray(); // [[4, 5.1, 6.3]] (as float32)
   */
  static fromPretrained(weight: Tensor | NestedNumbers, options: FromPretrainedOptions = {}): Embedding {
    const where = 'Embedding.fromPretrained';
    checkOptionNames(where, options, ['freeze', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', 'name']);
    const t = pretrainedMatrix(where, weight);
    const freeze = checkBoolean(where, 'freeze', options.freeze ?? true);
    const name = options.name ?? 'weight';
    if (typeof name !== 'string' || name.length === 0) {
      throw quiverError('TypeError', { where, what: 'name must be a non-empty string', got: describe(name) });
    }
    const { freeze: _freeze, ...tableOptions } = options;
    return new Embedding(
      t.shape[0],
      t.shape[1],
      tableOptions,
      new Parameter(t.data, t.shape, { name, requiresGrad: !freeze }),
    );
  }

  /** The padding row (non-negative), or null. */
  get paddingIdx(): number | null {
    return this.opts.paddingIdx >= 0 ? this.opts.paddingIdx : null;
  }
  /** See {@link TableOptions.maxNorm}. */
  get maxNorm(): number | null {
    return this.opts.maxNorm;
  }
  /** See {@link TableOptions.normType}. */
  get normType(): number {
    return this.opts.normType;
  }
  /** See {@link TableOptions.scaleGradByFreq}. */
  get scaleGradByFreq(): boolean {
    return this.opts.scaleGradByFreq;
  }
  /** True when backward produces row-sparse gradients. */
  get sparse(): boolean {
    return this.opts.sparse;
  }
  /** False when frozen. Setting it freezes or unfreezes the table (torch's `requires_grad_`). */
  get requiresGrad(): boolean {
    return this.weight.requiresGrad;
  }
  /** Freezes (`false`, dropping any accumulated gradient) or unfreezes (`true`) the table. */
  set requiresGrad(value: boolean) {
    this.weight.requiresGrad = checkBoolean('Embedding', 'requiresGrad', value);
    if (!value) this.weight.zeroGrad();
  }

  /** The learnable parameters (for an optimizer). */
  parameters(): Parameter[] {
    return [this.weight];
  }

  /**
   * Looks up rows: output `[...indices.shape, embeddingDim]`, entry `[..., :]` = `weight[index]`.
   * With `maxNorm`, the rows looked up are first renormalised in place (torch does the same).
   * @throws {RangeError} naming the value, its position and the allowed range when an index is
   * outside `[0, numEmbeddings)` or not an integer; nothing is modified then.
   */
  forward(indices: IndexInput): Tensor {
    const idx = this.checkedIndices('Embedding.forward', indices);
    const d = this.embeddingDim;
    if (this.opts.maxNorm !== null) {
      renormRows(this.weight.data, d, uniqueSorted(idx.data, -1), this.opts.maxNorm, this.opts.normType);
      this.weight.markChanged();
    }
    const out = new Float32Array(idx.data.length * d);
    gatherRows(this.weight.data, d, idx.data, out);
    return new Tensor(out, [...idx.shape, d]);
  }

  /**
   * Accumulates the gradient of a lookup into `weight.grad`, given `gradOutput` =
   * d(loss)/d(output) of shape `[...indices.shape, embeddingDim]`. The padding row receives
   * nothing; `scaleGradByFreq` divides each entry by its index's count in `indices`. Sparse
   * tables add a row-sparse gradient with one entry per non-padding index (uncoalesced, as
   * torch); dense ones scatter-add into a dense gradient. A frozen table accumulates nothing.
   * @throws {RangeError} for a bad index or a `gradOutput` of the wrong shape; nothing is modified then.
   */
  backward(indices: IndexInput, gradOutput: Tensor | Float32Array): void {
    const where = 'Embedding.backward';
    const idx = this.checkedIndices(where, indices);
    const g = checkGradOutput(where, gradOutput, [...idx.shape, this.embeddingDim]);
    if (!this.weight.requiresGrad) return;
    const d = this.embeddingDim;
    const pad = this.opts.paddingIdx;
    let scale: Float32Array | null = null;
    if (this.opts.scaleGradByFreq) {
      scale = new Float32Array(idx.data.length);
      inverseFrequencies(idx.data, pad, scale);
    }
    accumulateRowGrads(this.weight, this.opts.sparse, idx.data, g, d, pad, scale);
  }

  private checkedIndices(where: string, indices: IndexInput): IndexTensor {
    const idx = toIndexTensor(where, indices);
    checkIndices(where, 'indices', idx.data, this.numEmbeddings, idx.shape);
    return idx;
  }

  /** `Embedding(numEmbeddings, embeddingDim, <options that differ from the defaults>)` and the first rows. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const parts = [String(this.numEmbeddings), String(this.embeddingDim), ...describeTableOptions(this.opts)];
    if (!this.weight.requiresGrad) parts.push('frozen');
    return `Embedding(${parts.join(', ')}) ${previewMatrix(this.weight.data, this.weight.shape)}`;
  }
}

/** Checks a gradient's shape (or, for a bare Float32Array, its size) and returns its values. */
export function checkGradOutput(where: string, grad: Tensor | Float32Array, expected: readonly number[]): Float32Array {
  let size = 1;
  for (const n of expected) size *= n;
  if (grad instanceof Float32Array) {
    if (grad.length !== size) {
      throw quiverError('RangeError', { where, what: `gradOutput must have ${size} values (shape ${formatShape(expected)})`, got: String(grad.length) });
    }
    return grad;
  }
  if (!(grad instanceof Tensor)) {
    throw quiverError('TypeError', { where, what: 'gradOutput must be a Tensor or a Float32Array', got: describe(grad) });
  }
  const same = grad.shape.length === expected.length && grad.shape.every((n, i) => n === expected[i]);
  if (!same) {
    throw quiverError('RangeError', { where, what: `gradOutput must have shape ${formatShape(expected)}`, got: formatShape(grad.shape) });
  }
  return grad.data;
}
