import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { randomSearch } from './random-search.js';
import { sampleParams, type SearchSpace } from './search-space.js';

const space = { x: { kind: 'uniform', low: 0, high: 1 } } as const satisfies SearchSpace;
const bowl = (p: { readonly x: number }) => (p.x - 0.3) ** 2;

describe('randomSearch', () => {
  it('evaluates the seeded draws in order and finds the best of its own samples (slow loop)', () => {
    const contexts: unknown[] = [];
    const result = randomSearch(space, (p, ctx) => {
      contexts.push(ctx);
      return bowl(p);
    }, { trials: 200, seed: 11, mode: 'min' });
    // The points are the draws of one generator with the seed, in order.
    const rng = createRng(11);
    const expected = Array.from({ length: 200 }, () => sampleParams(space, rng));
    expect(result.trials.map((t) => t.params)).toEqual(expected);
    expect(result.trials.map((t) => t.index)).toEqual(expected.map((_, i) => i));
    expect(result.trials.every((t) => t.budget === null)).toBe(true);
    expect(contexts).toEqual(expected.map((_, i) => ({ trial: i, budget: null })));
    // Slow reference: scan for the smallest (x - 0.3)², first one on ties.
    let bi = 0;
    for (let i = 1; i < expected.length; i++) if (bowl(expected[i]) < bowl(expected[bi])) bi = i;
    expect(result.best).toEqual({ params: expected[bi], value: bowl(expected[bi]), index: bi });
    expect(result.mode).toBe('min');
    expect(Math.abs((result.best.params.x) - 0.3)).toBeLessThan(0.02);
    // mode 'max' picks the point farthest from 0.3
    const worst = randomSearch(space, bowl, { trials: 200, seed: 11, mode: 'max' });
    let wi = 0;
    for (let i = 1; i < expected.length; i++) if (bowl(expected[i]) > bowl(expected[wi])) wi = i;
    expect(worst.best.index).toBe(wi);
  });

  it('same seed → same trials; point i does not depend on the number of trials or on the values', () => {
    const a = randomSearch(space, bowl, { trials: 20, seed: 'abc', mode: 'min' });
    expect(randomSearch(space, bowl, { trials: 20, seed: 'abc', mode: 'min' })).toEqual(a);
    const longer = randomSearch(space, () => 1, { trials: 30, seed: 'abc', mode: 'min' });
    expect(longer.trials.slice(0, 20).map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    const other = randomSearch(space, bowl, { trials: 20, seed: 'abd', mode: 'min' });
    expect(other.trials[0].params).not.toEqual(a.trials[0].params);
    // default seed is 42
    expect(randomSearch(space, bowl, { trials: 3, mode: 'min' })).toEqual(randomSearch(space, bowl, { trials: 3, seed: 42, mode: 'min' }));
  });

  it('records NaN and infinite values but never picks them; all NaN is an error', () => {
    const values = [NaN, 5, -Infinity, 3, Infinity, 3, NaN];
    const result = randomSearch(space, (_, { trial }) => values[trial], { trials: 7, mode: 'min' });
    expect(result.trials.map((t) => t.value)).toEqual(values);
    expect(result.best.index).toBe(3); // 3 ties with index 5: the lower index wins; -Infinity is not chosen
    expect(randomSearch(space, (_, { trial }) => values[trial], { trials: 7, mode: 'max' }).best.index).toBe(1);
    expect(() => randomSearch(space, () => NaN, { trials: 4, mode: 'min' })).toThrow(
      /randomSearch: the objective must return a finite value for at least one evaluation, got 4 evaluation\(s\), all NaN or infinite/,
    );
  });

  it('evaluates a point drawn twice only once (choice-only space)', () => {
    const calls: number[] = [];
    const result = randomSearch({ c: { kind: 'choice', values: ['a', 'b'] } }, (p, { trial }) => {
      calls.push(trial);
      return p.c === 'a' ? 1 : 2;
    }, { trials: 10, seed: 3, mode: 'min' });
    expect(result.trials).toHaveLength(10);
    // Reference: the first occurrence of each value in the draw order is the only call.
    const firsts = [...new Set(result.trials.map((t) => t.params.c))].map((c) => result.trials.findIndex((t) => t.params.c === c));
    expect(calls).toEqual(firsts.sort((a, b) => a - b));
    expect(result.trials.map((t) => t.value)).toEqual(result.trials.map((t) => (t.params.c === 'a' ? 1 : 2)));
  });

  it('passes on what the objective throws, and refuses a non-number value', () => {
    expect(() => randomSearch(space, () => { throw new Error('boom'); }, { trials: 2, mode: 'min' })).toThrow('boom');
    expect(() => randomSearch(space, (() => '0.5') as never, { trials: 2, mode: 'min' })).toThrow(
      /randomSearch: the objective must return a number \(the validation metric\); trial 0 returned something else, got "0.5"/,
    );
  });

  it('rejects bad arguments, naming the bad value', () => {
    const ok = { trials: 2, mode: 'min' } as const;
    expect(() => randomSearch({}, bowl as never, ok)).toThrow(/randomSearch: space must declare at least one parameter/);
    expect(() => randomSearch(space, 3 as never, ok)).toThrow(/randomSearch: objective must be a function \(params, context\) => number, got 3/);
    expect(() => randomSearch(space, bowl, { trials: 0, mode: 'min' })).toThrow(/randomSearch: options.trials must be a positive integer, got 0/);
    expect(() => randomSearch(space, bowl, { trials: 2.5, mode: 'min' })).toThrow(/options.trials must be a positive integer, got 2.5/);
    expect(() => randomSearch(space, bowl, { trials: 2, mode: 'minimize' as never })).toThrow(/randomSearch: options.mode must be one of 'min', 'max', got "minimize"/);
    expect(() => randomSearch(space, bowl, { trials: 2 } as never)).toThrow(/options.mode must be one of 'min', 'max', got undefined/);
    expect(() => randomSearch(space, bowl, undefined as never)).toThrow(/options.mode must be one of 'min', 'max', got undefined/);
    expect(() => randomSearch(space, bowl, { ...ok, seed: NaN })).toThrow(/randomSearch: options.seed must be a finite number or a string, got NaN/);
    expect(() => randomSearch(space, bowl, { ...ok, journal: '' })).toThrow(/randomSearch: options.journal must be a file path \(a non-empty string\), got ""/);
    expect(() => randomSearch(space, bowl, { ...ok, trails: 3 } as never)).toThrow(/randomSearch: unknown option "trails"/);
  });
});
