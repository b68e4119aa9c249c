import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALS, BPR } from '../../src/index.js';
import { plantedData } from '../fixtures.js';
import { errorClass } from '@quiver/base';

const data = plantedData();
const models = [['ALS', new ALS({ factors: 3, epochs: 3, reg: 0.1 })], ['BPR', new BPR({ factors: 3, epochs: 3 })]] as const;
for (const [, m] of models) m.fit(data);

/** Score of (user, item) from the saved weights: the slow reference. */
function score(m: ALS | BPR, u: number, i: number): number {
  const s = m.getState();
  const k = 3;
  let dot = 0;
  for (let f = 0; f < k; f++) dot += s['user_embedding.weight'].data[u * k + f] * s['item_embedding.weight'].data[i * k + f];
  return dot + (s.item_bias ? s.item_bias.data[i] : 0);
}

const id = (n: number) => fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: n - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, n, 0.5, NaN, 2 ** 31) });

describe('recommend / predict: the reference result or the documented error', () => {
  for (const [name, m] of models) {
    it(`${name}.recommend with random users, k, allow- and deny-lists`, () => {
      fc.assert(fc.property(id(12), fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(-1, 1.5, NaN)), fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }), (u, k, filterSeen, exclude) => {
        let top;
        try {
          top = m.recommend(u, k, { filterSeen, exclude: Int32Array.from(exclude) });
        } catch (err) {
          expect(Number.isInteger(u) && u >= 0 && u < 12 && Number.isInteger(k) && k >= 0).toBe(false);
          expect([TypeError, RangeError]).toContain(errorClass(err));
          expect((err as Error).message).toMatch(new RegExp(`^${name}.recommend: (user|k) must be`));
          return;
        }
        const seen = new Set<number>();
        if (filterSeen) for (let n = 0; n < data.userIds.length; n++) if (data.userIds[n] === u) seen.add(data.itemIds[n]);
        const ref = Array.from({ length: 10 }, (_, i) => i)
          .filter((i) => !seen.has(i) && !exclude.includes(i))
          .map((i) => [i, Math.fround(score(m, u, i))] as const)
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, k);
        expect(top.ids.length).toBe(ref.length);
        for (let n = 0; n < ref.length; n++) expect(top.scores[n]).toBeCloseTo(ref[n][1], 5);
        // Ids match the reference except where scores tie within float error.
        for (let n = 0; n < ref.length; n++) if (Math.abs(ref[n][1] - (ref[n + 1]?.[1] ?? -Infinity)) > 1e-5 && Math.abs(ref[n][1] - (ref[n - 1]?.[1] ?? Infinity)) > 1e-5) expect(top.ids[n]).toBe(ref[n][0]);
      }), { numRuns: 150, seed: 1 });
    });

    it(`${name}.predict with random id arrays`, () => {
      fc.assert(fc.property(fc.array(fc.tuple(id(12), id(10)), { maxLength: 8 }), (pairs) => {
        const users = pairs.map((p) => p[0]);
        const items = pairs.map((p) => p[1]);
        const valid = users.every((u) => Number.isInteger(u) && u >= 0 && u < 12) && items.every((i) => Number.isInteger(i) && i >= 0 && i < 10);
        let out;
        try {
          out = m.predict(Int32Array.from(users), Int32Array.from(items));
        } catch (err) {
          // Int32Array.from turns NaN / 0.5 into integers, so only the range can be wrong here.
          expect((err as Error).message).toMatch(new RegExp(`^${name}.predict: (users|items)\\[\\d+\\] must be in`));
          return;
        }
        const asInt = (x: number) => Int32Array.of(x)[0];
        expect(valid || users.every((u) => asInt(u) >= 0 && asInt(u) < 12) && items.every((i) => asInt(i) >= 0 && asInt(i) < 10)).toBe(true);
        for (let n = 0; n < pairs.length; n++) expect(out[n]).toBeCloseTo(score(m, asInt(users[n]), asInt(items[n])), 5);
      }), { numRuns: 150, seed: 2 });
    });
  }
});
