import { formatShape, quiverError } from '@quiver/base';

/**
 * A row-sparse gradient of a 2-D parameter `[numRows, dim]` (or a 1-D one, with `dim` 1): the
 * gradient is zero except in the listed rows. Same meaning as a `torch.sparse_coo_tensor` whose
 * sparse dimension is the first one, as `nn.Embedding(sparse=True)` produces.
 *
 * `rows` may repeat (uncoalesced), in which case the gradient of a row is the sum of its
 * entries; {@link coalesceRows} makes them unique and sorted.
 */
export interface SparseRowGrad {
  /** Row indices, length `nnz`. */
  readonly rows: Int32Array;
  /** Row-major, `nnz × dim`: entry `k` is the gradient for row `rows[k]`. */
  readonly values: Float32Array;
  /** Values per row. */
  readonly dim: number;
}

/** True for a {@link SparseRowGrad} (a dense gradient is a `Tensor`). */
export function isSparseRowGrad(value: unknown): value is SparseRowGrad {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as SparseRowGrad).rows instanceof Int32Array &&
    (value as SparseRowGrad).values instanceof Float32Array &&
    typeof (value as SparseRowGrad).dim === 'number'
  );
}

/** Concatenates two sparse gradients (no summing; the result is uncoalesced). */
export function concatRowGrads(a: SparseRowGrad, b: SparseRowGrad): SparseRowGrad {
  if (a.dim !== b.dim) {
    throw quiverError('RangeError', { where: 'concatRowGrads', what: 'dims must match', got: `${a.dim} and ${b.dim}` });
  }
  const rows = new Int32Array(a.rows.length + b.rows.length);
  rows.set(a.rows, 0);
  rows.set(b.rows, a.rows.length);
  const values = new Float32Array(a.values.length + b.values.length);
  values.set(a.values, 0);
  values.set(b.values, a.values.length);
  return { rows, values, dim: a.dim };
}

/** The dense `[numRows, dim]` equivalent of a sparse gradient (duplicates summed). */
export function densifyRowGrad(grad: SparseRowGrad, numRows: number): Float32Array {
  const out = new Float32Array(numRows * grad.dim);
  const { rows, values, dim } = grad;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (r < 0 || r >= numRows) {
      throw quiverError('RangeError', { where: 'densifyRowGrad', what: `rows[${k}] = ${r} must be in [0, ${numRows - 1}] for shape ${formatShape([numRows, dim])}` });
    }
    const src = k * dim;
    const dst = r * dim;
    for (let j = 0; j < dim; j++) out[dst + j] += values[src + j];
  }
  return out;
}
