import { SparseAdam, Tensor } from '@quiver/core';
import { describe, expect, it } from 'vitest';
import { ALS, BPR, Baseline, BiasedMF, recommendBatch } from '../src/index.js';
import { plantedData } from './fixtures.js';

const rows = (t: Tensor, k: number, ids: number[]): number[][] => ids.map((i) => [...t.data.subarray(i * k, (i + 1) * k)]);

describe("a model's tables are core Embeddings over the memory training updates", () => {
  const cases: Array<[string, () => BiasedMF | ALS | BPR]> = [
    ['BiasedMF shuffle', () => new BiasedMF({ factors: 4, epochs: 2 })],
    ['BiasedMF blocks (wasm memory)', () => new BiasedMF({ factors: 4, epochs: 2, solver: { kind: 'sgd', schedule: 'blocks' } })],
    ['BiasedMF minibatch', () => new BiasedMF({ factors: 4, epochs: 2, solver: 'minibatch' })],
    ['ALS cg (wasm memory)', () => new ALS({ factors: 4, epochs: 2 })],
    ['ALS cholesky', () => new ALS({ factors: 4, epochs: 2, solver: 'cholesky' })],
    ['BPR', () => new BPR({ factors: 4, epochs: 2 })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: forward reads the weights, and the same table sees the next epoch (no copies)`, () => {
      const model = make();
      const data = model instanceof BiasedMF ? plantedData() : { ...plantedData(), ratings: null };
      model.initialize(data);
      model.fitEpoch(data, 0);
      const users = model.userEmbedding!;
      const items = model.itemEmbedding!;
      expect([users.numEmbeddings, users.embeddingDim, items.numEmbeddings]).toEqual([12, 4, 10]);
      const ids = [0, 3, 9];
      expect(rows(items.forward(Int32Array.from(ids)), 4, [0, 1, 2])).toEqual(rows(model.getState()['item_embedding.weight'], 4, ids));
      const before = items.forward(Int32Array.of(2)).data.slice();
      model.fitEpoch(data, 1);
      expect(model.itemEmbedding).toBe(items); // the same table, not a copy made per epoch
      const after = items.forward(Int32Array.of(2)).data;
      expect([...after]).not.toEqual([...before]);
      expect([...after]).toEqual([...model.getState()['item_embedding.weight'].data.subarray(8, 12)]);
    });
  }

  it('bias tables are Embeddings too; Baseline has biases and no factor tables', () => {
    const m = new BiasedMF({ factors: 3, epochs: 1 });
    m.fit(plantedData());
    expect(m.userBiasEmbedding!.forward(Int32Array.of(5)).data[0]).toBe(m.getState().user_bias.data[5]);
    const b = new Baseline({ epochs: 1 });
    b.fit(plantedData());
    expect(b.userEmbedding).toBeNull();
    expect(b.itemBiasEmbedding!.numEmbeddings).toBe(10);
  });

  it('a core optimizer given a table steps the model (fine-tuning by hand)', () => {
    const m = new BiasedMF({ factors: 4, epochs: 3 });
    m.fit(plantedData());
    const users = Int32Array.of(0, 0);
    const items = Int32Array.of(2, 7);
    const before = m.predict(users, items);
    const item = m.itemEmbedding!;
    const opt = new SparseAdam(item.parameters(), { lr: 0.5 });
    // Push item 2's vector along user 0's: its score for user 0 goes up, item 7's stays.
    const p0 = m.userEmbedding!.forward(Int32Array.of(0));
    item.backward(Int32Array.of(2), new Tensor(p0.data.map((v) => -v), [1, 4]));
    opt.step();
    const after = m.predict(users, items);
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it('queries see changes made through the tables: caches (norms, block scores, fold-in prior) follow the version', () => {
    const m = new ALS({ factors: 4, epochs: 3 });
    const data = { ...plantedData(), ratings: null };
    m.fit(data);
    const simBefore = [...m.similarItems(0, 9).scores];
    const foldBefore = [...m.foldIn(Int32Array.of(1, 2))];
    const batchBefore = [...recommendBatch(m, Int32Array.of(3), 10).ids];
    // Change item 0 through the core Embedding, as an optimizer or a caller would.
    const w = m.itemEmbedding!.weight;
    for (let f = 0; f < 4; f++) w.data[f] = -w.data[4 * 5 + f];
    w.markChanged();
    expect([...m.similarItems(0, 9).scores]).not.toEqual(simBefore);
    expect(m.similarItems(0, 9).ids[8]).toBe(5); // item 0 now points away from item 5
    w.data.set(w.data.slice(0, 4).map((v) => v * 100), 4 * 1);
    w.markChanged();
    expect([...m.foldIn(Int32Array.of(1, 2))]).not.toEqual(foldBefore);
    const batch = recommendBatch(m, Int32Array.of(3), 10);
    const one = m.recommend(3, 10).ids;
    expect([...batch.ids.subarray(0, one.length)]).toEqual([...one]);
    expect(batchBefore.length).toBe(batch.ids.length);
  });

  it('a frozen table is left alone by the mini-batch solver and refused by the fast ones', () => {
    const data = plantedData();
    const mb = new BiasedMF({ factors: 4, solver: 'minibatch' });
    mb.initialize(data);
    mb.itemEmbedding!.weight.requiresGrad = false;
    const items = mb.getState()['item_embedding.weight'].data.slice();
    const users = mb.getState()['user_embedding.weight'].data.slice();
    mb.fitEpoch(data, 0);
    expect([...mb.getState()['item_embedding.weight'].data]).toEqual([...items]);
    expect([...mb.getState()['user_embedding.weight'].data]).not.toEqual([...users]);
    const sgd = new BiasedMF({ factors: 4 });
    sgd.initialize(data);
    sgd.itemEmbedding!.weight.requiresGrad = false;
    expect(() => sgd.fitEpoch(data, 0)).toThrow(/^BiasedMF.fitEpoch: the 'sgd' solver updates every table, so it cannot train with a frozen itemEmbedding \(requiresGrad false\); use BiasedMF's solver 'minibatch'/);
    const als = new ALS({ factors: 4 });
    const implicit = { ...data, ratings: null };
    als.initialize(implicit);
    als.userEmbedding!.weight.requiresGrad = false;
    expect(() => als.fitEpoch(implicit, 0)).toThrow(/ALS.fitEpoch: the ALS sweep updates every table/);
  });

  it('a table can start from pretrained vectors: write them after initialize', () => {
    const data = plantedData();
    const m = new BiasedMF({ factors: 2, solver: 'minibatch' });
    m.initialize(data);
    const pretrained = Float32Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? 1 : -1));
    m.itemEmbedding!.weight.data.set(pretrained);
    m.itemEmbedding!.weight.requiresGrad = false; // as Embedding.fromPretrained freezes by default
    for (let e = 0; e < 3; e++) m.fitEpoch(data, e);
    expect([...m.getState()['item_embedding.weight'].data]).toEqual([...pretrained]);
  });
});
