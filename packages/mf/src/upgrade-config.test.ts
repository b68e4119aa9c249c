import { describe, expect, it } from 'vitest';
import { ALS } from './als.js';
import { BiasedMF } from './biased-mf.js';
import { upgradeModelConfig } from './upgrade-config.js';

/** The full configs older versions wrote (every option, resolved). */
const oldBiasedMf = { factors: 8, epochs: 3, lr: 0.01, lrBias: 0.01, reg: 0.08, regBias: 0.02, initStd: 0.03, lrDecay: 1, seed: 42 };

describe('upgradeModelConfig', () => {
  it('moves the solver options of old BiasedMF configs into solver, dropping what that solver ignored', () => {
    const cases: Array<[Record<string, unknown>, unknown]> = [
      [{ solver: 'sgd', optimizer: 'sparse-adam', batchSize: 512, schedule: 'shuffle', threads: 1, grid: 0 }, { kind: 'sgd', schedule: 'shuffle' }],
      [{ solver: 'sgd', optimizer: 'sparse-adam', batchSize: 512, schedule: 'blocks', threads: 2, grid: 6 }, { kind: 'sgd', schedule: 'blocks', threads: 2, grid: 6 }],
      [{ solver: 'minibatch', optimizer: 'adagrad', batchSize: 64, schedule: 'shuffle', threads: 1, grid: 0 }, { kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 }],
      [{ schedule: 'blocks' }, { kind: 'sgd', schedule: 'blocks' }], // options as a user wrote them
      [{ threads: 1 }, { kind: 'sgd' }],
    ];
    for (const [old, solver] of cases) {
      const up = upgradeModelConfig('biased-mf', { ...oldBiasedMf, ...old });
      expect(up).toEqual({ ...oldBiasedMf, solver });
      // ... and the model it builds has the same resolved solver as one built today.
      expect(new BiasedMF(up).config).toEqual(new BiasedMF({ ...oldBiasedMf, solver: solver as never }).config);
    }
  });

  it('moves cgSteps and threads of old ALS configs into solver', () => {
    expect(upgradeModelConfig('als', { factors: 4, solver: 'cg', cgSteps: 2, threads: 2 })).toEqual({ factors: 4, solver: { kind: 'cg', steps: 2, threads: 2 } });
    expect(upgradeModelConfig('als', { factors: 4, solver: 'cholesky', cgSteps: 3, threads: 1 })).toEqual({ factors: 4, solver: { kind: 'cholesky' } });
    expect(new ALS(upgradeModelConfig('als', { factors: 4, cgSteps: 5 })).config.solver).toEqual({ kind: 'cg', steps: 5, threads: 1 });
  });

  it('returns today\'s configs, other kinds and mixed forms unchanged (the constructor judges those)', () => {
    const today = { factors: 8, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } };
    expect(upgradeModelConfig('biased-mf', today)).toBe(today);
    const bpr = { factors: 8, optimizer: 'adagrad' };
    expect(upgradeModelConfig('bpr', bpr)).toBe(bpr);
    const mixed = { solver: { kind: 'sgd' }, threads: 2 };
    expect(upgradeModelConfig('biased-mf', mixed)).toBe(mixed);
    expect(() => new BiasedMF(mixed as never)).toThrow(/option "threads" belongs inside solver/);
  });
});
