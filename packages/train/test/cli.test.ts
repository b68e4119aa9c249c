import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrays, writeArrow, writeParquet } from '@quiver/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quiver, expectOneLineError } from './run-quiver.js';

let dir = '';
const rows: [number, number, number, number][] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-cli-'));
  // 24 users × 16 items, a clean low-rank taste structure, about 60% of pairs observed.
  for (let u = 1; u <= 24; u++) {
    for (let i = 1; i <= 16; i++) {
      if ((u * 7 + i * 3) % 5 < 3) {
        const r = Math.min(5, Math.max(1, Math.round(3 + (u % 2 === i % 2 ? 1.5 : -1.5) + ((u + i) % 3) * 0.25)));
        rows.push([u, 100 + i, r, 1_600_000_000 + u * 100 + i]);
      }
    }
  }
  const csv = ['userId,movieId,rating,timestamp', ...rows.map((r) => r.join(','))].join('\n');
  writeFileSync(join(dir, 'ratings.csv'), `${csv}\n`);
  const header = 'userId,movieId,rating,timestamp';
  writeFileSync(join(dir, 'train.csv'), `${[header, ...rows.filter((_, k) => k % 5 !== 0).map((r) => r.join(','))].join('\n')}\n`);
  writeFileSync(join(dir, 'test.csv'), `${[header, ...rows.filter((_, k) => k % 5 === 0).map((r) => r.join(',')), '999,101,4,1'].join('\n')}\n`);
  writeFileSync(join(dir, 'ratings.tsv'), `${rows.map((r) => r.join('\t')).join('\n')}\n`);
  writeFileSync(join(dir, 'custom.txt'), `${['u;i;score', ...rows.map((r) => `${r[0]};${r[1]};${r[2]}`)].join('\n')}\n`);
  writeFileSync(join(dir, 'implicit.csv'), `${['user,item', ...rows.map((r) => `${r[0]},${r[1]}`)].join('\n')}\n`);
  writeFileSync(join(dir, 'broken.csv'), 'userId,movieId,rating\n1,2,4\n3,oops\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quiver train → eval → recommend (explicit, CSV)', () => {
  it('trains, saves, prints one JSON object, evaluates and recommends', async () => {
    const out = join(dir, 'mf');
    const t = await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'biased-mf', '--factors', '8', '--epochs', '5', '--seed', '3', '--out', out, '--json');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const lines = t.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(result.model).toBe('biased-mf');
    expect(result.params.factors).toBe(8);
    expect(result.params.epochs).toBe(5);
    expect(result.fitSeconds).toBeGreaterThan(0);
    expect(Number.isFinite(result.metrics.rmse)).toBe(true);
    expect(Number.isFinite(result.metrics.mae)).toBe(true);
    expect(result.metrics.mae).toBeLessThanOrEqual(result.metrics.rmse);
    expect(result.history.epochs).toHaveLength(5);
    expect(result.evaluatedUsers).toBeNull();
    expect(result.data.numTrain + result.data.numTest).toBeLessThanOrEqual(rows.length);
    expect(result.split).toMatchObject({ kind: 'random', testRatio: 0.2, seed: 3 });

    const e = await quiver('eval', '--model', out, '--data', join(dir, 'ratings.csv'), '--json');
    expect(e.code).toBe(0);
    const ev = JSON.parse(e.stdout);
    expect(ev.numInteractions).toBe(rows.length);
    expect(Number.isFinite(ev.metrics.rmse)).toBe(true);

    const r = await quiver('recommend', '--model', out, '--user', '3', '-k', '4', '--json');
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec.recommendations).toHaveLength(4);
    const items = rec.recommendations.map((x: { item: number }) => x.item);
    for (const item of items) expect(item).toBeGreaterThan(100);
    expect(new Set(items).size).toBe(4);
    const scores = rec.recommendations.map((x: { score: number }) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const human = await quiver('recommend', '--model', out, '--user', '3', '-k', '2');
    expect(human.code).toBe(0);
    expect(human.stdout.trim().split('\n')).toHaveLength(2);
    expect(human.stdout).toMatch(/^1\. \d+ {2}-?\d+\.\d{4}\n2\. /);
  });

  it('is deterministic for a seed', async () => {
    const a = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--epochs', '3', '--seed', '5', '--json');
    const b = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--epochs', '3', '--seed', '5', '--json');
    expect(JSON.parse(a.stdout).metrics).toEqual(JSON.parse(b.stdout).metrics);
    expect(JSON.parse(a.stdout).history.epochs.map((e: { loss: number }) => e.loss)).toEqual(JSON.parse(b.stdout).history.epochs.map((e: { loss: number }) => e.loss));
  });

  it('writes human output to stderr with plain log lines when not on a terminal', async () => {
    const t = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--epochs', '2', '--threads', '2');
    expect(t.code).toBe(0);
    expect(t.stdout).toBe('');
    expect(t.stderr).toMatch(/quiver epoch=1\/2 loss=\d/);
    expect(t.stderr).toMatch(/quiver: test RMSE \d\.\d{4} {2}MAE \d\.\d{4}/);
    expect(t.stderr).toMatch(/quiver: training on 2 threads \(blocks schedule/);
  });

  it('--schedule and --threads: biased-mf trains on the blocks schedule with the same result for 1 and 2 threads', async () => {
    const run = async (...extra: string[]) => {
      const r = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--epochs', '3', '--json', ...extra);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const one = await run('--schedule', 'blocks');
    const two = await run('--threads', '2');
    const plain = await run();
    expect(one.params.solver).toEqual({ kind: 'sgd', schedule: 'blocks', threads: 1, grid: 0 });
    expect(two.params.solver).toEqual({ kind: 'sgd', schedule: 'blocks', threads: 2, grid: 0 });
    expect(two.threads).toBe(2);
    expect(one.threads).toBe(1);
    expect(two.metrics).toEqual(one.metrics);
    expect(plain.params.solver).toEqual({ kind: 'sgd', schedule: 'shuffle' });
    expect(plain.metrics.rmse).not.toBe(one.metrics.rmse);
    const bpr = await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'bpr', '--epochs', '1', '--threads', '2');
    expect(bpr.code).toBe(0);
    expect(bpr.stderr).toMatch(/--threads 2: model 'bpr' trains on one thread in this version/);
    const als1 = JSON.parse((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'als', '--factors', '4', '--epochs', '2', '--json')).stdout);
    const als2 = JSON.parse((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'als', '--factors', '4', '--epochs', '2', '--threads', '2', '--json')).stdout);
    expect(als2.threads).toBe(2);
    expect(als2.params.solver).toEqual({ kind: 'cg', steps: 3, threads: 2 });
    expect(als2.metrics).toEqual(als1.metrics);
    const bad = await quiver('train', '--data', join(dir, 'ratings.csv'), '--schedule', 'grid');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/quiver train: --schedule must be one of shuffle, blocks, got "grid"/);
    const notMf = await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'bpr', '--schedule', 'blocks');
    expect(notMf.code).toBe(2);
    expect(notMf.stderr).toMatch(/--schedule does not apply to model 'bpr'/);
    const dim6 = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '6', '--threads', '2');
    expect(dim6.code).toBe(2);
    expect(dim6.stderr).toMatch(/quiver train: threads > 1 requires factors to be a multiple of 4.*got factors 6/);
    const many = await quiver('train', '--data', join(dir, 'ratings.csv'), '--threads', '17');
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/quiver train: threads must be in \[1, 16\], got 17/);
    const shuffled = await quiver('train', '--data', join(dir, 'ratings.csv'), '--schedule', 'shuffle', '--threads', '2');
    expect(shuffled.code).toBe(2);
    expect(shuffled.stderr).toMatch(/^quiver train: --threads 2 needs --schedule blocks \(the shuffle schedule trains on one thread\)\n$/);
  });

  it('--factors sets the factors; --dim, its old name, is refused with a pointer to it', async () => {
    const r = await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'bpr', '--factors', '3', '--epochs', '1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).params.factors).toBe(3);
    const old = await quiver('train', '--data', join(dir, 'ratings.csv'), '--dim', '3');
    expect(old.code).toBe(2);
    expect(old.stderr).toBe("quiver train: --dim is now --factors (the models' option name); pass --factors 3\n");
  });

  it('--checkpoint and --resume: a run continued from its checkpoint ends where an uninterrupted run does', async () => {
    const ck = join(dir, 'ck-resume');
    const args = ['train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--seed', '3', '--json'];
    const straight = JSON.parse((await quiver(...args, '--epochs', '6')).stdout);
    const first = await quiver(...args, '--epochs', '3', '--checkpoint', ck);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ checkpoint: ck, resumedFrom: null });
    const resumed = await quiver(...args, '--epochs', '6', '--checkpoint', ck, '--resume');
    expect(resumed.code).toBe(0);
    const r = JSON.parse(resumed.stdout);
    expect(r.resumedFrom).toBe(join(ck, 'epoch-000003'));
    expect(r.history.epochs.map((e: { loss: number }) => e.loss)).toEqual(straight.history.epochs.map((e: { loss: number }) => e.loss));
    expect(r.metrics).toEqual(straight.metrics);
    // Human output says where it resumed from; --resume with an empty folder starts from scratch.
    const human = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '4', '--epochs', '1', '--checkpoint', join(dir, 'ck-empty'), '--resume');
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/--resume: no checkpoint in .*ck-empty yet; starting from epoch 1/);
    // The checkpoint of another configuration is refused with the reason.
    const other = await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '8', '--seed', '3', '--epochs', '6', '--checkpoint', ck, '--resume');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/quiver train: checkpoint .*epoch-0000\d\d was trained with factors = 4, got 8/);
    const noDir = await quiver('train', '--data', join(dir, 'ratings.csv'), '--resume');
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/quiver train: --resume needs --checkpoint DIR/);
  });

  it('splits per user and leave-last-out by timestamp', async () => {
    const u = JSON.parse((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'popularity', '--split', 'user-ratio', '--test-ratio', '0.25', '--json')).stdout);
    expect(u.split).toMatchObject({ kind: 'user-ratio', testRatio: 0.25, seed: 42 });
    const l = JSON.parse((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'popularity', '--split', 'leave-last-out', '--json')).stdout);
    expect(l.split.kind).toBe('leave-last-out');
    // one held-out row per user (minus cold-start rows)
    expect(l.data.numTest + l.split.coldStartDropped).toBe(24);
    expect(l.evaluatedUsers).toBeLessThanOrEqual(24);
  });

  it('reads a separate --test file, skipping unknown users', async () => {
    const t = await quiver('train', '--data', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--epochs', '2', '--factors', '4', '--json');
    expect(t.code).toBe(0);
    const result = JSON.parse(t.stdout);
    expect(result.split).toMatchObject({ kind: 'file', skippedUnknown: 1 });
  });
});

describe('quiver train (implicit, TSV and custom layouts)', () => {
  it('ALS on a headerless TSV reports ranking metrics and evaluated users', async () => {
    const t = await quiver('train', '--data', join(dir, 'ratings.tsv'), '--model', 'als', '--factors', '4', '--epochs', '3', '--relevant-min', '4', '--json');
    expect(t.code).toBe(0);
    const result = JSON.parse(t.stdout);
    expect(result.model).toBe('als');
    for (const key of ['precision@10', 'recall@10', 'ndcg@10', 'auc']) {
      expect(result.metrics[key]).toBeGreaterThanOrEqual(0);
      expect(result.metrics[key]).toBeLessThanOrEqual(1);
    }
    expect(result.evaluatedUsers).toBeGreaterThan(0);
    expect(result.evaluatedUsers).toBeLessThanOrEqual(24);
    expect(result.relevantMin).toBe(4);
  });
  it('popularity with --columns and --delimiter on a custom file', async () => {
    const t = await quiver('train', '--data', join(dir, 'custom.txt'), '--columns', 'u,i,score', '--delimiter', ';', '--model', 'popularity', '--json');
    expect(t.code).toBe(0);
    const result = JSON.parse(t.stdout);
    expect(result.data.numUsers).toBe(24);
    expect(result.history.epochs).toHaveLength(1); // popularity has no epochs: one pass
  });
});

describe('quiver recommend with titles', () => {
  it('finds MovieLens titles next to a ratings.csv and prints them', async () => {
    const ml = join(dir, 'ml');
    mkdirSync(ml);
    writeFileSync(join(ml, 'ratings.csv'), readFileSync(join(dir, 'ratings.csv')));
    const movies = ['movieId,title,genres', ...Array.from({ length: 16 }, (_, i) => `${101 + i},"Movie ${101 + i}, The (19${70 + i})",Drama`)];
    writeFileSync(join(ml, 'movies.csv'), `${movies.join('\n')}\n`);
    const out = join(dir, 'titled');
    expect((await quiver('train', '--data', join(ml, 'ratings.csv'), '--model', 'popularity', '--out', out, '--json')).code).toBe(0);
    const r = JSON.parse((await quiver('recommend', '--model', out, '--user', '1', '-k', '3', '--json')).stdout);
    expect(r.recommendations).toHaveLength(3);
    for (const rec of r.recommendations) expect(rec.title).toBe(`Movie ${rec.item}, The (19${70 + rec.item - 101})`);
    const human = await quiver('recommend', '--model', out, '--user', '1', '-k', '1');
    expect(human.stdout).toMatch(/^1\. Movie \d+, The \(19\d\d\) {2}\[\d+\] {2}\d+\.\d{4}\n$/);
  });
});

describe('quiver train (Arrow IPC and Parquet)', () => {
  it('reads .arrow and .parquet files written by @quiver/data', async () => {
    const data = fromArrays({ userIds: rows.map((r) => r[0]), itemIds: rows.map((r) => r[1]), ratings: rows.map((r) => r[2]) });
    await writeArrow(data, join(dir, 'ratings.arrow'));
    await writeParquet(data, join(dir, 'ratings.parquet'));
    for (const file of ['ratings.arrow', 'ratings.parquet']) {
      const t = await quiver('train', '--data', join(dir, file), '--model', 'popularity', '--json');
      expect(t.code).toBe(0);
      const result = JSON.parse(t.stdout);
      expect(result.data.numUsers).toBe(24);
      expect(result.data.numItems).toBe(16);
    }
  });
});

describe('quiver errors: non-zero exit, one line, no stack trace', () => {
  it('unknown flag and unknown command', async () => {
    expectOneLineError(await quiver('train', '--data', 'x.csv', '--bogus'), 2, /^quiver train: unknown option --bogus; see quiver train --help$/);
    expectOneLineError(await quiver('fit'), 2, /^quiver: unknown command "fit"/);
    expectOneLineError(await quiver('constructor'), 2, /^quiver: unknown command "constructor"/);
    expectOneLineError(await quiver(), 2, /^quiver: a command is required \(train, eval, recommend, compare, serve, spark-import or spark-export\); see quiver --help$/);
    expectOneLineError(await quiver('eval', '--model'), 2, /^quiver eval: option --model needs a value$/);
    expectOneLineError(await quiver('recommend', 'extra'), 2, /^quiver recommend: unexpected argument/);
  });
  it('missing file and missing model directory', async () => {
    expectOneLineError(await quiver('train', '--data', join(dir, 'nope.csv')), 1, /^quiver train: --data file not found: .*nope\.csv$/);
    expectOneLineError(await quiver('recommend', '--model', join(dir, 'no-model'), '--user', '1'), 1, /^quiver recommend: --model directory not found/);
  });
  it('bad numbers', async () => {
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--epochs', '1.5'), 2, /^quiver train: --epochs must be a positive integer, got "1\.5"$/);
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--test-ratio', '2'), 2, /^quiver train: --test-ratio must be a number in \(0, 1\), got "2"$/);
    expectOneLineError(await quiver('train', '--data', 'ml-latest-small', '--lr', 'fast'), 2, /^quiver train: --lr must be a number in \(0, Infinity\], got "fast"$/);
  });
  it('bad format and a model that needs ratings', async () => {
    expectOneLineError(await quiver('train', '--data', join(dir, 'broken.csv')), 1, /^quiver train: cannot read --data .*broken\.csv: /);
    expectOneLineError(await quiver('train', '--data', join(dir, 'implicit.csv')), 1, /^quiver train: model 'biased-mf' needs ratings but .* has none/);
    expectOneLineError(await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'als', '--lr', '0.1'), 2, /^quiver train: --lr does not apply to model 'als'$/);
    expectOneLineError(await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'svd'), 2, /^quiver train: --model must be one of biased-mf, baseline, bpr, als, popularity, random, itemknn, rp3beta, p3alpha, userknn, ease, puresvd, slim, svdpp, bayesian-mf, got "svd"$/);
    expectOneLineError(await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'als', '--neighbors', '5'), 2, /^quiver train: --neighbors does not apply to model 'als'$/);
    expectOneLineError(await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'p3alpha', '--beta', '0.5'), 2, /^quiver train: --beta does not apply to model 'p3alpha'$/);
    expectOneLineError(await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'itemknn', '--similarity', 'pearson'), 2, /^quiver train: --similarity must be one of cosine, asymmetric-cosine, jaccard, got "pearson"$/);
  });
  it('trains the item-neighbourhood models with their flags', async () => {
    const r = await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'itemknn', '--neighbors', '3', '--similarity', 'jaccard', '--weighting', 'bm25', '--shrink', '0', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.params).toMatchObject({ neighbors: 3, shrink: 0, similarity: { kind: 'jaccard' }, weighting: { kind: 'bm25', k1: 100, b: 0.8 } });
    const rp3 = JSON.parse((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'rp3beta', '--alpha', '0.5', '--beta', '0.2', '--json')).stdout);
    expect(rp3.params).toMatchObject({ neighbors: 400, alpha: 0.5, beta: 0.2, normalize: false });
  });
  it("trains issue 13's baselines with their flags", async () => {
    const data = join(dir, 'ratings.csv');
    const run = async (...args: string[]): Promise<Record<string, unknown>> => {
      const r = await quiver('train', '--data', data, ...args, '--json');
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).params as Record<string, unknown>;
    };
    expect(await run('--model', 'ease', '--lambda', '5', '--threads', '1')).toMatchObject({ lambda: 5 });
    expect(await run('--model', 'userknn', '--neighbors', '4', '--shrink', '1', '--threads', '2')).toMatchObject({ neighbors: 4, shrink: 1, threads: 2 });
    expect(await run('--model', 'slim', '--neighbors', '5')).toMatchObject({ neighbors: 5 });
    expect(await run('--model', 'puresvd', '--factors', '3')).toMatchObject({ factors: 3 });
    expect(await run('--model', 'svdpp', '--factors', '4', '--epochs', '2', '--lr', '0.01')).toMatchObject({ factors: 4, epochs: 2, lr: 0.01 });
    // The rating models are evaluated by RMSE, not ranked.
    const svdpp = JSON.parse((await quiver('train', '--data', data, '--model', 'svdpp', '--epochs', '2', '--json')).stdout);
    expect(JSON.stringify(svdpp)).toMatch(/"rmse"/);
    expect(await run('--model', 'bayesian-mf', '--factors', '3', '--epochs', '4')).toMatchObject({ factors: 3, epochs: 4 });
    expectOneLineError(await quiver('train', '--data', data, '--model', 'ease', '--neighbors', '3'), 2, /^quiver train: --neighbors does not apply to model 'ease'$/);
  });
  it('unknown user', async () => {
    const out = join(dir, 'pop');
    expect((await quiver('train', '--data', join(dir, 'ratings.csv'), '--model', 'popularity', '--out', out, '--json')).code).toBe(0);
    expectOneLineError(await quiver('recommend', '--model', out, '--user', 'alice'), 1, /^quiver recommend: unknown user "alice"; the model knows 24 users$/);
    // k beyond the catalogue gives every unseen item, not an "Invalid typed array length" failure
    const all = await quiver('recommend', '--model', out, '--user', '1', '-k', '99999999999', '--json');
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    const few = await quiver('recommend', '--model', out, '--user', '1', '-k', '16', '--json');
    expect(JSON.parse(all.stdout).recommendations).toEqual(JSON.parse(few.stdout).recommendations);
  });
  it('an edited model file', async () => {
    const out = join(dir, 'edited');
    expect((await quiver('train', '--data', join(dir, 'ratings.csv'), '--factors', '2', '--epochs', '1', '--out', out, '--json')).code).toBe(0);
    appendFileSync(join(out, 'weights.safetensors'), 'x');
    expectOneLineError(await quiver('recommend', '--model', out, '--user', '1'), 1, /^quiver recommend: cannot load the model in .*: loadModel: weights\.safetensors must have \d+ bytes/);
    expectOneLineError(await quiver('eval', '--model', join(dir, 'ratings.csv'), '--data', join(dir, 'ratings.csv')), 1, /^quiver eval: .*ratings\.csv is not a model directory/);
  });
  it('--help prints usage and exits 0', async () => {
    const h = await quiver('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/quiver train --data <file\|builtin>/);
    const th = await quiver('train', '--help');
    expect(th.stdout).toMatch(/--relevant-min X/);
    // every command's help, the lazily loaded serve included
    for (const [command, pattern] of [['compare', /--protocol NAME/], ['serve', /^quiver serve --model DIR/], ['spark-import', /--user-factors/], ['spark-export', /--partitions/]] as const) {
      const r = await quiver(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(pattern);
      expect(h.stdout).toContain(`quiver ${command}`);
    }
  });
});
