/**
 * The `p`-quantile of values sorted ascending, interpolating linearly between order statistics:
 * with `h = (n − 1) p`, `sorted[⌊h⌋] + (h − ⌊h⌋) (sorted[⌊h⌋ + 1] − sorted[⌊h⌋])` (Hyndman &
 * Fan's type 7, the default of R's `quantile` and NumPy's `percentile`). No checks: `sorted`
 * must be non-empty and ascending and `p` in [0, 1].
 * @returns The quantile; `sorted[0]` for p = 0 and `sorted[n − 1]` for p = 1.
 * @example
 * sortedQuantile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  if (i >= sorted.length - 1) return sorted[sorted.length - 1];
  const lo = sorted[i];
  const hi = sorted[i + 1];
  return lo === hi ? lo : lo + (h - i) * (hi - lo);
}
