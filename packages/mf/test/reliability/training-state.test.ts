import { describe, expect, it } from 'vitest';
import { ALS, BiasedMF, BPR, Baseline, type RecommenderBase, type ModelWeights } from '../../src/index.js';
import { plantedData } from '../fixtures.js';

const data = plantedData();

function bits(w: ModelWeights): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const k of Object.keys(w).sort()) out[k] = Array.from(new Uint32Array(w[k].data.buffer, w[k].data.byteOffset, w[k].data.length));
  return out;
}

const cases: Array<[string, () => RecommenderBase, boolean]> = [
  ['BiasedMF sgd', () => new BiasedMF({ factors: 4, seed: 3 }), false],
  ['BiasedMF minibatch sparse-adam', () => new BiasedMF({ factors: 4, solver: { kind: 'minibatch', optimizer: 'sparse-adam', batchSize: 8 }, seed: 3 }), true],
  ['BiasedMF minibatch adagrad', () => new BiasedMF({ factors: 4, solver: { kind: 'minibatch', optimizer: 'adagrad', batchSize: 8 }, seed: 3 }), true],
  ['BPR adagrad', () => new BPR({ factors: 4, seed: 3 }), true],
  ['BPR sgd', () => new BPR({ factors: 4, optimizer: 'sgd', seed: 3 }), false],
  ['ALS', () => new ALS({ factors: 4, reg: 0.1, seed: 3 }), false],
  ['Baseline', () => new Baseline({ seed: 3 }), false],
];

describe('getTrainingState / setTrainingState: resuming is bit-identical', () => {
  for (const [name, make, hasOptimizer] of cases) {
    it(name, () => {
      const straight = make();
      straight.initialize(data, { seed: 5 });
      for (let e = 0; e < 6; e++) straight.fitEpoch(data, e);

      const first = make();
      first.initialize(data, { seed: 5 });
      for (let e = 0; e < 3; e++) first.fitEpoch(data, e);
      const saved = first.getTrainingState();
      expect(Object.keys(saved.optimizer).length > 0).toBe(hasOptimizer);

      const resumed = make();
      resumed.initialize(data, { seed: 5 });
      resumed.setTrainingState(saved);
      for (let e = 3; e < 6; e++) resumed.fitEpoch(data, e);
      expect(bits(resumed.getState())).toEqual(bits(straight.getState()));

      if (hasOptimizer) {
        // Without the optimizer state the continuation differs: the state is really needed.
        const naive = make();
        naive.initialize(data, { seed: 5 });
        const fresh = naive.getTrainingState().optimizer;
        naive.setTrainingState({ weights: saved.weights, optimizer: fresh });
        for (let e = 3; e < 6; e++) naive.fitEpoch(data, e);
        expect(bits(naive.getState())).not.toEqual(bits(straight.getState()));
      }
    });
  }

  it('getTrainingState returns copies', () => {
    const m = new BPR({ factors: 2, seed: 1 });
    m.initialize(data);
    m.fitEpoch(data, 0);
    const s = m.getTrainingState();
    (s.optimizer.adagrad as Float32Array)[0] = 123;
    expect((m.getTrainingState().optimizer.adagrad as Float32Array)[0]).not.toBe(123);
  });
});

describe('setTrainingState errors change nothing', () => {
  it('needs initialize(data) first', () => {
    const m = new BiasedMF({ factors: 2 });
    expect(() => m.setTrainingState({ weights: {}, optimizer: {} })).toThrow(/BiasedMF.setTrainingState: the model is not prepared for training; call initialize\(data\)/);
    const fitted = new BiasedMF({ factors: 2, epochs: 1 });
    fitted.fit(data);
    const s = fitted.getTrainingState();
    fitted.setState(s.weights); // a model whose weights were replaced is no longer prepared
    expect(() => fitted.setTrainingState(s)).toThrow(/not prepared for training/);
  });

  it('rejects a malformed state', () => {
    const m = new BiasedMF({ factors: 2 });
    m.initialize(data);
    expect(() => m.setTrainingState(null as never)).toThrow(TypeError);
    expect(() => m.setTrainingState({ weights: {} } as never)).toThrow(/state must be \{ weights, optimizer \}/);
  });

  it('rejects optimizer entries for a model without optimizer state, and rolls the weights back', () => {
    const m = new BiasedMF({ factors: 2, seed: 1 });
    m.initialize(data);
    const before = bits(m.getState());
    const other = new BiasedMF({ factors: 2, seed: 9 });
    other.initialize(data);
    expect(() => m.setTrainingState({ weights: other.getState(), optimizer: { 'x.y': 1 } })).toThrow(/optimizer state must be empty for this model, got keys "x.y"/);
    expect(bits(m.getState())).toEqual(before);
    m.fitEpoch(data, 0); // still prepared
  });

  it('rejects a bad minibatch optimizer state', () => {
    const m = new BiasedMF({ factors: 2, solver: 'minibatch', seed: 1 });
    m.initialize(data);
    m.fitEpoch(data, 0);
    const s = m.getTrainingState();
    expect(() => m.setTrainingState({ weights: s.weights, optimizer: { bogus: 1 } })).toThrow(/optimizer state keys must look like "0.expAvg", got "bogus"/);
    expect(() => m.setTrainingState({ weights: s.weights, optimizer: { ...s.optimizer, '0.expAvg': new Float32Array(3) } })).toThrow(/expAvg must have length 24/);
  });

  it('rejects a bad BPR accumulator', () => {
    const m = new BPR({ factors: 2, seed: 1 });
    m.initialize(data);
    const s = m.getTrainingState();
    expect(() => m.setTrainingState({ weights: s.weights, optimizer: {} })).toThrow(/optimizer state must be \{ adagrad: Float32Array \} for optimizer 'adagrad', got keys none/);
    expect(() => m.setTrainingState({ weights: s.weights, optimizer: { adagrad: new Float32Array(2) } })).toThrow(/"adagrad" must have length 32, got 2/);
  });
});
