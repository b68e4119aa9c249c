import { checkOptions, checkPositiveInt, describeValue, Rng, checkSeed, quiverError } from '@quiver/base';
import { gatherFloat32, gatherInt32 } from './kernels/gather.js';

/** The columns a batch iterator reads (an `Interactions` dataset fits this shape). */
export interface BatchColumns {
  /** Dense user index per row. */
  readonly userIds: Int32Array;
  /** Dense item index per row. */
  readonly itemIds: Int32Array;
  /** Rating per row, or null. */
  readonly ratings?: Float32Array | null;
}

/**
 * One mini-batch. The arrays are views of buffers owned by the iterator and are overwritten
 * by the next batch (like a DataLoader's pinned buffers): copy them (`.slice()`) to keep them.
 */
export interface Batch {
  /** Number of rows in this batch (batchSize, or fewer for the last one). */
  readonly size: number;
  /** 0-based position of the batch in its epoch. */
  readonly index: number;
  /** The epoch this batch belongs to. */
  readonly epoch: number;
  /** Row positions of the batch in the source columns. */
  readonly rows: Int32Array;
  /** User index per batch row. */
  readonly userIds: Int32Array;
  /** Item index per batch row. */
  readonly itemIds: Int32Array;
  /** Rating per batch row, or null when the source has none. */
  readonly ratings: Float32Array | null;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Rows per batch. @defaultValue 1024 */
  readonly batchSize?: number;
  /** Reshuffle the rows at the start of every epoch. @defaultValue true */
  readonly shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize. @defaultValue false */
  readonly dropLast?: boolean;
  /** Seed of the shuffles; epoch e uses the stream `${seed}/epoch/${e}`. @defaultValue 42 */
  readonly seed?: number | string;
}

/**
 * Seeded mini-batches over typed-array columns. Each `for (const b of it)` loop is one epoch;
 * the epoch counter advances on every loop, and with `shuffle` each epoch has its own
 * permutation, which depends only on the seed and the epoch number (so runs repeat exactly).
 * Build it with {@link batches}.
 * @example
 * const it = batches(train, { batchSize: 512 });
 * it.numBatches;                 // batches per epoch
 * for (const b of it.epoch(3)) {} // replay epoch 3 exactly
 */
export class BatchIterable implements Iterable<Batch> {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Whether rows are shuffled each epoch. */
  readonly shuffle: boolean;
  /** Whether a short last batch is dropped. */
  readonly dropLast: boolean;
  /** The seed of the shuffles. */
  readonly seed: number | string;
  /** The epoch the next loop will run. */
  nextEpoch = 0;
  private readonly cols: BatchColumns;
  private readonly perm: Int32Array;
  private readonly bufUsers: Int32Array;
  private readonly bufItems: Int32Array;
  private readonly bufRatings: Float32Array | null;

  /** Prefer {@link batches}. */
  constructor(cols: BatchColumns, batchSize: number, shuffle: boolean, dropLast: boolean, seed: number | string) {
    this.cols = cols;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
    const n = cols.userIds.length;
    this.perm = new Int32Array(n);
    for (let k = 0; k < n; k++) this.perm[k] = k;
    const cap = Math.min(batchSize, n);
    this.bufUsers = new Int32Array(shuffle ? cap : 0);
    this.bufItems = new Int32Array(shuffle ? cap : 0);
    this.bufRatings = shuffle && cols.ratings ? new Float32Array(cap) : null;
  }

  /** Number of rows in the source. */
  get length(): number {
    return this.cols.userIds.length;
  }

  /** Batches per epoch. */
  get numBatches(): number {
    const n = this.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Runs the next epoch (and advances the epoch counter). */
  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }

  /** Iterates epoch `e` without touching the epoch counter. */
  *epoch(e: number): Generator<Batch, void, undefined> {
    const n = this.length;
    const bs = this.batchSize;
    const cols = this.cols;
    const ratings = cols.ratings ?? null;
    if (this.shuffle) {
      const perm = this.perm;
      for (let k = 0; k < n; k++) perm[k] = k;
      new Rng(`${this.seed}/epoch/${e}`).shuffle(perm);
    }
    const numBatches = this.numBatches;
    for (let b = 0; b < numBatches; b++) {
      const start = b * bs;
      const end = Math.min(n, start + bs);
      const size = end - start;
      const rows = this.perm.subarray(start, end);
      if (this.shuffle) {
        gatherInt32(cols.userIds, this.perm, start, end, this.bufUsers);
        gatherInt32(cols.itemIds, this.perm, start, end, this.bufItems);
        if (ratings !== null && this.bufRatings !== null) gatherFloat32(ratings, this.perm, start, end, this.bufRatings);
        yield {
          size,
          index: b,
          epoch: e,
          rows,
          userIds: this.bufUsers.subarray(0, size),
          itemIds: this.bufItems.subarray(0, size),
          ratings: this.bufRatings === null ? null : this.bufRatings.subarray(0, size),
        };
      } else {
        yield {
          size,
          index: b,
          epoch: e,
          rows,
          userIds: cols.userIds.subarray(start, end),
          itemIds: cols.itemIds.subarray(start, end),
          ratings: ratings === null ? null : ratings.subarray(start, end),
        };
      }
    }
  }
}

/**
 * Seeded, shuffled mini-batches over an interaction dataset or raw columns, yielding typed
 * arrays (no per-row objects). Without shuffle the batches are zero-copy views of the columns;
 * with shuffle they are gathered into buffers reused from batch to batch.
 * @returns An iterable; each loop over it is one epoch (reshuffled when `shuffle`).
 * @throws {TypeError} when the columns are not typed arrays of the right kinds.
 * @throws {RangeError} when batchSize is not a positive integer or column lengths differ.
 * @example
 * const it = batches(train, { batchSize: 256, seed: 1 });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const b of it) model.step(b.userIds, b.itemIds, b.ratings);
 * }
 */
export function batches(source: BatchColumns, options?: BatchOptions): BatchIterable {
  const where = 'batches';
  if (source === null || typeof source !== 'object') throw quiverError('TypeError', { where, what: 'source must be an Interactions dataset or { userIds, itemIds, ratings? }', got: describeValue(source) });
  const o = checkOptions(where, options, ['batchSize', 'shuffle', 'dropLast', 'seed']);
  const { userIds, itemIds } = source;
  const ratings = source.ratings ?? null;
  if (!(userIds instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'source.userIds must be an Int32Array', got: describeValue(userIds) });
  if (!(itemIds instanceof Int32Array)) throw quiverError('TypeError', { where, what: 'source.itemIds must be an Int32Array', got: describeValue(itemIds) });
  if (ratings !== null && !(ratings instanceof Float32Array)) throw quiverError('TypeError', { where, what: 'source.ratings must be a Float32Array or null', got: describeValue(ratings) });
  if (itemIds.length !== userIds.length) throw quiverError('RangeError', { where, what: `source.itemIds must have length ${userIds.length} (as userIds)`, got: String(itemIds.length) });
  if (ratings !== null && ratings.length !== userIds.length) throw quiverError('RangeError', { where, what: `source.ratings must have length ${userIds.length} (as userIds)`, got: String(ratings.length) });
  const batchSize = o.batchSize === undefined ? 1024 : checkPositiveInt(where, 'options.batchSize', o.batchSize);
  for (const key of ['shuffle', 'dropLast'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw quiverError('TypeError', { where, what: `options.${key} must be a boolean`, got: describeValue(o[key]) });
  }
  const seed = checkSeed(where, 'options.seed', o.seed);
  return new BatchIterable({ userIds, itemIds, ratings }, batchSize, o.shuffle ?? true, o.dropLast ?? false, seed);
}
