/**
 * A dense-index ↔ raw-id map as `@quiver/mf` handles it: an `IdMap` of `@quiver/data` (which
 * serialises itself with `toJSON()`), or the JSON it serialises to (`{ format: 'quiver.id-map',
 * size, ... }`). `@quiver/mf` never interprets it beyond its `size`; it stores it with the model.
 */
export type IdMapLike =
  | {
      /** Number of ids. */
      readonly size: number;
    }
  | {
      /** The map's JSON form (`@quiver/data`'s IdMap has it). */
      toJSON(): unknown;
    };

/** The raw ids of a model's users and items, saved with it in `id_maps.json`. */
export interface ModelIdMaps {
  /** Raw id of each dense user index. */
  readonly users: IdMapLike;
  /** Raw id of each dense item index. */
  readonly items: IdMapLike;
}

/**
 * Identity maps (raw id = dense index) in `@quiver/data`'s IdMap JSON form, for data that came
 * without raw ids.
 * @example
 * identityIdMaps(3, 5).users; // { format: 'quiver.id-map', version: 1, name: 'user', type: 'identity', size: 3, ids: [] }
 */
export function identityIdMaps(numUsers: number, numItems: number): ModelIdMaps {
  const identity = (name: string, size: number) => ({ format: 'quiver.id-map', version: 1, name, type: 'identity', size, ids: [] });
  return { users: identity('user', numUsers), items: identity('item', numItems) };
}
