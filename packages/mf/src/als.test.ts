import { describe, expect, it } from 'vitest';
import { plantedData, itemsOf } from '../test/fixtures.js';
import { ALS } from './als.js';
import { ialsOptions, IALS_DEFAULTS } from './als-options.js';
import type { InteractionData } from '@quiver/base';
import { gaussSolve } from '../test/dense-reference.js';

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


/** Each side's rows as lists of (other side's id, value); values are the ratings or 1. */
function rowsOf(d: InteractionData, useRatings: boolean) {
  const users = Array.from({ length: d.numUsers }, () => [] as Array<[number, number]>);
  const items = Array.from({ length: d.numItems }, () => [] as Array<[number, number]>);
  for (let n = 0; n < d.userIds.length; n++) {
    const v = useRatings && d.ratings !== null ? d.ratings[n] : 1;
    users[d.userIds[n]].push([d.itemIds[n], v]);
    items[d.itemIds[n]].push([d.userIds[n], v]);
  }
  return { users, items };
}

/**
 * Hu et al.'s closed form for one row with its own ridge term, from the definition:
 * `(YᵀY + λ I + Σ alpha·v y yᵀ) x = Σ (1 + alpha·v) y`, `λ = scale · (numCols + Σ alpha·v)^exponent`.
 */
function denseRow(Y: Float32Array | Float64Array, numCols: number, k: number, row: Array<[number, number]>, alpha: number, scale: number, exponent: number): number[] {
  if (row.length === 0) return new Array<number>(k).fill(0);
  let w = numCols;
  for (const [, v] of row) w += alpha * v;
  const A = new Array<number>(k * k).fill(0);
  const b = new Array<number>(k).fill(0);
  for (let i = 0; i < numCols; i++) for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) A[a * k + c] += Y[i * k + a] * Y[i * k + c];
  for (let a = 0; a < k; a++) A[a * k + a] += scale * w ** exponent;
  for (const [i, v] of row) {
    for (let a = 0; a < k; a++) {
      b[a] += (1 + alpha * v) * Y[i * k + a];
      for (let c = 0; c < k; c++) A[a * k + c] += alpha * v * Y[i * k + a] * Y[i * k + c];
    }
  }
  return gaussSolve(A, b, k);
}

/** One exact ALS epoch (users, then items) with frequency-scaled ridge terms, densely. */
function denseEpoch(d: InteractionData, X0: Float32Array, Y0: Float32Array, k: number, alpha: number, scale: number, exponent: number) {
  const { users, items } = rowsOf(d, false);
  const X = new Float64Array(X0.length);
  const Y = new Float64Array(Y0.length);
  users.forEach((row, u) => X.set(denseRow(Y0, d.numItems, k, row, alpha, scale, exponent), u * k));
  items.forEach((row, i) => Y.set(denseRow(X, d.numUsers, k, row, alpha, scale, exponent), i * k));
  return { X, Y };
}

/** The weighted loss over every pair with per-row ridge terms, divided as `alsLoss` divides it. */
function denseLoss(d: InteractionData, X: Float32Array, Y: Float32Array, k: number, alpha: number, scale: number, exponent: number): number {
  const { users, items } = rowsOf(d, false);
  let loss = 0;
  let totalConf = 0;
  for (let u = 0; u < d.numUsers; u++) {
    for (let i = 0; i < d.numItems; i++) {
      let pred = 0;
      for (let f = 0; f < k; f++) pred += X[u * k + f] * Y[i * k + f];
      const seen = users[u].find(([j]) => j === i);
      const c = seen === undefined ? 1 : 1 + alpha * seen[1];
      if (seen !== undefined) totalConf += c;
      loss += c * ((seen === undefined ? 0 : 1) - pred) ** 2;
    }
  }
  const ridge = (rows: Array<Array<[number, number]>>, T: Float32Array, numCols: number) =>
    rows.forEach((row, r) => {
      const w = numCols + row.reduce((s, [, v]) => s + alpha * v, 0);
      for (let f = 0; f < k; f++) loss += scale * w ** exponent * T[r * k + f] ** 2;
    });
  ridge(users, X, d.numItems);
  ridge(items, Y, d.numUsers);
  return loss / (totalConf + d.numUsers * d.numItems - d.userIds.length);
}

describe('ALS with frequency-scaled regularisation (Rendle et al. 2022)', () => {
  const alpha = 2;
  const scale = 0.05;
  const exponent = 0.75;
  const reg = { kind: 'frequency', scale, exponent } as const;

  it('rejects bad reg options, naming them', () => {
    expect(() => new ALS({ reg: '0.1' as never })).toThrow(/^ALS: reg must be a number in \[0, Infinity\) or an object \{ kind: 'frequency', scale, exponent \}, got "0.1"$/);
    expect(() => new ALS({ reg: [1] as never })).toThrow(TypeError);
    expect(() => new ALS({ reg: -1 })).toThrow(/^ALS: reg must be in \[0, Infinity\), got -1$/);
    expect(() => new ALS({ reg: { kind: 'l1' } as never })).toThrow(/^ALS: reg.kind must be one of 'frequency', got "l1"/);
    expect(() => new ALS({ reg: { kind: 'frequency' } as never })).toThrow(/^ALS: reg.scale must be given with reg kind 'frequency'/);
    expect(() => new ALS({ reg: { kind: 'frequency', scale: -0.1 } })).toThrow(/^ALS: reg.scale must be in \[0, Infinity\), got -0.1$/);
    expect(() => new ALS({ reg: { kind: 'frequency', scale: 1, exponent: -1 } })).toThrow(/^ALS: reg.exponent must be in \[0, Infinity\), got -1$/);
    expect(() => new ALS({ reg: { kind: 'frequency', scale: 1, power: 1 } as never })).toThrow(/^ALS: reg kind 'frequency' has no option "power"; its options are "kind", "scale", "exponent"/);
    expect(new ALS().config.reg).toBe(10);
    expect(new ALS({ reg: { kind: 'frequency', scale: 0.5 } }).config.reg).toEqual({ kind: 'frequency', scale: 0.5, exponent: 1 });
  });

  it.each([
    ['Cholesky', 3, 'cholesky' as const, 1e-5],
    ['plain CG (factors not a multiple of 4)', 6, { kind: 'cg' as const, steps: 24 }, 1e-4],
    ['wasm CG', 8, { kind: 'cg' as const, steps: 32 }, 3e-3],
    ['wasm CG on 2 threads', 8, { kind: 'cg' as const, steps: 32, threads: 2 }, 3e-3],
  ])('%s: one epoch is the dense closed form with λᵤ = scale · (numCols + Σ alpha·v)^ν per row', (_name, factors, solver, tol) => {
    const m = new ALS({ factors, alpha, reg, solver });
    m.initialize(data);
    const { userFactors: X0, itemFactors: Y0 } = m.factorsCopy();
    const loss = m.fitEpoch(data, 0);
    const { userFactors: X, itemFactors: Y } = m.factorsCopy();
    const ref = denseEpoch(data, X0, Y0, factors, alpha, scale, exponent);
    for (let n = 0; n < X.length; n++) expect(Math.abs(X[n] - ref.X[n])).toBeLessThan(tol * (1 + Math.abs(ref.X[n])));
    for (let n = 0; n < Y.length; n++) expect(Math.abs(Y[n] - ref.Y[n])).toBeLessThan(tol * (1 + Math.abs(ref.Y[n])));
    // The reported loss is the weighted loss with the same per-row terms, over every pair.
    expect(loss).toBeCloseTo(denseLoss(data, X, Y, factors, alpha, scale, exponent), 5);
  });

  it('exponent 0 is the uniform reg = scale (to rounding)', () => {
    const freq = new ALS({ factors: 3, epochs: 5, alpha, reg: { kind: 'frequency', scale: 0.7, exponent: 0 }, solver: 'cholesky' });
    const uniform = new ALS({ factors: 3, epochs: 5, alpha, reg: 0.7, solver: 'cholesky' });
    freq.fit(data);
    uniform.fit(data);
    const a = freq.factorsCopy().userFactors;
    const b = uniform.factorsCopy().userFactors;
    a.forEach((v, n) => expect(v).toBeCloseTo(b[n], 5));
  });

  it('fold-in solves the new user with the ridge term a training user with those interactions gets', () => {
    for (const useRatings of [false, true]) {
      const m = new ALS({ factors: 3, epochs: 5, alpha, reg, useRatings, solver: 'cholesky', computeLoss: false });
      m.fit(data);
      const { itemFactors } = m.factorsCopy();
      const items = Int32Array.of(0, 2, 7);
      const ratings = Float32Array.of(5, 3, 1);
      const v = m.foldIn(items, ratings);
      const row: Array<[number, number]> = [...items].map((i, n) => [i, useRatings ? ratings[n] : 1]);
      const ref = denseRow(itemFactors, data.numItems, 3, row, alpha, scale, exponent);
      for (let f = 0; f < 3; f++) expect(v[f]).toBeCloseTo(ref[f], 5);
    }
  });

  it('gives bit-identical factors on 1 and 2 threads', () => {
    let seed = 5;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const n = 8000;
    const big = { userIds: Int32Array.from({ length: n }, () => next(600)), itemIds: Int32Array.from({ length: n }, () => next(300)), ratings: null, numUsers: 600, numItems: 300 };
    const one = new ALS({ factors: 8, epochs: 2, alpha: 3, reg: { kind: 'frequency', scale: 0.01 } });
    const two = new ALS({ factors: 8, epochs: 2, alpha: 3, reg: { kind: 'frequency', scale: 0.01 }, solver: { kind: 'cg', threads: 2 } });
    one.fit(big);
    two.fit(big);
    expect(two.getState()).toEqual(one.getState());
  });
});

describe('ialsOptions (Rendle et al.\'s parametrisation)', () => {
  it("trains √(1 + α₀) times the factors of Rendle et al.'s own loss, solved densely", () => {
    // Their row system: (α₀ HᵀH + Σ observed h hᵀ + λ (nᵤ + α₀ N)^ν I) w = Σ observed h.
    const a0 = 0.5;
    const lambda = 0.02;
    const nu = 0.5;
    const k = 3;
    const m = new ALS(ialsOptions({ unobservedWeight: a0, reg: lambda, regExponent: nu, factors: k, solver: 'cholesky' }));
    m.initialize(data);
    const s = Math.sqrt(1 + a0);
    const { userFactors: X0, itemFactors: Y0 } = m.factorsCopy();
    m.fitEpoch(data, 0);
    const { userFactors: X, itemFactors: Y } = m.factorsCopy();
    const { users, items } = rowsOf(data, false);
    const rendleRow = (H: Float64Array, numCols: number, row: Array<[number, number]>): number[] => {
      const A = new Array<number>(k * k).fill(0);
      const b = new Array<number>(k).fill(0);
      for (let i = 0; i < numCols; i++) for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) A[a * k + c] += a0 * H[i * k + a] * H[i * k + c];
      for (let a = 0; a < k; a++) A[a * k + a] += lambda * (row.length + a0 * numCols) ** nu;
      for (const [i] of row) for (let a = 0; a < k; a++) {
        b[a] += H[i * k + a];
        for (let c = 0; c < k; c++) A[a * k + c] += H[i * k + a] * H[i * k + c];
      }
      return gaussSolve(A, b, k);
    };
    const H0 = Float64Array.from(Y0, (v) => v / s); // the same start in their scale
    void X0;
    const W = new Float64Array(data.numUsers * k);
    users.forEach((row, u) => W.set(rendleRow(H0, data.numItems, row), u * k));
    const H = new Float64Array(data.numItems * k);
    items.forEach((row, i) => H.set(rendleRow(W, data.numUsers, row), i * k));
    for (let n = 0; n < X.length; n++) expect(X[n]).toBeCloseTo(s * W[n], 5);
    for (let n = 0; n < Y.length; n++) expect(Y[n]).toBeCloseTo(s * H[n], 5);
  });

  it('maps α₀, λ, ν to alpha and a frequency-scaled reg, passes the rest through, and checks its options', () => {
    expect(ialsOptions({ unobservedWeight: 0.25, reg: 0.01, regExponent: 2, factors: 16 })).toEqual({
      factors: 16,
      alpha: 4,
      reg: { kind: 'frequency', scale: 0.01 * 1.25 * 0.25, exponent: 2 },
    });
    const d = ialsOptions();
    expect(d.factors).toBe(IALS_DEFAULTS.factors);
    expect(d.alpha).toBeCloseTo(1 / IALS_DEFAULTS.unobservedWeight, 12);
    expect(d.reg).toEqual({ kind: 'frequency', scale: IALS_DEFAULTS.reg * (1 + IALS_DEFAULTS.unobservedWeight), exponent: 1 });
    expect(() => ialsOptions({ unobservedWeight: 0 })).toThrow(/^ialsOptions: unobservedWeight must be in \(0, Infinity\), got 0$/);
    expect(() => ialsOptions({ reg: -1 })).toThrow(/^ialsOptions: reg must be in \[0, Infinity\), got -1$/);
    expect(() => ialsOptions({ regExponent: '1' as never })).toThrow(TypeError);
    expect(() => ialsOptions({ alpha: 2 } as never)).toThrow(/^ialsOptions.*alpha/);
    expect(() => new ALS(ialsOptions({ factors: 0 }))).toThrow(/^ALS: factors must be a positive integer, got 0/);
  });
});
