import { Tensor } from '@quiver/core';
import { createRng } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { BiasedMF } from '../src/biased-mf.js';
import { WEIGHT_NAMES } from '../src/factor-model.js';
import { recommendBatch } from '../src/recommend-batch.js';

/** A BiasedMF with random weights (k = 8, 40 users, 300 items) and some seen items. */
function randomModel(tiedItems: boolean): BiasedMF {
  const nu = 40;
  const ni = 300;
  const k = 8;
  const rng = createRng(3);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < nu; u++) for (let j = 0; j < 5; j++) (users.push(u), items.push(rng.nextInt(ni)));
  const m = new BiasedMF({ factors: k, epochs: 0 });
  m.fit({ userIds: Int32Array.from(users), itemIds: Int32Array.from(items), ratings: new Float32Array(users.length).fill(3), numUsers: nu, numItems: ni });
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const Q = rand(ni * k);
  const bi = rand(ni);
  if (tiedItems) {
    // Items 100..199 are copies of item 100: exact ties, broken by the lower id.
    for (let i = 101; i < 200; i++) (Q.copyWithin(i * k, 100 * k, 101 * k), (bi[i] = bi[100] + 50));
    bi[100] += 50;
  }
  const state = m.getState();
  state[WEIGHT_NAMES.userFactors] = new Tensor(rand(nu * k), [nu, k]);
  state[WEIGHT_NAMES.itemFactors] = new Tensor(Q, [ni, k]);
  state[WEIGHT_NAMES.userBias] = new Tensor(rand(nu), [nu]);
  state[WEIGHT_NAMES.itemBias] = new Tensor(bi, [ni]);
  m.setState(state);
  return m;
}

describe('recommendBatch (wasm block scoring + exact rescoring) against recommend (plain scoreItems)', () => {
  it.each([
    ['random weights', false],
    ['many exact ties (falls back to exact scoring)', true],
  ])('%s: identical ids and scores for every user', (_label, tied) => {
    const m = randomModel(tied as boolean);
    const users = Int32Array.from({ length: 70 }, (_, n) => (n * 7) % 40); // 3 blocks, repeats
    for (const k of [1, 10, 40]) {
      for (const options of [{}, { filterSeen: false }, { exclude: Int32Array.of(100, 5) }]) {
        const b = recommendBatch(m, users, k, options);
        users.forEach((u, n) => {
          const r = m.recommend(u, k, options);
          expect(Array.from(b.ids.subarray(n * k, (n + 1) * k))).toEqual(Array.from(r.ids));
          expect(Array.from(b.scores.subarray(n * k, (n + 1) * k))).toEqual(Array.from(r.scores));
        });
      }
    }
    if (tied) expect(Array.from(m.recommend(0, 3, { filterSeen: false }).ids)).toEqual([100, 101, 102]);
  });
});
