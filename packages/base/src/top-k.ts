/** The `k` best items (or users) for a query, best first. */
export interface TopK {
  /** Ids, best first; ties in score rank the lower id first. */
  readonly ids: Int32Array;
  /** The score of each id (same order). */
  readonly scores: Float32Array;
}

/** The top-k of many users at once: row `n` of each `users.length × k` row-major array. */
export interface BatchTopK {
  /** Row-major `users.length × k`; slots without a candidate hold -1. */
  readonly ids: Int32Array;
  /** Row-major `users.length × k`; slots without a candidate hold NaN. */
  readonly scores: Float32Array;
  /** Slots per row: the `k` asked for, clamped to the number of candidate items. */
  readonly k: number;
}
