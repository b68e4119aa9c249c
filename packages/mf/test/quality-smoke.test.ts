import { existsSync, readFileSync } from 'node:fs';
import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { Baseline, BiasedMF } from '../src/index.js';

const path = new URL('../../../datasets/ml-latest-small/ratings.csv', import.meta.url).pathname;

/** ml-latest-small parsed into dense ids, split 80/20 with a seeded shuffle. */
function split(): { train: InteractionData; test: InteractionData } {
  const lines = readFileSync(path, 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const u = new Int32Array(lines.length);
  const i = new Int32Array(lines.length);
  const r = new Float32Array(lines.length);
  lines.forEach((line, n) => {
    const [a, b, c] = line.split(',');
    if (!users.has(a)) users.set(a, users.size);
    if (!items.has(b)) items.set(b, items.size);
    u[n] = users.get(a)!;
    i[n] = items.get(b)!;
    r[n] = Number(c);
  });
  const perm = createRng(1).shuffle(Int32Array.from({ length: lines.length }, (_, n) => n));
  const cut = Math.round(lines.length * 0.8);
  const take = (idx: Int32Array): InteractionData => ({
    userIds: Int32Array.from(idx, (n) => u[n]),
    itemIds: Int32Array.from(idx, (n) => i[n]),
    ratings: Float32Array.from(idx, (n) => r[n]),
    numUsers: users.size,
    numItems: items.size,
  });
  return { train: take(perm.subarray(0, cut)), test: take(perm.subarray(cut)) };
}

function rmse(model: Baseline | BiasedMF, test: InteractionData): number {
  const p = model.predict(test.userIds, test.itemIds);
  let s = 0;
  for (let n = 0; n < p.length; n++) s += (p[n] - test.ratings![n]) ** 2;
  return Math.sqrt(s / p.length);
}

describe.skipIf(!existsSync(path))('quality smoke test on ml-latest-small (80/20)', () => {
  it('Baseline and a short BiasedMF run land where Surprise does', () => {
    const { train, test } = split();
    const base = new Baseline();
    base.fit(train);
    const mf = new BiasedMF({ factors: 32 }) // default schedule, fewer factors;
    mf.fit(train);
    const b = rmse(base, test);
    const m = rmse(mf, test);
    expect(b).toBeGreaterThan(0.85);
    expect(b).toBeLessThan(0.89);
    expect(m).toBeLessThan(b - 0.01);
  }, 20_000);
});
