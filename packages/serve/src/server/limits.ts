import { describeValue, quiverError } from '@quiver/base';

/** The request limits of the HTTP API. */
export interface ServeLimits {
  /** Largest request body, in bytes (a larger one gets 413). @defaultValue 65536 */
  readonly bodyLimit: number;
  /** Largest `k` (results per request). @defaultValue 1000 */
  readonly maxK: number;
  /** Longest id list (`exclude`, `items`, `history`). @defaultValue 10000 */
  readonly maxListLength: number;
  /** Longest string id, in characters (Unicode code points). @defaultValue 256 */
  readonly maxIdLength: number;
}

/**
 * The default limits: 64 KiB bodies, k in [1, 1000], lists of at most 10,000 ids, ids of at most
 * 256 characters.
 */
export const DEFAULT_LIMITS: ServeLimits = Object.freeze({ bodyLimit: 65_536, maxK: 1000, maxListLength: 10_000, maxIdLength: 256 });

/**
 * The defaults with `limits` laid over them, each checked to be a positive integer.
 * @throws {TypeError} for an unknown limit name; {@link RangeError} for a value that is not a positive integer.
 * @example
 * resolveLimits({ maxK: 100 }); // { bodyLimit: 65536, maxK: 100, maxListLength: 10000, maxIdLength: 256 }
 */
export function resolveLimits(limits: Partial<ServeLimits> = {}): ServeLimits {
  const where = 'createServer';
  if (typeof limits !== 'object' || limits === null) throw quiverError('TypeError', { where, what: 'limits must be an object', got: describeValue(limits) });
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) throw quiverError('TypeError', { where, what: `limits.${key} is not a limit; limits are ${Object.keys(DEFAULT_LIMITS).join(', ')}` });
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw quiverError('RangeError', { where, what: `limits.${key} must be a positive integer`, got: describeValue(value) });
    out[key] = value;
  }
  return out as unknown as ServeLimits;
}
