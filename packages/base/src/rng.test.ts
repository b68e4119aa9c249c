import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { checkSeed, createRng, toRng, Rng } from './rng.js';

describe('Rng', () => {
  it('is deterministic for a seed and pinned to exact values', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.nextFloat());
    expect(Array.from({ length: 5 }, () => b.nextFloat())).toEqual(xs);
    // Pinned: changing the generator or its seeding would silently change every model.
    expect(createRng(42).nextInt(1000)).toBe(createRng(42).nextInt(1000));
    const direct = seedrandom.alea('1');
    const viaLibrary = [0, 0, 0].map(() => Math.floor(direct.double() * 100));
    expect(viaLibrary).toEqual(PINNED_SEED_1);
    const pinned = createRng(1);
    expect([pinned.nextInt(100), pinned.nextInt(100), pinned.nextInt(100)]).toEqual(PINNED_SEED_1);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = createRng(3);
    let s = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      sq += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.04);
  });

  it('fork gives independent streams that do not depend on draws made before', () => {
    const a = createRng(5);
    const f1 = a.fork('users').nextFloat();
    a.nextFloat();
    a.nextFloat();
    expect(a.fork('users').nextFloat()).toBe(f1);
    expect(a.fork('items').nextFloat()).not.toBe(f1);
  });

  it('getState/setState repeat the following draws exactly (including the normal spare)', () => {
    const r = createRng(9);
    r.normal();
    const state = JSON.parse(JSON.stringify(r.getState()));
    const next = [r.normal(), r.nextFloat(), r.nextInt(50)];
    const s = createRng(9);
    s.setState(state);
    expect([s.normal(), s.nextFloat(), s.nextInt(50)]).toEqual(next);
    expect(() => createRng(10).setState(state)).toThrow(/Rng.setState: state must belong to this stream's seed "10", got seed "9"/);
  });

  it('shuffle is a seeded permutation', () => {
    const p = createRng(2).shuffle(Int32Array.from({ length: 10 }, (_, i) => i));
    expect(Array.from(p).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(createRng(2).shuffle(Int32Array.from({ length: 10 }, (_, i) => i)))).toEqual(Array.from(p));
  });

  it('rejects bad seeds', () => {
    expect(() => createRng(NaN)).toThrow(/createRng: seed must be a finite number or a string, got NaN/);
    expect(() => createRng({} as never)).toThrow(TypeError);
    expect(() => toRng('f', Infinity)).toThrow(/f: seed must be a finite number/);
    expect(toRng('f', undefined)).toBeInstanceOf(Rng);
    expect(checkSeed('f', 'options.seed', undefined)).toBe(42);
    expect(checkSeed('f', 'options.seed', 'a/b')).toBe('a/b');
  });

  it('normal() is the polar method with a kept spare, in every package (pinned draws)', () => {
    // The two draws of one polar step, computed here from the uniform draws of the same seed.
    const u = createRng(11);
    let a: number;
    let b: number;
    let s: number;
    do {
      a = 2 * u.nextFloat() - 1;
      b = 2 * u.nextFloat() - 1;
      s = a * a + b * b;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    const r = createRng(11);
    expect([r.normal(), r.normal()]).toEqual([a * m, b * m]);
  });
});

// Pinned for seed 1 (seedrandom 3.0.5 Alea); also cross-checked against seedrandom directly above.
const PINNED_SEED_1 = [52, 47, 16];
