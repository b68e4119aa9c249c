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
    'user-index': { type: 'string' },
    k: { type: 'string', short: 'k' },
    json: { type: 'boolean' },
  });
  if (values.model === undefined) throw new CliError(`${where}: --model is required (a directory written by quiver train --out)`, 2);
  if ((values.user === undefined) === (values['user-index'] === undefined)) {
    const what = values.user === undefined ? '--user is required (a user id of the training data' : 'pass --user or --user-index, not both (--user takes a raw user id';
    throw new CliError(`${where}: ${what}; --user-index takes a row index 0..numUsers-1)`, 2);
  }
  const k = parseIntFlag(where, '-k', values.k, 1) ?? 10;
  const stored = await loadStoredModel(where, values.model);
  const { userIdMap, itemIdMap } = stored;
  let user: number;
  if (values['user-index'] !== undefined) {
    const n = stored.model.numUsers;
    user = parseIntFlag(where, '--user-index', values['user-index'], 0) as number;
    if (user >= n) throw new CliError(`${where}: --user-index must be in [0, ${n - 1}] (the model knows ${fmtInt(n)} users), got ${user}`, 2);
  } else if (userIdMap === null) {
    throw new CliError(
      `${where}: the model in ${values.model} was saved without raw ids (no id maps), so --user ${values.user} cannot be looked up; ` +
        `pass --user-index N (a row 0..${stored.model.numUsers - 1}) or save the model again with id maps`,
      2,
    );
  } else {
    user = lookUp(userIdMap, values.user as string);
    if (user < 0) throw new CliError(`${where}: unknown user ${JSON.stringify(values.user)}; the model knows ${fmtInt(userIdMap.size)} users`);
  }
  // recommend clamps k to the candidates itself, so -k 1e12 never allocates k slots.
  const top = stored.model.recommend(user, k, { filterSeen: true });
  const rows = Array.from(top.ids, (id, r) => {
    const title = stored.titles?.[id] ?? null;
    return { rank: r + 1, item: itemIdMap === null ? id : itemIdMap.toRaw(id), score: top.scores[r], ...(title !== null ? { title } : {}) };
  });
  const rawUser = userIdMap === null ? user : userIdMap.toRaw(user);
  if (values.json === true) {
    io.out(`${JSON.stringify(jsonSafe({ command: 'recommend', model: stored.kind, user: rawUser, userIndex: user, k, recommendations: rows }))}\n`);
    return 0;
  }
  const who = values['user-index'] !== undefined ? `user index ${user}${userIdMap === null ? '' : ` (user ${String(rawUser)})`}` : `user ${values.user}`;
  const note = itemIdMap === null ? '; items are row indices: the model has no raw ids' : '';
  io.err(`quiver: top ${rows.length} for ${who} (${stored.kind}, items the user already has left out${note})\n`);
  const width = String(rows.length).length;
  for (const r of rows) io.out(`${String(r.rank).padStart(width)}. ${r.title !== undefined ? `${r.title}  [${r.item}]` : String(r.item)}  ${r.score.toFixed(4)}\n`);
  return 0;
}

/**
 * A raw id from the command line: as text; else, for an integer literal, as a number when it is
 * a safe integer and as an exact bigint when it is not (ids above 2^53 from Int64 columns).
 */
function lookUp(map: IdMap, text: string): number {
  const asText = map.get(text);
  if (asText >= 0) return asText;
  if (!/^-?\d+$/.test(text.trim())) return -1;
  const n = Number(text);
  if (Number.isSafeInteger(n)) {
    const asNumber = map.get(n);
    if (asNumber >= 0) return asNumber;
  }
  return map.get(BigInt(text.trim()));
}
