import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { BiasedMF } from '../src/biased-mf.js';
import { BPR } from '../src/bpr.js';
import type { FoldInRecommender } from '../src/fold-in-recommender.js';

/** A random explicit data set with more interactions than one hook chunk (65,536). */
function bigData(): InteractionData {
  const rng = createRng(3);
  const numUsers = 2000;
  const numItems = 500;
  const seen = new Set<number>();
  const users: number[] = [];
  const items: number[] = [];
  while (users.length < 150_000) {
    const u = rng.nextInt(numUsers);
    const i = rng.nextInt(numItems);
    if (seen.has(u * numItems + i)) continue;
    seen.add(u * numItems + i);
    users.push(u);
    items.push(i);
  }
  const ratings = Float32Array.from(users, () => 1 + rng.nextInt(5));
  return { userIds: Int32Array.from(users), itemIds: Int32Array.from(items), ratings, numUsers, numItems };
}

function runEpochs(model: FoldInRecommender, data: InteractionData, withHooks: boolean): { losses: number[]; calls: [number, number, number][] } {
  const calls: [number, number, number][] = [];
  const losses: number[] = [];
  model.initialize(data);
  for (let epoch = 0; epoch < 2; epoch++) {
    const hooks = withHooks ? { onBatchEnd: (b: number, l: { numBatches: number; loss: number }) => calls.push([b, l.numBatches, l.loss]) } : undefined;
    losses.push(model.fitEpoch(data, epoch, hooks));
  }
  return { losses, calls };
}

function sameWeights(a: FoldInRecommender, b: FoldInRecommender): void {
  const sa = a.getState();
  const sb = b.getState();
  expect(Object.keys(sa).sort()).toEqual(Object.keys(sb).sort());
  for (const name of Object.keys(sa)) {
    expect(Buffer.from(sa[name].data.buffer).equals(Buffer.from(sb[name].data.buffer)), name).toBe(true);
  }
}

describe('fitEpoch hooks', () => {
  const data = bigData();

  it('BiasedMF (SGD path): reports chunks of 65,536 ratings and trains bit-identically to no hooks', () => {
    const plain = new BiasedMF({ factors: 8, seed: 5 });
    const hooked = new BiasedMF({ factors: 8, seed: 5 });
    const a = runEpochs(plain, data, false);
    const b = runEpochs(hooked, data, true);
    sameWeights(plain, hooked);
    expect(b.losses[0]).toBeCloseTo(a.losses[0], 10);
    expect(b.calls.map((c) => [c[0], c[1]])).toEqual([[0, 3], [1, 3], [2, 3], [0, 3], [1, 3], [2, 3]]);
    // the epoch loss is the example-weighted mean of the batch losses
    const sizes = [65_536, 65_536, 150_000 - 2 * 65_536];
    const weighted = b.calls.slice(0, 3).reduce((s, c, i) => s + c[2] * sizes[i], 0) / 150_000;
    expect(weighted).toBeCloseTo(b.losses[0], 10);
  });

  it('BiasedMF (mini-batch): one call per batch', () => {
    const small: InteractionData = { ...data, userIds: data.userIds.subarray(0, 1000), itemIds: data.itemIds.subarray(0, 1000), ratings: data.ratings!.subarray(0, 1000) };
    const m = new BiasedMF({ factors: 4, solver: { kind: 'minibatch', batchSize: 300 }, seed: 1 });
    const r = runEpochs(m, small, true);
    expect(r.calls.filter((c) => c[1] === 4).length).toBe(8);
    const weighted = (r.calls[0][2] * 300 + r.calls[1][2] * 300 + r.calls[2][2] * 300 + r.calls[3][2] * 100) / 1000;
    expect(weighted).toBeCloseTo(r.losses[0], 6);
  });

  it('BPR: reports chunks of triples and trains bit-identically to no hooks', () => {
    const implicit = { ...data, ratings: null };
    const plain = new BPR({ factors: 8, seed: 2 });
    const hooked = new BPR({ factors: 8, seed: 2 });
    const a = runEpochs(plain, implicit, false);
    const b = runEpochs(hooked, implicit, true);
    sameWeights(plain, hooked);
    expect(b.losses[1]).toBeCloseTo(a.losses[1], 10);
    expect(b.calls.length).toBe(6);
  });

  it('rejects malformed hooks', () => {
    const m = new BiasedMF({ factors: 2 });
    m.initialize(data);
    expect(() => m.fitEpoch(data, 0, { onBatchEnd: 3 } as never)).toThrow(/BiasedMF.fitEpoch: hooks.onBatchEnd must be a function, got 3/);
    expect(() => m.fitEpoch(data, 0, { onBatch: () => {} } as never)).toThrow(/unknown option "onBatch"/);
  });
});
