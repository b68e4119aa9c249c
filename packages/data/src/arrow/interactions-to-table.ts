import { Schema, Table } from 'apache-arrow';
import type { Interactions } from '../interactions.js';
import { META_ITEM_ID_MAP, META_UNIQUE_PAIRS, META_USER_ID_MAP } from './quiver-metadata.js';

/**
 * The dataset's Arrow table (no column copy) with its id maps and the unique-pairs flag in
 * the schema metadata, ready to be written.
 */
export function interactionsToTable(data: Interactions): Table {
  const t = data.table;
  const meta = new Map(t.schema.metadata);
  meta.set(META_USER_ID_MAP, JSON.stringify(data.userIdMap));
  meta.set(META_ITEM_ID_MAP, JSON.stringify(data.itemIdMap));
  meta.set(META_UNIQUE_PAIRS, 'true');
  return new Table(new Schema(t.schema.fields, meta), t.batches);
}
