/**
 * Adds rows of `src` into rows of `out`: `out[rows[k]] += scale[k] * src[k]` (scale 1 when
 * `scale` is null). Entries whose row equals `skipRow` are skipped (the padding row; pass -1 to
 * skip nothing). Duplicate rows accumulate. This is the dense backward of an embedding lookup.
 *
 * @param out - Row-major, `numRows × dim`; accumulated into.
 * @param src - Row-major, `rows.length × dim`.
 * @param scale - One factor per entry, or null.
 */
export function scatterAddRows(
  out: Float32Array,
  dim: number,
  rows: Int32Array,
  src: Float32Array,
  skipRow: number,
  scale: Float32Array | null,
): void {
  const n = rows.length;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    if (r === skipRow) continue;
    const dst = r * dim;
    const s = k * dim;
    if (scale === null) {
      for (let j = 0; j < dim; j++) out[dst + j] += src[s + j];
    } else {
      const f = scale[k];
      for (let j = 0; j < dim; j++) out[dst + j] += f * src[s + j];
    }
  }
}
