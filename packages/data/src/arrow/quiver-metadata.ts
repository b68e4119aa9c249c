/** Schema metadata keys Quiver writes next to dense interaction columns. */
export const META_USER_ID_MAP = 'quiver.userIdMap';
/** See {@link META_USER_ID_MAP}. */
export const META_ITEM_ID_MAP = 'quiver.itemIdMap';
/** `'true'` when the writer guaranteed unique (user, item) pairs. */
export const META_UNIQUE_PAIRS = 'quiver.uniquePairs';
