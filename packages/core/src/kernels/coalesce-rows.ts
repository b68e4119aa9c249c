import type { SparseRowGrad } from '../sparse-grad.js';

/**
 * Coalesces a row-sparse gradient: rows become unique and ascending, and the values of
 * duplicate rows are summed (in order of appearance, so the result is deterministic).
 * Same as `torch.Tensor.coalesce()` on a row-sparse COO gradient.
 *
 * Allocates its output (its size is only known after counting); nothing is allocated per row.
 * Returns the input unchanged when it is already unique and sorted.
 */
export function coalesceRows(grad: SparseRowGrad): SparseRowGrad {
  const { rows, values, dim } = grad;
  const n = rows.length;
  let sorted = true;
  for (let k = 1; k < n; k++) {
    if (rows[k] <= rows[k - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return grad;
  const keys = rows.slice().sort();
  let unique = n === 0 ? 0 : 1;
  for (let k = 1; k < n; k++) if (keys[k] !== keys[k - 1]) keys[unique++] = keys[k];
  const outRows = keys.slice(0, unique);
  const outValues = new Float32Array(unique * dim);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    let lo = 0;
    let hi = unique - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (outRows[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    const dst = lo * dim;
    const src = k * dim;
    for (let j = 0; j < dim; j++) outValues[dst + j] += values[src + j];
  }
  return { rows: outRows, values: outValues, dim };
}
