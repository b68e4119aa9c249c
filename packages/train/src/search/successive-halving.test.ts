import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { hyperbandSchedule, successiveHalvingSchedule } from './halving-schedule.js';
import { sampleParams, type SearchSpace } from './search-space.js';
import { hyperband, successiveHalving } from './successive-halving.js';

const space = { x: { kind: 'uniform', low: 0, high: 1 } } as const satisfies SearchSpace;
type P = { readonly x: number };
/** A deterministic value of params and budget whose ranking changes with the budget. */
const f = (p: P, budget: number) => (p.x - 0.3) ** 2 + (0.3 * Math.sin(40 * p.x)) / budget;

/** Rungs written out by hand: [numConfigs, budget]. */
type HandRungs = readonly (readonly [number, number])[];
const rungsOf = (hand: HandRungs) => hand.map(([numConfigs, budget]) => ({ numConfigs, budget }));

/**
 * Slow reference of one bracket: evaluates every live config at each budget, then keeps those
 * with fewer than `m` configs ranked ahead of them (strictly better, or equal and earlier).
 */
function referenceBracket(configs: readonly P[], hand: HandRungs, mode: 'min' | 'max'): { params: P; budget: number; value: number }[] {
  const out: { params: P; budget: number; value: number }[] = [];
  let live = configs.slice();
  for (let r = 0; r < hand.length; r++) {
    const budget = hand[r][1];
    const values = live.map((c) => f(c, budget));
    live.forEach((c, j) => out.push({ params: c, budget, value: values[j] }));
    if (r + 1 === hand.length) break;
    const m = hand[r + 1][0];
    const ahead = (k: number, j: number) => (mode === 'min' ? values[k] < values[j] : values[k] > values[j]) || (values[k] === values[j] && k < j);
    live = live.filter((_, j) => live.filter((__, k) => ahead(k, j)).length < m);
  }
  return out;
}

function draws(seed: number, n: number): P[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => sampleParams(space, rng));
}

describe('successiveHalvingSchedule', () => {
  it('matches hand-computed rungs', () => {
    // 27 candidates (the default: 3^3), eta 3, budgets 1 → 3 → 9 → 27
    expect(successiveHalvingSchedule({ minBudget: 1, maxBudget: 27, eta: 3 })).toEqual(rungsOf([[27, 1], [9, 3], [3, 9], [1, 27]]));
    expect(successiveHalvingSchedule({ minBudget: 1, maxBudget: 27 })).toEqual(rungsOf([[27, 1], [9, 3], [3, 9], [1, 27]]));
    // 10 candidates: floor(10/27) = 0, so the schedule ends at budget 9
    expect(successiveHalvingSchedule({ candidates: 10, minBudget: 1, maxBudget: 27 })).toEqual(rungsOf([[10, 1], [3, 3], [1, 9]]));
    // eta 2 from 2 epochs: 2, 4, 8, 16 (32 > 20); 100, 50, 25, 12 configs
    expect(successiveHalvingSchedule({ candidates: 100, minBudget: 2, maxBudget: 20, eta: 2 })).toEqual(rungsOf([[100, 2], [50, 4], [25, 8], [12, 16]]));
    // eta 2.5: budgets 1, 2.5 → 3, 6.25 → 6; default candidates ceil(6.25) = 7, then floor(2.8) = 2, floor(1.12) = 1
    expect(successiveHalvingSchedule({ minBudget: 1, maxBudget: 10, eta: 2.5 })).toEqual(rungsOf([[7, 1], [2, 3], [1, 6]]));
    expect(successiveHalvingSchedule({ minBudget: 5, maxBudget: 5 })).toEqual(rungsOf([[1, 5]]));
  });
});

describe('hyperbandSchedule', () => {
  it('matches Table 1 of Li et al. 2018 (R = 81, eta = 3)', () => {
    const table = hyperbandSchedule({ minBudget: 1, maxBudget: 81, eta: 3 });
    expect(table.map((b) => b.s)).toEqual([4, 3, 2, 1, 0]);
    expect(table.map((b) => b.rungs)).toEqual([
      rungsOf([[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]]),
      rungsOf([[34, 3], [11, 9], [3, 27], [1, 81]]),
      rungsOf([[15, 9], [5, 27], [1, 81]]),
      rungsOf([[8, 27], [2, 81]]),
      rungsOf([[5, 81]]),
    ]);
  });
  it('handles a maxBudget that is not a power of eta times minBudget (rounded budgets)', () => {
    // R = 10, r = 1, eta = 3: sMax = 2; bracket 2 starts 9 configs at 10/9 → 1, then 10/3 → 3, then 10
    expect(hyperbandSchedule({ minBudget: 1, maxBudget: 10 })).toEqual([
      { s: 2, rungs: rungsOf([[9, 1], [3, 3], [1, 10]]) },
      { s: 1, rungs: rungsOf([[5, 3], [1, 10]]) }, // ceil(3/2 · 3) = 5, floor(5/3) = 1
      { s: 0, rungs: rungsOf([[3, 10]]) },
    ]);
    expect(hyperbandSchedule({ minBudget: 4, maxBudget: 4 })).toEqual([{ s: 0, rungs: rungsOf([[1, 4]]) }]);
  });
});

describe('successiveHalving', () => {
  it('27 candidates, eta 3: rungs 27, 9, 3, 1 at budgets 1, 3, 9, 27, keeping exactly the top third (reference)', () => {
    const budgetsSeen: (number | null)[] = [];
    const result = successiveHalving(space, (p, { budget, trial }) => {
      budgetsSeen.push(budget);
      expect(trial).toBe(budgetsSeen.length - 1);
      return f(p, budget!);
    }, { candidates: 27, minBudget: 1, maxBudget: 27, eta: 3, seed: 5, mode: 'min' });
    const hand = [[27, 1], [9, 3], [3, 9], [1, 27]] as const;
    expect(result.trials.map((t) => t.budget)).toEqual(hand.flatMap(([n, b]) => new Array(n).fill(b)));
    expect(budgetsSeen).toEqual(result.trials.map((t) => t.budget));
    // The candidates are the seed's first 27 draws.
    const configs = draws(5, 27);
    const ref = referenceBracket(configs, hand, 'min');
    expect(result.trials.map(({ params, budget, value }) => ({ params, budget, value }))).toEqual(ref);
    expect(result.trials.map((t) => t.index)).toEqual(ref.map((_, i) => i));
    expect(result.best).toEqual({ params: ref[39].params, value: ref[39].value, index: 39 });
    // The ranking does change between budgets (so the test tells rungs apart).
    const byBudget1 = configs.map((c, i) => [f(c, 1), i]).sort((a, b) => a[0] - b[0]).slice(0, 9).map((v) => v[1]).sort();
    const byBudget27 = configs.map((c, i) => [f(c, 27), i]).sort((a, b) => a[0] - b[0]).slice(0, 9).map((v) => v[1]).sort();
    expect(byBudget1).not.toEqual(byBudget27);
  });

  it("mode 'max' keeps the largest values; fewer candidates end the schedule early, best at the largest budget reached", () => {
    const result = successiveHalving(space, (p, { budget }) => f(p, budget!), { candidates: 10, minBudget: 1, maxBudget: 27, seed: 8, mode: 'max' });
    const hand = [[10, 1], [3, 3], [1, 9]] as const;
    const ref = referenceBracket(draws(8, 10), hand, 'max');
    expect(result.trials.map(({ params, budget, value }) => ({ params, budget, value }))).toEqual(ref);
    expect(result.best.index).toBe(13);
    expect(result.trials[result.best.index].budget).toBe(9);
  });

  it('promotes only finite values, and picks the best among the finite ones at the largest budget', () => {
    // NaN for every x above the 15th smallest of the 27 draws: exactly 15 finite configurations
    const xs = draws(2, 27).map((c) => c.x).sort((a, b) => a - b);
    const g = (cut: number) => (p: P, budget: number) => (p.x > cut ? NaN : f(p, budget));
    const result = successiveHalving(space, (p, { budget }) => g(xs[14])(p, budget!), { minBudget: 1, maxBudget: 27, seed: 2, mode: 'min' });
    expect(result.trials.filter((t) => t.budget === 1)).toHaveLength(27);
    expect(result.trials.filter((t) => t.budget! > 1).every((t) => t.params.x <= xs[14])).toBe(true);
    expect(result.trials.filter((t) => t.budget === 3)).toHaveLength(9);
    expect(result.trials.filter((t) => t.budget === 27)).toHaveLength(1);
    expect(Number.isFinite(result.best.value)).toBe(true);
    // Only 5 finite at rung 0: rung 1 holds those 5 instead of 9, rung 2 the best 3, rung 3 one.
    const few = successiveHalving(space, (p, { budget }) => g(xs[4])(p, budget!), { minBudget: 1, maxBudget: 27, seed: 2, mode: 'min' });
    expect(few.trials.map((t) => t.budget)).toEqual([...new Array(27).fill(1), ...new Array(5).fill(3), 9, 9, 9, 27]);
    expect(new Set(few.trials.filter((t) => t.budget === 3).map((t) => t.params.x))).toEqual(new Set(xs.slice(0, 5)));
    // NaN everywhere at the last rung: best falls back to the largest budget with a finite value.
    const lastNaN = successiveHalving(space, (p, { budget }) => (budget === 27 ? NaN : f(p, budget!)), { minBudget: 1, maxBudget: 27, seed: 2, mode: 'min' });
    const at9 = lastNaN.trials.filter((t) => t.budget === 9);
    const best9 = at9.reduce((a, b) => (b.value < a.value ? b : a));
    expect(lastNaN.best.index).toBe(best9.index);
  });

  it('rejects bad arguments, naming the bad value', () => {
    const obj = (p: P, c: { budget: number | null }) => f(p, c.budget!);
    const ok = { minBudget: 1, maxBudget: 9, mode: 'min' } as const;
    expect(() => successiveHalving(space, obj, { ...ok, candidates: 0 })).toThrow(/successiveHalving: options.candidates must be a positive integer, got 0/);
    expect(() => successiveHalving(space, obj, { ...ok, minBudget: 0 })).toThrow(/successiveHalving: options.minBudget must be a positive integer, got 0/);
    expect(() => successiveHalving(space, obj, { ...ok, minBudget: 1.5 })).toThrow(/options.minBudget must be a positive integer, got 1.5/);
    expect(() => successiveHalving(space, obj, { ...ok, maxBudget: undefined as never })).toThrow(/options.maxBudget must be a positive integer, got undefined/);
    expect(() => successiveHalving(space, obj, { ...ok, minBudget: 10 })).toThrow(/successiveHalving: options.maxBudget must be >= options.minBudget \(10\), got 9/);
    expect(() => successiveHalving(space, obj, { ...ok, eta: 1.5 })).toThrow(/successiveHalving: options.eta must be a number >= 2, got 1.5/);
    expect(() => successiveHalving(space, obj, { ...ok, eta: NaN })).toThrow(/options.eta must be a finite number, got NaN/);
    expect(() => successiveHalving(space, obj, { ...ok, mode: 'best' as never })).toThrow(/successiveHalving: options.mode must be one of 'min', 'max', got "best"/);
    expect(() => successiveHalving(space, null as never, ok)).toThrow(/successiveHalving: objective must be a function .*got null/);
    expect(() => successiveHalving({ x: { kind: 'uniform', low: 1, high: 0 } }, obj as never, ok)).toThrow(/successiveHalving: space.x.low must be < space.x.high/);
    expect(() => successiveHalving(space, obj, { ...ok, trials: 3 } as never)).toThrow(/successiveHalving: unknown option "trials"/);
    expect(() => successiveHalving(space, () => NaN, ok)).toThrow(/successiveHalving: the objective must return a finite value for at least one evaluation, got 9 evaluation\(s\)/);
    expect(() => successiveHalvingSchedule({ minBudget: 3, maxBudget: 2 })).toThrow(/successiveHalvingSchedule: options.maxBudget must be >= options.minBudget \(3\), got 2/);
    expect(() => successiveHalvingSchedule({ minBudget: 1, maxBudget: 2, candidates: -1 })).toThrow(/successiveHalvingSchedule: options.candidates must be a positive integer, got -1/);
  });
});

describe('hyperband', () => {
  it('runs the brackets of Li et al. (R = 81, eta = 3), each a successive halving of fresh draws (reference)', () => {
    const result = hyperband(space, (p, { budget }) => f(p, budget!), { minBudget: 1, maxBudget: 81, eta: 3, seed: 13, mode: 'min' });
    const table: HandRungs[] = [
      [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]],
      [[34, 3], [11, 9], [3, 27], [1, 81]],
      [[15, 9], [5, 27], [1, 81]],
      [[8, 27], [2, 81]],
      [[5, 81]],
    ];
    expect(result.trials).toHaveLength(121 + 49 + 21 + 10 + 5);
    // Configurations: the seed's draws in order, 81 for bracket 4, then 34, 15, 8, 5.
    const all = draws(13, 81 + 34 + 15 + 8 + 5);
    let start = 0;
    const ref: { params: P; budget: number; value: number }[] = [];
    for (const hand of table) {
      ref.push(...referenceBracket(all.slice(start, start + hand[0][0]), hand, 'min'));
      start += hand[0][0];
    }
    expect(result.trials.map(({ params, budget, value }) => ({ params, budget, value }))).toEqual(ref);
    // Best: the smallest value among the 1 + 1 + 1 + 2 + 5 evaluations at budget 81.
    const at81 = ref.map((t, i) => ({ ...t, i })).filter((t) => t.budget === 81);
    expect(at81).toHaveLength(10);
    const best = at81.reduce((a, b) => (b.value < a.value ? b : a));
    expect(result.best).toEqual({ params: best.params, value: best.value, index: best.i });
    // A lower value at a smaller budget is not chosen.
    expect(Math.min(...ref.map((t) => t.value))).toBeLessThan(best.value);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => hyperband(space, (p, { budget }) => f(p, budget!), { minBudget: 1, maxBudget: 9, seed, mode: 'max' });
    expect(run(4)).toEqual(run(4));
    expect(run(4).trials[0].params).not.toEqual(run(5).trials[0].params);
  });

  it('rejects bad arguments, naming the bad value', () => {
    const obj = (p: P, c: { budget: number | null }) => f(p, c.budget!);
    const ok = { minBudget: 1, maxBudget: 9, mode: 'min' } as const;
    expect(() => hyperband(space, obj, { ...ok, minBudget: -2 })).toThrow(/hyperband: options.minBudget must be a positive integer, got -2/);
    expect(() => hyperband(space, obj, { ...ok, maxBudget: 0 })).toThrow(/hyperband: options.maxBudget must be a positive integer, got 0/);
    expect(() => hyperband(space, obj, { ...ok, eta: 1 })).toThrow(/hyperband: options.eta must be a number >= 2, got 1/);
    expect(() => hyperband(space, obj, { ...ok, candidates: 3 } as never)).toThrow(/hyperband: unknown option "candidates"/);
    expect(() => hyperband(space, obj, { ...ok, mode: undefined as never })).toThrow(/hyperband: options.mode must be one of 'min', 'max', got undefined/);
    expect(() => hyperband(space, 'f' as never, ok)).toThrow(/hyperband: objective must be a function .*got "f"/);
    expect(() => hyperbandSchedule({ minBudget: 1, maxBudget: 9, eta: Infinity })).toThrow(/hyperbandSchedule: options.eta must be a finite number, got Infinity/);
  });
});
