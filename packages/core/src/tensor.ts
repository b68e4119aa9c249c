import { describeValue as describe, formatShape, shapeSize, quiverError } from '@quiver/base';

/** Nested JavaScript arrays of numbers, any depth: `[[1, 2], [3, 4]]`. */
export type NestedNumbers = number | readonly NestedNumbers[];

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const PREVIEW_ROWS = 4;
const PREVIEW_COLS = 6;

/**
 * A dense Float32 tensor: a flat row-major `Float32Array` plus its shape. Element
 * `[i, j, k]` of a `[a, b, c]` tensor is `data[(i * b + j) * c + k]`.
 *
 * There are no per-element objects: `data` is the storage, and {@link Tensor.row} returns a
 * zero-copy `subarray` view into it.
 */
export class Tensor {
  /** Row-major values; `data.length` equals the product of `shape`. */
  readonly data: Float32Array;
  /** Dimensions, outermost first. `[]` is a scalar. */
  readonly shape: readonly number[];

  /**
   * Wraps `data` without copying. Prefer {@link tensor} to build one from nested arrays.
   * @throws {RangeError} when `data.length` is not the product of `shape`.
   */
  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw quiverError('TypeError', { where: 'Tensor', what: 'data must be a Float32Array', got: describe(data) });
    }
    checkShape('Tensor', shape);
    const size = shapeSize(shape);
    if (size !== data.length) {
      throw quiverError('RangeError', { where: 'Tensor', what: `data has ${data.length} values but shape ${formatShape(shape)} needs ${size}` });
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The element at a multi-index (checked). */
  get(...index: number[]): number {
    return this.data[this.offsetOf(index)];
  }

  /**
   * Row `i` of the outermost dimension as a zero-copy view (writes go into the tensor).
   * For a `[n, d]` tensor that is a `Float32Array` of length `d`.
   */
  row(i: number): Float32Array {
    if (this.shape.length === 0) throw quiverError('RangeError', { where: 'Tensor.row', what: `a scalar has no rows` });
    const n = this.shape[0];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw quiverError('RangeError', { where: 'Tensor.row', what: `row must be an integer in [0, ${n - 1}]`, got: String(i) });
    }
    const stride = n === 0 ? 0 : this.data.length / n;
    return this.data.subarray(i * stride, (i + 1) * stride);
  }

  /** A tensor with the same data (no copy) and a new shape of the same size. */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape);
  }

  /** A deep copy. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** Nested JavaScript arrays (a copy). A scalar gives a number. */
  toArray(): NestedNumbers {
    return toNested(this.data, this.shape, 0, 0);
  }

  private offsetOf(index: number[]): number {
    if (index.length !== this.shape.length) {
      throw quiverError('RangeError', { where: 'Tensor.get', what: `expected ${this.shape.length} indices for shape ${formatShape(this.shape)}`, got: `${index.length}` });
    }
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      const v = index[d];
      if (!Number.isInteger(v) || v < 0 || v >= this.shape[d]) {
        throw quiverError('RangeError', { where: 'Tensor.get', what: `index ${d} must be an integer in [0, ${this.shape[d] - 1}]`, got: String(v) });
      }
      off = off * this.shape[d] + v;
    }
    return off;
  }

  /** Short summary for the Node REPL: shape and a preview of the first values. */
  [INSPECT](): string {
    return `Tensor ${formatShape(this.shape)} float32 ${previewMatrix(this.data, this.shape)}`;
  }
}

/**
 * Builds a {@link Tensor}.
 * - From nested arrays: the shape is inferred and must be rectangular; values are copied.
 * - From a `Float32Array` and a shape: wrapped without copying.
 * - From any other array-like and a shape: copied into a new `Float32Array`.
 * @throws {RangeError} for ragged nesting or a size that does not match the shape.
 * @example
 * tensor([[1, 2], [3, 4]]).shape; // [2, 2]
 */
export function tensor(values: NestedNumbers | ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (values instanceof Float32Array) {
    return new Tensor(values, shape ?? [values.length]);
  }
  if (ArrayBuffer.isView(values)) {
    const arr = values as unknown as ArrayLike<number>;
    return new Tensor(Float32Array.from(arr), shape ?? [arr.length]);
  }
  const parsed = parseNested('tensor', values as NestedNumbers, 'float');
  const t = new Tensor(Float32Array.from(parsed.values), parsed.shape);
  return shape ? t.reshape(shape) : t;
}

/** A tensor of zeros with the given shape. */
export function zeros(shape: readonly number[]): Tensor {
  checkShape('zeros', shape);
  return new Tensor(new Float32Array(shapeSize(shape)), shape);
}

/** True for a {@link Tensor} (also one from another copy of this library). */
export function isTensor(value: unknown): value is Tensor {
  return (
    value instanceof Tensor ||
    (typeof value === 'object' && value !== null && (value as Tensor).data instanceof Float32Array &&
      Array.isArray((value as Tensor).shape))
  );
}

/** Integer indices with a shape: the input of embedding lookups. Row-major. */
export interface IndexTensor {
  /** Row-major indices; `data.length` equals the product of `shape`. */
  readonly data: Int32Array;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
}

/**
 * What a lookup accepts: nested arrays of integers (any depth), a flat `Int32Array` (1-D),
 * or an {@link IndexTensor} (`{ data: Int32Array, shape }`).
 */
export type IndexInput = NestedNumbers | Int32Array | IndexTensor;

/**
 * Normalises an {@link IndexInput} to an {@link IndexTensor} without copying an `Int32Array`.
 * Bounds are not checked here (see `checkIndices`); non-integers in nested arrays are.
 * @throws {TypeError} for an unsupported kind of input.
 * @throws {RangeError} for ragged nesting, a non-integer entry, or a size/shape mismatch.
 */
export function toIndexTensor(where: string, input: IndexInput): IndexTensor {
  if (input instanceof Int32Array) return { data: input, shape: [input.length] };
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const t = input as IndexTensor;
    if (!(t.data instanceof Int32Array)) {
      throw quiverError('TypeError', { where, what: `indices must be nested integer arrays, an Int32Array or { data: Int32Array, shape }`, got: `${describe(
          (t as { data?: unknown }).data ?? input,
        )}` });
    }
    checkShape(where, t.shape);
    if (shapeSize(t.shape) !== t.data.length) {
      throw quiverError('RangeError', { where, what: `indices have ${t.data.length} values but shape ${formatShape(t.shape)} needs ${shapeSize(t.shape)}` });
    }
    return t;
  }
  if (typeof input === 'number') {
    const p = parseNested(where, input, 'int');
    return { data: Int32Array.from(p.values), shape: p.shape };
  }
  if (!Array.isArray(input)) {
    throw quiverError('TypeError', { where, what: `indices must be nested integer arrays, an Int32Array or { data: Int32Array, shape }`, got: `${describe(input)}` });
  }
  const p = parseNested(where, input, 'int');
  return { data: Int32Array.from(p.values), shape: p.shape };
}

function checkShape(where: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) {
    throw quiverError('TypeError', { where, what: 'shape must be an array of non-negative integers', got: describe(shape) });
  }
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (!Number.isInteger(n) || n < 0) {
      throw quiverError('RangeError', { where, what: `shape[${d}] must be a non-negative integer`, got: String(n) });
    }
  }
}

/** Walks nested arrays once, checking they are rectangular; returns flat values and shape. */
function parseNested(
  where: string,
  nested: NestedNumbers,
  kind: 'int' | 'float',
): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: NestedNumbers = nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const values: number[] = [];
  const index: number[] = [];
  const walk = (node: NestedNumbers, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') {
        const at = index.length ? `[${index.join(', ')}]` : '';
        const why = Array.isArray(node) ? 'nesting is ragged' : `expected a number, got ${describe(node)}`;
        throw quiverError(Array.isArray(node) ? 'RangeError' : 'TypeError', { where, what: `entry ${at} ${why}` });
      }
      if (kind === 'int' && !Number.isInteger(node)) {
        throw quiverError('RangeError', { where, what: `indices${index.length ? `[${index.join(', ')}]` : ''} = ${node} is not an integer` });
      }
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw quiverError('RangeError', { where, what: `nested arrays must be rectangular; at [${index.join(', ')}] expected length ${shape[depth]}`, got: `${
          Array.isArray(node) ? node.length : describe(node)
        }` });
    }
    for (let i = 0; i < node.length; i++) {
      index.push(i);
      walk(node[i], depth + 1);
      index.pop();
    }
  };
  walk(nested, 0);
  return { values, shape };
}

function toNested(data: Float32Array, shape: readonly number[], dim: number, offset: number): NestedNumbers {
  if (dim === shape.length) return data[offset];
  const n = shape[dim];
  let stride = 1;
  for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
  const out: NestedNumbers[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = toNested(data, shape, dim + 1, offset + i * stride);
  return out;
}

function fmt(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return x.toFixed(1);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return x.toFixed(4);
}

/**
 * A short text preview of a row-major array seen as a matrix `[rows, cols]` (the last
 * dimension is the columns). At most {@link PREVIEW_ROWS} rows and {@link PREVIEW_COLS} columns.
 */
export function previewMatrix(data: Float32Array, shape: readonly number[]): string {
  if (shape.length === 0) return fmt(data[0]);
  const cols = shape[shape.length - 1];
  const rows = cols === 0 ? 0 : data.length / cols;
  const lines: string[] = [];
  const rowText = (r: number): string => {
    const parts: string[] = [];
    const shown = Math.min(cols, PREVIEW_COLS);
    for (let c = 0; c < shown; c++) parts.push(fmt(data[r * cols + c]));
    if (cols > shown) parts.push('…');
    return `[${parts.join(', ')}]`;
  };
  if (shape.length === 1) return rowText(0);
  const shownRows = Math.min(rows, PREVIEW_ROWS);
  for (let r = 0; r < shownRows; r++) lines.push(`  ${rowText(r)}`);
  if (rows > shownRows) lines.push(`  … ${rows - shownRows} more rows`);
  return `[\n${lines.join(',\n')}\n]`;
}
