/**
 * Index of the first value with `!(|v| <= bound)` in `values[0..n)` (NaN and, for a finite
 * bound, ±Infinity included), or -1 when every value is within the bound. One pass, no
 * allocation. With `bound = Number.MAX_VALUE` it finds the first non-finite value.
 */
export function firstOutOfRange(values: ArrayLike<number>, n: number, bound: number): number {
  const lo = -bound;
  for (let k = 0; k < n; k++) {
    const v = values[k];
    if (!(v <= bound && v >= lo)) return k;
  }
  return -1;
}
