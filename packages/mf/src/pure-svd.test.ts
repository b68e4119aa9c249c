import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { PureSVD } from './pure-svd.js';

/** A random log with item popularity rising with the id, some pairs repeated (ratings 1–5). */
function randomLog(seed: number, numUsers: number, numItems: number): InteractionData {
  const rng = createRng(seed);
  const u: number[] = [];
  const i: number[] = [];
  const r: number[] = [];
  for (let user = 0; user < numUsers; user++) {
    for (let item = 0; item < numItems; item++) {
      if (rng.nextFloat() < 0.08 + (0.4 * item) / numItems + (user % 3 === item % 3 ? 0.45 : 0)) {
        u.push(user);
        i.push(item);
        r.push(1 + rng.nextInt(5));
        if (rng.nextFloat() < 0.1) (u.push(user), i.push(item), r.push(1 + rng.nextInt(5)));
      }
    }
  }
  return { userIds: Int32Array.from(u), itemIds: Int32Array.from(i), ratings: Float32Array.from(r), numUsers, numItems };
}

/** The dense user × item matrix: 1 per pair present (binary) or the summed ratings. */
function denseMatrix(d: InteractionData, useRatings: boolean): Float64Array {
  const x = new Float64Array(d.numUsers * d.numItems);
  for (let n = 0; n < d.userIds.length; n++) {
    const p = d.userIds[n] * d.numItems + d.itemIds[n];
    x[p] = useRatings ? x[p] + d.ratings![n] : 1;
  }
  return x;
}

/**
 * Slow reference: the top-k eigenpairs of XᵀX (numItems × numItems) by power iteration with
 * deflation, run to convergence. Returns σ = √λ and V (row-major numItems × k).
 */
function referenceSvd(x: Float64Array, m: number, n: number, k: number): { sigma: number[]; v: Float64Array } {
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let u = 0; u < m; u++) g[a * n + b] += x[u * n + a] * x[u * n + b];
  const sigma: number[] = [];
  const v = new Float64Array(n * k);
  const rng = createRng(99);
  for (let c = 0; c < k; c++) {
    let w = Float64Array.from({ length: n }, () => rng.normal());
    let lambda = 0;
    for (let it = 0; it < 200000; it++) {
      const next = new Float64Array(n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) next[a] += g[a * n + b] * w[b];
      // Deflate the components already found.
      for (let d = 0; d < c; d++) {
        let dot = 0;
        for (let a = 0; a < n; a++) dot += v[a * k + d] * next[a];
        for (let a = 0; a < n; a++) next[a] -= dot * v[a * k + d];
      }
      const norm = Math.sqrt(next.reduce((s, y) => s + y * y, 0));
      const change = next.reduce((s, y, a) => s + (y / norm - w[a]) ** 2, 0);
      w = next.map((y) => y / norm);
      lambda = norm;
      if (change < 1e-28) break;
    }
    sigma.push(Math.sqrt(lambda));
    for (let a = 0; a < n; a++) v[a * k + c] = w[a];
  }
  return { sigma, v };
}

describe('PureSVD', () => {
  const data = randomLog(1, 90, 40);
  const m = data.numUsers;
  const n = data.numItems;

  it('scores x_u V Vᵀ with the top-k right singular subspace of the binary matrix (dense reference)', () => {
    // Three planted blocks: a clear gap after the third singular value.
    const k = 3;
    const model = new PureSVD({ factors: k, oversamples: 10, powerIterations: 3 });
    model.fit(data);
    const x = denseMatrix(data, false);
    const ref = referenceSvd(x, m, n, k);
    const { itemFactors, userFactors } = model.factorsCopy();
    // V has orthonormal columns (to float32 rounding).
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += itemFactors[i * k + a] * itemFactors[i * k + b];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    // ‖X v_c‖ are the singular values; user factors are X V.
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += userFactors[u * k + c] ** 2;
      expect(Math.abs(Math.sqrt(s) - ref.sigma[c]) / ref.sigma[c]).toBeLessThan(1e-3);
    }
    for (let u = 0; u < m; u++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += x[u * n + i] * itemFactors[i * k + c];
        expect(userFactors[u * k + c]).toBeCloseTo(s, 5);
      }
    }
    // Scores: the projection of the user's row on the reference subspace.
    let worst = 0;
    for (let u = 0; u < m; u++) {
      const scores = model.scoreAllItems(u);
      for (let i = 0; i < n; i++) {
        let want = 0;
        for (let c = 0; c < k; c++) {
          let xv = 0;
          for (let j = 0; j < n; j++) xv += x[u * n + j] * ref.v[j * k + c];
          want += xv * ref.v[i * k + c];
        }
        worst = Math.max(worst, Math.abs(scores[i] - want));
      }
    }
    expect(worst).toBeLessThan(2e-3);
  });

  it('reports the share of ‖X‖² the projection misses as the loss, the same every epoch', () => {
    const k = 4;
    const x = denseMatrix(data, false);
    const ref = referenceSvd(x, m, n, k);
    const total = x.reduce((s, y) => s + y * y, 0);
    const want = 1 - ref.sigma.reduce((s, y) => s + y * y, 0) / total;
    const losses: number[] = [];
    new PureSVD({ factors: k, powerIterations: 4 }).fit(data, { epochs: 3, onEpochEnd: (_e, { loss }) => void losses.push(loss) });
    expect(losses[0]).toBeCloseTo(want, 4);
    expect(losses).toEqual([losses[0], losses[0], losses[0]]);
  });

  it('factorises the summed ratings with useRatings', () => {
    const k = 3;
    const model = new PureSVD({ factors: k, useRatings: true, powerIterations: 4 });
    model.fit(data);
    const x = denseMatrix(data, true);
    const ref = referenceSvd(x, m, n, k);
    const { userFactors } = model.factorsCopy();
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let u = 0; u < m; u++) s += userFactors[u * k + c] ** 2;
      expect(Math.abs(Math.sqrt(s) - ref.sigma[c]) / ref.sigma[c]).toBeLessThan(1e-3);
    }
    // The ratings matter: the binary model's leading value is different.
    const binary = new PureSVD({ factors: k, powerIterations: 4 });
    binary.fit(data);
    const b = binary.factorsCopy().userFactors;
    let s = 0;
    for (let u = 0; u < m; u++) s += b[u * k] ** 2;
    expect(Math.abs(Math.sqrt(s) - ref.sigma[0]) / ref.sigma[0]).toBeGreaterThan(0.5);
  });

  it('folds a training user in to exactly their user factors (binary and with ratings)', () => {
    for (const useRatings of [false, true]) {
      const model = new PureSVD({ factors: 6, useRatings });
      model.fit(data);
      const { userFactors } = model.factorsCopy();
      for (const u of [0, 17, 89]) {
        const idx = [...data.userIds.keys()].filter((t) => data.userIds[t] === u).reverse(); // any order
        const items = Int32Array.from(idx, (t) => data.itemIds[t]);
        const ratings = Float32Array.from(idx, (t) => data.ratings![t]);
        const v = model.foldIn(items, ratings);
        expect([...v]).toEqual([...userFactors.subarray(u * 6, u * 6 + 6)]);
      }
    }
    // Binary: ratings and repeats are ignored.
    const model = new PureSVD({ factors: 6 });
    model.fit(data);
    expect([...model.foldIn(Int32Array.of(3, 5, 3), Float32Array.of(1, 2, 5))]).toEqual([...model.foldIn(Int32Array.of(5, 3))]);
  });

  it('is deterministic by seed; another seed finds the same subspace', () => {
    const a = new PureSVD({ factors: 3, seed: 7 });
    const b = new PureSVD({ factors: 3, seed: 7 });
    const c = new PureSVD({ factors: 3, seed: 8 });
    a.fit(data);
    b.fit(data);
    c.fit(data);
    const fa = a.factorsCopy();
    expect(Buffer.from(fa.itemFactors.buffer).equals(Buffer.from(b.factorsCopy().itemFactors.buffer))).toBe(true);
    expect(Buffer.from(fa.userFactors.buffer).equals(Buffer.from(b.factorsCopy().userFactors.buffer))).toBe(true);
    expect(Buffer.from(fa.itemFactors.buffer).equals(Buffer.from(c.factorsCopy().itemFactors.buffer))).toBe(false);
    const sa = a.scoreAllItems(5);
    const sc = c.scoreAllItems(5);
    for (let i = 0; i < n; i++) expect(Math.abs(sa[i] - sc[i])).toBeLessThan(0.02);
  });

  it('keeps zero factors beyond the rank the data allows', () => {
    const tiny: InteractionData = { userIds: Int32Array.of(0, 1, 2), itemIds: Int32Array.of(0, 1, 1), ratings: null, numUsers: 3, numItems: 4 };
    const model = new PureSVD({ factors: 5 });
    model.fit(tiny);
    const { itemFactors } = model.factorsCopy();
    // X = [[1,0,0,0],[0,1,0,0],[0,1,0,0]]: σ = √2 (item 1) and 1 (item 0), nothing else.
    expect(Math.abs(itemFactors[1 * 5 + 0])).toBeCloseTo(1, 6);
    expect(Math.abs(itemFactors[0 * 5 + 1])).toBeCloseTo(1, 6);
    for (let i = 0; i < 4; i++) for (let c = 2; c < 5; c++) expect(itemFactors[i * 5 + c]).toBe(0);
    const scores = model.scoreAllItems(2);
    expect([...scores].map((s) => Math.round(s * 1e6) / 1e6)).toEqual([0, 1, 0, 0]);
  });

  it('checks its options and round-trips getConfig (without epochs)', () => {
    expect(() => new PureSVD({ factor: 3 } as never)).toThrow(/PureSVD: unknown option "factor"/);
    expect(() => new PureSVD({ factors: 0 })).toThrow(/PureSVD: factors must be a positive integer, got 0/);
    expect(() => new PureSVD({ oversamples: -1 })).toThrow(/oversamples must be a non-negative integer, got -1/);
    expect(() => new PureSVD({ powerIterations: 1.5 })).toThrow(/powerIterations must be a non-negative integer, got 1.5/);
    expect(() => new PureSVD({ useRatings: 1 } as never)).toThrow(TypeError);
    expect(() => new PureSVD({ seed: Infinity })).toThrow(RangeError);
    const model = new PureSVD({ factors: 7 });
    expect(model.getConfig()).toEqual({ factors: 7, oversamples: 10, powerIterations: 2, useRatings: false, seed: 42 });
    expect(model.config.epochs).toBe(1);
    expect(new PureSVD(model.getConfig() as never).config).toEqual(model.config);
  });
});
