/**
 * `JSON.parse` for files from disk: every object comes back without a prototype
 * (`Object.create(null)`), and a `__proto__` key anywhere is rejected, so nothing in the file
 * can reach `Object.prototype` when the result is later merged or spread.
 *
 * @param where - Prefix of error messages.
 * @returns The parsed value.
 * @throws {Error} for invalid JSON (with the parser's message) or a `__proto__` key.
 * @example
 * parseJsonSafely('loadModel: model.json', '{"a": 1}'); // { a: 1 } with a null prototype
 */
export function parseJsonSafely(where: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') throw new Error('a "__proto__" key is not allowed');
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        return Object.assign(Object.create(null), v) as unknown;
      }
      return v;
    });
  } catch (err) {
    throw new Error(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  return value;
}
