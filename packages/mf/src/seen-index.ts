import { buildCsr, checkIdArray, describeValue, quiverError, type InteractionData } from '@quiver/base';

/** The seen-items matrix: user × item CSR of the training interactions, for `filterSeen`. */
export interface SeenItems {
  /** Row offsets, length `numUsers + 1`: user u's items are `indices[indptr[u]]` up to `indices[indptr[u + 1] - 1]`. */
  readonly indptr: Int32Array;
  /** Item indices of all seen interactions, grouped by user, ascending in each row (length `indptr[numUsers]`). */
  readonly indices: Int32Array;
}

/**
 * The items each user has seen in training, held by a model for `filterSeen`. Models that do
 * not otherwise need the user × item matrix hand it the training data and it builds the CSR on
 * first use (`recommend` with `filterSeen`, batch recommend, saving), not during `fit`, so the
 * index stays out of the training's peak memory.
 * @example
 * const seen = new SeenIndex();
 * seen.defer(train); seen.itemsOf(3); // the CSR is built here
 */
export class SeenIndex {
  private csr: SeenItems | null = null;
  private source: InteractionData | null = null;
  private numUsers = 0;
  private numItems = 0;

  /** Holds `matrix` (a CSR over `numUsers` rows) as it is. */
  set(matrix: SeenItems, numUsers: number, numItems: number): void {
    this.csr = matrix;
    this.source = null;
    this.numUsers = numUsers;
    this.numItems = numItems;
  }

  /** Builds the CSR from `data` on first use. */
  defer(data: InteractionData): void {
    this.csr = null;
    this.source = data;
    this.numUsers = data.numUsers;
    this.numItems = data.numItems;
  }

  /** Empty rows for `numUsers` users (a model given weights but no training data). */
  clear(numUsers: number, numItems: number): void {
    this.set({ indptr: new Int32Array(numUsers + 1), indices: new Int32Array(0) }, numUsers, numItems);
  }

  /** The CSR, built now if it was deferred; null when nothing was ever set. */
  matrix(): SeenItems | null {
    if (this.source !== null) {
      const m = buildCsr(this.source.userIds, this.source.itemIds, null, this.numUsers, this.numItems, { duplicates: 'sum' });
      this.csr = { indptr: m.indptr, indices: m.indices };
      this.source = null;
    }
    return this.csr;
  }

  /** The items `user` has seen (a view, ascending). */
  itemsOf(user: number): Int32Array {
    const m = this.matrix() as SeenItems;
    return m.indices.subarray(m.indptr[user], m.indptr[user + 1]);
  }

  /**
   * Replaces the matrix with a checked copy of `indptr` / `indices`.
   * @throws {RangeError} when `indptr` is not `numUsers + 1` long, does not start at 0 and end at
   *   `indices.length`, or decreases; or an item id is out of range.
   */
  replace(where: string, indptr: Int32Array, indices: Int32Array): void {
    const nu = this.numUsers;
    if (!(indptr instanceof Int32Array) || indptr.length !== nu + 1) {
      throw quiverError('RangeError', { where, what: `indptr must be an Int32Array of length numUsers + 1 = ${nu + 1}`, got: describeValue(indptr) });
    }
    checkIdArray(where, 'indices', indices, this.numItems);
    if (indptr[0] !== 0 || indptr[nu] !== indices.length) {
      throw quiverError('RangeError', { where, what: `indptr must start at 0 and end at indices.length (${indices.length})`, got: `${indptr[0]} and ${indptr[nu]}` });
    }
    for (let u = 0; u < nu; u++) {
      if (indptr[u + 1] < indptr[u]) throw quiverError('RangeError', { where, what: 'indptr must be non-decreasing', got: `indptr[${u + 1}] = ${indptr[u + 1]} < ${indptr[u]}` });
    }
    this.set({ indptr: indptr.slice(), indices: indices.slice() }, nu, this.numItems);
  }
}
