import { checkIndices, checkOneOf, checkOptionNames, describeValue as describe, formatShape, quiverError } from '@quiver/base';
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
import { checkGradOutput } from './embedding.js';
import { type BagMode, bagBackwardEntries, bagCounts, bagPerSampleWeightsGrad, bagReduce } from './kernels/bag-reduce.js';
import { inverseFrequencies, uniqueSorted } from './kernels/count-occurrences.js';
import { renormRows } from './kernels/renorm-rows.js';
import { Parameter } from './parameter.js';
import { type IndexInput, type NestedNumbers, Tensor, previewMatrix, tensor, toIndexTensor } from './tensor.js';

export type { BagMode } from './kernels/bag-reduce.js';

/** Options of {@link EmbeddingBag}: those of every table plus the bag's own. */
export interface EmbeddingBagOptions extends TableOptions {
  /**
   * How each bag is reduced. `'max'` does not support `scaleGradByFreq`: such a bag is built,
   * but `forward` and `backward` throw, as torch's forward raises. @defaultValue 'mean' (as torch)
   */
  mode?: BagMode;
  /**
   * When true, `offsets` has one more entry than there are bags, and its last entry must equal
   * the number of indices (CSR style). Applies to 1-D input with offsets only: `forward` and
   * `backward` refuse 2-D input on such a bag (torch 1.13 silently returns one bag fewer than
   * rows there). @defaultValue false
   */
  includeLastOffset?: boolean;
}

/** Bag offsets: an `Int32Array`, a number array, or null for 2-D input. */
export type OffsetsInput = Int32Array | readonly number[] | null | undefined;
/** Weights per index (mode `sum` only), the same size as the indices. */
export type WeightsInput = Float32Array | Tensor | NestedNumbers | null | undefined;

const MODES: readonly BagMode[] = ['sum', 'mean', 'max'];

/** The validated layout of one call: flat indices, bag boundaries and optional weights. */
interface Bags {
  readonly indices: Int32Array;
  /** `numBags + 1` boundaries: bag b is `indices[ends[b] .. ends[b+1])`. */
  readonly ends: Int32Array;
  readonly weights: Float32Array | null;
}

/**
 * Computes sums, means or maxima of bags of embeddings without building the intermediate
 * `[numIndices, dim]` lookup. Same semantics as `torch.nn.EmbeddingBag`: 2-D input (one bag
 * per row, all of the same size) or 1-D input with `offsets` (the start of each bag);
 * `includeLastOffset` (1-D input only); `perSampleWeights` in `sum` mode; `paddingIdx` entries
 * left out (and not counted by `mean`); empty bags give zeros. Mode `max` with
 * `scaleGradByFreq` throws at `forward`, as torch does.
 *
 * @example
 * const bag = new EmbeddingBag(10, 3, { mode: 'sum', seed: 1 });
 * const out = bag.forward([1, 2, 4, 5, 4, 3, 2, 9], [0, 4]); // 2 bags → shape [2, 3]
 */
export class EmbeddingBag {
  /** Number of rows. */
  readonly numEmbeddings: number;
  /** Values per row. */
  readonly embeddingDim: number;
  /** Reduction of each bag. */
  readonly mode: BagMode;
  /** See {@link EmbeddingBagOptions.includeLastOffset}. */
  readonly includeLastOffset: boolean;
  /** The table, row-major `numEmbeddings × embeddingDim`. */
  readonly weight: Parameter;
  private readonly opts: ResolvedTableOptions;

  /**
   * @throws {RangeError} for bad sizes or option values, {@link TypeError} for unknown option names.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagOptions = {}, /** @internal */ _weight?: Parameter) {
    const where = 'EmbeddingBag';
    this.opts = resolveTableOptions(where, numEmbeddings, embeddingDim, options, [
      ...TABLE_OPTION_NAMES,
      'mode',
      'includeLastOffset',
    ]);
    this.mode = checkOneOf(where, 'mode', options.mode ?? 'mean', MODES);
    const ilo = options.includeLastOffset ?? false;
    if (typeof ilo !== 'boolean') throw quiverError('TypeError', { where, what: 'includeLastOffset must be a boolean', got: describe(ilo) });
    this.includeLastOffset = ilo;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = _weight ?? createTableWeight(where, numEmbeddings, embeddingDim, options, this.opts.paddingIdx);
  }

  /**
   * Creates a bag from a 2-D matrix of pretrained vectors (shared, not copied, for a Tensor).
   * Frozen by default.
   */
  static fromPretrained(
    weight: Tensor | NestedNumbers,
    options: Omit<EmbeddingBagOptions, 'init' | 'seed' | 'requiresGrad'> & { freeze?: boolean } = {},
  ): EmbeddingBag {
    const where = 'EmbeddingBag.fromPretrained';
    checkOptionNames(where, options, [
      'freeze', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', 'name', 'mode', 'includeLastOffset',
    ]);
    const t = pretrainedMatrix(where, weight);
    const { freeze = true, ...rest } = options;
    if (typeof freeze !== 'boolean') throw quiverError('TypeError', { where, what: 'freeze must be a boolean', got: describe(freeze) });
    const name = rest.name ?? 'weight';
    return new EmbeddingBag(t.shape[0], t.shape[1], rest, new Parameter(t.data, t.shape, { name, requiresGrad: !freeze }));
  }

  /** The padding row (non-negative), or null. */
  get paddingIdx(): number | null {
    return this.opts.paddingIdx >= 0 ? this.opts.paddingIdx : null;
  }
  /** True when backward produces row-sparse gradients. */
  get sparse(): boolean {
    return this.opts.sparse;
  }
  /** False when frozen; setting it freezes or unfreezes the table. */
  get requiresGrad(): boolean {
    return this.weight.requiresGrad;
  }
  /** Freezes (`false`, dropping any accumulated gradient) or unfreezes (`true`) the table. */
  set requiresGrad(value: boolean) {
    if (typeof value !== 'boolean') throw quiverError('TypeError', { where: 'EmbeddingBag', what: 'requiresGrad must be a boolean', got: describe(value) });
    this.weight.requiresGrad = value;
    if (!value) this.weight.zeroGrad();
  }

  /** The learnable parameters (for an optimizer). */
  parameters(): Parameter[] {
    return [this.weight];
  }

  /**
   * Reduces each bag to one row: output `[numBags, embeddingDim]`.
   * @param input - 2-D `[numBags, bagSize]` (then `offsets` must be null), or 1-D with `offsets`.
   * @param offsets - Start of each bag in a 1-D input; starts at 0, non-decreasing.
   * @param perSampleWeights - One weight per index, mode `sum` only.
   * @throws {RangeError} for a bad index (value, position and range in the message), bad offsets
   * or mismatched sizes; {@link TypeError} for `perSampleWeights` outside mode `sum` and for
   * 2-D input with `includeLastOffset`; `Error` for mode `max` with `scaleGradByFreq`. Nothing
   * is changed (not even by `maxNorm`) when it throws.
   */
  forward(input: IndexInput, offsets?: OffsetsInput, perSampleWeights?: WeightsInput): Tensor {
    const bags = this.checkedBags('EmbeddingBag.forward', input, offsets, perSampleWeights);
    const d = this.embeddingDim;
    if (this.opts.maxNorm !== null) {
      renormRows(this.weight.data, d, uniqueSorted(bags.indices, -1), this.opts.maxNorm, this.opts.normType);
      this.weight.markChanged();
    }
    const numBags = bags.ends.length - 1;
    const out = new Float32Array(numBags * d);
    const counts = new Float32Array(numBags);
    const argmax = this.mode === 'max' ? new Int32Array(numBags * d) : null;
    bagReduce(this.weight.data, d, bags.indices, bags.ends, this.mode, bags.weights, this.opts.paddingIdx, out, counts, argmax);
    return new Tensor(out, [numBags, d]);
  }

  /**
   * Accumulates into `weight.grad` the gradient of {@link forward} for the same arguments, given
   * `gradOutput` of shape `[numBags, embeddingDim]`. `sum` sends `gradOutput[b]` (times the
   * entry's weight) to every row of bag b, `mean` divides it by the bag's count, `max` routes each
   * element to the row that won it. Call it before the weights change (max mode recomputes the winners).
   * @returns the gradient with respect to `perSampleWeights` (same size as the indices) when
   * weights were given, else null.
   * @throws the errors of {@link forward}, before anything is accumulated.
   */
  backward(
    input: IndexInput,
    gradOutput: Tensor | Float32Array,
    offsets?: OffsetsInput,
    perSampleWeights?: WeightsInput,
  ): Float32Array | null {
    const where = 'EmbeddingBag.backward';
    const bags = this.checkedBags(where, input, offsets, perSampleWeights);
    const d = this.embeddingDim;
    const numBags = bags.ends.length - 1;
    const g = checkGradOutput(where, gradOutput, [numBags, d]);
    const pad = this.opts.paddingIdx;
    let weightsGrad: Float32Array | null = null;
    if (bags.weights !== null) {
      weightsGrad = new Float32Array(bags.indices.length);
      bagPerSampleWeightsGrad(this.weight.data, g, d, bags.indices, bags.ends, pad, weightsGrad);
    }
    if (!this.weight.requiresGrad) return weightsGrad;
    const counts = new Float32Array(numBags);
    let argmax: Int32Array | null = null;
    if (this.mode === 'max') {
      // The winners are not kept from forward: recompute them from the current weights.
      argmax = new Int32Array(numBags * d);
      bagReduce(this.weight.data, d, bags.indices, bags.ends, 'max', null, pad, new Float32Array(numBags * d), counts, argmax);
    } else if (this.mode === 'mean') {
      bagCounts(bags.indices, bags.ends, pad, counts);
    }
    let scale: Float32Array | null = null;
    if (this.opts.scaleGradByFreq) {
      scale = new Float32Array(bags.indices.length);
      inverseFrequencies(bags.indices, pad, scale);
    }
    const entries = new Float32Array(bags.indices.length * d);
    bagBackwardEntries(g, d, bags.indices, bags.ends, this.mode, bags.weights, pad, counts, argmax, scale, entries);
    accumulateRowGrads(this.weight, this.opts.sparse, bags.indices, entries, d, pad, null);
    return weightsGrad;
  }

  private checkedBags(where: string, input: IndexInput, offsets: OffsetsInput, perSampleWeights: WeightsInput): Bags {
    const idx = toIndexTensor(where, input);
    const n = idx.data.length;
    let ends: Int32Array;
    if (idx.shape.length === 2) {
      if (offsets !== null && offsets !== undefined) {
        throw quiverError('TypeError', { where, what: 'offsets must be null when input is 2-D (each row is a bag)', got: describe(offsets) });
      }
      const [numBags, bagSize] = idx.shape;
      if (this.includeLastOffset) {
        // torch 1.13 makes offsets [0, N, ..., (B-1)N] and reads the last as an end: B - 1 bags
        // (and out-of-bounds reads and writes in backward); see test/golden/gen_embedding.py.
        throw quiverError('TypeError', { where, what: `includeLastOffset applies only to 1-D input with offsets; 2-D input gives one bag per row`, got: `2-D input of shape ${formatShape(idx.shape)} (torch 1.13 returns ${Math.max(numBags - 1, 0)} bags here, the last row dropped)`, tail: `; flatten it and pass offsets [0, ${bagSize}, …, ${numBags * bagSize}], or use a bag without includeLastOffset` });
      }
      ends = new Int32Array(numBags + 1);
      for (let b = 0; b <= numBags; b++) ends[b] = b * bagSize;
    } else if (idx.shape.length === 1) {
      if (offsets === null || offsets === undefined) {
        throw quiverError('TypeError', { where, what: 'offsets are required when input is 1-D (they give the start of each bag)' });
      }
      ends = this.checkedOffsets(where, offsets, n);
    } else {
      throw quiverError('RangeError', { where, what: 'input must be 1-D (with offsets) or 2-D', got: `shape ${formatShape(idx.shape)}` });
    }
    if (this.mode === 'max' && this.opts.scaleGradByFreq) {
      // At forward, after the input's shape, as torch's F.embedding_bag does.
      throw quiverError('Error', { where, what: `scaleGradByFreq is not supported with mode 'max' (torch: "max mode does not support scaling the gradient by the frequency")`, got: `mode 'max' with scaleGradByFreq true`, tail: `; set scaleGradByFreq to false or use mode 'sum' or 'mean'` });
    }
    checkIndices(where, 'input', idx.data, this.numEmbeddings, idx.shape);
    let weights: Float32Array | null = null;
    if (perSampleWeights !== null && perSampleWeights !== undefined) {
      if (this.mode !== 'sum') {
        throw quiverError('TypeError', { where, what: `perSampleWeights is only supported for mode 'sum'`, got: `mode '${this.mode}'` });
      }
      weights =
        perSampleWeights instanceof Float32Array
          ? perSampleWeights
          : perSampleWeights instanceof Tensor
            ? perSampleWeights.data
            : tensor(perSampleWeights as NestedNumbers).data;
      if (weights.length !== n) {
        throw quiverError('RangeError', { where, what: `perSampleWeights must have one weight per index (${n})`, got: String(weights.length) });
      }
    }
    return { indices: idx.data, ends, weights };
  }

  private checkedOffsets(where: string, offsets: Int32Array | readonly number[], n: number): Int32Array {
    if (!(offsets instanceof Int32Array) && !Array.isArray(offsets)) {
      throw quiverError('TypeError', { where, what: 'offsets must be an Int32Array or an array of integers', got: describe(offsets) });
    }
    const m = offsets.length;
    if (this.includeLastOffset && m === 0) {
      throw quiverError('RangeError', { where, what: 'with includeLastOffset, offsets must have at least 1 entry', got: '0' });
    }
    const numBags = this.includeLastOffset ? m - 1 : m;
    const ends = new Int32Array(numBags + 1);
    for (let b = 0; b < m; b++) {
      const o = offsets[b];
      if (!Number.isInteger(o) || o < 0 || o > n) {
        throw quiverError('RangeError', { where, what: `offsets[${b}] = ${o} must be an integer in [0, ${n}] (the number of indices)` });
      }
      if (b === 0 && o !== 0) throw quiverError('RangeError', { where, what: 'offsets[0] must be 0 (the first bag starts the input)', got: String(o) });
      if (b > 0 && o < offsets[b - 1]) {
        throw quiverError('RangeError', { where, what: 'offsets must be non-decreasing', got: `offsets[${b - 1}] = ${offsets[b - 1]} > offsets[${b}] = ${o}` });
      }
      if (b <= numBags) ends[b] = o;
    }
    if (this.includeLastOffset) {
      if (offsets[m - 1] !== n) {
        throw quiverError('RangeError', { where, what: `with includeLastOffset the last offset must equal the number of indices (${n})`, got: String(offsets[m - 1]) });
      }
    } else {
      ends[numBags] = n;
    }
    return ends;
  }

  /** `EmbeddingBag(numEmbeddings, embeddingDim, mode=…, <options that differ from the defaults>)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const parts = [String(this.numEmbeddings), String(this.embeddingDim), `mode='${this.mode}'`, ...describeTableOptions(this.opts)];
    if (this.includeLastOffset) parts.push('includeLastOffset=true');
    if (!this.weight.requiresGrad) parts.push('frozen');
    return `EmbeddingBag(${parts.join(', ')}) ${previewMatrix(this.weight.data, this.weight.shape)}`;
  }
}
