/** How a bag's rows are combined. Same names as `torch.nn.EmbeddingBag(mode=...)`. */
export type BagMode = 'sum' | 'mean' | 'max';

/**
 * Reduces each bag of rows to one row: the forward of an embedding bag.
 *
 * Bag `b` holds entries `bagEnds[b] .. bagEnds[b + 1] - 1` of `indices` (so `bagEnds` has
 * `numBags + 1` entries, CSR style). Entries equal to `paddingIdx` are left out, and are not
 * counted by `mean`. Empty bags (or bags of padding only) give zeros.
 *
 * - `sum`: `out[b] = Σ w_k · table[indices[k]]` (`w_k` = `perSampleWeights[k]`, or 1).
 * - `mean`: the sum divided by the number of non-padding entries.
 * - `max`: the element-wise maximum; `argmax[b·dim + j]` receives the entry position `k` that
 *   won (the first on ties), or -1 for an empty bag.
 *
 * @param out - Row-major, `numBags × dim`; overwritten.
 * @param counts - `numBags`; receives the number of non-padding entries per bag.
 * @param argmax - `numBags × dim` for `max` mode, else null.
 */
export function bagReduce(
  table: Float32Array,
  dim: number,
  indices: Int32Array,
  bagEnds: Int32Array,
  mode: BagMode,
  perSampleWeights: Float32Array | null,
  paddingIdx: number,
  out: Float32Array,
  counts: Float32Array,
  argmax: Int32Array | null,
): void {
  const numBags = bagEnds.length - 1;
  out.fill(0);
  if (argmax !== null) argmax.fill(-1);
  for (let b = 0; b < numBags; b++) {
    const o = b * dim;
    let count = 0;
    for (let k = bagEnds[b]; k < bagEnds[b + 1]; k++) {
      const r = indices[k];
      if (r === paddingIdx) continue;
      const src = r * dim;
      if (mode === 'max') {
        if (count === 0) {
          for (let j = 0; j < dim; j++) {
            out[o + j] = table[src + j];
            (argmax as Int32Array)[o + j] = k;
          }
        } else {
          for (let j = 0; j < dim; j++) {
            const v = table[src + j];
            if (v > out[o + j]) {
              out[o + j] = v;
              (argmax as Int32Array)[o + j] = k;
            }
          }
        }
      } else if (perSampleWeights !== null) {
        const w = perSampleWeights[k];
        for (let j = 0; j < dim; j++) out[o + j] += w * table[src + j];
      } else {
        for (let j = 0; j < dim; j++) out[o + j] += table[src + j];
      }
      count++;
    }
    counts[b] = count;
    if (mode === 'mean' && count > 0) {
      const inv = 1 / count;
      for (let j = 0; j < dim; j++) out[o + j] *= inv;
    }
  }
}

/** Writes the number of non-padding entries of each bag into `counts` (`numBags`). */
export function bagCounts(indices: Int32Array, bagEnds: Int32Array, paddingIdx: number, counts: Float32Array): void {
  const numBags = bagEnds.length - 1;
  for (let b = 0; b < numBags; b++) {
    let c = 0;
    for (let k = bagEnds[b]; k < bagEnds[b + 1]; k++) if (indices[k] !== paddingIdx) c++;
    counts[b] = c;
  }
}

/**
 * The per-entry gradient of {@link bagReduce}: for each entry `k` of bag `b`, writes the
 * gradient that flows to row `indices[k]` into `out[k]` (`numEntries × dim`). Padding entries
 * get zeros. `freqScale` (or null) multiplies entry `k` (for `scaleGradByFreq`).
 *
 * - `sum`: `gradOutput[b] · w_k`; `mean`: `gradOutput[b] / counts[b]`;
 * - `max`: `gradOutput[b][j]` only where `argmax[b][j] === k`, else 0.
 *
 * Scatter-adding `out` by `indices` gives the dense weight gradient; `out` itself is the
 * values of the row-sparse gradient.
 */
export function bagBackwardEntries(
  gradOutput: Float32Array,
  dim: number,
  indices: Int32Array,
  bagEnds: Int32Array,
  mode: BagMode,
  perSampleWeights: Float32Array | null,
  paddingIdx: number,
  counts: Float32Array,
  argmax: Int32Array | null,
  freqScale: Float32Array | null,
  out: Float32Array,
): void {
  const numBags = bagEnds.length - 1;
  for (let b = 0; b < numBags; b++) {
    const g = b * dim;
    for (let k = bagEnds[b]; k < bagEnds[b + 1]; k++) {
      const dst = k * dim;
      if (indices[k] === paddingIdx) {
        for (let j = 0; j < dim; j++) out[dst + j] = 0;
        continue;
      }
      let f = freqScale === null ? 1 : freqScale[k];
      if (mode === 'max') {
        const am = argmax as Int32Array;
        for (let j = 0; j < dim; j++) out[dst + j] = am[g + j] === k ? f * gradOutput[g + j] : 0;
        continue;
      }
      if (mode === 'mean') f /= counts[b];
      else if (perSampleWeights !== null) f *= perSampleWeights[k];
      for (let j = 0; j < dim; j++) out[dst + j] = f * gradOutput[g + j];
    }
  }
}

/**
 * The gradient with respect to `perSampleWeights` (mode `sum`): `out[k] = ⟨gradOutput[b], table[indices[k]]⟩`
 * for entry `k` of bag `b`; 0 for padding entries.
 */
export function bagPerSampleWeightsGrad(
  table: Float32Array,
  gradOutput: Float32Array,
  dim: number,
  indices: Int32Array,
  bagEnds: Int32Array,
  paddingIdx: number,
  out: Float32Array,
): void {
  const numBags = bagEnds.length - 1;
  for (let b = 0; b < numBags; b++) {
    const g = b * dim;
    for (let k = bagEnds[b]; k < bagEnds[b + 1]; k++) {
      const r = indices[k];
      if (r === paddingIdx) {
        out[k] = 0;
        continue;
      }
      const src = r * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += gradOutput[g + j] * table[src + j];
      out[k] = s;
    }
  }
}
