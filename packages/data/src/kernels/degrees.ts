/** out[ids[k]] += 1 for every k (out must be zeroed by the caller; ids unchecked). */
export function countDegrees(ids: Int32Array, out: Int32Array): void {
  for (let k = 0; k < ids.length; k++) out[ids[k]]++;
}
