import type { TopK } from '@quiver/base';
import type { FoldInRecommender, RecommendOptions } from '@quiver/mf';

/**
 * What ranks items for the server: the top `k` items for a known user, and the items most
 * similar to an item. Ids are the model's dense indices. The default backend
 * ({@link exactBackend}) asks the model itself (every item scored); an approximate index
 * (HNSW over the factors, say) can stand in for it by implementing this interface and being
 * passed to `loadServedModel` / `createServer` as a {@link BackendFactory}. Fold-in of new users
 * (`recommendForHistory`) always goes through the model.
 * @example
 * const backend: TopKBackend = { name: 'exact', recommend: (u, k, o) => model.recommend(u, k, o), similarItems: (i, k) => model.similarItems(i, k) };
 */
export interface TopKBackend {
  /** A short name that `/healthz` reports, such as `'exact'` or `'hnsw'`. */
  readonly name: string;
  /**
   * The `k` best items for dense user index `user`, best first, honouring `options`
   * (`filterSeen`, the `items` allow-list and the `exclude` deny-list, as dense item indices).
   */
  recommend(user: number, k: number, options: RecommendOptions): TopK;
  /** The `k` items most similar to dense item index `item`, best first, without `item` itself. */
  similarItems(item: number, k: number): TopK;
}

/** What a {@link BackendFactory} gets besides the model: where it came from. */
export interface BackendContext {
  /** The model folder. */
  readonly dir: string;
  /**
   * The folder's extra files (as `saveModel`'s `files`, checksums verified), such as a prebuilt
   * index saved beside the model.
   */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/**
 * Builds the backend of a freshly loaded model. It runs while a (re)load is in progress, beside
 * the model that is serving; a throw makes the load fail (and the old model keeps serving).
 * @example
 * const factory: BackendFactory = (model, { files }) => exactBackend(model);
 */
export type BackendFactory = (model: FoldInRecommender, context: BackendContext) => TopKBackend | Promise<TopKBackend>;

/**
 * The exact backend: the model's own `recommend` and `similarItems` (every item is scored, ties
 * go to the lower index), so answers equal the library's.
 * @example
 * const backend = exactBackend(model);
 * backend.recommend(0, 10, { filterSeen: true });
 */
export function exactBackend(model: FoldInRecommender): TopKBackend {
  return {
    name: 'exact',
    recommend: (user, k, options) => model.recommend(user, k, options),
    similarItems: (item, k) => model.similarItems(item, k),
  };
}
