// The HTTP API through app.inject(): every endpoint against the library's own answers
// (model.recommend / recommendForNew / similarItems / predict, mapped to raw ids with the
// training data's id maps), every kind of bad input, auth, metrics and static files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdMap, loadMovieLens, type RawId } from '@quiver/data';
import { createModel, saveModel, type FoldInRecommender } from '@quiver/mf';
import { createServer, resolveStaticPath, type QuiverServer } from '../src/index.js';

interface Item {
  item: string | number;
  score: number;
  title?: string;
}

let tmp: string;
let als: FoldInRecommender;
let bmf: FoldInRecommender;
let users: IdMap;
let items: IdMap;
let titles: (string | null)[];
let app: QuiverServer;
const servers: QuiverServer[] = [];

const json = (v: RawId): string | number => (typeof v === 'bigint' ? v.toString() : v);

/** The library's answer in the API's shape (raw ids, titles). */
function expected(top: { ids: Int32Array; scores: Float32Array }, map = items, withTitles = true): Item[] {
  return Array.from(top.ids, (i, n) => {
    const t = withTitles ? titles[i] : null;
    return t === null ? { item: json(map.toRaw(i)), score: top.scores[n] } : { item: json(map.toRaw(i)), score: top.scores[n], title: t };
  });
}

const dense = (ids: RawId[], map = items): Int32Array => Int32Array.from(ids, (id) => map.toIndex(id));

async function open(modelDir: string, extra: Partial<Parameters<typeof createServer>[0]> = {}): Promise<QuiverServer> {
  const s = await createServer({ modelDir, watch: false, reloadOnSighup: false, ...extra });
  servers.push(s);
  return s;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'quiver-serve-test-'));
  const ds = await loadMovieLens('ml-latest-small');
  users = ds.interactions.userIdMap;
  items = ds.interactions.itemIdMap;
  titles = ds.items!.titles.slice();
  als = createModel('als', { factors: 16, epochs: 3, seed: 1 });
  als.fit(ds.interactions);
  bmf = createModel('biased-mf', { factors: 8, epochs: 2, seed: 1 });
  bmf.fit(ds.interactions);
  const enc = new TextEncoder();
  await saveModel(als, join(tmp, 'als'), { idMaps: { users, items }, files: { 'titles.json': enc.encode(JSON.stringify(titles)) } });
  await saveModel(bmf, join(tmp, 'bmf'), { idMaps: { users, items } });
  // The same ALS weights under bigint user ids and Unicode string item ids.
  const bigUsers = IdMap.fromRawIds(users.rawIds().map((u) => BigInt(u as number) + 10n ** 20n), 'user');
  const wordItems = IdMap.fromRawIds(items.rawIds().map((i) => `fïlm-${i}`), 'item');
  await saveModel(als, join(tmp, 'big'), { idMaps: { users: bigUsers, items: wordItems } });
  app = await open(join(tmp, 'als'));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('endpoints answer as the library does', () => {
  it('GET /v1/recommend equals model.recommend for several users, with titles', async () => {
    for (const u of [0, 1, 17, 300, users.size - 1]) {
      const raw = users.toRaw(u);
      const res = await app.inject({ url: `/v1/recommend?user=${raw}&k=10` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: raw, items: expected(als.recommend(u, 10)) });
    }
    const body = (await app.inject({ url: '/v1/recommend?user=1' })).json() as { items: Item[] };
    expect(body.items).toHaveLength(10); // default k
    expect(body.items[0].title).toBe(titles[items.toIndex(body.items[0].item as number)]);
  });

  it('GET /v1/recommend applies exclude, items and filterSeen as the library does', async () => {
    const top = als.recommend(users.toIndex(5), 5);
    const exclude = [json(items.toRaw(top.ids[0])), json(items.toRaw(top.ids[2]))];
    let res = await app.inject({ url: `/v1/recommend?user=5&k=5&exclude=${exclude.join(',')}` });
    expect(res.json().items).toEqual(expected(als.recommend(users.toIndex(5), 5, { exclude: dense(exclude as RawId[]) })));
    const allow = [1, 2, 3, 50, 260, 318];
    res = await app.inject({ url: `/v1/recommend?user=5&k=4&items=${allow.join(',')}&filterSeen=false` });
    expect(res.json().items).toEqual(expected(als.recommend(users.toIndex(5), 4, { items: dense(allow), filterSeen: false })));
    res = await app.inject({ url: '/v1/recommend?user=5&k=3&filterSeen=false' });
    expect(res.json().items).toEqual(expected(als.recommend(users.toIndex(5), 3, { filterSeen: false })));
  });

  it('POST /v1/recommend with a user (number or string id) equals model.recommend', async () => {
    const want = expected(als.recommend(users.toIndex(42), 7, { exclude: dense([1, 2]) }));
    for (const user of [42, '42']) {
      const res = await app.inject({ method: 'POST', url: '/v1/recommend', payload: { user, k: 7, exclude: [1, '2'] } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: 42, items: want });
    }
  });

  it('POST /v1/recommend with a history equals recommendForNew (fold-in)', async () => {
    const history = [1, 50, 318, 2571];
    let res = await app.inject({ method: 'POST', url: '/v1/recommend', payload: { history: history.map((item) => ({ item })), k: 6 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: expected(als.recommendForNew(dense(history), undefined, 6)) });
    res = await app.inject({ method: 'POST', url: '/v1/recommend', payload: { history: history.map((item) => ({ item })), k: 6, filterSeen: false, exclude: [356] } });
    expect(res.json().items).toEqual(expected(als.recommendForNew(dense(history), undefined, 6, { filterSeen: false, exclude: dense([356]) })));
  });

  it('GET /v1/similar-items equals model.similarItems, GET /v1/predict equals model.predict', async () => {
    for (const item of [1, 260, 2571]) {
      const res = await app.inject({ url: `/v1/similar-items?item=${item}&k=8` });
      expect(res.json()).toEqual({ item, items: expected(als.similarItems(items.toIndex(item), 8)) });
    }
    for (const [u, i] of [[1, 1], [610, 318], [7, 2571]]) {
      const res = await app.inject({ url: `/v1/predict?user=${u}&item=${i}` });
      expect(res.json()).toEqual({ user: u, item: i, score: als.predict(dense([u], users), dense([i]))[0] });
    }
  });

  it('bigint ids travel as strings and Unicode ids as themselves', async () => {
    const big = await open(join(tmp, 'big'));
    const user = (10n ** 20n + 1n).toString(); // raw MovieLens user 1
    const res = await big.inject({ url: `/v1/recommend?user=${user}&k=5` });
    expect(res.statusCode).toBe(200);
    const want = Array.from(als.recommend(users.toIndex(1), 5).ids, (i) => `fïlm-${items.toRaw(i)}`);
    expect(res.json().user).toBe(user);
    expect((res.json().items as Item[]).map((x) => x.item)).toEqual(want);
    expect((res.json().items as Item[]).every((x) => x.title === undefined)).toBe(true);
    const sim = await big.inject({ url: `/v1/similar-items?item=${encodeURIComponent('fïlm-1')}&k=3` });
    expect(sim.json().items.map((x: Item) => x.item)).toEqual(Array.from(als.similarItems(items.toIndex(1), 3).ids, (i) => `fïlm-${items.toRaw(i)}`));
    const post = await big.inject({ method: 'POST', url: '/v1/recommend', payload: { user, k: 2 } });
    expect(post.json().user).toBe(user);
  });

  it('an explicit model folds in only with ratings, and then as the library does', async () => {
    const ex = await open(join(tmp, 'bmf'));
    const history = [{ item: 1, rating: 5 }, { item: 50, rating: 4.5 }, { item: 2571, rating: 1 }];
    let res = await ex.inject({ method: 'POST', url: '/v1/recommend', payload: { history, k: 5 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(expected(bmf.recommendForNew(dense([1, 50, 2571]), Float32Array.of(5, 4.5, 1), 5), items, false));
    res = await ex.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [{ item: 1 }, { item: 50 }], k: 5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('cannot_fold_in');
    expect(res.json().error.message).toMatch(/biased-mf model cannot fold in this history: ratings must be a Float32Array for an explicit-feedback model.*rating on every history entry/);
    res = await ex.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [{ item: 1, rating: 4 }, { item: 50 }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('history ratings must be given on every entry or on none, got ratings on 1 of 2 entries');
    // 1e300 is a JSON number but no float32: the model refuses it as not finite.
    res = await ex.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [{ item: 1, rating: 1e300 }] } });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'cannot_fold_in']);
    expect(res.json().error.message).toBe('the biased-mf model cannot fold in this history: ratings[0] must be a finite number, got Infinity');
  });

  it('GET /healthz reports the model, its checksum and generation', async () => {
    const res = await app.inject({ url: '/healthz' });
    const manifest = JSON.parse(readFileSync(join(tmp, 'als', 'model.json'), 'utf8')) as { checksum: string };
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.model).toMatchObject({ kind: 'als', numUsers: 610, numItems: 9724, titles: true, backend: 'exact', checksum: manifest.checksum, generation: 1 });
    expect(Number.isNaN(Date.parse(body.model.loadedAt))).toBe(false);
    expect(body.reloads).toEqual({ ok: 0, failed: 0, lastFailureAt: null });
  });
});

describe('top-k backends', () => {
  it('answers recommend and similar-items through a plugged-in backend, fold-in through the model', async () => {
    const calls: string[] = [];
    let context: { dir: string; files: Readonly<Record<string, Uint8Array>> } | null = null;
    const s = await open(join(tmp, 'als'), {
      backend: (model, ctx) => {
        context = ctx;
        return {
          name: 'fixed',
          recommend: (user, k) => {
            calls.push(`recommend ${user} ${k}`);
            return { ids: Int32Array.of(2, 0), scores: Float32Array.of(0.5, 0.25) };
          },
          similarItems: (item, k) => {
            calls.push(`similar ${item} ${k}`);
            return model.similarItems(item, k);
          },
        };
      },
    });
    expect(context!.dir).toBe(join(tmp, 'als'));
    expect(Object.keys(context!.files)).toEqual(['titles.json']);
    calls.length = 0; // the load's own check queries
    const res = await s.inject({ url: '/v1/recommend?user=1&k=2' });
    expect(res.json()).toEqual({ user: 1, items: [{ item: items.toRaw(2), score: 0.5, title: titles[2] }, { item: items.toRaw(0), score: 0.25, title: titles[0] }] });
    await s.inject({ url: '/v1/similar-items?item=1&k=3' });
    const fold = await s.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [{ item: 1 }], k: 3 } });
    expect(fold.json().items).toEqual(expected(als.recommendForNew(dense([1]), undefined, 3)));
    expect(calls).toEqual([`recommend ${users.toIndex(1)} 2`, `similar ${items.toIndex(1)} 3`]);
    expect((await s.inject({ url: '/healthz' })).json().model.backend).toBe('fixed');
    await expect(createServer({ modelDir: join(tmp, 'als'), watch: false, reloadOnSighup: false, backend: () => Promise.reject(new Error('index file missing')) })).rejects.toThrow('index file missing');
  });
});

describe('bad input gets 4xx with what was wrong and what is allowed, never 500', () => {
  const bad = async (opts: InjectOptions, status: number, code: string, message: RegExp | string): Promise<void> => {
    const res = await app.inject(opts);
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    if (typeof message === 'string') expect(body.error.message).toBe(message);
    else expect(body.error.message).toMatch(message);
  };
  const post = (payload: unknown, headers: Record<string, string> = {}): InjectOptions => ({
    method: 'POST',
    url: '/v1/recommend',
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });

  it('k out of [1, 1000] or not an integer', async () => {
    for (const k of ['0', '1001', '-1', '2.5', 'ten', '']) {
      await bad({ url: `/v1/recommend?user=1&k=${k}` }, 400, 'bad_request', /^k must be an integer in \[1, 1000\], got /);
    }
    await bad({ url: '/v1/recommend?user=1&k=1001' }, 400, 'bad_request', 'k must be an integer in [1, 1000], got 1001');
    await bad(post({ user: 1, k: 0 }), 400, 'bad_request', 'k must be an integer in [1, 1000], got 0');
    await bad(post({ user: 1, k: 1001 }), 400, 'bad_request', 'k must be an integer in [1, 1000], got 1001');
    await bad({ url: '/v1/similar-items?item=1&k=1001' }, 400, 'bad_request', 'k must be an integer in [1, 1000], got 1001');
    expect((await app.inject({ url: '/v1/recommend?user=1&k=1000' })).statusCode).toBe(200);
  });

  it('wrong types in a body are refused, not coerced', async () => {
    await bad(post({ user: 1, k: '10' }), 400, 'bad_request', 'k must be an integer in [1, 1000], got "10"');
    await bad(post({ user: true }), 400, 'bad_request', /^user must be a user id: a string of 1 to 256 characters or a number, got true$/);
    await bad(post('{"user": 1e400}'), 400, 'bad_request', /^user must be a user id: .* or a number, got Infinity$/);
    await bad(post({ user: 1, filterSeen: 'yes' }), 400, 'bad_request', 'filterSeen must be true or false (a JSON boolean), got "yes"');
    await bad(post({ history: 'x' }), 400, 'bad_request', /^history must be a list of 1 to 10000 entries/);
    await bad(post({ history: [] }), 400, 'bad_request', /^history must be a list of 1 to 10000 entries .*got an array of 0$/);
    await bad(post({ history: [{ item: 1, rating: 'five' }] }), 400, 'bad_request', 'history[0].rating must be a number, got "five"');
    await bad(post({ history: [{ rating: 3 }] }), 400, 'bad_request', /^field "history\[0\]\.item" is required/);
    await bad(post({ user: 1, exclude: 'a,b' }), 400, 'bad_request', /^exclude must be a list of at most 10000 item ids, got "a,b"$/);
    await bad(post({ user: 1, usr: 2 }), 400, 'bad_request', 'unknown field "usr"; allowed: user, history, k, exclude, items, filterSeen');
    await bad(post([1, 2]), 400, 'bad_request', /^the body must be a JSON object .*got an array of 2$/);
    await bad(post({ k: 3 }), 400, 'bad_request', /must hold either "user" .* or "history" .*got neither$/);
    await bad(post({ user: 1, history: [{ item: 1 }] }), 400, 'bad_request', /got both$/);
    await bad({ url: '/v1/recommend?user=1&filterSeen=yes' }, 400, 'bad_request', 'filterSeen must be true or false, got "yes"');
    await bad({ url: '/v1/recommend?user=1&user=2' }, 400, 'bad_request', /^user must be a user id: .*got an array of 2$/);
    await bad({ url: '/v1/recommend?user=1&kk=2' }, 400, 'bad_request', 'unknown query parameter "kk"; allowed: user, k, exclude, items, filterSeen');
    await bad({ url: '/v1/recommend?k=2' }, 400, 'bad_request', 'query parameter "user" is required: a user id: a string of 1 to 256 characters');
    await bad({ url: '/v1/predict?user=1' }, 400, 'bad_request', /^query parameter "item" is required/);
  });

  it('malformed JSON, an empty body, a non-JSON content type, __proto__ keys', async () => {
    await bad(post('{"user": 1,'), 400, 'invalid_json', /^the body is not valid JSON: /);
    await bad(post(''), 400, 'invalid_json', 'the body is empty; send a JSON object');
    await bad(post('{"user": 1, "__proto__": {"admin": true}}'), 400, 'invalid_json', 'the body must not hold a "__proto__" key');
    await bad({ method: 'POST', url: '/v1/recommend', payload: 'user=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type', /Content-Type: application\/json/);
    const ok = await app.inject(post({ user: 1, k: 2 }, { 'content-type': 'application/json; charset=utf-8' }));
    expect(ok.statusCode).toBe(200);
  });

  it('a body over 64 KiB gets 413; long lists get 400', async () => {
    await bad(post({ user: 1, exclude: Array.from({ length: 20_000 }, (_, n) => `item-${n}`) }), 413, 'body_too_large', 'the request body must be at most 65536 bytes');
    await bad(post({ user: 1, exclude: Array(10_001).fill(1) }), 400, 'bad_request', /^exclude must be a list of at most 10000 item ids, got an array of 10001$/);
    const res = await app.inject(post({ user: 1, k: 3, exclude: Array(10_000).fill(1) }));
    expect(res.statusCode).toBe(200);
  });

  it('overlong ids get 400, unknown ids (Unicode too) 404 naming them', async () => {
    const long = 'x'.repeat(257);
    await bad({ url: `/v1/recommend?user=${long}` }, 400, 'bad_request', /^user must be a user id: a string of 1 to 256 characters, got "x{77}\.\.\."$/);
    await bad(post({ user: long }), 400, 'bad_request', /^user must be a user id: a string of 1 to 256 characters or a number/);
    await bad({ url: `/v1/recommend?user=${'ü'.repeat(257)}` }, 400, 'bad_request', /256 characters/);
    // 256 characters (code points) are allowed: then the id is simply unknown.
    await bad({ url: `/v1/recommend?user=${encodeURIComponent('ü'.repeat(256))}` }, 404, 'unknown_user', `unknown user id ${JSON.stringify('ü'.repeat(256))} (user): the model knows 610 users and not this one`);
    await bad({ url: `/v1/recommend?user=${encodeURIComponent('用户😀')}` }, 404, 'unknown_user', 'unknown user id "用户😀" (user): the model knows 610 users and not this one');
    await bad({ url: '/v1/recommend?user=99999' }, 404, 'unknown_user', 'unknown user id "99999" (user): the model knows 610 users and not this one');
    await bad(post({ user: 1.5 }), 404, 'unknown_user', 'unknown user id 1.5 (user): the model knows 610 users and not this one');
    await bad({ url: '/v1/recommend?user=1&exclude=1,2,nope' }, 404, 'unknown_item', 'unknown item id "nope" (exclude[2]): the model knows 9724 items and not this one');
    await bad(post({ history: [{ item: 1 }, { item: 'ghost' }] }), 404, 'unknown_item', 'unknown item id "ghost" (history[1].item): the model knows 9724 items and not this one');
    await bad({ url: '/v1/similar-items?item=0' }, 404, 'unknown_item', /^unknown item id "0" \(item\)/);
    await bad({ url: '/v1/predict?user=1&item=-3' }, 404, 'unknown_item', /^unknown item id "-3" \(item\)/);
    await bad({ url: '/v1/recommend?user=1&exclude=1,,2' }, 400, 'bad_request', /^exclude\[1\] must be an item id: a string of 1 to 256 characters, got ""$/);
    await bad({ url: '/v1/nothing' }, 404, 'not_found', /^no route GET \/v1\/nothing; routes are /);
  });
});

describe("the HTTP parser's refusals", () => {
  it("answers a URL over 16 KiB with 431 and a malformed request with 400, in the API's form", async () => {
    const s = await open(join(tmp, 'als'));
    await s.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/v1/recommend?user=1&exclude=${'1,'.repeat(9000)}1`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({ error: { code: 'headers_too_large', message: 'the URL and headers must be at most 16 KiB together; send long id lists in a POST body' } });
    const bad = await rawGet(port, '/v1/recommend?user=1 HTTP/9.9\r\nbroken');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: { code: 'bad_request', message: 'malformed HTTP request' } });
  });
});

describe('bearer token', () => {
  it('guards /v1 and /metrics, leaves /healthz open, accepts only the exact token', async () => {
    const secure = await open(join(tmp, 'als'), { token: 's3cr3t-T0ken' });
    const no = await secure.inject({ url: '/v1/recommend?user=1' });
    expect(no.statusCode).toBe(401);
    expect(no.headers['www-authenticate']).toBe('Bearer realm="quiver"');
    expect(no.json().error).toEqual({ code: 'unauthorized', message: 'this route needs the header "Authorization: Bearer <token>", got no Authorization header' });
    for (const header of ['Bearer s3cr3t-T0ke', 'Bearer s3cr3t-T0ken2', 'Basic s3cr3t-T0ken', 's3cr3t-T0ken', 'Bearer  ']) {
      const res = await secure.inject({ url: '/v1/recommend?user=1', headers: { authorization: header } });
      expect(res.statusCode, header).toBe(401);
      expect(res.json().error.message).toMatch(/got a wrong or malformed token$/);
    }
    for (const url of ['/metrics', '/v1/similar-items?item=1', '/v1/predict?user=1&item=1', '/v1/nothing']) expect((await secure.inject({ url })).statusCode).toBe(401);
    expect((await secure.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 1 } })).statusCode).toBe(401);
    expect((await secure.inject({ url: '/healthz' })).statusCode).toBe(200);
    for (const header of ['Bearer s3cr3t-T0ken', 'bearer s3cr3t-T0ken']) {
      const ok = await secure.inject({ url: '/v1/recommend?user=1&k=3', headers: { authorization: header } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().items).toEqual(expected(als.recommend(users.toIndex(1), 3)));
    }
    expect((await secure.inject({ url: '/metrics', headers: { authorization: 'Bearer s3cr3t-T0ken' } })).statusCode).toBe(200);
    await expect(createServer({ modelDir: join(tmp, 'als'), token: 'has space', watch: false, reloadOnSighup: false })).rejects.toThrow(/token must be a non-empty string without white space, got a string of 9 characters/);
  });
});

/** Prometheus text: `# HELP` / `# TYPE` comments and `name{labels} value` samples. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (m === null) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

describe('/metrics', () => {
  it('parses as Prometheus text and counts the requests made, per route and status', async () => {
    const s = await open(join(tmp, 'als'));
    for (let n = 0; n < 3; n++) await s.inject({ url: `/v1/recommend?user=${n + 1}` });
    await s.inject({ url: '/v1/recommend?user=1&k=0' });
    await s.inject({ url: '/v1/recommend?user=nobody' });
    await s.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 2 } });
    await s.inject({ url: '/v1/similar-items?item=1' });
    await s.inject({ url: '/nowhere' });
    const res = await s.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheus(res.body);
    const req = (route: string, method: string, status: number): number | undefined => m.get(`quiver_http_requests_total{route="${route}",method="${method}",status="${status}"}`);
    expect(req('/v1/recommend', 'GET', 200)).toBe(3);
    expect(req('/v1/recommend', 'GET', 400)).toBe(1);
    expect(req('/v1/recommend', 'GET', 404)).toBe(1);
    expect(req('/v1/recommend', 'POST', 200)).toBe(1);
    expect(req('/v1/similar-items', 'GET', 200)).toBe(1);
    expect(req('unmatched', 'GET', 404)).toBe(1);
    expect(m.get('quiver_http_request_duration_seconds_count{route="/v1/recommend",method="GET",status="200"}')).toBe(3);
    expect(m.get('quiver_http_request_duration_seconds_bucket{le="+Inf",route="/v1/recommend",method="GET",status="200"}')).toBe(3);
    expect(m.get('quiver_model_reloads_total')).toBe(0);
    expect(m.get('quiver_model_reload_failures_total')).toBe(0);
    expect(m.get('quiver_model_generation')).toBe(1);
    expect(m.get('quiver_model_items')).toBe(9724);
    // The scrape itself is counted once it has been answered.
    const again = parsePrometheus((await s.inject({ url: '/metrics' })).body);
    expect(again.get('quiver_http_requests_total{route="/metrics",method="GET",status="200"}')).toBe(1);
  });
});

/** A raw HTTP/1.1 GET, so the path reaches the server exactly as written (no client normalisation); the server closes the connection. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
  });
}

describe('static files', () => {
  it('serves the folder under / with a fixed content-type table and refuses traversal', async () => {
    const site = join(tmp, 'site');
    mkdirSync(join(site, 'sub'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>quiver</h1>');
    writeFileSync(join(site, 'app.js'), 'console.log(1)');
    writeFileSync(join(site, 'sub', 'style.css'), 'body{}');
    writeFileSync(join(site, 'data.bin'), 'xyz');
    writeFileSync(join(site, '.env'), 'SECRET-IN-DOTFILE');
    writeFileSync(join(tmp, 'package.json'), '{"name":"SECRET-OUTSIDE"}');
    symlinkSync(join(tmp, 'package.json'), join(site, 'link.json'));
    const s = await open(join(tmp, 'als'), { staticDir: site });
    const get = (url: string) => s.inject({ url });
    let res = await get('/');
    expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([200, 'text/html; charset=utf-8', '<h1>quiver</h1>']);
    res = await get('/app.js?v=3');
    expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    res = await get('/sub/style.css');
    expect([res.headers['content-type'], res.body]).toEqual(['text/css; charset=utf-8', 'body{}']);
    expect((await get('/data.bin')).headers['content-type']).toBe('application/octet-stream');
    const head = await s.inject({ method: 'HEAD', url: '/app.js' });
    expect([head.statusCode, head.headers['content-length'], head.body]).toEqual([200, '14', '']);
    expect((await s.inject({ method: 'POST', url: '/app.js', payload: {} })).statusCode).toBe(404);
    // The API still wins over the static folder.
    expect((await get('/healthz')).json().status).toBe('ok');

    const attempts = [
      '/../package.json', '/%2e%2e/package.json', '/%2E%2E/package.json', '/..%2fpackage.json', '/%2e%2e%2fpackage.json',
      '/..%5cpackage.json', '/sub/../../package.json', '/sub/%2e%2e/%2e%2e/package.json', '/%252e%252e/package.json',
      '/.%2e/package.json', '/sub%2f..%2f..%2fpackage.json', '/.env', '/%2eenv', '/link.json', '/index.html%00.js',
      '//etc/passwd', '/%c0%ae%c0%ae/package.json', `/${'a/'.repeat(1100)}x`,
    ];
    await s.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.server.address() as { port: number }).port;
    for (const path of attempts) {
      for (const res2 of [await get(path), await rawGet(port, path)]) {
        const status = 'status' in res2 ? res2.status : (res2 as { statusCode: number }).statusCode;
        // 404, or 400 for a path that is not valid percent-encoded UTF-8; never the file.
        expect([path, status === 400 && /%c0/.test(path) ? 404 : status]).toEqual([path, 404]);
        expect(res2.body).not.toMatch(/SECRET/);
        expect(JSON.parse(res2.body.trim()).error.code).toMatch(/^(not_found|bad_request)$/);
      }
    }
    expect((await rawGet(port, '/sub/style.css')).body).toBe('body{}');
    // And the resolver on its own.
    expect(resolveStaticPath('/srv/www', '/a/b.css')).toBe('/srv/www/a/b.css');
    expect(resolveStaticPath('/srv/www', '/a/')).toBe('/srv/www/a');
    for (const p of ['/../x', '/a/%2e%2e/%2e%2e/x', '/%E0%A4%A', 'relative', '/a//b', '/a\\..\\..\\x']) expect(resolveStaticPath('/srv/www', p)).toBeNull();
  });

  it('refuses a staticDir that is not a folder', async () => {
    await expect(createServer({ modelDir: join(tmp, 'als'), staticDir: join(tmp, 'missing'), watch: false, reloadOnSighup: false })).rejects.toThrow(/staticDir must be an existing folder, got ".*missing"/);
  });
});

describe('createServer options', () => {
  it('refuses unknown options and bad limits, and applies custom limits', async () => {
    await expect(createServer({ modelDir: join(tmp, 'als'), tokn: 'x' } as never)).rejects.toThrow(/unknown option "tokn"/);
    await expect(createServer({ modelDir: join(tmp, 'als'), limits: { maxK: 0 } })).rejects.toThrow('createServer: limits.maxK must be a positive integer, got 0');
    await expect(createServer({ modelDir: join(tmp, 'nope') })).rejects.toThrow(/does not exist/);
    const small = await open(join(tmp, 'als'), { limits: { maxK: 5, maxIdLength: 3 } });
    expect((await small.inject({ url: '/v1/recommend?user=1&k=6' })).json().error.message).toBe('k must be an integer in [1, 5], got 6');
    expect((await small.inject({ url: '/v1/recommend?user=1234' })).json().error.message).toBe('user must be a user id: a string of 1 to 3 characters, got "1234"');
  });

  it('logs one JSON line per request and a 500 for an unexpected failure, with a generic answer', async () => {
    const lines: string[] = [];
    const s = await open(join(tmp, 'als'), { logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } } });
    s.get('/v1/boom', () => {
      throw new Error('kaboom inside');
    });
    expect((await s.inject({ url: '/v1/recommend?user=1&k=2' })).statusCode).toBe(200);
    const boom = await s.inject({ url: '/v1/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ error: { code: 'internal', message: 'internal server error; the server log has the details' } });
    const logs = lines.map((l) => JSON.parse(l) as { msg: string; status?: number; route?: string; err?: { message: string } });
    expect(logs.find((l) => l.msg === 'model loaded')).toBeDefined();
    expect(logs.find((l) => l.msg === 'request' && l.route === '/v1/recommend')?.status).toBe(200);
    expect(logs.find((l) => l.msg === 'unexpected error')?.err?.message).toBe('kaboom inside');
  });
});
