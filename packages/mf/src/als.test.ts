import { describe, expect, it } from 'vitest';
import { plantedData, itemsOf } from '../test/fixtures.js';
import { ALS } from './als.js';

const data = plantedData();

describe('ALS', () => {
  it('rejects bad options', () => {
    expect(() => new ALS({ solver: { kind: 'cg', steps: 0 } })).toThrow(/ALS: solver.steps must be a positive integer, got 0/);
    expect(() => new ALS({ solver: 'lu' as never })).toThrow(/solver.kind must be one of 'cg', 'cholesky', got "lu"/);
    expect(() => new ALS({ alpha: -1 })).toThrow(/alpha must be in \[0, Infinity\), got -1/);
    expect(() => new ALS({ solver: { kind: 'cg', threads: 17 } })).toThrow(/ALS: threads must be in \[1, 16\], got 17/);
    expect(() => new ALS({ solver: { kind: 'cholesky', threads: 2 } as never })).toThrow(/^ALS: solver kind 'cholesky' has no option "threads"; its options are "kind", got solver \{"kind":"cholesky","threads":2\}; the exact solve runs on one thread, use kind 'cg' for threads$/);
    expect(() => new ALS({ threads: 2 } as never)).toThrow(/^ALS: option "threads" belongs inside solver; pass solver: \{ kind: 'cg', threads: 2 \}$/);
    expect(() => new ALS({ cgSteps: 2 } as never)).toThrow(/^ALS: option "cgSteps" belongs inside solver; pass solver: \{ kind: 'cg', steps: 3 \}$/);
    expect(() => new ALS({ solver: { kind: 'cg', threads: 2 }, factors: 6 })).toThrow(/ALS: threads > 1 requires factors to be a multiple of 4.*got factors 6/);
  });

  it('gives bit-identical factors on 1 and 2 threads (row jobs of the CG sweeps are independent)', () => {
    // 1,300 users and 700 items: several 256-row jobs per half-sweep; alpha 0 takes the
    // scatterRows path for the smaller side, alpha 3 the per-entry confidence path.
    let seed = 3;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const n = 30_000;
    const big = {
      userIds: Int32Array.from({ length: n }, () => next(1300)),
      itemIds: Int32Array.from({ length: n }, () => next(700)),
      ratings: Float32Array.from({ length: n }, () => 1 + next(5)),
      numUsers: 1300,
      numItems: 700,
    };
    for (const alpha of [0, 3]) {
      const one = new ALS({ factors: 8, epochs: 3, alpha, useRatings: true });
      one.fit(big);
      const two = new ALS({ factors: 8, epochs: 3, alpha, useRatings: true, solver: { kind: 'cg', threads: 2 } });
      two.fit(big);
      expect(two.getState()).toEqual(one.getState());
      expect(one.getState()['user_embedding.weight'].data.some((v) => v !== 0)).toBe(true);
    }
  });

  it('CG and exact Cholesky training agree', () => {
    const cg = new ALS({ factors: 3, epochs: 30, reg: 0.1, alpha: 2, solver: { kind: 'cg', steps: 3 } });
    const chol = new ALS({ factors: 3, epochs: 30, reg: 0.1, alpha: 2, solver: 'cholesky' });
    const lc: number[] = [];
    const lh: number[] = [];
    cg.fit(data, { onEpochEnd: (_e, { loss }) => void lc.push(loss) });
    chol.fit(data, { onEpochEnd: (_e, { loss }) => void lh.push(loss) });
    expect(lc[lc.length - 1]).toBeCloseTo(lh[lh.length - 1], 3);
    const users = Int32Array.from({ length: 120 }, (_, n) => n % 12);
    const items = Int32Array.from({ length: 120 }, (_, n) => Math.floor(n / 12));
    const a = cg.predict(users, items);
    const b = chol.predict(users, items);
    a.forEach((v, n) => expect(v).toBeCloseTo(b[n], 2));
  });

  it('exact ALS never increases the loss', () => {
    const m = new ALS({ factors: 3, epochs: 10, reg: 0.1, alpha: 5, solver: 'cholesky' });
    const losses: number[] = [];
    m.fit(data, { onEpochEnd: (_e, { loss }) => void losses.push(loss) });
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThanOrEqual(losses[e - 1] + 1e-9);
  });

  it('fold-in of a training user reproduces their vector at convergence', () => {
    const m = new ALS({ factors: 3, epochs: 200, reg: 0.1, alpha: 2, solver: 'cholesky', computeLoss: false });
    m.fit(data);
    const { userFactors } = m.factorsCopy();
    for (const u of [1, 9]) {
      const v = m.foldIn(itemsOf(data, u).items);
      for (let f = 0; f < 3; f++) expect(v[f]).toBeCloseTo(userFactors[3 * u + f], 3);
    }
  });

  it('uses ratings as confidence values when asked', () => {
    const plain = new ALS({ factors: 2, epochs: 3, alpha: 1 });
    const weighted = new ALS({ factors: 2, epochs: 3, alpha: 1, useRatings: true });
    plain.fit(data);
    weighted.fit(data);
    const a = plain.predict(Int32Array.of(0), Int32Array.of(1))[0];
    const b = weighted.predict(Int32Array.of(0), Int32Array.of(1))[0];
    expect(a).not.toBeCloseTo(b, 4);
  });
});
