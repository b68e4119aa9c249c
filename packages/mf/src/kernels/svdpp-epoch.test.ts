import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { svdppEpoch, svdppUserVectors } from './svdpp-epoch.js';

interface Params {
  P: Float32Array;
  Q: Float32Array;
  Y: Float32Array;
  bu: Float32Array;
  bi: Float32Array;
}

function randomParams(numUsers: number, numItems: number, k: number, seed: number): Params {
  const rng = createRng(seed);
  const t = (n: number, s: number) => Float32Array.from({ length: n }, () => s * rng.normal());
  return { P: t(numUsers * k, 0.4), Q: t(numItems * k, 0.4), Y: t(numItems * k, 0.4), bu: t(numUsers, 0.3), bi: t(numItems, 0.3) };
}

const copy = (p: Params): Params => ({ P: p.P.slice(), Q: p.Q.slice(), Y: p.Y.slice(), bu: p.bu.slice(), bi: p.bi.slice() });

/**
 * One user's SVD++ loss in float64, written from the model's definition:
 * Σᵢ [½e² + ½reg(‖p‖² + ‖qᵢ‖²) + ½regBias(bᵤ² + bᵢ²) + ½regY Σⱼ ‖yⱼ‖²] over the user's ratings.
 */
function userLoss(p: Params, u: number, items: number[], ratings: number[], k: number, mu: number, reg: number, regBias: number, regY: number): number {
  const n = items.length;
  const z = new Float64Array(k);
  for (const j of items) for (let f = 0; f < k; f++) z[f] += p.Y[j * k + f] / Math.sqrt(n);
  for (let f = 0; f < k; f++) z[f] += p.P[u * k + f];
  let ySq = 0;
  for (const j of items) for (let f = 0; f < k; f++) ySq += p.Y[j * k + f] ** 2;
  let pSq = 0;
  for (let f = 0; f < k; f++) pSq += p.P[u * k + f] ** 2;
  let loss = 0;
  items.forEach((i, t) => {
    let dot = 0;
    let qSq = 0;
    for (let f = 0; f < k; f++) {
      dot += p.Q[i * k + f] * z[f];
      qSq += p.Q[i * k + f] ** 2;
    }
    const e = ratings[t] - (mu + p.bu[u] + p.bi[i] + dot);
    loss += 0.5 * e * e + 0.5 * reg * (pSq + qSq) + 0.5 * regBias * (p.bu[u] ** 2 + p.bi[i] ** 2) + 0.5 * regY * ySq;
  });
  return loss;
}

/** Every parameter of the tables, as [table, index] pairs. */
function allCoords(p: Params): [keyof Params, number][] {
  const out: [keyof Params, number][] = [];
  for (const name of ['P', 'Q', 'Y', 'bu', 'bi'] as const) for (let x = 0; x < p[name].length; x++) out.push([name, x]);
  return out;
}

/** Central finite difference of `f` at every parameter (float64 copies of the tables). */
function fdGradient(p: Params, f: (q: Params) => number): Map<string, number> {
  const g = new Map<string, number>();
  const h = 1e-4;
  for (const [name, x] of allCoords(p)) {
    const up = copy(p);
    const down = copy(p);
    // Float64 copies so the step h is not rounded away.
    const up64 = { ...up, [name]: Float64Array.from(up[name]) } as unknown as Params;
    const down64 = { ...down, [name]: Float64Array.from(down[name]) } as unknown as Params;
    up64[name][x] += h;
    down64[name][x] -= h;
    g.set(`${name}${x}`, (f(up64) - f(down64)) / (2 * h));
  }
  return g;
}

describe('svdppEpoch', () => {
  const k = 3;
  const mu = 3.2;
  const reg = 0.05;
  const regBias = 0.03;
  const regY = 0.07;

  it('takes one step of -lr × the finite-difference gradient for a user with one rating', () => {
    // User 1 rated item 2 only; two users, four items.
    const p0 = randomParams(2, 4, k, 3);
    const p = copy(p0);
    const lr = 0.01;
    const grad = fdGradient(p0, (q) => userLoss(q, 1, [2], [4.5], k, mu, reg, regBias, regY));
    const stats = new Float64Array(2);
    svdppEpoch(Int32Array.of(1), Int32Array.of(0, 0, 1), Int32Array.of(2), Float32Array.of(4.5), mu, p.P, p.Q, p.Y, p.bu, p.bi, k, lr, lr, reg, regBias, regY, new Float64Array(2 * k), stats);
    for (const [name, x] of allCoords(p0)) expect((p0[name][x] - p[name][x]) / lr).toBeCloseTo(grad.get(`${name}${x}`)!, 3);
    expect(stats[1]).toBe(1);
    expect(stats[0]).toBeCloseTo(2 * userLoss(p0, 1, [2], [4.5], k, mu, 0, 0, 0), 5);
  });

  it("moves a several-rating user's parameters by -lr × the gradient of the user's loss (small lr)", () => {
    // User 0 rated items 0, 2, 3 (its ratings are visited in this order); item 1 is untouched.
    const p0 = randomParams(1, 4, k, 5);
    const p = copy(p0);
    const items = [0, 2, 3];
    const ratings = [4, 2.5, 5];
    const lr = 1e-4;
    const grad = fdGradient(p0, (q) => userLoss(q, 0, items, ratings, k, mu, reg, regBias, regY));
    const stats = new Float64Array(2);
    svdppEpoch(Int32Array.of(0), Int32Array.of(0, 3), Int32Array.from(items), Float32Array.from(ratings), mu, p.P, p.Q, p.Y, p.bu, p.bi, k, lr, lr, reg, regBias, regY, new Float64Array(2 * k), stats);
    // Within a user the steps are sequential, so the match is to O(lr) (and float32 rounding of the tables).
    for (const [name, x] of allCoords(p0)) expect((p0[name][x] - p[name][x]) / lr).toBeCloseTo(grad.get(`${name}${x}`)!, 2);
    for (let f = 0; f < k; f++) {
      expect(p.Y[1 * k + f]).toBe(p0.Y[1 * k + f]);
      expect(p.Q[1 * k + f]).toBe(p0.Q[1 * k + f]);
    }
    expect(stats[1]).toBe(3);
    expect(stats[0]).toBeCloseTo(2 * userLoss(p0, 0, items, ratings, k, mu, 0, 0, 0), 3);
  });

  it('matches a slow per-rating reference of one epoch (implicit sum recomputed per rating, y steps at the end of each user)', () => {
    const numUsers = 6;
    const numItems = 7;
    const rng = createRng(21);
    // Users' ratings grouped by user; user 4 has none, user 2 rates item 5 twice.
    const lists: [number, number][][] = [];
    for (let u = 0; u < numUsers; u++) {
      const list: [number, number][] = [];
      if (u !== 4) for (let t = 0; t < 1 + (u % 4); t++) list.push([rng.nextInt(numItems), 1 + Math.round(8 * rng.nextFloat()) / 2]);
      if (u === 2) list.push([5, 3], [5, 4.5]);
      lists.push(list);
    }
    const indptr = new Int32Array(numUsers + 1);
    lists.forEach((l, u) => (indptr[u + 1] = indptr[u] + l.length));
    const items = Int32Array.from(lists.flat().map((x) => x[0]));
    const ratings = Float32Array.from(lists.flat().map((x) => x[1]));
    const order = Int32Array.of(3, 0, 5, 4, 2, 1);
    const p0 = randomParams(numUsers, numItems, k, 8);
    const lr = 0.05;
    const lrBias = 0.03;

    const ref = copy(p0);
    let refSse = 0;
    for (const u of order) {
      const list = lists[u];
      const n = list.length;
      if (n === 0) continue;
      const s = 1 / Math.sqrt(n);
      const acc = new Array(k).fill(0);
      for (const [i, r] of list) {
        // The implicit part from scratch (y does not move within the user).
        const imp = new Array(k).fill(0);
        for (const [j] of list) for (let f = 0; f < k; f++) imp[f] += s * ref.Y[j * k + f];
        let dot = 0;
        for (let f = 0; f < k; f++) dot += ref.Q[i * k + f] * (ref.P[u * k + f] + imp[f]);
        const e = r - (mu + ref.bu[u] + ref.bi[i] + dot);
        refSse += e * e;
        ref.bu[u] += lrBias * (e - regBias * ref.bu[u]);
        ref.bi[i] += lrBias * (e - regBias * ref.bi[i]);
        const pOld = Array.from({ length: k }, (_, f) => ref.P[u * k + f]);
        const qOld = Array.from({ length: k }, (_, f) => ref.Q[i * k + f]);
        for (let f = 0; f < k; f++) {
          ref.P[u * k + f] = pOld[f] - lr * (reg * pOld[f] - e * qOld[f]);
          ref.Q[i * k + f] = qOld[f] - lr * (reg * qOld[f] - e * (pOld[f] + imp[f]));
        }
        for (let f = 0; f < k; f++) acc[f] += e * qOld[f];
      }
      // The user's y steps: n per-rating decays and the summed data term, once per entry of N(u)
      // (a repeated item is an entry twice).
      for (const [j] of list) {
        for (let f = 0; f < k; f++) ref.Y[j * k + f] = (1 - lr * regY) ** n * ref.Y[j * k + f] + lr * s * acc[f];
      }
    }

    const p = copy(p0);
    const stats = new Float64Array(2);
    svdppEpoch(order, indptr, items, ratings, mu, p.P, p.Q, p.Y, p.bu, p.bi, k, lr, lrBias, reg, regBias, regY, new Float64Array(2 * k), stats);
    for (const [name, x] of allCoords(p0)) expect(p[name][x]).toBeCloseTo(ref[name][x], 5);
    expect(stats[1]).toBe(items.length);
    expect(stats[0]).toBeCloseTo(refSse, 4);
  });
});

describe('svdppUserVectors', () => {
  it('writes p_u + |N(u)|^-1/2 Σ y_j (p_u alone for a user without ratings)', () => {
    const k = 2;
    const P = Float32Array.of(1, 2, 3, 4, 5, 6);
    const Y = Float32Array.of(0.5, -1, 2, 0.25, -3, 1);
    const indptr = Int32Array.of(0, 2, 2, 5);
    const items = Int32Array.of(0, 2, 1, 1, 0);
    const out = new Float32Array(6);
    svdppUserVectors(indptr, items, P, Y, k, out, new Float64Array(k));
    const s2 = 1 / Math.sqrt(2);
    const s3 = 1 / Math.sqrt(3);
    const want = [1 + s2 * (0.5 - 3), 2 + s2 * (-1 + 1), 3, 4, 5 + s3 * (2 + 2 + 0.5), 6 + s3 * (0.25 + 0.25 - 1)];
    want.forEach((w, x) => expect(out[x]).toBeCloseTo(w, 6));
  });
});
