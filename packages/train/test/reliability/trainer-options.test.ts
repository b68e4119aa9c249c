import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Trainer } from '../../src/index.js';
import { errorClass } from '@quiver/base';

const cases: Array<[string, unknown[]]> = [
  ['epochs', [0, -1, 1.5, NaN, Infinity, '3']],
  ['seed', [NaN, Infinity, '1']],
  ['validationSplit', [-0.1, 1, 2, NaN, '0.1']],
  ['patience', [-1, 1.5, NaN, '2']],
  ['minDelta', [-1, NaN, '0']],
  ['k', [0, -1, 2.5, NaN]],
  ['relevantMin', [NaN, Infinity, '4']],
  ['mode', ['up', 1]],
  ['monitor', [3, {}]],
  ['restoreBest', [1, 'yes']],
  ['validationAuc', [0, 'no']],
  ['checkFinite', [0, 'false']],
  ['progress', ['loud', 3]],
  ['onEpochEnd', [1, 'f']],
  ['onBatchEnd', [{}, 'g']],
  ['validationData', [3, { userIds: [1] }]],
];

describe('Trainer options are checked at construction', () => {
  it('every option out of range or of the wrong kind throws, naming it', () => {
    const entries = cases.flatMap(([name, values]) => values.map((v) => [name, v] as const));
    fc.assert(fc.property(fc.constantFrom(...entries), ([name, v]) => {
      let err: unknown;
      try {
        new Trainer({ [name]: v } as never);
      } catch (e) {
        err = e;
      }
      expect([TypeError, RangeError]).toContain(errorClass(err));
      expect((err as Error).message).toMatch(new RegExp(`^Trainer: options\\.${name} must be`));
    }), { numRuns: 80, seed: 1 });
  });

  it('unknown options are refused, and model hyper-parameters say where they go', () => {
    expect(() => new Trainer({ epoch: 3 } as never)).toThrow(/^Trainer.*"?epoch"?/);
    expect(() => new Trainer({ lr: 0.1 } as never)).toThrow(/^Trainer: options.lr is a hyper-parameter of the model in Quiver, not of the trainer/);
    expect(() => new Trainer({ batchSize: 64 } as never)).toThrow(/options.batchSize is a hyper-parameter of the model/);
    expect(() => new Trainer(JSON.parse('{"__proto__": {"epochs": 2}}'))).toThrow(TypeError);
  });
});

describe('Trainer maxMemory', () => {
  it('is passed to the model, which refuses before allocating; it is checked like every option', async () => {
    const { BiasedMF, MemoryBudgetError } = await import('@quiver/mf');
    const data = { userIds: Int32Array.of(0, 1, 2), itemIds: Int32Array.of(0, 1, 1), ratings: Float32Array.of(4, 3, 5), numUsers: 3, numItems: 2 };
    const model = new BiasedMF({ factors: 8, epochs: 1 });
    expect(() => new Trainer({ maxMemory: 100 }).fit(model, data)).toThrow(MemoryBudgetError);
    expect(() => new Trainer({ maxMemory: 100 }).fit(model, data)).toThrow(/BiasedMF.initialize: training must fit in maxMemory \(100 bytes\), got an estimate of/);
    expect(new Trainer({ maxMemory: 1e6 }).fit(model, data).epochs).toHaveLength(1);
    expect(() => new Trainer({ maxMemory: 0 })).toThrow(/Trainer: options.maxMemory must be/);
    expect(() => new Trainer({ maxMemory: '1G' as never })).toThrow(TypeError);
  });
});
