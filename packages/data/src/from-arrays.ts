import { checkNonNegativeInt, checkOneOf, checkOptions, describeValue, MAX_ABS_RATING, RATING_RULE, quiverError } from '@quiver/base';
import { dataInputError } from './data-input-error.js';
import { finishInteractions, checkDuplicatePolicy } from './finish-interactions.js';
import { IdMap, type RawId } from './id-map.js';
import type { Interactions } from './interactions.js';
import type { DuplicatePolicy, SkippedRow } from './load-report.js';

/** In-memory columns for {@link fromArrays}: JavaScript arrays or typed arrays of equal length. */
export interface ArrayColumns {
  /** Raw user id per row (strings, numbers or bigints). */
  readonly userIds: ArrayLike<RawId>;
  /** Raw item id per row. */
  readonly itemIds: ArrayLike<RawId>;
  /** Rating per row (finite numbers with |rating| <= {@link MAX_ABS_RATING}), or omitted / null for implicit feedback. */
  readonly ratings?: ArrayLike<number> | null;
  /** Timestamp per row (finite numbers), or omitted / null. */
  readonly timestamps?: ArrayLike<number> | null;
}

/** Options of {@link fromArrays}. */
export interface FromArraysOptions {
  /**
   * `'raw'`: ids are arbitrary and get an id map (first-seen order). `'dense'`: ids are already
   * indices 0..n-1 (non-negative integers) and get identity maps.
   * @defaultValue 'raw'
   */
  readonly ids?: 'raw' | 'dense';
  /** With `ids: 'dense'`, the number of users (default: max user id + 1). */
  readonly numUsers?: number;
  /** With `ids: 'dense'`, the number of items (default: max item id + 1). */
  readonly numItems?: number;
  /**
   * An existing user vocabulary (e.g. a trained model's): ids are looked up in it and an
   * unknown id is an invalid row. The map is not modified. @defaultValue a new map
   */
  readonly userIdMap?: IdMap;
  /** An existing item vocabulary (see userIdMap). @defaultValue a new map */
  readonly itemIdMap?: IdMap;
  /** Policy for repeated (user, item) pairs. @defaultValue 'keep-last' */
  readonly duplicates?: DuplicatePolicy;
  /** `'error'` throws on the first invalid row; `'skip'` drops it and counts it in `report`. @defaultValue 'error' */
  readonly onInvalid?: 'error' | 'skip';
}

/**
 * Builds an {@link Interactions} dataset from in-memory columns. Ids are mapped through id
 * maps; ratings are stored as Float32 and timestamps as Float64 (copies).
 * @throws {TypeError} when a column is missing or not array-like, or an option has the wrong kind.
 * @throws {RangeError} when lengths differ, or (with `onInvalid: 'error'`; a `QuiverError` (from `@quiver/base`)
 *   with the hint `onInvalid`) a row has an invalid id, a rating that is not a finite number with
 *   |rating| <= {@link MAX_ABS_RATING}, a non-finite timestamp, or an id unknown to a given id map.
 * @throws {Error} on a duplicate pair with `duplicates: 'error'`.
 * @example
 * const data = fromArrays({ userIds: [1, 1, 2], itemIds: ['x', 'y', 'x'], ratings: [4, 5, 3] });
 * data.numUsers; // 2
 */
export function fromArrays(columns: ArrayColumns, options?: FromArraysOptions): Interactions {
  return fromArraysImpl('fromArrays', 'arrays', columns, options, null);
}

/**
 * @internal fromArrays with the caller's name and source in messages and report; `file` (the
 * path or `<bytes>` a reader read) goes before the row in messages: `readArrow: x.arrow: row 6: ...`.
 */
export function fromArraysImpl(where: string, source: string, columns: ArrayColumns, options: FromArraysOptions | undefined, file: string | null): Interactions {
  const opts = checkOptions(where, options, ['ids', 'numUsers', 'numItems', 'userIdMap', 'itemIdMap', 'duplicates', 'onInvalid']);
  if (columns === null || typeof columns !== 'object') throw quiverError('TypeError', { where, what: 'columns must be an object', got: describeValue(columns) });
  const { userIds, itemIds } = columns;
  const ratings = columns.ratings ?? null;
  const timestamps = columns.timestamps ?? null;
  checkArrayLike(where, 'userIds', userIds);
  checkArrayLike(where, 'itemIds', itemIds);
  if (ratings !== null) checkArrayLike(where, 'ratings', ratings);
  if (timestamps !== null) checkArrayLike(where, 'timestamps', timestamps);
  const n = userIds.length;
  for (const [name, col] of [['itemIds', itemIds], ['ratings', ratings], ['timestamps', timestamps]] as const) {
    if (col !== null && col.length !== n) throw quiverError('RangeError', { where, what: `${name} must have length ${n} (as userIds)`, got: String(col.length) });
  }
  const idsMode = opts.ids === undefined ? 'raw' : checkOneOf(where, 'options.ids', opts.ids, ['raw', 'dense'] as const);
  const onInvalid = opts.onInvalid === undefined ? 'error' : checkOneOf(where, 'options.onInvalid', opts.onInvalid, ['error', 'skip'] as const);
  const duplicates = checkDuplicatePolicy(where, opts.duplicates);
  for (const key of ['userIdMap', 'itemIdMap'] as const) {
    const m = opts[key];
    if (m !== undefined && !(m instanceof IdMap)) throw quiverError('TypeError', { where, what: `options.${key} must be an IdMap`, got: describeValue(m) });
  }
  if (idsMode === 'dense' && (opts.userIdMap || opts.itemIdMap)) {
    throw quiverError('TypeError', { where, what: `options.userIdMap/itemIdMap cannot be combined with ids: 'dense' (dense ids get identity maps)` });
  }

  let userIdMap: IdMap;
  let itemIdMap: IdMap;
  const frozenUsers = opts.userIdMap !== undefined;
  const frozenItems = opts.itemIdMap !== undefined;
  if (idsMode === 'dense') {
    userIdMap = IdMap.identity(denseSize(where, 'numUsers', opts.numUsers, userIds), 'user');
    itemIdMap = IdMap.identity(denseSize(where, 'numItems', opts.numItems, itemIds), 'item');
  } else {
    userIdMap = opts.userIdMap ?? new IdMap('user');
    itemIdMap = opts.itemIdMap ?? new IdMap('item');
  }

  const outUsers = new Int32Array(n);
  const outItems = new Int32Array(n);
  const outRatings = ratings !== null ? new Float32Array(n) : null;
  const outTimes = timestamps !== null ? new Float64Array(n) : null;
  const skipped: SkippedRow[] = [];
  let numSkipped = 0;
  let m = 0;
  for (let k = 0; k < n; k++) {
    let reason: string | null = null;
    const ru = userIds[k];
    const ri = itemIds[k];
    let u = -1;
    let i = -1;
    if (!isValidRawId(ru)) reason = `user id must be a string, a finite number or a bigint, got ${describeValue(ru)}`;
    else if (!isValidRawId(ri)) reason = `item id must be a string, a finite number or a bigint, got ${describeValue(ri)}`;
    else {
      u = frozenUsers || idsMode === 'dense' ? userIdMap.get(ru) : userIdMap.getOrAdd(ru);
      i = frozenItems || idsMode === 'dense' ? itemIdMap.get(ri) : itemIdMap.getOrAdd(ri);
      if (u < 0) reason = idsMode === 'dense' ? `user id must be an integer in [0, ${userIdMap.size}), got ${describeValue(ru)}` : `user id ${describeValue(ru)} is not in options.userIdMap`;
      else if (i < 0) reason = idsMode === 'dense' ? `item id must be an integer in [0, ${itemIdMap.size}), got ${describeValue(ri)}` : `item id ${describeValue(ri)} is not in options.itemIdMap`;
    }
    // Ratings are checked here, before the float32 store (1e39 would become Infinity there).
    if (reason === null && ratings !== null) {
      const r = ratings[k];
      if (typeof r !== 'number' || r !== r) reason = `rating must be a finite number, got ${describeValue(r)}`;
      else if (!(r <= MAX_ABS_RATING && r >= -MAX_ABS_RATING)) reason = `rating must be ${RATING_RULE}, got ${describeValue(r)}`;
    }
    if (reason === null && timestamps !== null && !Number.isFinite(timestamps[k])) reason = `timestamp must be a finite number, got ${describeValue(timestamps[k])}`;
    if (reason !== null) {
      if (onInvalid === 'error') {
        throw dataInputError('RangeError', where, `${file === null ? '' : `${file}: `}row ${k}: ${reason}`, { option: 'onInvalid', value: 'skip' }, "; pass onInvalid: 'skip' to drop such rows");
      }
      numSkipped++;
      if (skipped.length < 20) skipped.push({ line: k, text: `${describeValue(ru)}, ${describeValue(ri)}`, reason });
      continue;
    }
    outUsers[m] = u;
    outItems[m] = i;
    if (outRatings !== null) outRatings[m] = ratings![k];
    if (outTimes !== null) outTimes[m] = timestamps![k];
    m++;
  }
  const cols = {
    userIds: m === n ? outUsers : outUsers.slice(0, m),
    itemIds: m === n ? outItems : outItems.slice(0, m),
    ratings: outRatings === null || m === n ? outRatings : outRatings.slice(0, m),
    timestamps: outTimes === null || m === n ? outTimes : outTimes.slice(0, m),
  };
  return finishInteractions(where, cols, userIdMap, itemIdMap, duplicates, {
    source,
    rowsRead: n,
    rowsSkipped: numSkipped,
    skippedExamples: skipped,
  });
}

function isValidRawId(v: unknown): v is RawId {
  return typeof v === 'string' || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));
}

function checkArrayLike(where: string, name: string, v: unknown): void {
  if (v === null || v === undefined || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw quiverError('TypeError', { where, what: `columns.${name} must be an array or a typed array`, got: describeValue(v) });
  }
}

function denseSize(where: string, name: string, given: number | undefined, ids: ArrayLike<RawId>): number {
  if (given !== undefined) return checkNonNegativeInt(where, `options.${name}`, given);
  let max = -1;
  for (let k = 0; k < ids.length; k++) {
    const v = ids[k];
    if (typeof v === 'number' && Number.isInteger(v) && v > max) max = v;
  }
  return max + 1;
}
