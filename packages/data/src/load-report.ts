/** One skipped input row, kept as an example in a {@link LoadReport}. */
export interface SkippedRow {
  /** 1-based line number in the file (or 0-based row position for in-memory input). */
  readonly line: number;
  /** The offending text (truncated to 200 characters). */
  readonly text: string;
  /** Why the row was skipped. */
  readonly reason: string;
}

/** What happened while loading a dataset: rows read, skipped and merged. */
export interface LoadReport {
  /** File path or a short description of the source (`'arrays'`, `'table'`). */
  readonly source: string;
  /** Data rows seen (excluding the header and blank lines). */
  readonly rowsRead: number;
  /** Rows dropped because they were invalid (only with `onInvalid: 'skip'`). */
  readonly rowsSkipped: number;
  /** The first few skipped rows (at most 20). */
  readonly skippedExamples: readonly SkippedRow[];
  /** Rows removed by the duplicate policy (merged into another row with the same pair). */
  readonly duplicatesMerged: number;
  /** The duplicate policy that was applied. */
  readonly duplicates: DuplicatePolicy;
}

/**
 * What to do with several rows for the same (user, item) pair:
 * - `'keep-last'`: keep the last row in input order (its rating and timestamp);
 * - `'mean'`: keep one row with the mean rating (timestamp of the last row);
 * - `'sum'`: keep one row with the summed rating (timestamp of the last row); with no rating
 *   column the result gets a rating column holding the count of each pair (implicit feedback);
 * - `'error'`: throw, naming the first duplicated pair.
 */
export type DuplicatePolicy = 'keep-last' | 'mean' | 'sum' | 'error';

/** The allowed duplicate policies (for checks and docs). */
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['keep-last', 'mean', 'sum', 'error'];
