import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { EASE, EASE_WEIGHTS } from './ease.js';
import { MemoryBudgetError } from './memory-budget.js';

/** Random implicit data with repeats and an item nobody has. */
function randomData(numUsers: number, numItems: number, n: number, seed: number): InteractionData {
  const rng = createRng(seed);
  const u = new Int32Array(n);
  const i = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    u[t] = Math.floor(rng.nextFloat() * numUsers);
    i[t] = Math.floor(rng.nextFloat() ** 2 * (numItems - 1));
  }
  return { userIds: u, itemIds: i, ratings: null, numUsers, numItems };
}

function denseBinary(d: InteractionData): number[][] {
  const x = Array.from({ length: d.numUsers }, () => new Array<number>(d.numItems).fill(0));
  for (let t = 0; t < d.userIds.length; t++) x[d.userIds[t]][d.itemIds[t]] = 1;
  return x;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting, in float64: independent of the Cholesky kernel. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/** Steck 2019's closed form, written directly: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹. */
function referenceB(x: number[][], lambda: number): number[][] {
  const n = x[0].length;
  const g = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => x.reduce((s, row) => s + row[a] * row[b], 0) + (a === b ? lambda : 0)));
  const p = inverse(g);
  return p.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / p[j][j])));
}

describe('EASE', () => {
  it('agrees with a direct dense computation of B to 1e-4, and scores are x_u · B', () => {
    const d = randomData(40, 25, 300, 7);
    const lambda = 3;
    const model = new EASE({ lambda });
    model.fit(d);
    const x = denseBinary(d);
    const ref = referenceB(x, lambda);
    const B = model.getState()[EASE_WEIGHTS];
    expect(B.shape).toEqual([25, 25]);
    let worst = 0;
    for (let i = 0; i < 25; i++) for (let j = 0; j < 25; j++) worst = Math.max(worst, Math.abs(B.data[i * 25 + j] - ref[i][j]));
    expect(worst).toBeLessThan(1e-4);
    // Scores of every (user, item) through predict, against the reference x_u · B.
    const users = new Int32Array(40 * 25);
    const items = new Int32Array(40 * 25);
    for (let t = 0; t < users.length; t++) [users[t], items[t]] = [Math.floor(t / 25), t % 25];
    const got = model.predict(users, items);
    for (let t = 0; t < users.length; t++) {
      const want = x[users[t]].reduce((s, v, j) => s + v * ref[j][items[t]], 0);
      expect(got[t]).toBeCloseTo(want, 4);
    }
  });

  it('gives the same B through the users (Woodbury) when there are fewer users than items', () => {
    const d = randomData(12, 40, 150, 19);
    const lambda = 2;
    const model = new EASE({ lambda });
    model.fit(d);
    const ref = referenceB(denseBinary(d), lambda);
    const B = model.getState()[EASE_WEIGHTS].data;
    let worst = 0;
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) worst = Math.max(worst, Math.abs(B[i * 40 + j] - ref[i][j]));
    expect(worst).toBeLessThan(1e-4);
    expect(model.estimateMemory({ numUsers: 12, numItems: 40, numInteractions: 150 }).parts["users' inverse and product (float64)"]).toBe((144 + 480) * 8);
  });

  it('matches the two-item closed form B[i][j] = G[i][j] / (G[i][i] + λ)', () => {
    // Item 0 seen by users 0, 1, 2; item 1 by users 1, 2: G = [[3, 2], [2, 2]].
    const d: InteractionData = { userIds: Int32Array.of(0, 1, 1, 2, 2), itemIds: Int32Array.of(0, 0, 1, 0, 1), ratings: null, numUsers: 3, numItems: 2 };
    const model = new EASE({ lambda: 1 });
    model.fit(d);
    const B = model.getState()[EASE_WEIGHTS].data;
    expect(B[0]).toBe(0);
    expect(B[3]).toBe(0);
    expect(B[1]).toBeCloseTo(2 / 4, 6); // G01 / (G00 + 1)
    expect(B[2]).toBeCloseTo(2 / 3, 6); // G10 / (G11 + 1)
    // User 0 has item 0 only: the score of item 1 is B[0][1].
    expect(model.predict(Int32Array.of(0), Int32Array.of(1))[0]).toBeCloseTo(0.5, 6);
  });

  it('recommends what predict scores, folds in a known user to the same scores, and ranks similarItems by B[i, :]', () => {
    const d = randomData(30, 20, 200, 11);
    const model = new EASE({ lambda: 2 });
    model.fit(d);
    const x = denseBinary(d);
    const user = 4;
    const top = model.recommend(user, 20, { filterSeen: false });
    const all = Int32Array.from({ length: 20 }, (_, i) => i);
    const pred = model.predict(new Int32Array(20).fill(user), all);
    for (let r = 0; r < top.ids.length; r++) expect(top.scores[r]).toBeCloseTo(pred[top.ids[r]], 5);
    const own = Int32Array.from(x[user].flatMap((v, i) => (v === 1 ? [i] : [])));
    const vec = model.foldIn(own);
    expect(Array.from(model.predictNew(vec, all))).toEqual(Array.from(pred).map((v) => expect.closeTo(v, 5)));
    const B = model.getState()[EASE_WEIGHTS].data;
    const sim = model.similarItems(3, 5);
    for (let r = 0; r < sim.ids.length; r++) expect(sim.scores[r]).toBeCloseTo(B[3 * 20 + sim.ids[r]], 6);
  });

  it('refuses a catalogue whose matrices exceed maxMemory, naming the bytes it needs', () => {
    const d = randomData(10, 1000, 50, 1);
    const model = new EASE();
    let error: unknown;
    try {
      model.fit(d, { maxMemory: 1e6 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MemoryBudgetError);
    const e = error as MemoryBudgetError;
    expect(e.estimate.parts['Gram matrix (float64)']).toBe(1000 * 1000 * 8);
    expect(e.estimate.parts['item weights (float32)']).toBe(1000 * 1000 * 4);
    // 10 users < 1000 items: the users' 10 × 10 inverse is the one copied into WebAssembly memory.
    expect(e.estimate.parts['inverse working copy (WebAssembly)']).toBe(10 * 10 * 8);
    expect(e.message).toMatch(/11\.\d MiB/); // 12 MB of matrices, in binary units
    expect(e.message).toMatch(/dense items × items/);
    expect(model.isFitted).toBe(false);
  });

  it('gives the same B on 2 threads as on 1 (both inverse paths)', () => {
    for (const [users, items] of [[60, 40], [15, 45]]) {
      const d = randomData(users, items, 500, users);
      const one = new EASE({ lambda: 3 });
      one.fit(d);
      const two = new EASE({ lambda: 3, threads: 2 });
      two.fit(d);
      expect(two.getState()[EASE_WEIGHTS].data).toEqual(one.getState()[EASE_WEIGHTS].data);
    }
  });

  it('explains a singular XᵀX with lambda 0, and checks its options', () => {
    // Items 0 and 1 always together: XᵀX is singular.
    const d: InteractionData = { userIds: Int32Array.of(0, 0, 1, 1), itemIds: Int32Array.of(0, 1, 0, 1), ratings: null, numUsers: 2, numItems: 2 };
    expect(() => new EASE({ lambda: 0 }).fit(d)).toThrow(/positive definite.*lambda/s);
    expect(() => new EASE({ lambda: -1 })).toThrow(/EASE: lambda must be .*got -1/);
    expect(() => new EASE({ lambda: 'big' as never })).toThrow(TypeError);
    expect(() => new EASE({ lamda: 1 } as never)).toThrow(/lamda/);
  });

  it('checks a state before taking it', () => {
    const model = new EASE();
    model.fit(randomData(10, 6, 30, 3));
    const state = model.getState();
    const fresh = new EASE();
    expect(() => fresh.setState({ ...state, [EASE_WEIGHTS]: state.user_activity })).toThrow(/item_weights.*numItems, numItems/);
    fresh.setState(state);
    expect(Array.from(fresh.predict(Int32Array.of(1, 2), Int32Array.of(3, 4)))).toEqual(Array.from(model.predict(Int32Array.of(1, 2), Int32Array.of(3, 4))));
  });
});
