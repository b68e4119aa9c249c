import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomSearch } from './random-search.js';
import { paramsKey, type SearchSpace } from './search-space.js';
import { hyperband, successiveHalving } from './successive-halving.js';

const dir = mkdtempSync(join(tmpdir(), 'quiver-search-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `journal-${n++}.jsonl`);

const space = { x: { kind: 'uniform', low: 0, high: 1 }, k: { kind: 'int', low: 1, high: 4 } } as const satisfies SearchSpace;
type P = { readonly x: number; readonly k: number };
const value = (p: P, budget: number | null) => (p.x - 0.3) ** 2 + p.k / 10 + (budget === null ? 0 : Math.sin(30 * p.x) / budget);
/** The objective of the uninterrupted runs. */
const f = (p: P, context: { budget: number | null }) => value(p, context.budget);

/** An objective that counts its calls and, optionally, throws once it has been called `failAfter` times. */
function counting(failAfter = Infinity) {
  const calls: number[] = [];
  const objective = (p: P, { trial, budget }: { trial: number; budget: number | null }) => {
    if (calls.length >= failAfter) throw new Error('killed');
    calls.push(trial);
    return value(p, budget);
  };
  return { calls, objective };
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('search journal: resume', () => {
  it('random search: killed after 5 calls, the rerun calls only the 15 missing ones and equals an uninterrupted run', () => {
    const path = freshPath();
    const options = { trials: 20, seed: 7, mode: 'min', journal: path } as const;
    const full = randomSearch(space, f, { trials: 20, seed: 7, mode: 'min' });
    const first = counting(5);
    expect(() => randomSearch(space, first.objective, options)).toThrow('killed');
    expect(first.calls).toEqual([0, 1, 2, 3, 4]);
    // The file: a header line, then one line per finished evaluation, each ending in a newline.
    const written = lines(path);
    expect(written).toHaveLength(1 + 5 + 1);
    expect(written[6]).toBe('');
    expect(JSON.parse(written[0])).toEqual({
      format: 1, search: 'random', seed: 7, mode: 'min',
      space: { x: { kind: 'uniform', low: 0, high: 1 }, k: { kind: 'int', low: 1, high: 4, log: false } },
    });
    expect(written.slice(1, 6).map((l) => JSON.parse(l))).toEqual(full.trials.slice(0, 5).map((t) => ({ key: paramsKey(t.params), budget: null, value: t.value })));
    const second = counting();
    const resumed = randomSearch(space, second.objective, options);
    expect(second.calls).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(resumed).toEqual(full);
    expect(lines(path)).toHaveLength(1 + 20 + 1);
    // A third run takes everything from the journal.
    const third = counting();
    expect(randomSearch(space, third.objective, options)).toEqual(full);
    expect(third.calls).toEqual([]);
    // More trials extend the same journal: only the new ones are evaluated.
    const fourth = counting();
    const longer = randomSearch(space, fourth.objective, { ...options, trials: 25 });
    expect(fourth.calls).toEqual([20, 21, 22, 23, 24]);
    expect(longer).toEqual(randomSearch(space, f, { trials: 25, seed: 7, mode: 'min' }));
  });

  it('hyperband: killed after 10 of its 22 evaluations, the rerun makes the other 12 and equals an uninterrupted run', () => {
    const path = freshPath();
    // R = 9, eta = 3: brackets 9@1 → 3@3 → 1@9, then 5@3 → 1@9, then 3@9: 13 + 6 + 3 = 22 evaluations
    const options = { minBudget: 1, maxBudget: 9, seed: 3, mode: 'max', journal: path } as const;
    const full = hyperband(space, f, { minBudget: 1, maxBudget: 9, seed: 3, mode: 'max' });
    expect(full.trials).toHaveLength(22);
    const first = counting(10);
    expect(() => hyperband(space, first.objective, options)).toThrow('killed');
    const second = counting();
    expect(hyperband(space, second.objective, options)).toEqual(full);
    expect(second.calls).toEqual(Array.from({ length: 12 }, (_, i) => 10 + i));
    expect(JSON.parse(lines(path)[0])).toMatchObject({ format: 1, search: 'hyperband', seed: 3, mode: 'max', minBudget: 1, maxBudget: 9, eta: 3 });
    expect(lines(path).slice(1, -1).map((l) => JSON.parse(l).budget)).toEqual(full.trials.map((t) => t.budget));
  });

  it('successive halving: killed inside rung 2, the rerun equals an uninterrupted run', () => {
    const path = freshPath();
    const options = { candidates: 9, minBudget: 2, maxBudget: 18, seed: 4, mode: 'min', journal: path } as const;
    const { journal: _, ...plain } = options;
    const full = successiveHalving(space, f, plain);
    expect(full.trials.map((t) => t.budget)).toEqual([...new Array(9).fill(2), 6, 6, 6, 18]);
    const first = counting(10);
    expect(() => successiveHalving(space, first.objective, options)).toThrow('killed');
    const second = counting();
    expect(successiveHalving(space, second.objective, options)).toEqual(full);
    expect(second.calls).toEqual([10, 11, 12]);
    expect(JSON.parse(lines(path)[0])).toMatchObject({ search: 'successive-halving', candidates: 9, minBudget: 2, maxBudget: 18, eta: 3 });
  });

  it('keeps NaN, ±Infinity and -0 exactly through the journal', () => {
    const path = freshPath();
    const values = [NaN, Infinity, -Infinity, -0, 1.5];
    const objective = (_: P, { trial }: { trial: number }) => values[trial];
    const first = randomSearch(space, objective, { trials: 5, mode: 'max', journal: path });
    const again = randomSearch(space, () => { throw new Error('should not be called'); }, { trials: 5, mode: 'max', journal: path });
    expect(again).toEqual(first);
    again.trials.forEach((t, i) => expect(Object.is(t.value, values[i])).toBe(true));
    expect(lines(path).slice(1, 6).map((l) => JSON.parse(l).value)).toEqual(['NaN', 'Infinity', '-Infinity', '-0', 1.5]);
  });

  it('writes a point drawn twice once', () => {
    const path = freshPath();
    const choice = { c: { kind: 'choice', values: [1, 2, 3] } } as const;
    const result = randomSearch(choice, (p) => p.c, { trials: 12, seed: 1, mode: 'min', journal: path });
    const distinct = new Set(result.trials.map((t) => t.params.c));
    expect(lines(path)).toHaveLength(1 + distinct.size + 1);
  });
});

describe('search journal: damaged files', () => {
  /** A finished random search journal and its result. */
  function finished(trials = 8) {
    const path = freshPath();
    const options = { trials, seed: 9, mode: 'min', journal: path } as const;
    return { path, options, result: randomSearch(space, f, options) };
  }

  it('ignores (and cuts off) a half-written last line', () => {
    const { path, options, result } = finished();
    appendFileSync(path, '{"key":"{\\"k\\":2,\\"x\\":0.4');
    const c = counting();
    expect(randomSearch(space, c.objective, options)).toEqual(result);
    expect(c.calls).toEqual([]);
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').slice(0, -1).every((l) => JSON.parse(l) !== null)).toBe(true);
  });

  it('re-evaluates exactly the evaluation whose line was cut in half', () => {
    const { path, options, result } = finished();
    const size = readFileSync(path).length;
    const last = lines(path).at(-2)!;
    truncateSync(path, size - 1 - Math.floor(last.length / 2));
    const c = counting();
    expect(randomSearch(space, c.objective, options)).toEqual(result);
    expect(c.calls).toEqual([7]);
    expect(lines(path)).toHaveLength(1 + 8 + 1);
  });

  it('starts over when only part of the header was written, and refuses a file that is no journal', () => {
    const path = freshPath();
    const options = { trials: 3, seed: 9, mode: 'min', journal: path } as const;
    writeFileSync(path, '{"format":1,"search":"ran');
    const c = counting();
    expect(randomSearch(space, c.objective, options)).toEqual(randomSearch(space, f, { trials: 3, seed: 9, mode: 'min' }));
    expect(c.calls).toEqual([0, 1, 2]);
    expect(lines(path)).toHaveLength(1 + 3 + 1);

    const other = freshPath();
    writeFileSync(other, 'user,item,rating');
    expect(() => randomSearch(space, f, { ...options, journal: other })).toThrow(
      new RegExp(`randomSearch: journal ${escape(JSON.stringify(other))} is not a search journal: it has no complete line, got "user,item,rating"`),
    );
    writeFileSync(other, 'user,item,rating\n1,2,3\n');
    expect(() => randomSearch(space, f, { ...options, journal: other })).toThrow(/randomSearch: journal ".*" is not a search journal: line 1 must be a header .*got "user,item,rating"/);
    expect(readFileSync(other, 'utf8')).toBe('user,item,rating\n1,2,3\n');
  });

  it('refuses a complete line that is not an entry, naming the line', () => {
    const { path, options } = finished(4);
    const text = lines(path);
    text[2] = '{"key":"{}","budget":null}';
    writeFileSync(path, text.join('\n'));
    expect(() => randomSearch(space, f, options)).toThrow(/randomSearch: journal ".*" line 3 must be an entry \{ key, budget, value \}, got "\{\\"key\\":\\"\{\}\\",\\"budget\\":null\}"/);
  });
});

describe('search journal: header mismatch', () => {
  it('names the journal and every field that differs, and leaves the file alone', () => {
    const path = freshPath();
    randomSearch(space, f, { trials: 3, seed: 7, mode: 'min', journal: path });
    const before = readFileSync(path, 'utf8');
    const name = escape(JSON.stringify(path));
    expect(() => randomSearch(space, f, { trials: 3, seed: 8, mode: 'min', journal: path })).toThrow(
      new RegExp(`randomSearch: journal ${name} was written by a different search: seed is 7 in the journal but 8 here; pass the options`),
    );
    expect(() => randomSearch(space, f, { trials: 3, seed: 7, mode: 'max', journal: path })).toThrow(/mode is "min" in the journal but "max" here/);
    expect(() => randomSearch(space, f, { trials: 3, seed: '7', mode: 'min', journal: path })).toThrow(/seed is 7 in the journal but "7" here/);
    const wider = { ...space, x: { kind: 'uniform', low: 0, high: 2 } } as const;
    expect(() => randomSearch(wider, f, { trials: 3, seed: 7, mode: 'min', journal: path })).toThrow(
      /space.x is \{"kind":"uniform","low":0,"high":1\} in the journal but \{"kind":"uniform","low":0,"high":2\} here/,
    );
    const extra = { ...space, reg: { kind: 'loguniform', low: 1e-3, high: 1 } } as const;
    expect(() => randomSearch(extra, f, { trials: 3, seed: 7, mode: 'min', journal: path })).toThrow(/space.reg is absent in the journal but \{"kind":"loguniform","low":0.001,"high":1\} here/);
    const reordered = { k: space.k, x: space.x } as const;
    expect(() => randomSearch(reordered, f, { trials: 3, seed: 7, mode: 'min', journal: path })).toThrow(
      /the space declares its parameters in another order \(journal: x, k; here: k, x\)/,
    );
    expect(() => hyperband(space, f, { minBudget: 1, maxBudget: 9, seed: 7, mode: 'min', journal: path })).toThrow(
      /hyperband: journal ".*" was written by a different search: search is "random" in the journal but "hyperband" here; minBudget is absent in the journal but 1 here; maxBudget is absent in the journal but 9 here; eta is absent in the journal but 3 here/,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);

    const hb = freshPath();
    hyperband(space, f, { minBudget: 1, maxBudget: 9, seed: 7, mode: 'min', journal: hb });
    expect(() => hyperband(space, f, { minBudget: 1, maxBudget: 27, seed: 7, mode: 'min', journal: hb })).toThrow(/maxBudget is 9 in the journal but 27 here/);
    expect(() => hyperband(space, f, { minBudget: 1, maxBudget: 9, eta: 2, seed: 7, mode: 'min', journal: hb })).toThrow(/eta is 3 in the journal but 2 here/);
    const sh = freshPath();
    successiveHalving(space, f, { minBudget: 1, maxBudget: 9, seed: 7, mode: 'min', journal: sh });
    expect(() => successiveHalving(space, f, { candidates: 10, minBudget: 1, maxBudget: 9, seed: 7, mode: 'min', journal: sh })).toThrow(/candidates is 9 in the journal but 10 here/);
  });

  it('refuses a journal in a folder that does not exist with the file system error', () => {
    expect(() => randomSearch(space, f, { trials: 1, mode: 'min', journal: join(dir, 'missing', 'j.jsonl') })).toThrow(/ENOENT/);
  });
});
