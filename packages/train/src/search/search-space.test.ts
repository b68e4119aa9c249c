import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { checkSearchSpace, paramsKey, sampleParams, type SearchSpace } from './search-space.js';

const N = 10_000;

/** Pearson's chi-square statistic of observed counts against expected counts. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((a, o, i) => a + (o - expected[i]) ** 2 / expected[i], 0);
}
// Upper 0.1% points of the chi-square distribution (standard tables), by degrees of freedom.
const CHI2_999: Record<number, number> = { 7: 24.322, 9: 27.877, 19: 43.82 };

describe('sampleParams', () => {
  it('draws uniform values within [low, high], spread evenly (10 bins, chi-square)', () => {
    const rng = createRng(1);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) {
      const { x } = sampleParams({ x: { kind: 'uniform', low: -2, high: 3 } }, rng);
      expect(x >= -2 && x <= 3).toBe(true);
      bins[Math.min(9, Math.floor((x + 2) / 0.5))]++;
    }
    expect(chiSquare(bins, new Array(10).fill(N / 10))).toBeLessThan(CHI2_999[9]);
  });

  it('draws loguniform values within bounds, uniform in log space (8 bins of log10, chi-square)', () => {
    const rng = createRng(2);
    const bins = new Array<number>(8).fill(0);
    let belowOnePercent = 0;
    for (let i = 0; i < N; i++) {
      const { lr } = sampleParams({ lr: { kind: 'loguniform', low: 1e-4, high: 1 } }, rng);
      expect(lr >= 1e-4 && lr <= 1).toBe(true);
      // log10(lr) is in [-4, 0]: 8 bins of width 0.5, each expected to hold N / 8 draws.
      bins[Math.min(7, Math.floor((Math.log10(lr) + 4) / 0.5))]++;
      if (lr < 0.01) belowOnePercent++;
    }
    expect(chiSquare(bins, new Array(8).fill(N / 8))).toBeLessThan(CHI2_999[7]);
    // Half of the log range lies below 0.01; a linear-scale draw would put only 1% there.
    expect(Math.abs(belowOnePercent / N - 0.5)).toBeLessThan(0.03);
  });

  it('draws ints with inclusive bounds, every value reachable and equally likely', () => {
    const rng = createRng(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const { k } = sampleParams({ k: { kind: 'int', low: -3, high: 6 } }, rng);
      expect(Number.isInteger(k)).toBe(true);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6]);
    const observed = [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((v) => counts.get(v)!);
    expect(chiSquare(observed, new Array(10).fill(N / 10))).toBeLessThan(CHI2_999[9]);
    expect(sampleParams({ k: { kind: 'int', low: 7, high: 7 } }, rng)).toEqual({ k: 7 });
  });

  it('draws log-scale ints with P(k) = log((k + ½)/(k − ½)) / log((high + ½)/(low − ½)), every value reachable', () => {
    const rng = createRng(4);
    const low = 1;
    const high = 20;
    const counts = new Array<number>(high + 1).fill(0);
    for (let i = 0; i < N; i++) {
      const { k } = sampleParams({ k: { kind: 'int', low, high, log: true } }, rng);
      expect(Number.isInteger(k) && k >= low && k <= high).toBe(true);
      counts[k]++;
    }
    const z = Math.log((high + 0.5) / (low - 0.5));
    const expected: number[] = [];
    const observed: number[] = [];
    for (let k = low; k <= high; k++) {
      expect(counts[k]).toBeGreaterThan(0);
      expected.push((N * Math.log((k + 0.5) / (k - 0.5))) / z);
      observed.push(counts[k]);
    }
    expect(chiSquare(observed, expected)).toBeLessThan(CHI2_999[19]);
  });

  it('draws every choice value, equally often', () => {
    const rng = createRng(5);
    const values = [1, 'a', true, null, false] as const;
    const counts = new Map<unknown, number>();
    for (let i = 0; i < N; i++) {
      const { c } = sampleParams({ c: { kind: 'choice', values } }, rng);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(5);
    for (const v of values) expect(Math.abs(counts.get(v)! - N / 5)).toBeLessThan(4 * Math.sqrt(N * 0.2 * 0.8));
  });

  it('keeps declaration order, takes one draw per parameter, and repeats for the same rng state', () => {
    const space: SearchSpace = {
      z: { kind: 'uniform', low: 0, high: 1 },
      a: { kind: 'loguniform', low: 0.1, high: 10 },
      m: { kind: 'int', low: 0, high: 99 },
      b: { kind: 'choice', values: ['x', 'y', 'z'] },
    };
    const p = sampleParams(space, createRng(9));
    expect(Object.keys(p)).toEqual(['z', 'a', 'm', 'b']);
    expect(sampleParams(space, createRng(9))).toEqual(p);
    // By hand from the raw stream: one nextFloat per parameter, in order.
    const raw = createRng(9);
    const u = [raw.nextFloat(), raw.nextFloat(), raw.nextFloat(), raw.nextFloat()];
    expect(p.z).toBeCloseTo(u[0], 12);
    expect(p.a).toBeCloseTo(Math.exp(Math.log(0.1) + u[1] * (Math.log(10) - Math.log(0.1))), 12);
    expect(p.m).toBe(Math.floor(u[2] * 100));
    expect(p.b).toBe(['x', 'y', 'z'][Math.floor(u[3] * 3)]);
    // The next point continues the stream.
    const rng = createRng(9);
    sampleParams(space, rng);
    expect(sampleParams(space, rng).z).toBeCloseTo(raw.nextFloat(), 12);
  });

  it('rejects a bad rng', () => {
    expect(() => sampleParams({ x: { kind: 'uniform', low: 0, high: 1 } }, {} as never)).toThrow(/sampleParams: rng must be an Rng/);
  });
});

describe('checkSearchSpace', () => {
  const bad = (space: unknown) => () => checkSearchSpace('f', space);
  it('returns a normalised copy (explicit log, declaration order)', () => {
    const space = { b: { high: 4, kind: 'int', low: 1 }, a: { kind: 'choice', values: [1, 2] } };
    const checked = checkSearchSpace('f', space);
    expect(JSON.stringify(checked)).toBe('{"b":{"kind":"int","low":1,"high":4,"log":false},"a":{"kind":"choice","values":[1,2]}}');
    expect(Object.isFrozen(checked)).toBe(true);
  });
  it('refuses every bad space with a message naming the parameter and the value', () => {
    expect(bad(null)).toThrow(TypeError);
    expect(bad(null)).toThrow(/f: space must be an object of parameter specs.*got null/);
    expect(bad({})).toThrow(/f: space must declare at least one parameter, got \{\}/);
    expect(bad({ x: 3 })).toThrow(/f: space.x must be a parameter spec .*got 3/);
    expect(bad({ x: { kind: 'normal', low: 0, high: 1 } })).toThrow(/f: space.x.kind must be one of 'uniform', 'loguniform', 'int', 'choice', got "normal"/);
    expect(bad({ x: { kind: 'uniform', low: 0, hi: 1 } })).toThrow(/f: space.x has an unknown field "hi"; a uniform spec has "kind", "low", "high"/);
    expect(bad({ x: { kind: 'uniform', low: 0, high: Infinity } })).toThrow(/f: space.x.high must be a finite number, got Infinity/);
    expect(bad({ x: { kind: 'uniform', low: NaN, high: 1 } })).toThrow(/f: space.x.low must be a finite number, got NaN/);
    expect(bad({ x: { kind: 'uniform', low: '0', high: 1 } })).toThrow(TypeError);
    expect(bad({ x: { kind: 'uniform', low: 2, high: 1 } })).toThrow(/f: space.x.low must be < space.x.high \(1\) for a uniform parameter, got 2/);
    expect(bad({ x: { kind: 'uniform', low: 1, high: 1 } })).toThrow(/f: space.x.low must be < space.x.high \(1\) for a uniform parameter, got 1/);
    expect(bad({ lr: { kind: 'loguniform', low: 0, high: 1 } })).toThrow(/f: space.lr.low must be > 0 for a loguniform parameter, got 0/);
    expect(bad({ lr: { kind: 'loguniform', low: -1, high: 1 } })).toThrow(/space.lr.low must be > 0 .*got -1/);
    expect(bad({ lr: { kind: 'loguniform', low: 0.5, high: 0.5 } })).toThrow(/space.lr.low must be < space.lr.high \(0.5\) for a loguniform parameter, got 0.5/);
    expect(bad({ k: { kind: 'int', low: 1.5, high: 4 } })).toThrow(/f: space.k.low must be an integer .*got 1.5/);
    expect(bad({ k: { kind: 'int', low: 1, high: 2 ** 60 } })).toThrow(/space.k.high must be an integer .*got 1152921504606847000/);
    expect(bad({ k: { kind: 'int', low: 5, high: 4 } })).toThrow(/f: space.k.low must be <= space.k.high \(4\), got 5/);
    expect(bad({ k: { kind: 'int', low: 0, high: 4, log: true } })).toThrow(/f: space.k.low must be >= 1 for a log-scale int parameter, got 0/);
    expect(bad({ k: { kind: 'int', low: 1, high: 4, log: 'yes' } })).toThrow(/f: space.k.log must be a boolean, got "yes"/);
    expect(bad({ c: { kind: 'choice', values: [] } })).toThrow(/f: space.c.values must list at least one value, got an empty array/);
    expect(bad({ c: { kind: 'choice', values: 'ab' } })).toThrow(/f: space.c.values must be an array .*got "ab"/);
    expect(bad({ c: { kind: 'choice', values: [1, {}] } })).toThrow(/f: space.c.values\[1\] must be a number, a string, a boolean or null, got object/);
    expect(bad({ c: { kind: 'choice', values: [1, NaN] } })).toThrow(/f: space.c.values\[1\] must be a finite number, got NaN/);
    expect(bad({ c: { kind: 'choice', values: [1], low: 0 } })).toThrow(/space.c has an unknown field "low"/);
  });
});

describe('paramsKey', () => {
  it('is JSON with sorted keys, whatever the key order', () => {
    expect(paramsKey({ reg: 0.01, factors: 32, solver: 'cg', bias: true, n: null })).toBe('{"bias":true,"factors":32,"n":null,"reg":0.01,"solver":"cg"}');
    expect(paramsKey({ b: 1, a: 2 })).toBe(paramsKey({ a: 2, b: 1 }));
    expect(paramsKey({ '10': 1, '9': 2, a: 3 })).toBe('{"10":1,"9":2,"a":3}');
    expect(paramsKey({ x: 0.1 + 0.2 })).not.toBe(paramsKey({ x: 0.3 }));
  });
  it('rejects what it cannot key', () => {
    expect(() => paramsKey(null as never)).toThrow(/paramsKey: params must be an object of parameter values, got null/);
    expect(() => paramsKey({ x: NaN })).toThrow(/paramsKey: params.x must be a finite number, got NaN/);
    expect(() => paramsKey({ x: [1] } as never)).toThrow(/paramsKey: params.x must be a number, a string, a boolean or null, got Array\(1\)/);
  });
});
