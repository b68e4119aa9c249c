import { describe, expect, it } from 'vitest';
import { plantedData, itemsOf } from '../test/fixtures.js';
import { ALS } from './als.js';

const data = plantedData();

describe('ALS', () => {
  it('rejects bad options', () => {
    expect(() => new ALS({ cgSteps: 0 })).toThrow(/ALS: cgSteps must be a positive integer, got 0/);
    expect(() => new ALS({ solver: 'lu' as never })).toThrow(/solver must be one of 'cg', 'cholesky', got "lu"/);
    expect(() => new ALS({ alpha: -1 })).toThrow(/alpha must be in \[0, Infinity\), got -1/);
  });

  it('CG and exact Cholesky training agree', () => {
    const cg = new ALS({ factors: 3, epochs: 30, reg: 0.1, alpha: 2, cgSteps: 3 });
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
