import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModelHolder } from '../model/model-holder.js';
import type { JsonId } from '../model/raw-id.js';
import type { HistoryEntry, ServedRecommendOptions } from '../model/served-model.js';
import { ApiError } from './api-error.js';
import type { ServeLimits } from './limits.js';
import type { ServerMetrics } from './metrics.js';
import { apiSchemas } from './schemas.js';

interface RecommendQuery {
  user: string;
  k: number;
  exclude?: string[];
  items?: string[];
  filterSeen?: boolean;
}

interface RecommendBody {
  user?: JsonId;
  history?: HistoryEntry[];
  k: number;
  exclude?: JsonId[];
  items?: JsonId[];
  filterSeen?: boolean;
}

function filters(q: { exclude?: JsonId[]; items?: JsonId[]; filterSeen?: boolean }): ServedRecommendOptions {
  return { exclude: q.exclude, items: q.items, filterSeen: q.filterSeen };
}

/**
 * Registers the routes of the JSON API on `app`: `/v1/recommend` (GET, POST),
 * `/v1/similar-items`, `/v1/predict`, `/healthz` and `/metrics`. Every handler reads
 * `holder.current` once, at its start, and answers from that model only. Routes marked
 * `config.auth` need the bearer token when the server has one.
 * @example
 * registerApiRoutes(app, holder, metrics, DEFAULT_LIMITS);
 */
export function registerApiRoutes(app: FastifyInstance, holder: ModelHolder, metrics: ServerMetrics, limits: ServeLimits): void {
  const schemas = apiSchemas(limits);
  const auth = { auth: true };

  app.get('/v1/recommend', { schema: { querystring: schemas.recommendQuery }, config: auth }, (request: FastifyRequest, reply: FastifyReply) => {
    const model = holder.current;
    const q = request.query as RecommendQuery;
    const items = model.recommend(q.user, q.k, filters(q));
    reply.send({ user: model.userId(model.userIndex(q.user)), items });
  });

  app.post('/v1/recommend', { schema: { body: schemas.recommendBody }, config: auth }, (request: FastifyRequest, reply: FastifyReply) => {
    const model = holder.current;
    const b = request.body as RecommendBody;
    if ((b.user === undefined) === (b.history === undefined)) {
      const what = b.user === undefined ? 'neither' : 'both';
      throw new ApiError(400, 'bad_request', `the body must hold either "user" (a known user id) or "history" (a new user's [{ "item": id, "rating"?: number }]), got ${what}`);
    }
    if (b.user !== undefined) {
      const items = model.recommend(b.user, b.k, filters(b));
      reply.send({ user: model.userId(model.userIndex(b.user)), items });
    } else {
      reply.send({ items: model.recommendForHistory(b.history as HistoryEntry[], b.k, filters(b)) });
    }
  });

  app.get('/v1/similar-items', { schema: { querystring: schemas.similarQuery }, config: auth }, (request: FastifyRequest, reply: FastifyReply) => {
    const model = holder.current;
    const q = request.query as { item: string; k: number };
    const items = model.similarItems(q.item, q.k);
    reply.send({ item: model.itemId(model.itemIndex(q.item)), items });
  });

  app.get('/v1/predict', { schema: { querystring: schemas.predictQuery }, config: auth }, (request: FastifyRequest, reply: FastifyReply) => {
    const model = holder.current;
    const q = request.query as { user: string; item: string };
    const score = model.predict(q.user, q.item);
    reply.send({ user: model.userId(model.userIndex(q.user)), item: model.itemId(model.itemIndex(q.item)), score });
  });

  app.get('/healthz', (_request: FastifyRequest, reply: FastifyReply) => {
    const model = holder.current;
    const failure = holder.lastFailure;
    reply.send({
      status: 'ok',
      model: {
        kind: model.kind,
        numUsers: model.numUsers,
        numItems: model.numItems,
        titles: model.titles !== null,
        backend: model.backend.name,
        checksum: model.checksum,
        modifiedAt: model.modifiedAt.toISOString(),
        loadedAt: model.loadedAt.toISOString(),
        generation: holder.generation,
      },
      reloads: { ok: holder.reloads, failed: holder.reloadFailures, lastFailureAt: failure === null ? null : failure.at.toISOString() },
    });
  });

  app.get('/metrics', { config: auth }, async (_request: FastifyRequest, reply: FastifyReply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
