import { Table, makeVector, type Vector } from 'apache-arrow';
import { describeValue, buildCsr, type CsrMatrix, quiverError } from '@quiver/base';
import type { IdMap } from './id-map.js';
import { countDegrees } from './kernels/degrees.js';
import { gatherFloat32, gatherFloat64, gatherInt32 } from './kernels/gather.js';
import type { LoadReport } from './load-report.js';

/** The columns of an {@link Interactions} dataset, already mapped to dense indices. */
export interface InteractionsInit {
  /** Dense user index of each row, in [0, userIdMap.size). */
  readonly userIds: Int32Array;
  /** Dense item index of each row, in [0, itemIdMap.size). */
  readonly itemIds: Int32Array;
  /** Rating of each row, or null for implicit feedback. @defaultValue null */
  readonly ratings?: Float32Array | null;
  /** Timestamp of each row (seconds since the epoch for MovieLens), or null. @defaultValue null */
  readonly timestamps?: Float64Array | null;
  /** Vocabulary of user ids. */
  readonly userIdMap: IdMap;
  /** Vocabulary of item ids. */
  readonly itemIdMap: IdMap;
  /** How the data was loaded, when it came from a file. @defaultValue null */
  readonly report?: LoadReport | null;
}

/** Summary statistics of a degree distribution (interactions per user or per item). */
export interface DegreeStats {
  /** Smallest degree (0 when some id has no interaction, e.g. in a split). */
  readonly min: number;
  /** Largest degree. */
  readonly max: number;
  /** Mean degree over all ids of the map. */
  readonly mean: number;
  /** Median degree (lower median). */
  readonly median: number;
  /** Number of ids with no interaction. */
  readonly numZero: number;
}

const TRUSTED = Symbol('trusted');

/**
 * An interaction log (user, item, optional rating and timestamp) with dense Int32 ids.
 *
 * The columns are plain typed arrays, exposed directly (zero-copy) and also wrapped without
 * copying in an Arrow {@link Interactions.table} (columns `user`, `item`, `rating`,
 * `timestamp`). Ratings are Float32; timestamps are Float64 (exact for any integer up to
 * 2^53, so seconds and milliseconds since the epoch both fit). Raw ids are kept in
 * {@link Interactions.userIdMap} / {@link Interactions.itemIdMap}; `numUsers` and `numItems`
 * are the sizes of those maps, so a train/test split of one dataset shares them and indices
 * mean the same thing in both. Pairs are unique: every loader applies a duplicate policy.
 *
 * The columns are views: never write into them (call `.slice()` first).
 *
 * @example
 * const data = fromArrays({ userIds: ['a', 'a', 'b'], itemIds: [10, 20, 10], ratings: [5, 3, 4] });
 * data.numUsers;      // 2
 * data.toCsr().indptr; // Int32Array [0, 2, 3]
 */
export class Interactions {
  /** Dense user index per row. */
  readonly userIds: Int32Array;
  /** Dense item index per row. */
  readonly itemIds: Int32Array;
  /** Rating per row, or null (implicit feedback). */
  readonly ratings: Float32Array | null;
  /** Timestamp per row (Float64), or null. */
  readonly timestamps: Float64Array | null;
  /** Number of users (size of the user id map, including users with no row here). */
  readonly numUsers: number;
  /** Number of items (size of the item id map). */
  readonly numItems: number;
  /** Raw user id <-> dense index. */
  readonly userIdMap: IdMap;
  /** Raw item id <-> dense index. */
  readonly itemIdMap: IdMap;
  /** How the data was loaded (rows read, skipped, merged), or null for derived datasets. */
  readonly report: LoadReport | null;
  private cachedTable: Table | null = null;
  private cachedCsr: CsrMatrix | null = null;
  private cachedCsc: CsrMatrix | null = null;
  private cachedUserDegrees: Int32Array | null = null;
  private cachedItemDegrees: Int32Array | null = null;

  /**
   * Wraps dense columns (no copy). Checks lengths and that every index is in range.
   * Prefer the loaders ({@link fromArrays}, `readCsv`, `loadInteractions`), which build the id
   * maps and apply a duplicate policy; this constructor does not look for duplicate pairs.
   * @throws {TypeError} when a column has the wrong type.
   * @throws {RangeError} when lengths differ or an index is out of range.
   */
  constructor(init: InteractionsInit, trusted?: typeof TRUSTED) {
    const where = 'Interactions';
    if (init === null || typeof init !== 'object') throw quiverError('TypeError', { where, what: 'init must be an object', got: describeValue(init) });
    const { userIds, itemIds, userIdMap, itemIdMap } = init;
    const ratings = init.ratings ?? null;
    const timestamps = init.timestamps ?? null;
    if (trusted !== TRUSTED) {
      if (!(userIds instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'userIds must be an Int32Array', got: describeValue(userIds) });
      if (!(itemIds instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'itemIds must be an Int32Array', got: describeValue(itemIds) });
      if (ratings !== null && !(ratings instanceof Float32Array)) {
        throw quiverError('TypeError', { where, what: 'ratings must be a Float32Array or null', got: describeValue(ratings) });
      }
      if (timestamps !== null && !(timestamps instanceof Float64Array)) {
        throw quiverError('TypeError', { where, what: 'timestamps must be a Float64Array or null', got: describeValue(timestamps) });
      }
      if (!userIdMap || typeof userIdMap.toIndex !== 'function') throw quiverError('TypeError', { where, what: 'userIdMap must be an IdMap', got: describeValue(userIdMap) });
      if (!itemIdMap || typeof itemIdMap.toIndex !== 'function') throw quiverError('TypeError', { where, what: 'itemIdMap must be an IdMap', got: describeValue(itemIdMap) });
      const n = userIds.length;
      if (itemIds.length !== n) throw quiverError('RangeError', { where, what: `itemIds must have length ${n} (as userIds)`, got: String(itemIds.length) });
      if (ratings !== null && ratings.length !== n) throw quiverError('RangeError', { where, what: `ratings must have length ${n} (as userIds)`, got: String(ratings.length) });
      if (timestamps !== null && timestamps.length !== n) {
        throw quiverError('RangeError', { where, what: `timestamps must have length ${n} (as userIds)`, got: String(timestamps.length) });
      }
      checkIndexRange(where, 'userIds', userIds, userIdMap.size);
      checkIndexRange(where, 'itemIds', itemIds, itemIdMap.size);
    }
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.ratings = ratings;
    this.timestamps = timestamps;
    this.userIdMap = userIdMap;
    this.itemIdMap = itemIdMap;
    this.numUsers = userIdMap.size;
    this.numItems = itemIdMap.size;
    this.report = init.report ?? null;
  }

  /** @internal Builds without checks; for loaders and splits that produced valid columns. */
  static trusted(init: InteractionsInit): Interactions {
    return new Interactions(init, TRUSTED);
  }

  /** Number of rows (interactions). */
  get length(): number {
    return this.userIds.length;
  }

  /** Number of rows (interactions); same as {@link Interactions.length}. */
  get numInteractions(): number {
    return this.userIds.length;
  }

  /** Fraction of the numUsers × numItems matrix that is observed (0 for an empty matrix). */
  get density(): number {
    const cells = this.numUsers * this.numItems;
    return cells === 0 ? 0 : this.length / cells;
  }

  /**
   * The columns as an Arrow Table (`user`: Int32, `item`: Int32, then `rating`: Float32 and
   * `timestamp`: Float64 when present), wrapping the typed arrays without copying.
   */
  get table(): Table {
    if (this.cachedTable === null) {
      const cols: Record<string, Vector> = { user: makeVector(this.userIds), item: makeVector(this.itemIds) };
      if (this.ratings !== null) cols.rating = makeVector(this.ratings);
      if (this.timestamps !== null) cols.timestamp = makeVector(this.timestamps);
      this.cachedTable = new Table(cols);
    }
    return this.cachedTable;
  }

  /** Interactions per user, length numUsers (computed once, then cached; do not write). */
  userDegrees(): Int32Array {
    if (this.cachedUserDegrees === null) {
      const d = new Int32Array(this.numUsers);
      countDegrees(this.userIds, d);
      this.cachedUserDegrees = d;
    }
    return this.cachedUserDegrees;
  }

  /** Interactions per item, length numItems (computed once, then cached; do not write). */
  itemDegrees(): Int32Array {
    if (this.cachedItemDegrees === null) {
      const d = new Int32Array(this.numItems);
      countDegrees(this.itemIds, d);
      this.cachedItemDegrees = d;
    }
    return this.cachedItemDegrees;
  }

  /** Min / max / mean / median degree of users and of items (over all ids in the maps). */
  degreeStats(): {
    /** Degree statistics over the users (number of interactions per user id). */
    readonly users: DegreeStats;
    /** Degree statistics over the items (number of interactions per item id). */
    readonly items: DegreeStats;
  } {
    return { users: stats(this.userDegrees()), items: stats(this.itemDegrees()) };
  }

  /**
   * The user -> item matrix in CSR form, item indices sorted within each row, values = ratings
   * (or null). Built once in O(n) and cached; do not write into it.
   */
  toCsr(): CsrMatrix {
    if (this.cachedCsr === null) {
      const { indptr, indices, values, numRows, numCols } = buildCsr(this.userIds, this.itemIds, this.ratings, this.numUsers, this.numItems);
      this.cachedCsr = { indptr, indices, values, numRows, numCols };
    }
    return this.cachedCsr;
  }

  /**
   * The item -> user matrix (CSC of the user × item matrix), user indices sorted within each
   * item. Built once and cached; do not write into it.
   */
  toCsc(): CsrMatrix {
    if (this.cachedCsc === null) {
      const { indptr, indices, values, numRows, numCols } = buildCsr(this.itemIds, this.userIds, this.ratings, this.numItems, this.numUsers);
      this.cachedCsc = { indptr, indices, values, numRows, numCols };
    }
    return this.cachedCsc;
  }

  /**
   * A new dataset holding the given rows, in the given order, with the same id maps (so
   * numUsers, numItems and all indices are unchanged). Copies the selected rows.
   * @param rows - Row positions in [0, length); used by the splits.
   * @throws {TypeError} when rows is not an Int32Array.
   * @throws {RangeError} when a position is out of range.
   */
  subset(rows: Int32Array): Interactions {
    if (!(rows instanceof Int32Array)) throw quiverError('TypeError', { where: 'Interactions.subset', what: 'rows must be an Int32Array', got: describeValue(rows) });
    checkIndexRange('Interactions.subset', 'rows', rows, this.length);
    return this.subsetUnchecked(rows);
  }

  /** @internal {@link Interactions.subset} without the range check. */
  subsetUnchecked(rows: Int32Array): Interactions {
    const m = rows.length;
    const userIds = new Int32Array(m);
    const itemIds = new Int32Array(m);
    gatherInt32(this.userIds, rows, 0, m, userIds);
    gatherInt32(this.itemIds, rows, 0, m, itemIds);
    let ratings: Float32Array | null = null;
    if (this.ratings !== null) {
      ratings = new Float32Array(m);
      gatherFloat32(this.ratings, rows, 0, m, ratings);
    }
    let timestamps: Float64Array | null = null;
    if (this.timestamps !== null) {
      timestamps = new Float64Array(m);
      gatherFloat64(this.timestamps, rows, 0, m, timestamps);
    }
    return Interactions.trusted({ userIds, itemIds, ratings, timestamps, userIdMap: this.userIdMap, itemIdMap: this.itemIdMap });
  }

  /** Short summary for the REPL: counts, density, rating range and which columns exist. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const fmt = (x: number) => x.toLocaleString('en-US');
    const parts = [`${fmt(this.length)} interactions`, `${fmt(this.numUsers)} users × ${fmt(this.numItems)} items`, `density ${(this.density * 100).toPrecision(3)}%`];
    if (this.ratings !== null && this.length > 0) {
      let lo = Infinity;
      let hi = -Infinity;
      let sum = 0;
      for (let k = 0; k < this.ratings.length; k++) {
        const r = this.ratings[k];
        if (r < lo) lo = r;
        if (r > hi) hi = r;
        sum += r;
      }
      parts.push(`ratings ${lo}..${hi} (mean ${(sum / this.ratings.length).toFixed(2)})`);
    } else parts.push(this.ratings === null ? 'implicit' : 'ratings');
    if (this.timestamps !== null) parts.push('timestamps');
    return `Interactions { ${parts.join(', ')} }`;
  }
}

function checkIndexRange(where: string, name: string, ids: Int32Array, size: number): void {
  for (let k = 0; k < ids.length; k++) {
    const v = ids[k];
    if (v < 0 || v >= size) throw quiverError('RangeError', { where, what: `${name}[${k}] must be in [0, ${size})`, got: String(v) });
  }
}

function stats(deg: Int32Array): DegreeStats {
  const n = deg.length;
  if (n === 0) return { min: 0, max: 0, mean: 0, median: 0, numZero: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let numZero = 0;
  for (let k = 0; k < n; k++) {
    const d = deg[k];
    if (d < min) min = d;
    if (d > max) max = d;
    if (d === 0) numZero++;
    sum += d;
  }
  const sorted = deg.slice().sort();
  return { min, max, mean: sum / n, median: sorted[(n - 1) >> 1], numZero };
}
