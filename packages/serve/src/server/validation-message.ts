import type { ServeLimits } from './limits.js';

/** One ajv error, as fastify passes it in `error.validation`. */
export interface SchemaError {
  /** JSON pointer of the bad value, such as `/k` or `/history/2/item`. */
  readonly instancePath: string;
  /** The schema keyword that failed (`type`, `maximum`, `required`, …). */
  readonly keyword: string;
  /** The keyword's parameters (`missingProperty`, `additionalProperty`, `limit`, …). */
  readonly params: Record<string, unknown>;
  /** ajv's own wording. */
  readonly message?: string;
}

/** What each field allows, in words, keyed by its path with indices removed (`history[].item`). */
function allowedTable(l: ServeLimits, part: 'query' | 'body'): Record<string, string> {
  const id = (kind: string): string => `${kind === 'item' ? 'an' : 'a'} ${kind} id: a string of 1 to ${l.maxIdLength} characters${part === 'body' ? ' or a number' : ''}`;
  const list = `a list of at most ${l.maxListLength} item ids${part === 'query' ? ', comma-separated' : ''}`;
  return {
      '': part === 'body' ? 'a JSON object with "user" (a known user) or "history" (a new user\'s items), and optionally "k", "exclude", "items", "filterSeen"' : 'query parameters',
    user: id('user'),
    item: id('item'),
    k: `an integer in [1, ${l.maxK}]`,
    exclude: list,
    items: list,
    'exclude[]': id('item'),
    'items[]': id('item'),
    filterSeen: part === 'body' ? 'true or false (a JSON boolean)' : 'true or false',
    history: `a list of 1 to ${l.maxListLength} entries { "item": id, "rating"?: number }`,
    'history[]': 'an object { "item": id, "rating"?: number }',
    'history[].item': id('item'),
    'history[].rating': 'a number',
  };
}

/** `/history/2/item` → `['history', 2, 'item']`. */
function pathParts(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((p) => {
    const s = p.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^[0-9]+$/.test(s) ? Number(s) : s;
  });
}

function label(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function tableKey(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? '[]' : out === '' ? p : `.${p}`;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // 1e400 parses to Infinity
  return JSON.stringify(value);
}

/**
 * One sentence saying what was wrong with a request and what is allowed, from the first ajv
 * error: `k must be an integer in [1, 1000], got 1001`, `query parameter "user" is required (a
 * user id: ...)`, `unknown field "usr"; the fields are user, history, k, exclude, items, filterSeen`.
 * @param part - `'querystring'` or `'body'` (fastify's `validationContext`).
 * @param input - The validated value (the query object or the body), to quote the bad value.
 * @param names - The names the route accepts (its schema's properties), listed for an unknown one.
 * @example
 * validationMessage(DEFAULT_LIMITS, 'querystring', { user: '1', k: 0 }, [{ instancePath: '/k', keyword: 'minimum', params: { limit: 1 } }], ['user', 'k']);
 * // 'k must be an integer in [1, 1000], got 0'
 */
export function validationMessage(limits: ServeLimits, part: string, input: unknown, errors: readonly SchemaError[], names: readonly string[]): string {
  const where = part === 'body' ? 'body' : 'query';
  const table = allowedTable(limits, where);
  const e = errors[0];
  if (e === undefined) return `invalid ${where}`;
  const parts = pathParts(e.instancePath);
  let value: unknown = input;
  for (const p of parts) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[p] : undefined;
  const noun = where === 'body' ? 'field' : 'query parameter';
  if (e.keyword === 'required') {
    const name = String(e.params.missingProperty);
    const full = [...parts, name];
    return `${noun} "${label(full)}" is required: ${table[tableKey(full)] ?? 'a value'}`;
  }
  if (e.keyword === 'additionalProperties') {
    const name = String(e.params.additionalProperty);
    const inside = parts.length === 0 ? '' : ` in ${label(parts)}`;
    const known = parts.length === 0 ? '' : '; an entry has "item" and optionally "rating"';
    return `unknown ${noun} "${name}"${inside}${known}${parts.length === 0 ? `; allowed: ${names.join(', ')}` : ''}`;
  }
  const name = parts.length === 0 ? `the ${where}` : label(parts);
  return `${name} must be ${table[tableKey(parts)] ?? 'valid'}, got ${describe(value)}`;
}
