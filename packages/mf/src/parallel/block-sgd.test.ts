import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type InteractionData } from '@quiver/base';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../model-files.js';
import { BiasedMF } from '../biased-mf.js';
import type { BiasedMfOptions } from '../biased-mf-options.js';
import { chooseGrid } from './block-grid.js';
import { BlockSgdEngine } from './block-sgd-engine.js';

/** Planted rank-3 ratings + noise, split 80/20; `stars`: rounded to half stars in [0.5, 5] (10 values). */
function planted(numUsers: number, numItems: number, n: number, seed: number, stars = false): { train: InteractionData; test: InteractionData } {
  const rng = createRng(seed);
  const U = Float64Array.from({ length: numUsers * 3 }, () => rng.normal());
  const V = Float64Array.from({ length: numItems * 3 }, () => rng.normal());
  const make = (m: number): InteractionData => {
    const userIds = new Int32Array(m);
    const itemIds = new Int32Array(m);
    const ratings = new Float32Array(m);
    for (let t = 0; t < m; t++) {
      const u = rng.nextInt(numUsers);
      const i = rng.nextInt(numItems);
      let s = 3;
      for (let f = 0; f < 3; f++) s += 0.5 * U[u * 3 + f] * V[i * 3 + f];
      userIds[t] = u;
      itemIds[t] = i;
      const r = s + 0.3 * rng.normal();
      ratings[t] = stars ? Math.min(5, Math.max(0.5, Math.round(2 * r) / 2)) : r;
    }
    return { userIds, itemIds, ratings, numUsers, numItems } as InteractionData;
  };
  return { train: make(Math.round(0.8 * n)), test: make(Math.round(0.2 * n)) };
}

function rmse(model: BiasedMF, data: InteractionData): number {
  const p = model.predict(data.userIds, data.itemIds);
  let s = 0;
  for (let t = 0; t < p.length; t++) s += (p[t] - data.ratings![t]) ** 2;
  return Math.sqrt(s / p.length);
}

const { train, test } = planted(300, 200, 30_000, 5);
const base: BiasedMfOptions = { factors: 16, epochs: 15, lr: 0.01, reg: 0.02 };
const BLOCKS = { kind: 'sgd', schedule: 'blocks' } as const;

describe("BiasedMF schedule 'blocks'", () => {
  it('reaches the test RMSE of the plain shuffled loop within 0.005', () => {
    const plain = new BiasedMF(base);
    plain.fit(train);
    const blocks = new BiasedMF({ ...base, solver: BLOCKS });
    blocks.fit(train);
    const a = rmse(plain, test);
    const b = rmse(blocks, test);
    expect(a).toBeLessThan(0.5); // it learned the planted structure (noise 0.3)
    expect(Math.abs(a - b)).toBeLessThan(0.005);
  });

  it('gives bit-identical tables for 1 and 2 threads (deterministic), and for a batch hook', () => {
    const one = new BiasedMF({ ...base, epochs: 3, solver: BLOCKS });
    one.fit(train);
    const two = new BiasedMF({ ...base, epochs: 3, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } });
    two.fit(train);
    expect(two.factorsCopy()).toEqual(one.factorsCopy());
    expect(two.getState()).toEqual(one.getState());
    const hooked = new BiasedMF({ ...base, epochs: 3, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } });
    hooked.initialize(train);
    const batches: number[] = [];
    for (let e = 0; e < 3; e++) hooked.fitEpoch(train, e, { onBatchEnd: (b) => void batches.push(b) });
    expect(hooked.getState()).toEqual(one.getState());
    const grid = chooseGrid(300, 200, 16);
    expect(batches.length).toBe(3 * grid);
  });

  it('uses the plain loops when factors is not a multiple of 4, with the same accuracy', () => {
    const plain = new BiasedMF({ ...base, factors: 6 });
    plain.fit(train);
    const blocks = new BiasedMF({ ...base, factors: 6, solver: { kind: 'sgd', schedule: 'blocks', grid: 3 } });
    blocks.fit(train);
    expect(Math.abs(rmse(plain, test) - rmse(blocks, test))).toBeLessThan(0.005);
  });

  it('ends its worker threads: the engine stops them and they exit', async () => {
    const d = planted(40, 30, 2000, 9).train;
    const engine = new BlockSgdEngine(d.userIds, d.itemIds, d.ratings!, 40, 30, 8, 4, 3);
    const ids = Int32Array.of(0, 5, 10, 15);
    const step = { mu: 3, lr: 0.01, lrBias: 0.01, reg: 0.02, regBias: 0.02 };
    const sse = engine.runRound(ids, step);
    expect(sse).toBeGreaterThan(0);
    expect(engine.numWorkers).toBe(2);
    const codes = await engine.stopWorkers();
    expect(codes.length).toBe(2);
    expect(engine.numWorkers).toBe(0);
    // A later round starts them again and gives the same sums as one thread on a fresh engine.
    const one = new BlockSgdEngine(d.userIds, d.itemIds, d.ratings!, 40, 30, 8, 4, 1);
    one.runRound(ids, step);
    expect(engine.runRound(Int32Array.of(1, 6, 11, 12), step)).toBe(one.runRound(Int32Array.of(1, 6, 11, 12), step));
    expect(engine.tables().P).toEqual(one.tables().P);
    expect(engine.numWorkers).toBe(2);
    await engine.stopWorkers();
  });

  it('codes half-star ratings into 4-byte records and keeps 8-byte records for continuous ones, same accuracy', () => {
    const stars = planted(300, 200, 30_000, 5, true);
    const coded = new BlockSgdEngine(stars.train.userIds, stars.train.itemIds, stars.train.ratings!, 300, 200, 16, 4, 1);
    expect(coded.format.stride).toBe(4);
    expect(coded.format.codes!.values.length).toBe(10);
    expect(new BlockSgdEngine(train.userIds, train.itemIds, train.ratings!, 300, 200, 16, 4, 1).format.stride).toBe(8);
    const plain = new BiasedMF(base);
    plain.fit(stars.train);
    const blocks = new BiasedMF({ ...base, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } });
    blocks.fit(stars.train);
    expect(Math.abs(rmse(plain, stars.test) - rmse(blocks, stars.test))).toBeLessThan(0.005);
  });

  it('resumes bit-identically: setTrainingState on a fresh model, then the remaining epochs', () => {
    const straight = new BiasedMF({ ...base, epochs: 4, solver: BLOCKS });
    straight.initialize(train);
    for (let e = 0; e < 4; e++) straight.fitEpoch(train, e);
    const first = new BiasedMF({ ...base, epochs: 4, solver: BLOCKS });
    first.initialize(train);
    for (let e = 0; e < 2; e++) first.fitEpoch(train, e);
    const resumed = new BiasedMF({ ...base, epochs: 4, solver: BLOCKS });
    resumed.initialize(train);
    resumed.setTrainingState(first.getTrainingState());
    for (let e = 2; e < 4; e++) resumed.fitEpoch(train, e);
    expect(resumed.getState()).toEqual(straight.getState());
    expect(resumed.getState()).not.toEqual(first.getState());
  });

  it('its weights (views of the shared engine memory) save, load and copy like any other model', async () => {
    const m = new BiasedMF({ ...base, epochs: 2, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } });
    m.fit(train);
    const dir = await mkdtemp(join(tmpdir(), 'quiver-blocks-'));
    try {
      await saveModel(m, dir);
      const { model } = await loadModel(dir);
      const users = Int32Array.of(0, 5, 299);
      const items = Int32Array.of(3, 0, 199);
      expect(model.predict(users, items)).toEqual(m.predict(users, items));
      expect(model.recommend(7, 5)).toEqual(m.recommend(7, 5));
      // A copy made with setState trains in its own engine and leaves the original alone.
      const copy = new BiasedMF({ ...base, epochs: 2, solver: BLOCKS });
      copy.initialize(train);
      copy.setTrainingState(m.getTrainingState());
      expect(copy.getState()).toEqual(m.getState());
      const before = m.factorsCopy();
      copy.fitEpoch(train, 0);
      expect(m.factorsCopy()).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses, before allocating, data whose tables and records exceed one 4 GiB WebAssembly memory', () => {
    const n = 10;
    const huge: InteractionData = {
      userIds: Int32Array.from({ length: n }, (_, t) => t * 1_000_000),
      itemIds: Int32Array.from({ length: n }, (_, t) => t % 5),
      ratings: new Float32Array(n).fill(4),
      numUsers: 20_000_000,
      numItems: 5,
    } as InteractionData;
    // Hand count: user table 20,000,000 × 64 × 4 B + user biases 20,000,000 × 4 B ≈ 5.2e9 B = 4.84 GiB.
    const m = new BiasedMF({ factors: 64, epochs: 1, solver: BLOCKS });
    expect(() => m.fit(huge)).toThrow(/BiasedMF: the 'blocks' schedule keeps the factor tables and one 4-byte record per rating in one WebAssembly memory of at most 4 GiB; these 10 ratings and 20000000 × 5 rows of 64 factors need 4\.84 GiB; use solver \{ kind: 'sgd', schedule: 'shuffle' \}/);
  });

  it('trains degenerate shapes: fewer users than blocks, one item, one distinct rating', () => {
    for (const [nu, ni, value] of [[2, 1, 4], [3, 7, 0], [1, 1, -2.5]] as const) {
      const n = 12;
      const d = {
        userIds: Int32Array.from({ length: n }, (_, t) => t % nu),
        itemIds: Int32Array.from({ length: n }, (_, t) => (t * 5) % ni),
        ratings: new Float32Array(n).fill(value),
        numUsers: nu,
        numItems: ni,
      } as InteractionData;
      const one = new BiasedMF({ factors: 8, epochs: 3, solver: BLOCKS });
      one.fit(d);
      const two = new BiasedMF({ factors: 8, epochs: 3, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } });
      two.fit(d);
      expect(two.getState()).toEqual(one.getState());
      // Every rating equals `value`, so the model predicts it (global mean, clipped to [min, max]).
      expect(Array.from(one.predict(d.userIds.subarray(0, 2), d.itemIds.subarray(0, 2)))).toEqual([value, value]);
      for (const t of Object.values(one.getState())) for (const x of t.data) expect(Number.isFinite(x)).toBe(true);
    }
  });

  it('rejects threads without the blocks schedule, bad thread counts, factors for SIMD, and the old top-level options', () => {
    // Written as the old top-level options, they are refused with the solver that has them.
    expect(() => new BiasedMF({ threads: 2 } as never)).toThrow(/^BiasedMF: option "threads" belongs inside solver; pass solver: \{ kind: 'sgd', schedule: 'blocks', threads: 2 \}$/);
    expect(() => new BiasedMF({ schedule: 'blocks' } as never)).toThrow(/option "schedule" belongs inside solver/);
    // A solver option its kind does not have (also a type error).
    expect(() => new BiasedMF({ solver: { kind: 'sgd', threads: 2 } as never })).toThrow(
      /^BiasedMF: solver kind 'sgd' with schedule 'shuffle' has no option "threads"; its options are "kind", "schedule", got solver \{"kind":"sgd","threads":2\}; threads and grid belong to schedule 'blocks'$/,
    );
    expect(() => new BiasedMF({ solver: { kind: 'minibatch', schedule: 'blocks' } as never })).toThrow(/solver kind 'minibatch' has no option "schedule"; its options are "kind", "optimizer", "batchSize"/);
    expect(() => new BiasedMF({ solver: { kind: 'sgd', schedule: 'blocks', threads: 17 } })).toThrow(/BiasedMF: threads must be in \[1, 16\], got 17/);
    expect(() => new BiasedMF({ solver: { kind: 'sgd', schedule: 'blocks', threads: 0 } })).toThrow(/BiasedMF: threads must be/);
    expect(() => new BiasedMF({ solver: { kind: 'sgd', schedule: 'blocks', threads: 2 }, factors: 6 })).toThrow(/factors to be a multiple of 4.*got factors 6/);
    expect(() => new BiasedMF({ solver: { kind: 'sgd', schedule: 'grid' as never } })).toThrow(/BiasedMF: solver.schedule must be one of/);
    expect(() => new BiasedMF({ solver: { kind: 'sgd', schedule: 'blocks', grid: -1 } })).toThrow(/BiasedMF: solver.grid must be/);
    expect(() => new BiasedMF({ solver: 42 as never })).toThrow(/BiasedMF: solver must be one of 'sgd', 'minibatch' or an object \{ kind, ... \}, got 42/);
  });
});

describe('chooseGrid', () => {
  it('sizes the smaller side of a block to about 384 KiB of rows, at least 4 per side, at most 65,535 rows per block', () => {
    expect(chooseGrid(138_000, 27_000, 64)).toBe(Math.ceil((27_000 * 256) / (384 * 1024)));
    expect(chooseGrid(27_000, 138_000, 64)).toBe(18);
    expect(chooseGrid(100, 50, 8)).toBe(4);
    expect(chooseGrid(1_000_000, 10, 0)).toBe(16);
  });
});
