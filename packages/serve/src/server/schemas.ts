import type { ServeLimits } from './limits.js';

/** A JSON schema, as fastify's ajv compiles it. */
export type JsonSchema = Record<string, unknown>;

/** The schemas of the API's requests, built from the limits. */
export interface ApiSchemas {
  /** `GET /v1/recommend` query. */
  readonly recommendQuery: JsonSchema;
  /** `POST /v1/recommend` body. */
  readonly recommendBody: JsonSchema;
  /** `GET /v1/similar-items` query. */
  readonly similarQuery: JsonSchema;
  /** `GET /v1/predict` query. */
  readonly predictQuery: JsonSchema;
}

/**
 * The request schemas. Query values arrive as strings; `k`, `filterSeen` and the
 * comma-separated lists are converted before validation (see `prepareQuery`), and nothing is
 * coerced in bodies: `"k": "10"` is refused there.
 * @example
 * const { recommendQuery } = apiSchemas(DEFAULT_LIMITS);
 */
export function apiSchemas(limits: ServeLimits): ApiSchemas {
  const stringId = { type: 'string', minLength: 1, maxLength: limits.maxIdLength };
  const id = { type: ['string', 'number'], minLength: 1, maxLength: limits.maxIdLength };
  const k = { type: 'integer', minimum: 1, maximum: limits.maxK, default: 10 };
  const list = (item: JsonSchema): JsonSchema => ({ type: 'array', maxItems: limits.maxListLength, items: item });
  const filterSeen = { type: 'boolean' };
  return {
    recommendQuery: {
      type: 'object',
      additionalProperties: false,
      required: ['user'],
      properties: { user: stringId, k, exclude: list(stringId), items: list(stringId), filterSeen },
    },
    recommendBody: {
      type: 'object',
      additionalProperties: false,
      properties: {
        user: id,
        history: {
          type: 'array',
          minItems: 1,
          maxItems: limits.maxListLength,
          items: { type: 'object', additionalProperties: false, required: ['item'], properties: { item: id, rating: { type: 'number' } } },
        },
        k,
        exclude: list(id),
        items: list(id),
        filterSeen,
      },
    },
    similarQuery: { type: 'object', additionalProperties: false, required: ['item'], properties: { item: stringId, k } },
    predictQuery: { type: 'object', additionalProperties: false, required: ['user', 'item'], properties: { user: stringId, item: stringId } },
  };
}

/**
 * Converts a query's string values in place before validation: `k` of digits to a number,
 * `filterSeen` `true`/`false` to a boolean, `exclude` and `items` to arrays by splitting at
 * commas (an empty value is an empty list). Anything else is left for the schema to refuse.
 * @example
 * prepareQuery({ user: '1', k: '5', exclude: 'a,b' }); // { user: '1', k: 5, exclude: ['a', 'b'] }
 */
export function prepareQuery(query: Record<string, unknown>): Record<string, unknown> {
  const k = query.k;
  if (typeof k === 'string' && /^[0-9]{1,15}$/.test(k)) query.k = Number(k);
  const fs = query.filterSeen;
  if (fs === 'true' || fs === 'false') query.filterSeen = fs === 'true';
  for (const name of ['exclude', 'items']) {
    const v = query[name];
    if (typeof v === 'string') query[name] = v === '' ? [] : v.split(',');
  }
  return query;
}
