import { ApiError } from './api-error.js';

/**
 * Parses a request body as JSON for the API: an empty body, invalid JSON (with the parser's
 * reason) and `__proto__` keys anywhere are refused with a 400 {@link ApiError} of code
 * `invalid_json`.
 * @example
 * parseJsonBody('{"user": 1}'); // { user: 1 }
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new ApiError(400, 'invalid_json', 'the body is empty; send a JSON object');
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new ApiError(400, 'invalid_json', 'the body must not hold a "__proto__" key');
      return value;
    });
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}
