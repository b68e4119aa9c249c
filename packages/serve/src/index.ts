/**
 * `@quiver/serve`: serving trained Quiver models (the HTTP API of `quiver serve`) and approximate
 * top-k for large catalogues.
 */
export { createServer, type CreateServerOptions, type QuiverServer, type ErrorBody } from './server/create-server.js';
export { DEFAULT_LIMITS, resolveLimits, type ServeLimits } from './server/limits.js';
export { createMetrics, LATENCY_BUCKETS, type ServerMetrics } from './server/metrics.js';
export { resolveStaticPath, findStaticFile, STATIC_CONTENT_TYPES, type StaticFile } from './server/static-files.js';
export { bearerTokenMatches } from './server/auth.js';
export { ApiError } from './server/api-error.js';
export {
  loadServedModel,
  ServedModel,
  TITLES_FILE,
  type ServedItem,
  type ServedRecommendOptions,
  type HistoryEntry,
  type LoadServedModelOptions,
  type ServedModelInit,
} from './model/served-model.js';
export { ModelHolder, type ModelHolderOptions, type ReloadOutcome, type HolderLogger } from './model/model-holder.js';
export { exactBackend, type TopKBackend, type BackendFactory, type BackendContext } from './model/top-k-backend.js';
export { lookupId, toJsonId, type JsonId } from './model/raw-id.js';
export { UnknownIdError, type IdKind } from './model/unknown-id-error.js';
export { FoldInError } from './model/fold-in-error.js';
export { serveCommand, type ServeIo, type ServeCommandOptions } from './cli/serve-command.js';
export { SERVE_HELP } from './cli/serve-help.js';
