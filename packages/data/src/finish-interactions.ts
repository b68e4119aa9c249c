import { checkOneOf } from '@quiver/base';
import { applyDuplicatePolicy, type RawColumns } from './duplicates.js';
import type { IdMap } from './id-map.js';
import { Interactions } from './interactions.js';
import { DUPLICATE_POLICIES, type DuplicatePolicy, type SkippedRow } from './load-report.js';

/** Loader bookkeeping passed to {@link finishInteractions}. */
export interface LoadCounts {
  source: string;
  rowsRead: number;
  rowsSkipped: number;
  skippedExamples: SkippedRow[];
}

/** Checks a `duplicates` option (default `'keep-last'`). */
export function checkDuplicatePolicy(where: string, value: unknown): DuplicatePolicy {
  return value === undefined ? 'keep-last' : checkOneOf(where, 'duplicates', value, DUPLICATE_POLICIES);
}

/** Applies the duplicate policy and wraps the columns (indices already validated). */
export function finishInteractions(
  where: string,
  cols: RawColumns,
  userIdMap: IdMap,
  itemIdMap: IdMap,
  duplicates: DuplicatePolicy,
  counts: LoadCounts,
): Interactions {
  const { columns, merged } = applyDuplicatePolicy(where, cols, userIdMap, itemIdMap, duplicates);
  return Interactions.trusted({
    ...columns,
    userIdMap,
    itemIdMap,
    report: { ...counts, skippedExamples: counts.skippedExamples.slice(), duplicatesMerged: merged, duplicates },
  });
}
