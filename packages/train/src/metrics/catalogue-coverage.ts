import { checkPositiveInt, checkInt32Array, quiverError } from '@quiver/base';

/**
 * Catalogue coverage: the fraction of the `numItems` items that appear at least once in the
 * recommendations. Negative ids are padding and ignored.
 * @param recommended - Every user's top-k, concatenated (e.g. the `ids` of a batch top-k).
 * @param numItems - Size of the catalogue.
 * @returns A value in [0, 1].
 * @throws {TypeError} when recommended is not an Int32Array.
 * @throws {RangeError} when numItems is not a positive integer or an id is >= numItems.
 * @example
 * catalogueCoverage(new Int32Array([0, 1, 1, -1]), 4); // 0.5
 */
export function catalogueCoverage(recommended: Int32Array, numItems: number): number {
  checkInt32Array('catalogueCoverage', 'recommended', recommended);
  checkPositiveInt('catalogueCoverage', 'numItems', numItems);
  const seen = new Uint8Array(numItems);
  let distinct = 0;
  for (let i = 0; i < recommended.length; i++) {
    const id = recommended[i];
    if (id < 0) continue;
    if (id >= numItems) throw quiverError('RangeError', { where: 'catalogueCoverage', what: `recommended[${i}] must be in [0, ${numItems})`, got: String(id) });
    if (seen[id] === 0) {
      seen[id] = 1;
      distinct++;
    }
  }
  return distinct / numItems;
}
