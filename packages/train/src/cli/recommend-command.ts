import type { IdMap } from '@quiver/data';
import { CliError } from './cli-error.js';
import { loadStoredModel } from './model-store.js';
import { fmtInt, jsonSafe, type CliIo } from './output.js';
import { parseCliArgs } from './parse-cli-args.js';
import { parseIntFlag } from './parse-values.js';

/**
 * `quiver recommend`: the top-k items for one user of a saved model, with titles when known.
 * @example
 * const code = await recommendCommand(['--model', 'runs/mf', '--user', '1'], processIo());
 */
export async function recommendCommand(args: string[], io: CliIo): Promise<number> {
  const where = 'quiver recommend';
  const { values } = parseCliArgs(where, args, {
    model: { type: 'string' },
    user: { type: 'string' },
    k: { type: 'string', short: 'k' },
    json: { type: 'boolean' },
  });
  if (values.model === undefined) throw new CliError(`${where}: --model is required (a directory written by quiver train --out)`, 2);
  if (values.user === undefined) throw new CliError(`${where}: --user is required (a user id of the training data)`, 2);
  const k = parseIntFlag(where, '-k', values.k, 1) ?? 10;
  const stored = await loadStoredModel(where, values.model);
  const user = lookUp(stored.userIdMap, values.user);
  if (user < 0) throw new CliError(`${where}: unknown user ${JSON.stringify(values.user)}; the model knows ${fmtInt(stored.userIdMap.size)} users`);
  // A k beyond the catalogue returns every unseen item either way; clamping avoids allocating k slots.
  const top = stored.model.recommend(user, Math.min(k, stored.model.numItems), { filterSeen: true });
  const rows = Array.from(top.ids, (id, r) => {
    const title = stored.titles?.[id] ?? null;
    return { rank: r + 1, item: stored.itemIdMap.toRaw(id), score: top.scores[r], ...(title !== null ? { title } : {}) };
  });
  if (values.json === true) {
    io.out(`${JSON.stringify(jsonSafe({ command: 'recommend', model: stored.kind, user: stored.userIdMap.toRaw(user), k, recommendations: rows }))}\n`);
    return 0;
  }
  io.err(`quiver: top ${rows.length} for user ${values.user} (${stored.kind}, items the user already has left out)\n`);
  const width = String(rows.length).length;
  for (const r of rows) io.out(`${String(r.rank).padStart(width)}. ${r.title !== undefined ? `${r.title}  [${r.item}]` : String(r.item)}  ${r.score.toFixed(4)}\n`);
  return 0;
}

/** A raw id from the command line: as text, else as a number when the map holds numbers. */
function lookUp(map: IdMap, text: string): number {
  const asText = map.get(text);
  if (asText >= 0) return asText;
  const n = Number(text);
  return text.trim() !== '' && Number.isSafeInteger(n) ? map.get(n) : -1;
}
