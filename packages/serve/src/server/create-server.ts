import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { describeValue, QuiverError, quiverError } from '@quiver/base';
import { FoldInError } from '../model/fold-in-error.js';
import { ModelHolder } from '../model/model-holder.js';
import type { BackendFactory } from '../model/top-k-backend.js';
import { UnknownIdError } from '../model/unknown-id-error.js';
import { ApiError } from './api-error.js';
import { registerApiRoutes } from './api-routes.js';
import { bearerTokenMatches } from './auth.js';
import { resolveLimits, type ServeLimits } from './limits.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { prepareQuery } from './schemas.js';
import { parseJsonBody } from './json-body.js';
import { findStaticFile, openStaticFile, staticRoot } from './static-files.js';
import { validationMessage, type SchemaError } from './validation-message.js';

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  /** The model folder (written by `saveModel` / `quiver train --out`). */
  readonly modelDir: string;
  /**
   * A bearer token: when set, every `/v1/*` route and `/metrics` need
   * `Authorization: Bearer <token>` (401 otherwise); `/healthz` and static files stay open.
   * @defaultValue none (no authentication)
   */
  readonly token?: string;
  /** Serve the files of this folder under `/` (GET and HEAD only). @defaultValue none */
  readonly staticDir?: string;
  /**
   * fastify's logger option: `false`, `true` (pino at info on stdout) or pino options
   * (`{ level, stream }`). Logs are JSON lines: one per request, model loads and reloads, errors.
   * @defaultValue false
   */
  readonly logger?: FastifyServerOptions['logger'];
  /** Request limits. @defaultValue {@link DEFAULT_LIMITS} */
  readonly limits?: Partial<ServeLimits>;
  /** Reload when the model folder is replaced on disk. @defaultValue true */
  readonly watch?: boolean;
  /** Reload on SIGHUP (the listener is removed when the server closes). @defaultValue true */
  readonly reloadOnSighup?: boolean;
  /** Builds each loaded model's top-k backend. @defaultValue the exact backend (the model itself) */
  readonly backend?: BackendFactory;
}

/** A fastify instance serving a model, with its model holder and metrics. */
export type QuiverServer = FastifyInstance & {
  /** The holder of the serving model (`current`, `generation`, `reload()`). */
  readonly models: ModelHolder;
  /** The server's Prometheus metrics. */
  readonly metrics: ServerMetrics;
};

/** The JSON body of every error answer. */
export interface ErrorBody {
  /** The error. */
  readonly error: {
    /** Machine-readable code: `bad_request`, `invalid_json`, `body_too_large`, `unknown_user`, `unknown_item`, `cannot_fold_in`, `unauthorized`, `not_found`, `internal`, … */
    readonly code: string;
    /** What was wrong and what is allowed. */
    readonly message: string;
  };
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** fastify's own 4xx errors (body parsing), in the API's words. */
function clientError(err: FastifyError, limits: ServeLimits): { status: number; code: string; message: string } {
  const status = err.statusCode ?? 400;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: `the request body must be at most ${limits.bodyLimit} bytes` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'the body must be JSON: send Content-Type: application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'bad_request', message: 'the Content-Length header does not match the body' };
    default:
      break;
  }
  return { status, code: status === 413 ? 'body_too_large' : 'bad_request', message: err.message };
}

/**
 * Creates the HTTP JSON API of a saved model (a fastify instance, not yet listening; call
 * `listen` or `inject`). Loads the model first, and then serves:
 * - `GET /v1/recommend?user=ID&k=10[&exclude=a,b][&items=a,b][&filterSeen=true]` →
 *   `{ user, items: [{ item, score, title? }] }`;
 * - `POST /v1/recommend` with `{ user }` or `{ history: [{ item, rating? }] }` (fold-in of a
 *   new user), plus `k`, `exclude`, `items`, `filterSeen`;
 * - `GET /v1/similar-items?item=ID&k=10`, `GET /v1/predict?user=ID&item=ID`;
 * - `GET /healthz` (model kind, sizes, checksum, load time, generation) and `GET /metrics`
 *   (Prometheus text).
 *
 * Ids are raw ids as the model's id maps hold them (numbers as numbers, strings as strings,
 * bigints as decimal strings). Requests are checked against JSON schemas within `limits`; a bad
 * one gets 400 `{ error: { code, message } }` saying what is wrong and what is allowed, an
 * unknown id 404 naming it, an unexpected failure 500 with a generic message (logged). The model
 * reloads, without dropping a request, when its folder is replaced, on SIGHUP and on
 * `server.models.reload()`; a failed reload keeps the old model. Closing the server stops the
 * watcher and the signal listener.
 * @returns The server; `server.models` holds the model, `server.metrics` the metrics.
 * @throws {Error} when the model cannot be loaded or `staticDir` is not a folder;
 *   {@link TypeError} / {@link RangeError} for bad options.
 * @example
 * const app = await createServer({ modelDir: 'runs/als', token: 's3cret' });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * // curl -H 'Authorization: Bearer s3cret' 'http://127.0.0.1:8080/v1/recommend?user=1&k=5'
 */
export async function createServer(options: CreateServerOptions): Promise<QuiverServer> {
  const where = 'createServer';
  if (typeof options !== 'object' || options === null) throw quiverError('TypeError', { where, what: 'options must be an object', got: describeValue(options) });
  const known = ['modelDir', 'token', 'staticDir', 'logger', 'limits', 'watch', 'reloadOnSighup', 'backend'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw quiverError('TypeError', { where, what: `unknown option "${key}"; options are ${known.join(', ')}` });
  }
  const { modelDir, token, staticDir } = options;
  if (typeof modelDir !== 'string' || modelDir === '') throw quiverError('TypeError', { where, what: 'modelDir must be a non-empty string', got: describeValue(modelDir) });
  if (token !== undefined && (typeof token !== 'string' || !/^\S+$/.test(token))) {
    throw quiverError('TypeError', { where, what: 'token must be a non-empty string without white space', got: typeof token === 'string' ? `a string of ${token.length} characters` : describeValue(token) });
  }
  const limits = resolveLimits(options.limits);
  const root = staticDir === undefined ? null : staticRoot(staticDir);

  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimit,
    // A URL fastify cannot route (malformed percent-encoding in the path) answers in the API's form too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const bad = error.code === 'FST_ERR_BAD_URL';
      reply.code(bad ? 400 : 500).send(errorBody(bad ? 'bad_request' : 'internal', bad ? 'the URL path is not valid percent-encoded UTF-8' : 'internal server error; the server log has the details'));
    },
    // Errors of Node's HTTP parser (a URL or headers over 16 KiB, a malformed request) too.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
      const [status, code, message] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers_too_large', 'the URL and headers must be at most 16 KiB together; send long id lists in a POST body']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'timeout', 'the request took too long to arrive']
            : [400, 'bad_request', 'malformed HTTP request'];
      const text = JSON.stringify(errorBody(code, message));
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false, allowUnionTypes: true } },
  });
  // JSON only (anything else gets 415), parsed with the reason of a failure kept.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  const holder = await ModelHolder.open(modelDir, {
    watch: options.watch ?? true,
    reloadSignal: options.reloadOnSighup === false ? null : 'SIGHUP',
    logger: app.log,
    backend: options.backend,
    onReload: (outcome) => metrics.observeReload(outcome),
  });
  const metrics = createMetrics(holder);
  app.decorate('models', holder);
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => holder.close());

  if (token !== undefined) {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const guarded = (request.routeOptions.config as { auth?: boolean }).auth === true || request.url.startsWith('/v1/') || request.url === '/v1';
      if (!guarded || bearerTokenMatches(request.headers.authorization, token)) return;
      const given = request.headers.authorization === undefined ? 'no Authorization header' : 'a wrong or malformed token';
      reply.code(401).header('www-authenticate', 'Bearer realm="quiver"').send(errorBody('unauthorized', `this route needs the header "Authorization: Bearer <token>", got ${given}`));
      return reply;
    });
  }

  // Graceful shutdown: once closing, each answer closes its connection (keep-alive ones too),
  // so close() resolves as soon as the requests in flight are answered.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (request.query !== null && typeof request.query === 'object') prepareQuery(request.query as Record<string, unknown>);
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    metrics.observeRequest(route, request.method, reply.statusCode, ms / 1000);
    request.log.info({ method: request.method, url: request.url, route, status: reply.statusCode, ms: Math.round(ms * 1000) / 1000 }, 'request');
  });

  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation !== undefined) {
      const part = err.validationContext ?? 'querystring';
      const input = part === 'body' ? request.body : request.query;
      const schema = (request.routeOptions.schema ?? {}) as Record<string, { properties?: Record<string, unknown> } | undefined>;
      const names = Object.keys(schema[part]?.properties ?? {});
      return reply.code(400).send(errorBody('bad_request', validationMessage(limits, part, input, err.validation as unknown as SchemaError[], names)));
    }
    if (err instanceof UnknownIdError) {
      return reply.code(404).send(errorBody(`unknown_${err.idKind}`, `unknown ${err.idKind} id ${JSON.stringify(err.id)} (${err.field}): the model knows ${err.numKnown} ${err.idKind}s and not this one`));
    }
    if (err instanceof FoldInError) {
      return reply.code(400).send(errorBody('cannot_fold_in', `${err.what}${err.got === null ? '' : `, got ${err.got}`}${err.tail}`));
    }
    if (err instanceof ApiError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500 && !(err instanceof QuiverError)) {
      const c = clientError(err, limits);
      return reply.code(c.status).send(errorBody(c.code, c.message));
    }
    request.log.error({ err, method: request.method, url: request.url }, 'unexpected error');
    return reply.code(500).send(errorBody('internal', 'internal server error; the server log has the details'));
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}; routes are GET/POST /v1/recommend, GET /v1/similar-items, GET /v1/predict, GET /healthz, GET /metrics`));
  });

  if (root !== null) {
    app.get('/*', async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = request.raw.url ?? '/';
      const q = raw.indexOf('?');
      const file = await findStaticFile(root, q < 0 ? raw : raw.slice(0, q));
      if (file === null) throw new ApiError(404, 'not_found', `no file ${JSON.stringify(raw.slice(0, 200))} in the static folder`);
      return reply.type(file.contentType).header('content-length', file.size).header('x-content-type-options', 'nosniff').send(openStaticFile(file));
    });
  }

  registerApiRoutes(app, holder, metrics, limits);
  return app as unknown as QuiverServer;
}
