/**
 * out[k] = src[index[start + k]] for k in [0, end - start). Indices are unchecked.
 * Works for any pair of typed arrays of the same element kind.
 */
export function gatherInt32(src: Int32Array, index: Int32Array, start: number, end: number, out: Int32Array): void {
  for (let k = start; k < end; k++) out[k - start] = src[index[k]];
}

/** Float32 variant of {@link gatherInt32}. */
export function gatherFloat32(src: Float32Array, index: Int32Array, start: number, end: number, out: Float32Array): void {
  for (let k = start; k < end; k++) out[k - start] = src[index[k]];
}

/** Float64 variant of {@link gatherInt32}. */
export function gatherFloat64(src: Float64Array, index: Int32Array, start: number, end: number, out: Float64Array): void {
  for (let k = start; k < end; k++) out[k - start] = src[index[k]];
}
