/**
 * The Gini index of non-negative values sorted ascending,
 * `G = Σᵢ (2i − n − 1) xᵢ / (n Σ x)` with i from 1 (equal to the mean absolute difference
 * `ΣᵢΣⱼ |xᵢ − xⱼ| / (2 n² x̄)`): 0 when all values are equal, `(n − 1) / n` when one holds
 * everything. No checks, no allocation.
 * @returns G; NaN when the values sum to 0.
 * @example
 * giniOfSorted(Int32Array.of(0, 0, 0, 4)); // (3 · 4) / (4 · 4) = 0.75
 */
export function giniOfSorted(sorted: Int32Array | Float64Array): number {
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return total === 0 ? NaN : weighted / (n * total);
}
