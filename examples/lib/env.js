// Small helpers shared by the examples: positive-integer settings from environment variables
// (the smoke tests use them to run with fewer epochs) and a title lookup.

/**
 * Reads a positive integer from `process.env[name]`, or returns `fallback` when it is unset.
 * Exits with status 2 and one line on stderr when it is set to anything else.
 */
export function intFromEnv(script, name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!(Number.isInteger(n) && n > 0)) {
    process.stderr.write(`${script}: ${name} must be a positive integer, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

/** `title(i)`: the movie title of item index i, falling back to its raw id. */
export function titleOf(data, items) {
  return (i) => items?.titles[i] ?? `movie ${data.itemIdMap.toRaw(i)}`;
}

/** The item index of a title (exact match), or -1. */
export function findTitle(items, title) {
  return items.titles.indexOf(title);
}
