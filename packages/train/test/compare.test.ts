// compareModels and `quiver compare`: every figure of the table is recomputed here from the
// pieces (planProtocol, createModel, the evaluations, bootstrapCi, pairedTest), the nesting is
// checked pair by pair, and bad input is refused.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@quiver/base';
import { fromArrays, type Interactions } from '@quiver/data';
import { createModel } from '@quiver/mf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../src/compare/compare-models.js';
import { planProtocol, type Protocol } from '../src/compare/protocols.js';
import { hyperbandSchedule } from '../src/search/halving-schedule.js';
import { bootstrapCi } from '../src/stats/bootstrap-ci.js';
import { pairedTest } from '../src/stats/paired-test.js';
import { expectOneLineError, quiver } from './run-quiver.js';

/** 80 users × 40 items in two taste groups (even users like even items), with timestamps. */
function tasteData(seed = 5): Interactions {
  const rng = createRng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const ratings: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < 80; u++) {
    for (let i = 0; i < 40; i++) {
      const liked = u % 2 === i % 2;
      if (rng.nextFloat() < (liked ? 0.45 : 0.08) + (i < 6 ? 0.2 : 0)) {
        users.push(u);
        items.push(i);
        ratings.push(liked ? 4 + rng.nextInt(2) : 1 + rng.nextInt(3));
        times.push(1_000_000 + rng.nextInt(100_000));
      }
    }
  }
  return fromArrays({ userIds: users, itemIds: items, ratings, timestamps: times });
}

const pairs = (d: Interactions): Set<string> => new Set(Array.from(d.userIds, (u, n) => `${u}:${d.itemIds[n]}`));
const settings = { k: 5, relevantMin: null, negatives: 10, seed: 7, itemFeatures: null };

describe('compareModels (full protocol): every figure recomputed from its pieces', () => {
  const data = tasteData();
  const result = compareModels(data, { models: ['popularity', 'itemknn', 'ease'], k: 5, trials: 2, seed: 7, bootstrapSamples: 300 });
  const plan = planProtocol(data, 'full', settings);

  it('ranks the rows by the metric; each row is the chosen model refitted on the training part', () => {
    expect(result.metric).toBe('ndcg@5');
    expect(result.rows.map((r) => r.model).sort()).toEqual(['ease', 'itemknn', 'popularity']);
    const values = result.rows.map((r) => r.metrics['ndcg@5']);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    // two taste groups: a personalised model must beat popularity
    expect(result.rows[result.rows.length - 1].model).toBe('popularity');
    for (const row of result.rows) {
      const model = createModel(row.model, { ...row.params });
      model.fit(plan.test.train);
      const again = plan.test.evaluate(model);
      expect(row.metrics).toEqual(again.metrics);
      // the validation figure is that of the same options on the validation split
      const onValidation = createModel(row.model, { ...row.params });
      onValidation.fit(plan.validation.train);
      expect(row.validation).toBe(plan.validation.evaluate(onValidation).metrics['ndcg@5']);
      expect(row.evaluations).toBe(row.model === 'popularity' ? 1 : 3);
    }
  });

  it('intervals are bootstrap intervals of the per-user values; paired tests compare with the best on the same users', () => {
    const best = result.rows[0];
    const bestModel = createModel(best.model, { ...best.params });
    bestModel.fit(plan.test.train);
    const bestValues = plan.test.evaluate(bestModel).values['ndcg@5'];
    for (const row of result.rows) {
      const model = createModel(row.model, { ...row.params });
      model.fit(plan.test.train);
      const r = plan.test.evaluate(model);
      for (const name of ['ndcg@5', 'recall@5', 'novelty@5']) {
        const ci = bootstrapCi(r.values[name].filter(Number.isFinite), { samples: 300, level: 0.95, seed: 7 });
        expect(row.intervals[name]).toEqual({ lo: ci.lo, hi: ci.hi, level: 0.95 });
        expect(row.intervals[name].lo).toBeLessThanOrEqual(row.metrics[name]);
        expect(row.intervals[name].hi).toBeGreaterThanOrEqual(row.metrics[name]);
      }
      if (row === best) expect(row.paired).toBeNull();
      else {
        const t = pairedTest(r.values['ndcg@5'], bestValues, { level: 0.95, bootstrapSamples: 300, seed: 7 });
        expect(row.paired).toEqual({ against: best.model, meanDifference: t.meanDifference, ci: t.ci, pValue: t.pValue, wilcoxonPValue: t.wilcoxon.pValue });
      }
    }
    expect(result.rows[2].paired!.pValue).toBeLessThan(0.05);
  });

  it('is seeded: the same call gives the same table', () => {
    const again = compareModels(data, { models: ['popularity', 'itemknn', 'ease'], k: 5, trials: 2, seed: 7, bootstrapSamples: 300 });
    expect(again.rows.map((r) => [r.model, r.params, r.metrics, r.intervals, r.paired])).toEqual(result.rows.map((r) => [r.model, r.params, r.metrics, r.intervals, r.paired]));
  });
});

describe('planProtocol: nested splits never let tuning see the test part', () => {
  const data = tasteData(9);
  for (const protocol of ['full', 'temporal', 'loo-sampled'] as Protocol[]) {
    it(`${protocol}: validation is carved from the training part only`, () => {
      const plan = planProtocol(data, protocol, settings);
      const testTrain = pairs(plan.test.train);
      const validationTrain = pairs(plan.validation.train);
      for (const p of validationTrain) expect(testTrain.has(p)).toBe(true);
      expect(plan.validation.train.length).toBeLessThan(plan.test.train.length);
      expect(plan.test.train.length + plan.test.heldOutRows).toBeLessThanOrEqual(data.length);
      if (protocol === 'temporal') {
        // the validation cut is a time cut of the training part: its training rows all precede the rest
        const inValidation = pairs(plan.validation.train);
        const ts = plan.test.train.timestamps!;
        let latestFit = -Infinity;
        let earliestHeldOut = Infinity;
        for (let n = 0; n < plan.test.train.length; n++) {
          if (inValidation.has(`${plan.test.train.userIds[n]}:${plan.test.train.itemIds[n]}`)) latestFit = Math.max(latestFit, ts[n]);
          else earliestHeldOut = Math.min(earliestHeldOut, ts[n]);
        }
        expect(latestFit).toBeLessThan(earliestHeldOut);
      }
    });
  }
  it('strong-gen: test and validation users have no training rows, and their metrics come from fold-in', () => {
    const plan = planProtocol(data, 'strong-gen', settings);
    const trainUsers = new Set(plan.test.train.userIds);
    const model = createModel('itemknn', {});
    model.fit(plan.test.train);
    const r = plan.test.evaluate(model);
    expect(r.users.length).toBeGreaterThan(0);
    for (const u of r.users) expect(trainUsers.has(u)).toBe(false);
    const v = plan.validation.evaluate(model);
    for (const u of v.users) expect(trainUsers.has(u)).toBe(false);
    for (const u of v.users) expect(r.users.includes(u)).toBe(false);
  });
  it('loo-sampled names its metrics as sampled', () => {
    const result = compareModels(data, { models: ['popularity', 'itemknn'], protocol: 'loo-sampled', negatives: 10, k: 5, trials: 1, bootstrapSamples: 100 });
    expect(result.metric).toBe('ndcg@5(sampled 10)');
    expect(Object.keys(result.rows[0].metrics)).toContain('hitRate@5(sampled 10)');
    expect(Object.keys(result.rows[0].metrics).every((m) => m.includes('(sampled 10)'))).toBe(true);
  });
});

describe('compareModels: Hyperband over epochs', () => {
  it('evaluates every configuration of the hyperband schedule once, plus the defaults', () => {
    const data = tasteData(11);
    const result = compareModels(data, { models: ['bpr'], k: 5, search: 'hyperband', trials: 1, bootstrapSamples: 50 });
    const maxBudget = Number(createModel('bpr', {}).getConfig().epochs);
    const schedule = hyperbandSchedule({ minBudget: Math.max(1, Math.round(maxBudget / 9)), maxBudget, eta: 3 });
    const evaluations = schedule.reduce((sum, b) => sum + b.rungs.reduce((s, r) => s + r.numConfigs, 0), 0);
    expect(result.rows[0].evaluations).toBe(evaluations + 1);
  });
});

describe('compareModels: search journals', () => {
  it('writes one journal per model; a rerun with the folder reuses it and changes nothing', () => {
    const data = tasteData(17);
    const folder = mkdtempSync(join(tmpdir(), 'quiver-compare-journal-'));
    try {
      const first = compareModels(data, { models: ['itemknn'], k: 5, trials: 3, bootstrapSamples: 50, journal: folder });
      const files = readdirSync(folder);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^itemknn-[0-9a-f]{16}\.jsonl$/);
      const text = readFileSync(join(folder, files[0]), 'utf8');
      expect(text.trim().split('\n')).toHaveLength(1 + 3); // the header and the three trials
      const again = compareModels(data, { models: ['itemknn'], k: 5, trials: 3, bootstrapSamples: 50, journal: folder });
      expect(readFileSync(join(folder, files[0]), 'utf8')).toBe(text);
      expect(again.rows[0].params).toEqual(first.rows[0].params);
      expect(again.rows[0].metrics).toEqual(first.rows[0].metrics);
      // another protocol writes its own journal instead of reusing this one
      compareModels(data, { models: ['itemknn'], k: 5, trials: 1, bootstrapSamples: 50, journal: folder, protocol: 'temporal' });
      expect(readdirSync(folder)).toHaveLength(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('compareModels refuses bad input', () => {
  const data = tasteData(13);
  it.each([
    [{ models: ['ease'], protocol: 'sampled' }, /compareModels: options.protocol must be one of 'full', 'loo-sampled', 'strong-gen', 'temporal', got "sampled"/],
    [{ models: ['ease'], k: 0 }, /compareModels: options.k must be a positive integer, got 0/],
    [{ models: [] }, /compareModels: options.models must be a non-empty array of model kinds, got/],
    [{ models: ['ease', 'nope'] }, /compareModels: options.models\[\] must be one of .*got "nope"/],
    [{ models: ['ease', 'ease'] }, /compareModels: options.models must not repeat a model, got "ease"/],
    [{ models: ['ease'], trials: -1 }, /compareModels: options.trials must be an integer ≥ 0, got -1/],
    [{ models: ['ease'], level: 1 }, /compareModels: options.level must be in \(0, 1\), got 1/],
    [{ models: ['ease'], typo: 1 }, /compareModels: unknown option "typo"/],
    [{ models: ['popularity'], trials: 0, metric: 'ndcg@50' }, /compareModels: options.metric must be one the protocol reports: .*ndcg@10.*, got "ndcg@50"/],
    [{ models: ['popularity'], trials: 0, protocol: 'loo-sampled', negatives: 1000 }, /evaluateSampled: .*negatives/],
  ])('%j', (options, pattern) => {
    expect(() => compareModels(data, options as never)).toThrow(pattern);
  });
});

describe('quiver compare', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-compare-'));
    const d = tasteData(3);
    const lines = ['userId,movieId,rating,timestamp'];
    for (let n = 0; n < d.length; n++) lines.push(`${d.userIds[n] + 1},${d.itemIds[n] + 100},${d.ratings![n]},${d.timestamps![n]}`);
    writeFileSync(join(dir, 'ratings.csv'), `${lines.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table, one JSON object with --json, and an HTML report with one error bar per model and metric', async () => {
    const html = join(dir, 'compare.html');
    const r = await quiver('compare', '--data', join(dir, 'ratings.csv'), '--models', 'popularity,itemknn', '--trials', '1', '-k', '5', '--bootstrap', '200', '--html', html);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/model\s+ndcg@5 \[95% CI\]/);
    expect(r.stderr).toMatch(/\nitemknn\s+0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
    expect(r.stderr).toMatch(/\npopularity\s+0\.\d{4} \[0\.\d{4}, 0\.\d{4}\].*p[<=]/);
    const page = readFileSync(html, 'utf8');
    const json = JSON.parse(page.match(/<script type="application\/json" id="compare-data">(.*)<\/script>/s)![1]) as { rows: { intervals: Record<string, unknown> }[] };
    const bars = json.rows.reduce((n, row) => n + Object.keys(row.intervals).length, 0);
    expect(page.match(/class="error-bar"/g)!.length).toBe(bars);
    const j = await quiver('compare', '--data', join(dir, 'ratings.csv'), '--models', 'popularity,itemknn', '--trials', '0', '-k', '5', '--bootstrap', '100', '--json');
    expect(j.code).toBe(0);
    expect(j.stderr).toBe('');
    const out = JSON.parse(j.stdout) as { command: string; rows: { model: string; params: object }[]; search: { trials: number } };
    expect(out.command).toBe('compare');
    expect(out.search.trials).toBe(0);
    expect(out.rows.map((row) => row.params)).toEqual([{}, {}]);
  });

  it('refuses bad flags in one line', async () => {
    const data = join(dir, 'ratings.csv');
    expectOneLineError(await quiver('compare', '--data', data, '--protocol', 'sampled'), 2, /^quiver compare: --protocol must be one of .*full.*got "?sampled"?/);
    expectOneLineError(await quiver('compare', '--data', data, '--models', 'ease,nope'), 2, /^quiver compare: --models: unknown model "nope"; the models are /);
    expectOneLineError(await quiver('compare', '--data', data, '--negatives', '5'), 2, /^quiver compare: --negatives applies to --protocol loo-sampled only/);
    expectOneLineError(await quiver('compare', '--data', data, '-k', '0'), 2, /^quiver compare: -k must be/);
    expectOneLineError(await quiver('compare'), 2, /^quiver compare: --data is required/);
  });
});
