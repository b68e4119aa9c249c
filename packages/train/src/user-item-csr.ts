import { buildCsr, type CsrMatrix, type InteractionData } from '@quiver/base';

/**
 * The user × item CSR of `data`: `data.toCsr()` when the object has one (`@quiver/data`'s
 * `Interactions` caches it), else `@quiver/base`'s `buildCsr` (each row ascending, repeated
 * pairs kept as they are).
 * @returns The CSR (may be shared with `data`: do not write into it).
 * @example
 * const { indptr, indices } = userItemCsr(train);
 */
export function userItemCsr(data: InteractionData): CsrMatrix {
  const withCsr = data as InteractionData & { toCsr?: () => CsrMatrix };
  if (typeof withCsr.toCsr === 'function') return withCsr.toCsr();
  return buildCsr(data.userIds, data.itemIds, data.ratings, data.numUsers, data.numItems);
}
