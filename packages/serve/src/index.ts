/**
 * `@quiver/serve`: serving trained Quiver models (the HTTP API of `quiver serve`) and approximate
 * top-k for large catalogues.
 */
export {};
